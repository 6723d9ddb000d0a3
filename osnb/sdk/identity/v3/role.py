"""Roles: what a grant gives (Keystone ``/v3/roles``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Role"]


class Role(Resource):
    """A role; global unless ``domain_id`` makes it domain-specific."""

    resource_key = "role"
    resources_key = "roles"
    base_path = "/roles"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("name", "domain_id")

    description: str | None = prop("description")
    domain_id: str | None = prop("domain_id")
    options: dict | None = prop("options")
    links: dict | None = prop("links")
