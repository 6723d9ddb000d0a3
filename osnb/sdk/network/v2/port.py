"""Ports: attachment points of servers, routers and DHCP on a network (``/ports``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["Port"]


class Port(TagMixin, Resource):
    """A virtual NIC. Attribute names follow openstacksdk's ``Port``."""

    resource_key = "port"
    resources_key = "ports"
    base_path = "/ports"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "binding:host_id", "binding:profile", "binding:vif_details", "binding:vif_type",
        "binding:vnic_type", "description", "device_id", "device_owner", "fields",
        "fixed_ips", "id", "ip_address", "mac_address", "name", "network_id", "status",
        "subnet_id", "project_id", "security_groups", "sort_key", "sort_dir",
        tenant_id="project_id", is_admin_state_up="admin_state_up",
        is_port_security_enabled="port_security_enabled",
        security_group_ids="security_groups", binding_host_id="binding:host_id",
        binding_vnic_type="binding:vnic_type", **TAG_QUERY,
    )

    description: str | None = prop("description")
    is_mac_learning_enabled: bool | None = prop("mac_learning_enabled")
    hints: dict | None = prop("hints")
    status: str | None = prop("status")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    network_id: str | None = prop("network_id")
    is_admin_state_up: bool | None = prop("admin_state_up")
    mac_address: str | None = prop("mac_address")
    fixed_ips: list[dict] | None = prop("fixed_ips")
    device_id: str | None = prop("device_id")
    device_owner: str | None = prop("device_owner")
    device_profile: str | None = prop("device_profile")
    allowed_address_pairs: list[dict] | None = prop("allowed_address_pairs")
    extra_dhcp_opts: list[dict] | None = prop("extra_dhcp_opts")
    security_group_ids: list[str] | None = prop("security_groups")
    is_port_security_enabled: bool | None = prop("port_security_enabled", default=False)
    binding_host_id: str | None = prop("binding:host_id")
    binding_vnic_type: str | None = prop("binding:vnic_type")
    binding_profile: dict | None = prop("binding:profile")
    binding_vif_type: str | None = prop("binding:vif_type")
    binding_vif_details: dict | None = prop("binding:vif_details")
    qos_policy_id: str | None = prop("qos_policy_id")
    qos_network_policy_id: str | None = prop("qos_network_policy_id")
    dns_name: str | None = prop("dns_name")
    dns_domain: str | None = prop("dns_domain")
    dns_assignment: list[dict] | None = prop("dns_assignment")
    propagate_uplink_status: bool | None = prop("propagate_uplink_status")
    ip_allocation: str | None = prop("ip_allocation")
    resource_request: dict | None = prop("resource_request")
    data_plane_status: str | None = prop("data_plane_status")
    hardware_offload_type: str | None = prop("hardware_offload_type")
    numa_affinity_policy: str | None = prop("numa_affinity_policy")
    trunk_details: dict | None = prop("trunk_details")
    trusted: bool | None = prop("trusted")
    pvlan_type: str | None = prop("pvlan_type")
    pvlan_community: str | None = prop("pvlan_community")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
