"""The legacy consistency groups and their snapshots (``/consistencygroups``,
``/cgsnapshots``), which Cinder answers today from the generic groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["ConsistencyGroup", "ConsistencyGroupSnapshot"]


class ConsistencyGroup(Resource):
    """Names follow openstacksdk's ``ConsistencyGroup``; ``volume_types`` are ids."""

    resource_key = "consistencygroup"
    resources_key = "consistencygroups"
    base_path = "/consistencygroups"
    service = "block-storage"
    allow_create = allow_retrieve = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"
    query = Query(all_projects="all_tenants")

    availability_zone: str | None = prop("availability_zone")
    description: str | None = prop("description")
    status: str | None = prop("status")
    volume_types: list | str | None = prop("volume_types")
    """Read: the type ids; sent on create: names or ids, comma-separated (or a list)."""
    add_volumes: str | None = prop("add_volumes", request_only=True)
    remove_volumes: str | None = prop("remove_volumes", request_only=True)
    created_at: datetime | None = prop("created_at")

    def change(self, session: Any, **attrs: Any) -> None:
        """``name``, ``description``, ``add_volumes``, ``remove_volumes`` (``/update``)."""
        self._action(session, {"consistencygroup": attrs}, path="update", method="PUT")

    def delete_group(self, session: Any, force: bool = False) -> None:
        """Delete (with its volumes when ``force``)."""
        self._action(session, {"consistencygroup": {"force": force}}, path="delete")

    @classmethod
    def create_from_source(cls, session: Any, cgsnapshot_id: str | None = None,
                           source_cgid: str | None = None, name: str | None = None,
                           description: str | None = None) -> ConsistencyGroup:
        body = {k: v for k, v in (("cgsnapshot_id", cgsnapshot_id),
                                  ("source_cgid", source_cgid), ("name", name),
                                  ("description", description)) if v is not None}
        response = session.post(f"{cls.base_path}/create_from_src",
                                json={"consistencygroup-from-src": body},
                                **cls._request_args(session))
        made = cls()
        made._absorb(response, session)
        return made


class ConsistencyGroupSnapshot(Resource):
    """A cgsnapshot: a group snapshot seen through the legacy API."""

    resource_key = "cgsnapshot"
    resources_key = "cgsnapshots"
    base_path = "/cgsnapshots"
    service = "block-storage"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"
    query = Query(all_projects="all_tenants")

    consistencygroup_id: str | None = prop("consistencygroup_id")
    description: str | None = prop("description")
    status: str | None = prop("status")
    created_at: datetime | None = prop("created_at")
