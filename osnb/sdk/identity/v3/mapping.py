"""Federation mappings (Keystone ``/v3/OS-FEDERATION/mappings``)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["Mapping"]


class Mapping(Resource):
    """Rules from a federated assertion (``remote``) to local users and groups
    (``local``); created by ``PUT`` to its id, which is also its ``name``."""

    resource_key = "mapping"
    resources_key = "mappings"
    base_path = "/OS-FEDERATION/mappings"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    create_method = "PUT"
    commit_method = "PATCH"
    display_columns = ("id", "schema_version")

    name: str | None = prop("name", alias="id")
    rules: list[dict] | None = prop("rules")
    schema_version: str | None = prop("schema_version")
    links: dict | None = prop("links")
