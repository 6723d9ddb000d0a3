"""Snapshots: point-in-time copies of volumes (Cinder ``/snapshots``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, prop
from ._metadata import _HasMetadata

__all__ = ["Snapshot"]


class Snapshot(_HasMetadata):
    """A volume snapshot. Attribute names follow openstacksdk's ``Snapshot``."""

    resource_key = "snapshot"
    resources_key = "snapshots"
    base_path = "/snapshots"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.65"
    query = Query("name", "status", "volume_id", "project_id", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    size: int | None = prop("size")
    volume_id: str | None = prop("volume_id")
    project_id: str | None = prop("os-extended-snapshot-attributes:project_id")
    progress: str | None = prop("os-extended-snapshot-attributes:progress")
    user_id: str | None = prop("user_id")
    metadata: dict | None = prop("metadata")
    group_snapshot_id: str | None = prop("group_snapshot_id")
    consumes_quota: bool | None = prop("consumes_quota")
    is_forced: bool | None = prop("force", request_only=True)
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def reset_status(self, session: Any, status: str) -> None:
        """Overwrite the status (admin)."""
        self._action(session, {"os-reset_status": {"status": status}})

    def set_status(self, session: Any, status: str, progress: str | None = None) -> None:
        """Move an assisted snapshot on (``creating`` → ``available``; Nova)."""
        body: dict[str, Any] = {"status": status}
        if progress is not None:
            body["progress"] = progress
        self._action(session, {"os-update_snapshot_status": body})

    def force_delete(self, session: Any) -> None:
        self._action(session, {"os-force_delete": {}})

    def unmanage(self, session: Any) -> None:
        """Let go of the snapshot (admin); it stays on the backend, manageable."""
        self._action(session, {"os-unmanage": {}})

    @classmethod
    def manage(cls, session: Any, **attrs: Any) -> Snapshot:
        """Adopt a snapshot of a backend (admin): ``volume_id``, ``ref``, ``name``…"""
        response = session.post("/manageable_snapshots", json={"snapshot": attrs},
                                **cls._request_args(session))
        made = cls()
        made._absorb(response, session)
        return made
