"""Usage: server hours per project over a period (Nova ``/os-simple-tenant-usage``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["ServerUsage", "Usage"]


class ServerUsage(Resource):
    """One server's share of a project's usage (``detailed`` listings, single gets)."""

    name: str | None = prop("name")
    instance_id: str | None = prop("instance_id")
    project_id: str | None = prop("tenant_id")
    flavor: str | None = prop("flavor")
    hours: float | None = prop("hours")
    vcpus: int | None = prop("vcpus")
    memory_mb: int | None = prop("memory_mb")
    local_gb: int | None = prop("local_gb")
    state: str | None = prop("state")
    started_at: datetime | None = prop("started_at")
    ended_at: datetime | None = prop("ended_at")
    uptime: int | None = prop("uptime")


class Usage(Resource):
    """A project's usage between ``start`` and ``stop``; the project id is its id."""

    resource_key = "tenant_usage"
    resources_key = "tenant_usages"
    base_path = "/os-simple-tenant-usage"
    service = "compute"
    allow_retrieve = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.75"
    query = Query("detailed", "start", "end")

    project_id: str | None = prop("tenant_id", alternate_id=True)
    start: datetime | None = prop("start")
    stop: datetime | None = prop("stop")
    total_hours: float | None = prop("total_hours")
    total_vcpus_usage: float | None = prop("total_vcpus_usage")
    total_memory_mb_usage: float | None = prop("total_memory_mb_usage")
    total_local_gb_usage: float | None = prop("total_local_gb_usage")
    server_usages: list[ServerUsage] | None = prop("server_usages")
