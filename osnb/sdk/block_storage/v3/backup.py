"""Backups: copies of volumes in the backup store (Cinder ``/backups``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Backup"]


class Backup(Resource):
    """A volume backup. Attribute names follow openstacksdk's ``Backup``."""

    resource_key = "backup"
    resources_key = "backups"
    base_path = "/backups"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.64"
    query = Query("name", "status", "volume_id", "project_id", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    size: int | None = prop("size")
    volume_id: str | None = prop("volume_id")
    volume_name: str | None = prop("volume_name")
    snapshot_id: str | None = prop("snapshot_id")
    project_id: str | None = prop("os-backup-project-attr:project_id")
    user_id: str | None = prop("user_id")
    availability_zone: str | None = prop("availability_zone")
    container: str | None = prop("container")
    object_count: int | None = prop("object_count")
    fail_reason: str | None = prop("fail_reason")
    is_incremental: bool | None = prop("is_incremental")
    has_dependent_backups: bool | None = prop("has_dependent_backups")
    force: bool | None = prop("force", request_only=True)
    encryption_key_id: str | None = prop("encryption_key_id")
    metadata: dict | None = prop("metadata")
    links: list | None = prop("links")
    data_timestamp: datetime | None = prop("data_timestamp")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def restore(self, session: Any, volume_id: str | None = None,
                name: str | None = None) -> dict[str, Any]:
        """Write the backup into ``volume_id`` (else a new volume, ``name``); the answer
        names the volume (``volume_id``, ``volume_name``)."""
        body = {k: v for k, v in (("volume_id", volume_id), ("name", name)) if v}
        answer: dict[str, Any] = self._action(session, {"restore": body},
                                              path="restore").json()["restore"]
        return answer

    def export(self, session: Any) -> dict[str, Any]:
        """The record a backup service needs to know it again (admin):
        ``backup_service``, ``backup_url``."""
        response = session.get(f"{self._item_path()}/export_record",
                               **self._request_args(session))
        record: dict[str, Any] = response.json()["backup-record"]
        return record

    @classmethod
    def import_record(cls, session: Any, service: str, url: str) -> Backup:
        """A backup made from an exported record (admin)."""
        response = session.post(f"{cls.base_path}/import_record", json={
            "backup-record": {"backup_service": service, "backup_url": url}},
            **cls._request_args(session))
        made = cls()
        made._absorb(response, session)
        return made

    def reset(self, session: Any, status: str) -> None:
        """Overwrite the status (admin)."""
        self._action(session, {"os-reset_status": {"status": status}})

    def force_delete(self, session: Any) -> None:
        self._action(session, {"os-force_delete": {}})
