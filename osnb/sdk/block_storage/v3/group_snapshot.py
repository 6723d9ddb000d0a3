"""Group snapshots (Cinder ``/group_snapshots``, 3.14): a snapshot of each volume of a
group, taken together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["GroupSnapshot"]


class GroupSnapshot(Resource):
    """Names follow openstacksdk's ``GroupSnapshot``."""

    resource_key = "group_snapshot"
    resources_key = "group_snapshots"
    base_path = "/group_snapshots"
    service = "block-storage"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "3.14"
    max_microversion = "3.29"
    query = Query("name", "status", "group_id", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    group_id: str | None = prop("group_id")
    group_type_id: str | None = prop("group_type_id")
    project_id: str | None = prop("project_id")
    created_at: datetime | None = prop("created_at")

    def reset_status(self, session: Any, status: str) -> None:
        self._action(session, {"reset_status": {"status": status}})
