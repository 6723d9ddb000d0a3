"""Clusters of Cinder services (``/clusters``, 3.7, admin): active-active backends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Cluster"]


class Cluster(Resource):
    """Names follow openstacksdk's ``Cluster``; the name is its id."""

    resource_key = "cluster"
    resources_key = "clusters"
    base_path = "/clusters"
    service = "block-storage"
    allow_retrieve = allow_list = True
    min_microversion = "3.7"
    max_microversion = "3.26"
    query = Query("name", "binary", "is_up", "disabled", "num_hosts", "num_down_hosts",
                  "replication_status", "frozen", "active_backend_id")

    name: str | None = prop("name", alternate_id=True)
    binary: str | None = prop("binary")
    state: str | None = prop("state")
    status: str | None = prop("status")
    disabled_reason: str | None = prop("disabled_reason")
    num_hosts: int | None = prop("num_hosts")
    num_down_hosts: int | None = prop("num_down_hosts")
    replication_status: str | None = prop("replication_status")
    frozen: bool | None = prop("frozen")
    active_backend_id: str | None = prop("active_backend_id")
    last_heartbeat: str | None = prop("last_heartbeat")  # "" for a cluster never heard of
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def _toggle(self, session: Any, action: str, reason: str | None = None) -> Cluster:
        body: dict[str, Any] = {"name": self.name, "binary": self.binary or "cinder-volume"}
        if reason is not None:
            body["disabled_reason"] = reason
        response = session.put(f"{self.base_path}/{action}", json=body,
                               **self._request_args(session))
        self._absorb(response, session)
        return self

    def enable(self, session: Any) -> Cluster:
        return self._toggle(session, "enable")

    def disable(self, session: Any, reason: str | None = None) -> Cluster:
        return self._toggle(session, "disable", reason)
