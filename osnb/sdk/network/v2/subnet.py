"""Subnets: IP ranges on a network (Neutron ``/subnets``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["Subnet"]


class Subnet(TagMixin, Resource):
    """An IPv4 or IPv6 range. Attribute names follow openstacksdk's ``Subnet``."""

    resource_key = "subnet"
    resources_key = "subnets"
    base_path = "/subnets"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "cidr", "description", "fields", "gateway_ip", "id", "ip_version",
        "ipv6_address_mode", "ipv6_ra_mode", "name", "network_id", "segment_id",
        "dns_publish_fixed_ip", "project_id", "sort_key", "sort_dir",
        is_dhcp_enabled="enable_dhcp", subnet_pool_id="subnetpool_id",
        use_default_subnet_pool="use_default_subnetpool", **TAG_QUERY,
    )

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    network_id: str | None = prop("network_id")
    ip_version: int | None = prop("ip_version")
    cidr: str | None = prop("cidr")
    prefix_length: int | None = prop("prefixlen")
    gateway_ip: str | None = prop("gateway_ip")
    is_dhcp_enabled: bool | None = prop("enable_dhcp")
    allocation_pools: list[dict] | None = prop("allocation_pools")
    host_routes: list[dict] | None = prop("host_routes")
    dns_nameservers: list[str] | None = prop("dns_nameservers")
    dns_publish_fixed_ip: bool | None = prop("dns_publish_fixed_ip")
    ipv6_ra_mode: str | None = prop("ipv6_ra_mode")
    ipv6_address_mode: str | None = prop("ipv6_address_mode")
    subnet_pool_id: str | None = prop("subnetpool_id")
    use_default_subnet_pool: bool | None = prop("use_default_subnetpool")
    service_types: list[str] | None = prop("service_types")
    segment_id: str | None = prop("segment_id")
    tags: list[str] | None = prop("tags")
    is_router_external: bool | None = prop("router:external")  # of its network
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
