"""VPNaaS: IKE and IPsec policies, VPN services, endpoint groups and IPsec site
connections (Neutron ``/vpn/…``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["VpnEndpointGroup", "VpnIPSecSiteConnection", "VpnIkePolicy", "VpnIpsecPolicy",
           "VpnService"]


class VpnIkePolicy(Resource):
    """An IKE policy (Neutron ``/vpn/ikepolicies``)."""

    resource_key = "ikepolicy"
    resources_key = "ikepolicies"
    base_path = "/vpn/ikepolicies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("auth_algorithm", "description", "fields", "encryption_algorithm",
                  "ike_version", "name", "pfs", "project_id", "phase1_negotiation_mode")

    name: str | None = prop("name")
    auth_algorithm: Any = prop("auth_algorithm")
    description: str | None = prop("description")
    encryption_algorithm: Any = prop("encryption_algorithm")
    ike_version: Any = prop("ike_version")
    lifetime: dict | None = prop("lifetime")
    pfs: Any = prop("pfs")
    project_id: str | None = prop("project_id", alias="tenant_id")
    phase1_negotiation_mode: Any = prop("phase1_negotiation_mode")
    units: Any = prop("units")
    value: int | None = prop("value")


class VpnIpsecPolicy(Resource):
    """An IPsec policy (Neutron ``/vpn/ipsecpolicies``)."""

    resource_key = "ipsecpolicy"
    resources_key = "ipsecpolicies"
    base_path = "/vpn/ipsecpolicies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("auth_algorithm", "description", "fields", "encapsulation_mode",
                  "encryption_algorithm", "name", "pfs", "project_id",
                  "phase1_negotiation_mode", "transform_protocol")

    name: str | None = prop("name")
    auth_algorithm: Any = prop("auth_algorithm")
    description: str | None = prop("description")
    encapsulation_mode: Any = prop("encapsulation_mode")
    encryption_algorithm: Any = prop("encryption_algorithm")
    lifetime: dict | None = prop("lifetime")
    pfs: Any = prop("pfs")
    project_id: str | None = prop("project_id", alias="tenant_id")
    phase1_negotiation_mode: Any = prop("phase1_negotiation_mode")
    transform_protocol: Any = prop("transform_protocol")
    units: Any = prop("units")
    value: int | None = prop("value")


class VpnService(Resource):
    """A VPN service (Neutron ``/vpn/vpnservices``)."""

    resource_key = "vpnservice"
    resources_key = "vpnservices"
    base_path = "/vpn/vpnservices"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "fields", "external_v4_ip", "external_v6_ip", "name",
                  "router_id", "project_id", "tenant_id", "subnet_id",
                  is_admin_state_up="admin_state_up")

    name: str | None = prop("name")
    description: str | None = prop("description")
    external_v4_ip: Any = prop("external_v4_ip")
    external_v6_ip: Any = prop("external_v6_ip")
    is_admin_state_up: bool | None = prop("admin_state_up")
    flavor_id: str | None = prop("flavor_id")
    router_id: str | None = prop("router_id")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    status: str | None = prop("status")
    subnet_id: str | None = prop("subnet_id")


class VpnEndpointGroup(Resource):
    """A endpoint group (Neutron ``/vpn/endpoint-groups``)."""

    resource_key = "endpoint_group"
    resources_key = "endpoint_groups"
    base_path = "/vpn/endpoint-groups"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "fields", "name", "project_id", "tenant_id",
                  type="endpoint_type")

    name: str | None = prop("name")
    description: str | None = prop("description")
    endpoints: list | None = prop("endpoints")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    type: Any = prop("type")


class VpnIPSecSiteConnection(Resource):
    """An IPsec site connection (Neutron ``/vpn/ipsec-site-connections``)."""

    resource_key = "ipsec_site_connection"
    resources_key = "ipsec_site_connections"
    base_path = "/vpn/ipsec-site-connections"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("auth_mode", "description", "fields", "ikepolicy_id", "ipsecpolicy_id",
                  "initiator", "local_ep_group_id", "peer_address", "local_id", "mtu",
                  "name", "peer_id", "project_id", "psk", "peer_ep_group_id", "route_mode",
                  "vpnservice_id", "status", is_admin_state_up="admin_state_up")

    name: str | None = prop("name")
    action: Any = prop("action")
    auth_mode: Any = prop("auth_mode")
    description: str | None = prop("description")
    dpd: dict | None = prop("dpd")
    is_admin_state_up: bool | None = prop("admin_state_up")
    ikepolicy_id: str | None = prop("ikepolicy_id")
    initiator: Any = prop("initiator")
    ipsecpolicy_id: str | None = prop("ipsecpolicy_id")
    interval: int | None = prop("interval")
    local_ep_group_id: str | None = prop("local_ep_group_id")
    peer_address: Any = prop("peer_address")
    local_id: str | None = prop("local_id")
    mtu: int | None = prop("mtu")
    peer_id: str | None = prop("peer_id")
    peer_cidrs: list | None = prop("peer_cidrs")
    project_id: str | None = prop("project_id", alias="tenant_id")
    psk: Any = prop("psk", secret=True)
    peer_ep_group_id: str | None = prop("peer_ep_group_id")
    route_mode: Any = prop("route_mode")
    status: str | None = prop("status")
    timeout: int | None = prop("timeout")
    vpnservice_id: str | None = prop("vpnservice_id")
