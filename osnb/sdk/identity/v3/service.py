"""Services: the catalog's entries (Keystone ``/v3/services``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Service"]


class Service(Resource):
    """A catalog service (``type`` like ``compute``); endpoints hang off it."""

    resource_key = "service"
    resources_key = "services"
    base_path = "/services"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("name", "type")

    description: str | None = prop("description")
    is_enabled: bool | None = prop("enabled")
    type: str | None = prop("type")
    links: dict | None = prop("links")
