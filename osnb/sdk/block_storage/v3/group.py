"""Generic volume groups (Cinder ``/groups``, 3.13): volumes managed together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Group"]


class Group(Resource):
    """A group of volumes of its volume types. Names follow openstacksdk's ``Group``."""

    resource_key = "group"
    resources_key = "groups"
    base_path = "/groups"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_list = True
    min_microversion = "3.13"
    max_microversion = "3.38"
    query = Query("name", "status", "group_type", all_projects="all_tenants")

    availability_zone: str | None = prop("availability_zone")
    description: str | None = prop("description")
    status: str | None = prop("status")
    group_type: str | None = prop("group_type")
    volume_types: list | None = prop("volume_types")
    volumes: list | None = prop("volumes")
    group_snapshot_id: str | None = prop("group_snapshot_id")
    source_group_id: str | None = prop("source_group_id")
    replication_status: str | None = prop("replication_status")
    replication_targets: list | None = prop("replication_targets")
    project_id: str | None = prop("project_id")
    add_volumes: str | None = prop("add_volumes", request_only=True)
    remove_volumes: str | None = prop("remove_volumes", request_only=True)
    created_at: datetime | None = prop("created_at")

    def delete_group(self, session: Any, delete_volumes: bool = False) -> None:
        """Delete the group (and its volumes with ``delete_volumes``)."""
        self._action(session, {"delete": {"delete-volumes": delete_volumes}})

    def reset_status(self, session: Any, status: str) -> None:
        self._action(session, {"reset_status": {"status": status}})

    def enable_replication(self, session: Any) -> None:
        self._action(session, {"enable_replication": {}})

    def disable_replication(self, session: Any) -> None:
        self._action(session, {"disable_replication": {}})

    def failover_replication(self, session: Any, allowed_attached_volume: bool = False,
                             secondary_backend_id: str | None = None) -> None:
        self._action(session, {"failover_replication": {
            "allow_attached_volume": allowed_attached_volume,
            "secondary_backend_id": secondary_backend_id}})

    @classmethod
    def create_from_source(cls, session: Any, group_snapshot_id: str | None = None,
                           source_group_id: str | None = None, name: str | None = None,
                           description: str | None = None) -> Group:
        """A new group like a group snapshot's or another group (``/groups/action``)."""
        body = {"create-from-src": {"name": name, "description": description,
                                    "group_snapshot_id": group_snapshot_id,
                                    "source_group_id": source_group_id}}
        response = session.post(f"{cls.base_path}/action", json=body,
                                **cls._request_args(session))
        made = cls(id=None)
        made._absorb(response, session)
        return made
