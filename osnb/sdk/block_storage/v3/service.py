"""Cinder services: schedulers, volume and backup workers (``/os-services``), admin only."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Service"]


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
