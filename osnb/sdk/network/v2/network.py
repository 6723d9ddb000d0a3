"""Networks: L2 segments (Neutron ``/networks``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["Network"]


class Network(TagMixin, Resource):
    """An L2 network. Attribute names follow openstacksdk's ``Network``."""

    resource_key = "network"
    resources_key = "networks"
    base_path = "/networks"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "description", "fields", "name", "status", "project_id", "sort_key", "sort_dir", "id",
        ipv4_address_scope_id="ipv4_address_scope", ipv6_address_scope_id="ipv6_address_scope",
        is_admin_state_up="admin_state_up", is_port_security_enabled="port_security_enabled",
        is_router_external="router:external", is_shared="shared",
        provider_network_type="provider:network_type",
        provider_physical_network="provider:physical_network",
        provider_segmentation_id="provider:segmentation_id", **TAG_QUERY,
    )

    description: str | None = prop("description")
    status: str | None = prop("status")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    is_admin_state_up: bool | None = prop("admin_state_up")
    is_shared: bool | None = prop("shared")
    is_router_external: bool | None = prop("router:external", default=False)
    is_port_security_enabled: bool | None = prop("port_security_enabled", default=False)
    is_default: bool | None = prop("is_default")
    subnet_ids: list[str] | None = prop("subnets")
    mtu: int | None = prop("mtu")
    availability_zone_hints: list[str] | None = prop("availability_zone_hints")
    availability_zones: list[str] | None = prop("availability_zones")
    ipv4_address_scope_id: str | None = prop("ipv4_address_scope")
    ipv6_address_scope_id: str | None = prop("ipv6_address_scope")
    qos_policy_id: str | None = prop("qos_policy_id")
    dns_domain: str | None = prop("dns_domain")
    l2_adjacency: bool | None = prop("l2_adjacency")
    provider_network_type: str | None = prop("provider:network_type")
    provider_physical_network: str | None = prop("provider:physical_network")
    provider_segmentation_id: int | None = prop("provider:segmentation_id")
    segments: list | None = prop("segments")
    pvlan: bool | None = prop("pvlan")
    is_vlan_transparent: bool | None = prop("vlan_transparent")
    tags: list[str] | None = prop("tags")
    is_vlan_qinq: bool | None = prop("qinq", alias="vlan_qinq")  # api-ref: qinq
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
