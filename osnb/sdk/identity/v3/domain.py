"""Domains: namespaces for users, groups and projects (Keystone ``/v3/domains``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Domain"]


class Domain(Resource):
    """A domain; it must be disabled (``is_enabled=False``) before it can be deleted."""

    resource_key = "domain"
    resources_key = "domains"
    base_path = "/domains"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("name", is_enabled="enabled")

    description: str | None = prop("description")
    is_enabled: bool | None = prop("enabled")
    options: dict | None = prop("options")
    tags: list[str] | None = prop("tags")
    links: dict | None = prop("links")
