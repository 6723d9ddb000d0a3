"""Server diagnostics: what the hypervisor measures of a server (Nova
``/servers/{id}/diagnostics``, admin; the standard shape from 2.48)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ServerDiagnostics"]


class ServerDiagnostics(Resource):
    """CPU, memory, disk and NIC counters of one running server."""

    base_path = "/servers/%(server_id)s/diagnostics"
    service = "compute"
    allow_retrieve = True
    requires_id = False
    min_microversion = "2.48"
    max_microversion = "2.48"

    server_id: str | None = uri("server_id")
    has_config_drive: bool | None = prop("config_drive")
    state: str | None = prop("state")
    driver: str | None = prop("driver")
    hypervisor: str | None = prop("hypervisor")
    hypervisor_os: str | None = prop("hypervisor_os")
    uptime: int | None = prop("uptime")
    num_cpus: int | None = prop("num_cpus")
    num_disks: int | None = prop("num_disks")
    num_nics: int | None = prop("num_nics")
    memory_details: dict | None = prop("memory_details")
    cpu_details: list | None = prop("cpu_details")
    disk_details: list | None = prop("disk_details")
    nic_details: list | None = prop("nic_details")
