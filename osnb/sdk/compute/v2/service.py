"""Compute services: nova-compute, nova-scheduler, … per host (Nova ``/os-services``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Service"]


class Service(Resource):
    """One Nova service on one host; disabling nova-compute stops scheduling to it."""

    resource_key = "service"
    resources_key = "services"
    base_path = "/os-services"
    service = "compute"
    allow_list = allow_update = allow_delete = True
    min_microversion = "2.53"  # UUID ids and PUT /os-services/{id}
    max_microversion = "2.69"
    wrap_requests = False  # PUT /os-services/{id} takes its fields unwrapped (core change)
    query = Query("binary", "host", name="binary")

    binary: str | None = prop("binary")
    name: str | None = prop("name", alias="binary")
    host: str | None = prop("host")
    availability_zone: str | None = prop("zone")
    state: str | None = prop("state")
    status: str | None = prop("status")
    disabled_reason: str | None = prop("disabled_reason")
    is_forced_down: bool | None = prop("forced_down")
    updated_at: datetime | None = prop("updated_at")
