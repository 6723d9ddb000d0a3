"""Hypervisors: the compute nodes servers run on (Nova ``/os-hypervisors``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Hypervisor"]


class Hypervisor(Resource):
    """A compute node, with its capacity and usage."""

    resource_key = "hypervisor"
    resources_key = "hypervisors"
    base_path = "/os-hypervisors"
    service = "compute"
    allow_retrieve = allow_list = True
    min_microversion = "2.53"  # UUID ids and the hostname-pattern filter
    # 2.88 drops vcpus/memory/disk usage (and the statistics) in favour of Placement;
    # openstacksdk negotiates 2.88, osnb stays at 2.87 where these fields are still sent
    # (osnb.analysis.capacity reads running_vms here; the README lists the difference).
    max_microversion = "2.88"  # 2.88: usage (vcpus_used, running_vms…) is placement's alone
    query = Query("hypervisor_hostname_pattern", "with_servers")

    name: str | None = prop("hypervisor_hostname")
    state: str | None = prop("state")
    status: str | None = prop("status")
    hypervisor_type: str | None = prop("hypervisor_type")
    hypervisor_version: int | None = prop("hypervisor_version")
    host_ip: str | None = prop("host_ip")
    service_details: dict | None = prop("service")
    cpu_info: dict | None = prop("cpu_info")
    servers: list[dict] | None = prop("servers")
    uptime: str | None = prop("uptime")
    # Usage, up to 2.87.
    vcpus: int | None = prop("vcpus")
    vcpus_used: int | None = prop("vcpus_used")
    memory_size: int | None = prop("memory_mb")
    memory_used: int | None = prop("memory_mb_used")
    memory_free: int | None = prop("free_ram_mb")
    local_disk_size: int | None = prop("local_gb")
    local_disk_used: int | None = prop("local_gb_used")
    local_disk_free: int | None = prop("free_disk_gb")
    disk_available: int | None = prop("disk_available_least")
    current_workload: int | None = prop("current_workload")
    running_vms: int | None = prop("running_vms")
