"""Migrations: moves and resizes of servers across hosts (Nova ``/os-migrations``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Migration"]


class Migration(Resource):
    """One cold or live migration, resize or evacuation; ``id`` is Nova's integer id,
    ``uuid`` (2.59+) its UUID."""

    resources_key = "migrations"
    base_path = "/os-migrations"
    service = "compute"
    allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.80"
    query = Query("host", "status", "migration_type", "source_compute", "user_id",
                  "project_id", changes_since="changes-since",
                  changes_before="changes-before", server_id="instance_uuid")

    # Nova's integer id, as /servers/{id}/migrations/{id} takes it.
    id: int | None = prop("id")  # type: ignore[assignment]
    uuid: str | None = prop("uuid")
    server_id: str | None = prop("instance_uuid")
    migration_type: str | None = prop("migration_type")
    status: str | None = prop("status")
    source_compute: str | None = prop("source_compute")
    source_node: str | None = prop("source_node")
    dest_compute: str | None = prop("dest_compute")
    dest_node: str | None = prop("dest_node")
    dest_host: str | None = prop("dest_host")
    old_flavor_id: int | None = prop("old_instance_type_id")
    new_flavor_id: int | None = prop("new_instance_type_id")
    project_id: str | None = prop("project_id")
    user_id: str | None = prop("user_id")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
    links: list | None = prop("links")  # in-progress live migrations
