"""Cinder services: schedulers, volume and backup workers (``/os-services``), admin only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["LogLevel", "Service"]


class Service(Resource):
    """A ``cinder-*`` process on a host. Names follow openstacksdk's ``Service``."""

    resources_key = "services"
    base_path = "/os-services"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.32"
    query = Query("binary", "host")

    binary: str | None = prop("binary")
    name: str | None = prop("name", alias="binary")
    host: str | None = prop("host")
    availability_zone: str | None = prop("zone")
    status: str | None = prop("status")
    state: str | None = prop("state")
    disabled_reason: str | None = prop("disabled_reason")
    cluster: str | None = prop("cluster")
    replication_status: str | None = prop("replication_status")
    active_backend_id: str | None = prop("active_backend_id")
    is_frozen: bool | None = prop("frozen")
    backend_state: str | None = prop("backend_state")
    updated_at: datetime | None = prop("updated_at")

    def _put(self, session: Any, action: str, body: dict[str, Any]) -> Any:
        return session.put(f"{self.base_path}/{action}", json=body,
                           **self._request_args(session))

    def _toggle(self, session: Any, action: str, body: dict[str, Any]) -> Service:
        self._absorb(self._put(session, action, {"host": self.host, **body}), session)
        return self

    def enable(self, session: Any) -> Service:
        return self._toggle(session, "enable", {"binary": self.binary})

    def disable(self, session: Any, reason: str | None = None) -> Service:
        """Take the service out of scheduling (with a ``reason`` shown to admins)."""
        if reason is None:
            return self._toggle(session, "disable", {"binary": self.binary})
        return self._toggle(session, "disable-log-reason",
                            {"binary": self.binary, "disabled_reason": reason})

    def freeze(self, session: Any) -> Service:
        """Stop management operations on the backend (a volume service)."""
        self._put(session, "freeze", {"host": self.host})
        self._body["frozen"] = True
        return self

    def thaw(self, session: Any) -> Service:
        self._put(session, "thaw", {"host": self.host})
        self._body["frozen"] = False
        return self

    def failover(self, session: Any, cluster: str | None = None,
                 backend_id: str | None = None) -> Service:
        """Fail the backend over to ``backend_id`` (its replication target; ``default``
        comes back)."""
        body = {"host": self.host, "backend_id": backend_id}
        if cluster is not None:
            body["cluster"] = cluster
        self._put(session, "failover_host", body)
        return self

    @classmethod
    def set_log_levels(cls, session: Any, *, level: str, binary: str | None = None,
                       server: str | None = None, prefix: str | None = None) -> None:
        body = {"level": level, "binary": binary, "server": server, "prefix": prefix}
        session.put(f"{cls.base_path}/set-log", json={k: v for k, v in body.items() if v},
                    **cls._request_args(session))

    @classmethod
    def get_log_levels(cls, session: Any, *, binary: str | None = None,
                       server: str | None = None, prefix: str | None = None
                       ) -> list[dict[str, Any]]:
        """The services' log levels as records (``binary``, ``host``, ``levels``)."""
        body = {"binary": binary, "server": server, "prefix": prefix}
        response = session.put(f"{cls.base_path}/get-log",
                               json={k: v for k, v in body.items() if v},
                               **cls._request_args(session))
        levels: list[dict[str, Any]] = response.json()["log_levels"]
        return levels


class LogLevel(Resource):
    """The log levels of one service, by logger prefix (``/os-services/get-log``)."""

    resources_key = "log_levels"
    base_path = "/os-services/get-log"
    service = "block-storage"
    min_microversion = "3.32"
    max_microversion = "3.32"

    binary: str | None = prop("binary")
    host: str | None = prop("host")
    levels: dict | None = prop("levels")
