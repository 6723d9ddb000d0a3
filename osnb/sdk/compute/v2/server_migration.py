"""Server migrations: a server's live migrations in progress (Nova
``/servers/{id}/migrations``, 2.23+), to watch, force to complete, or abort."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Resource, prop, uri

__all__ = ["ServerMigration"]


class ServerMigration(Resource):
    """One live migration of a server while it runs: how much memory and disk is copied.
    ``id`` is Nova's integer id (what the URL takes), ``uuid`` (2.59+) its UUID."""

    resource_key = "migration"
    resources_key = "migrations"
    base_path = "/servers/%(server_id)s/migrations"
    service = "compute"
    allow_retrieve = allow_list = allow_delete = True
    min_microversion = "2.23"
    max_microversion = "2.80"

    server_id: str | None = uri("server_id")
    id: int | None = prop("id")  # type: ignore[assignment]
    uuid: str | None = prop("uuid")
    server_uuid: str | None = prop("server_uuid")
    status: str | None = prop("status")
    source_compute: str | None = prop("source_compute")
    source_node: str | None = prop("source_node")
    dest_compute: str | None = prop("dest_compute")
    dest_node: str | None = prop("dest_node")
    dest_host: str | None = prop("dest_host")
    memory_total_bytes: int | None = prop("memory_total_bytes")
    memory_processed_bytes: int | None = prop("memory_processed_bytes")
    memory_remaining_bytes: int | None = prop("memory_remaining_bytes")
    disk_total_bytes: int | None = prop("disk_total_bytes")
    disk_processed_bytes: int | None = prop("disk_processed_bytes")
    disk_remaining_bytes: int | None = prop("disk_remaining_bytes")
    project_id: str | None = prop("project_id")
    user_id: str | None = prop("user_id")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def force_complete(self, session: Any) -> None:
        """Pause the guest so the copy converges now (2.22+)."""
        self._action(session, {"force_complete": None})
