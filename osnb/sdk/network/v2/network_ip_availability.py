"""IP usage per network and subnet (Neutron ``/network-ip-availabilities``), admin only."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["NetworkIPAvailability"]


class NetworkIPAvailability(Resource):
    """Total and used addresses of one network; addressed by its network id."""

    resource_key = "network_ip_availability"
    resources_key = "network_ip_availabilities"
    base_path = "/network-ip-availabilities"
    service = "network"
    allow_retrieve = allow_list = True
    query = Query("fields", "ip_version", "network_id", "network_name", "project_id",
                  "sort_key", "sort_dir", name="network_name")

    network_id: str | None = prop("network_id", alternate_id=True)
    network_name: str | None = prop("network_name")
    name = network_name
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    total_ips: int | None = prop("total_ips")
    used_ips: int | None = prop("used_ips")
    subnet_ip_availability: list[dict] | None = prop("subnet_ip_availability")
    ip_availability_details: dict | None = prop("ip_availability_details")
