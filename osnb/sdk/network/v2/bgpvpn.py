"""BGPVPN: BGP VPNs and their network, router and port associations (Neutron
``/bgpvpn/…``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["BgpVpn", "BgpVpnNetworkAssociation", "BgpVpnPortAssociation",
           "BgpVpnRouterAssociation"]


class BgpVpn(Resource):
    """A BGP VPN (Neutron ``/bgpvpn/bgpvpns``)."""

    resource_key = "bgpvpn"
    resources_key = "bgpvpns"
    base_path = "/bgpvpn/bgpvpns"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "fields", "project_id", "local_pref", "vni", "type", "networks",
                  "routers", "ports")

    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    route_distinguishers: list | None = prop("route_distinguishers")
    route_targets: list | None = prop("route_targets")
    import_targets: list | None = prop("import_targets")
    export_targets: list | None = prop("export_targets")
    local_pref: Any = prop("local_pref")
    vni: Any = prop("vni")
    type: Any = prop("type")
    networks: list | None = prop("networks")
    routers: list | None = prop("routers")


class BgpVpnNetworkAssociation(Resource):
    """A network association (Neutron ``/bgpvpn/bgpvpns/%(bgpvpn_id)s/network_associations``)."""

    resource_key = "network_association"
    resources_key = "network_associations"
    base_path = "/bgpvpn/bgpvpns/%(bgpvpn_id)s/network_associations"
    service = "network"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    query = Query()

    bgpvpn_id: str | None = uri("bgpvpn_id")
    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    network_id: str | None = prop("network_id")


class BgpVpnRouterAssociation(Resource):
    """A router association (Neutron ``/bgpvpn/bgpvpns/%(bgpvpn_id)s/router_associations``)."""

    resource_key = "router_association"
    resources_key = "router_associations"
    base_path = "/bgpvpn/bgpvpns/%(bgpvpn_id)s/router_associations"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query()

    bgpvpn_id: str | None = uri("bgpvpn_id")
    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    router_id: str | None = prop("router_id")
    advertise_extra_routes: Any = prop("advertise_extra_routes")


class BgpVpnPortAssociation(Resource):
    """A port association (Neutron ``/bgpvpn/bgpvpns/%(bgpvpn_id)s/port_associations``)."""

    resource_key = "port_association"
    resources_key = "port_associations"
    base_path = "/bgpvpn/bgpvpns/%(bgpvpn_id)s/port_associations"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query()

    bgpvpn_id: str | None = uri("bgpvpn_id")
    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    port_id: str | None = prop("port_id")
    advertise_fixed_ips: Any = prop("advertise_fixed_ips")
    routes: list | None = prop("routes")
