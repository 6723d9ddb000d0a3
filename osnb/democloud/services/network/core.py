"""Networks, subnets and ports: the L2/L3 core of Neutron's API."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, auth, json_response, store_of
from ...store import Record, Store, Token
from . import model
from ._common import (
    COMMON,
    Kind,
    bad,
    body_of,
    check_attrs,
    conflict,
    get_handler,
    get_visible,
    ident,
    list_handler,
    show,
    v_any,
    v_bool,
    v_cidr,
    v_dict,
    v_int,
    v_ip,
    v_list,
    v_str,
    v_values,
)
from .quotas import check_quota

__all__ = ["NETWORK", "PORT", "SUBNET", "deny", "owner_of", "require_owner", "routes",
           "crud_routes"]


def deny(action: str) -> ApiError:
    return ApiError(403, f"rule:{action} is disallowed by policy", type="PolicyNotAuthorized")


def owner_of(token: Token, attrs: dict[str, Any]) -> str:
    """The project a new object belongs to (another project's only for admins)."""
    pid, tid = attrs.pop("project_id", None), attrs.pop("tenant_id", None)
    if pid and tid and pid != tid:
        raise bad("'project_id' and 'tenant_id' do not match")
    want = pid or tid or token.project_id or ""
    if want != token.project_id and not token.is_admin:
        raise bad("Specifying 'project_id' or 'tenant_id' other than the authenticated "
                  "project in request requires admin privileges")
    return str(want)


def require_owner(token: Token, record: Record, action: str) -> None:
    if not token.is_admin and record.get("project_id") != token.project_id:
        raise deny(action)


def _admin_only(token: Token, attrs: dict[str, Any], keys: Iterable[str], action: str) -> None:
    if token.is_admin:
        return
    for key in keys:
        if key in attrs and attrs[key] not in (False, None, ""):
            raise deny(f"{action}:{key}")


def _apply_tags(record: Record, attrs: dict[str, Any]) -> None:
    if "tags" in attrs:
        record["tags"] = list(dict.fromkeys(attrs.pop("tags")))


# -- networks --------------------------------------------------------------------------

def _net_visible(store: Store, token: Token, net: Record) -> bool:
    return bool(net["project_id"] == token.project_id or net["shared"]
                or net["router:external"])


PROVIDER = ("provider:network_type", "provider:physical_network", "provider:segmentation_id")
NETWORK = Kind(
    "network", "networks", "networks", "NetworkNotFound", "Network {id} could not be found.",
    frozenset(COMMON + ("admin_state_up", "status", "subnets", "shared", "router:external",
                        "mtu", "availability_zone_hints", "availability_zones",
                        "ipv4_address_scope", "ipv6_address_scope", "port_security_enabled",
                        "qos_policy_id", "dns_domain", "l2_adjacency", "is_default")
              + PROVIDER),
    admin_fields=frozenset(PROVIDER), visible=_net_visible)

_NET_ATTRS = {
    "name": v_str(), "description": v_str(), "admin_state_up": v_bool, "shared": v_bool,
    "router:external": v_bool, "mtu": v_int(68, 9216), "port_security_enabled": v_bool,
    "provider:network_type": v_values("flat", "vlan", "vxlan", "geneve", "gre", "local"),
    "provider:physical_network": v_str(64, nullable=True),
    "provider:segmentation_id": v_int(1, 16777215, nullable=True),
    "availability_zone_hints": v_list(v_str()), "dns_domain": v_str(),
    "qos_policy_id": v_str(nullable=True), "is_default": v_bool,
    "tenant_id": v_str(), "project_id": v_str(), "tags": v_list(v_str(60)),
}
_NET_UPDATE = {k: v for k, v in _NET_ATTRS.items()
               if k not in ("tenant_id", "project_id", "availability_zone_hints")}


async def create_network(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "network"), _NET_ATTRS)
    _admin_only(token, attrs, ("shared", "router:external", "is_default") + PROVIDER,
                "create_network")
    project_id = owner_of(token, attrs)
    check_quota(store, project_id, "network")
    net = model.new_network(
        store, project_id=project_id, name=attrs.get("name", ""),
        shared=attrs.get("shared", False), external=attrs.get("router:external", False),
        network_type=attrs.get("provider:network_type", "vxlan"),
        physical_network=attrs.get("provider:physical_network"),
        segmentation_id=attrs.get("provider:segmentation_id"),
        description=attrs.get("description", ""), mtu=attrs.get("mtu"),
        admin_state_up=attrs.get("admin_state_up", True),
        port_security_enabled=attrs.get("port_security_enabled", True),
        availability_zone_hints=attrs.get("availability_zone_hints"))
    net["is_default"] = attrs.get("is_default", False)
    for key in ("dns_domain", "qos_policy_id"):
        if key in attrs:
            net[key] = attrs[key]
    _apply_tags(net, attrs)
    return show(store, token, NETWORK, net, status=201)


async def update_network(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    net = get_visible(store, token, NETWORK, ident(request))
    attrs = check_attrs(await body_of(request, "network"), _NET_UPDATE)
    require_owner(token, net, "update_network")
    _admin_only(token, attrs, ("shared", "router:external", "is_default") + PROVIDER,
                "update_network")
    _apply_tags(net, attrs)
    net.update(attrs)
    model.stamp(net)
    return show(store, token, NETWORK, net)


async def delete_network(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    net = get_visible(store, token, NETWORK, ident(request))
    require_owner(token, net, "delete_network")
    ports = store.table("ports")
    on_net = [ports[i] for i in list(model.index(store).ports_by_network.get(net["id"], {}))
              if i in ports]
    if any(p["device_owner"] != "network:dhcp" for p in on_net):
        raise conflict(f"Unable to complete operation on network {net['id']}. There are one "
                       "or more ports still in use on the network.", "NetworkInUse")
    for port in on_net:
        model.delete_port(store, port["id"])
    for sid in net["subnets"]:
        store.table("subnets").pop(sid, None)
    del store.table("networks")[net["id"]]
    return json_response(None, 204)


# -- subnets ---------------------------------------------------------------------------

def _subnet_visible(store: Store, token: Token, subnet: Record) -> bool:
    if subnet["project_id"] == token.project_id:
        return True
    net = store.table("networks").get(subnet["network_id"])
    return bool(net and (net["shared"] or net["router:external"]))


SUBNET = Kind(
    "subnet", "subnets", "subnets", "SubnetNotFound", "Subnet {id} could not be found.",
    frozenset(COMMON + ("network_id", "ip_version", "cidr", "gateway_ip", "enable_dhcp",
                        "allocation_pools", "host_routes", "dns_nameservers",
                        "ipv6_ra_mode", "ipv6_address_mode", "subnetpool_id",
                        "service_types", "segment_id", "dns_publish_fixed_ip")),
    visible=_subnet_visible, private=True)

_V6_MODES = v_values("slaac", "dhcpv6-stateful", "dhcpv6-stateless", nullable=True)
_SUBNET_ATTRS = {
    "name": v_str(), "description": v_str(), "network_id": v_str(36),
    "ip_version": v_values(4, 6), "cidr": v_cidr, "gateway_ip": v_ip(nullable=True),
    "allocation_pools": v_list(v_dict), "dns_nameservers": v_list(v_ip()),
    "host_routes": v_list(v_dict), "enable_dhcp": v_bool,
    "ipv6_ra_mode": _V6_MODES, "ipv6_address_mode": _V6_MODES,
    "subnetpool_id": v_str(nullable=True), "use_default_subnetpool": v_bool,
    "prefixlen": v_int(0, 128), "segment_id": v_str(nullable=True),
    "service_types": v_list(v_str()), "dns_publish_fixed_ip": v_bool,
    "tenant_id": v_str(), "project_id": v_str(), "tags": v_list(v_str(60)),
}
_SUBNET_UPDATE = {k: _SUBNET_ATTRS[k] for k in (
    "name", "description", "gateway_ip", "dns_nameservers", "host_routes", "enable_dhcp",
    "service_types", "dns_publish_fixed_ip", "tags", "segment_id")}


def _check_pools(cidr: ipaddress.IPv4Network | ipaddress.IPv6Network,
                 pools: list[dict[str, Any]]) -> None:
    for pool in pools:
        try:
            start = ipaddress.ip_address(pool["start"])
            end = ipaddress.ip_address(pool["end"])
        except (KeyError, TypeError, ValueError):
            raise bad(f"Invalid input for allocation_pools. Reason: '{pool}' is not a valid "
                      "allocation pool.") from None
        if start not in cidr or end not in cidr or int(start) > int(end):
            raise bad(f"The allocation pool {pool['start']}-{pool['end']} spans beyond the "
                      f"subnet cidr {cidr}.", type="OutOfBoundsAllocationPool")


async def create_subnet(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "subnet"), _SUBNET_ATTRS)
    for required in ("network_id", "ip_version"):
        if required not in attrs:
            raise bad(f"Failed to parse request. Required attribute '{required}' not "
                      "specified")
    if attrs.get("subnetpool_id"):
        raise ApiError(404, f"Subnet pool {attrs['subnetpool_id']} could not be found.",
                       type="SubnetPoolNotFound")
    if "cidr" not in attrs:
        raise bad("Bad subnets request: a subnetpool must be specified in the absence of "
                  "a cidr.", type="BadRequest")
    net = get_visible(store, token, NETWORK, attrs["network_id"])
    require_owner(token, net, "create_subnet")
    cidr = ipaddress.ip_network(attrs["cidr"])
    if cidr.version != attrs["ip_version"]:
        raise bad(f"Invalid input for operation: Cidr {cidr} is not a valid IPv"
                  f"{attrs['ip_version']} subnet.", type="InvalidInput")
    subnets = store.table("subnets")
    for sid in net["subnets"]:
        other = subnets.get(sid)
        if other and ipaddress.ip_network(other["cidr"]).overlaps(cidr):
            raise bad(f"Invalid input for operation: Requested subnet with cidr: {cidr} for "
                      f"network: {net['id']} overlaps with another subnet.",
                      type="InvalidInput")
    gateway: Any = True
    if "gateway_ip" in attrs:
        gateway = attrs["gateway_ip"]
        if gateway is not None and ipaddress.ip_address(gateway) not in cidr:
            raise bad(f"Invalid input for operation: Gateway IP {gateway} is not in subnet "
                      f"{cidr}.", type="InvalidInput")
    pools = attrs.get("allocation_pools")
    if pools:
        _check_pools(cidr, pools)
    project_id = owner_of(token, attrs)
    check_quota(store, project_id, "subnet")
    subnet = model.new_subnet(
        store, network=net, cidr=str(cidr), name=attrs.get("name", ""),
        project_id=project_id, ip_version=attrs["ip_version"], gateway_ip=gateway,
        allocation_pools=pools, enable_dhcp=attrs.get("enable_dhcp", True),
        dns_nameservers=attrs.get("dns_nameservers"), host_routes=attrs.get("host_routes"),
        description=attrs.get("description", ""))
    for key in ("ipv6_ra_mode", "ipv6_address_mode", "segment_id", "service_types",
                "dns_publish_fixed_ip"):
        if key in attrs:
            subnet[key] = attrs[key]
    _apply_tags(subnet, attrs)
    return show(store, token, SUBNET, subnet, status=201)


async def update_subnet(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    subnet = get_visible(store, token, SUBNET, ident(request))
    attrs = check_attrs(await body_of(request, "subnet"), _SUBNET_UPDATE)
    require_owner(token, subnet, "update_subnet")
    gw = attrs.get("gateway_ip")
    if gw is not None and ipaddress.ip_address(gw) not in ipaddress.ip_network(subnet["cidr"]):
        raise bad(f"Invalid input for operation: Gateway IP {gw} is not in subnet "
                  f"{subnet['cidr']}.", type="InvalidInput")
    _apply_tags(subnet, attrs)
    subnet.update(attrs)
    model.stamp(subnet)
    return show(store, token, SUBNET, subnet)


async def delete_subnet(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    subnet = get_visible(store, token, SUBNET, ident(request))
    require_owner(token, subnet, "delete_subnet")
    ports = store.table("ports")
    users = [ports[i] for i in list(model.index(store).ports_by_network.get(
        subnet["network_id"], {})) if i in ports
        and any(ip["subnet_id"] == subnet["id"] for ip in ports[i]["fixed_ips"])]
    if any(p["device_owner"] != "network:dhcp" for p in users):
        raise conflict(f"Unable to complete operation on subnet {subnet['id']}: One or more "
                       "ports have an IP allocation from this subnet.", "SubnetInUse")
    for port in users:
        model.delete_port(store, port["id"])
    net = store.table("networks").get(subnet["network_id"])
    if net and subnet["id"] in net["subnets"]:
        net["subnets"].remove(subnet["id"])
    del store.table("subnets")[subnet["id"]]
    return json_response(None, 204)


# -- ports -----------------------------------------------------------------------------

BINDING_ADMIN = ("binding:host_id", "binding:profile", "binding:vif_type",
                 "binding:vif_details")


def _port_candidates(store: Store, token: Token,
                     filters: dict[str, list[str]]) -> Iterable[Record] | None:
    ix = model.index(store)
    ports = store.table("ports")
    buckets: list[dict[str, None]]
    if "device_id" in filters:
        buckets = [ix.ports_by_device.get(d, {}) for d in filters["device_id"]]
    elif "network_id" in filters:
        buckets = [ix.ports_by_network.get(n, {}) for n in filters["network_id"]]
    elif "project_id" in filters:
        buckets = [ix.ports_by_project.get(p, {}) for p in filters["project_id"]]
    elif not token.is_admin:
        buckets = [ix.ports_by_project.get(token.project_id or "", {})]
    else:
        return None
    seen: dict[str, None] = {}
    for bucket in buckets:
        seen.update(bucket)
    return [ports[i] for i in seen if i in ports]


PORT = Kind(
    "port", "ports", "ports", "PortNotFound", "Port {id} could not be found.",
    frozenset(COMMON + ("network_id", "admin_state_up", "mac_address", "fixed_ips",
                        "device_id", "device_owner", "status", "allowed_address_pairs",
                        "extra_dhcp_opts", "security_groups", "port_security_enabled",
                        "binding:vnic_type", "qos_policy_id", "qos_network_policy_id",
                        "dns_name", "dns_assignment", "propagate_uplink_status",
                        "ip_allocation", "resource_request") + BINDING_ADMIN),
    admin_fields=frozenset(BINDING_ADMIN), candidates=_port_candidates)

_MAC = re.compile(r"^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")


def v_mac(value: Any, name: str) -> Any:
    if not isinstance(value, str) or not _MAC.match(value):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid MAC address.")
    return value.lower()


_VNIC = v_values("normal", "direct", "macvtap", "baremetal", "direct-physical",
                 "virtio-forwarder", "smart-nic", "remote-managed", "vdpa")
_PORT_ATTRS = {
    "name": v_str(), "description": v_str(), "network_id": v_str(36),
    "admin_state_up": v_bool, "mac_address": v_mac, "fixed_ips": v_list(v_dict),
    "device_id": v_str(), "device_owner": v_str(), "security_groups": v_list(v_str(36)),
    "port_security_enabled": v_bool, "allowed_address_pairs": v_list(v_dict),
    "binding:host_id": v_str(), "binding:vnic_type": _VNIC, "binding:profile": v_dict,
    "extra_dhcp_opts": v_list(v_dict), "dns_name": v_str(), "dns_domain": v_str(),
    "qos_policy_id": v_str(nullable=True), "propagate_uplink_status": v_bool,
    "numa_affinity_policy": v_any, "tenant_id": v_str(), "project_id": v_str(),
    "tags": v_list(v_str(60)),
}
_PORT_UPDATE = {k: v for k, v in _PORT_ATTRS.items()
                if k not in ("network_id", "tenant_id", "project_id")}


def _check_fixed_ips(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        extra = set(entry) - {"subnet_id", "ip_address"}
        if extra or not entry:
            raise bad(f"Invalid input for fixed_ips. Reason: '{entry}' is not a valid "
                      "fixed IP request.")
        if "ip_address" in entry:
            v_ip()(entry["ip_address"], "fixed_ips")


def _check_groups(store: Store, token: Token, ids: list[str]) -> list[str]:
    groups = store.table("security_groups")
    for sg_id in ids:
        sg = groups.get(sg_id)
        if sg is None or not (token.is_admin or sg["project_id"] == token.project_id):
            raise ApiError(404, f"Security group {sg_id} does not exist",
                           type="SecurityGroupNotFound")
    return list(dict.fromkeys(ids))


def _check_mac(store: Store, network_id: str, mac: str) -> None:
    ports = store.table("ports")
    for pid in model.index(store).ports_by_network.get(network_id, {}):
        if pid in ports and ports[pid]["mac_address"] == mac:
            raise conflict(f"Unable to complete operation for network {network_id}. The mac "
                           f"address {mac} is in use.", "MacAddressInUse")


async def create_port(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "port"), _PORT_ATTRS)
    if "network_id" not in attrs:
        raise bad("Failed to parse request. Required attribute 'network_id' not specified")
    _admin_only(token, attrs, ("binding:host_id", "binding:profile"), "create_port")
    net = get_visible(store, token, NETWORK, attrs["network_id"])
    if net["router:external"] and not net["shared"] and not token.is_admin \
            and net["project_id"] != token.project_id:
        raise deny("create_port")
    project_id = owner_of(token, attrs)
    if "fixed_ips" in attrs:
        _check_fixed_ips(attrs["fixed_ips"])
    groups = _check_groups(store, token, attrs["security_groups"]) \
        if "security_groups" in attrs else None
    if attrs.get("port_security_enabled") is False and groups:
        raise bad("Port has security group associated. Cannot disable port security or ip "
                  "address until security group is removed",
                  type="PortSecurityAndIPRequiredForSecurityGroups")
    if "mac_address" in attrs:
        _check_mac(store, net["id"], attrs["mac_address"])
    check_quota(store, project_id, "port")
    owner = attrs.get("device_owner", "")
    host = attrs.get("binding:host_id") or None
    port = model.new_port(
        store, project_id=project_id, network_id=net["id"],
        device_id=attrs.get("device_id", ""), device_owner=owner,
        name=attrs.get("name", ""), host=host,
        status="ACTIVE" if host and owner.startswith(("compute:", "network:")) else "DOWN",
        mac_address=attrs.get("mac_address"), fixed_ips=attrs.get("fixed_ips"),
        security_groups=groups, admin_state_up=attrs.get("admin_state_up", True),
        port_security_enabled=attrs.get("port_security_enabled"),
        description=attrs.get("description", ""))
    for key in ("allowed_address_pairs", "binding:vnic_type", "binding:profile",
                "extra_dhcp_opts", "dns_name", "qos_policy_id", "propagate_uplink_status"):
        if key in attrs:
            port[key] = attrs[key]
    _apply_tags(port, attrs)
    return show(store, token, PORT, port, status=201)


def _replace_fixed_ips(store: Store, port: Record, wanted: list[dict[str, Any]]) -> None:
    network = store.table("networks")[port["network_id"]]
    held = {(ip["subnet_id"], ip["ip_address"]) for ip in port["fixed_ips"]}
    keep = [e for e in wanted if (e.get("subnet_id"), e.get("ip_address")) in held
            or any(e.get("ip_address") == a and "subnet_id" not in e for _, a in held)]
    kept = {e["ip_address"] for e in keep}
    new = [e for e in wanted if e not in keep]
    for sid, address in held:
        if address not in kept:
            model.release_ip(store, sid, address)
    try:
        added = model.allocate_fixed_ips(store, network, new) if new else []
    except ApiError:
        for sid, address in held:
            if address not in kept:
                model.allocate_ip(store.table("subnets")[sid], address)
        raise
    port["fixed_ips"] = [ip for ip in port["fixed_ips"] if ip["ip_address"] in kept] + added


async def update_port(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    port = get_visible(store, token, PORT, ident(request))
    attrs = check_attrs(await body_of(request, "port"), _PORT_UPDATE)
    require_owner(token, port, "update_port")
    _admin_only(token, attrs, ("binding:host_id", "binding:profile", "mac_address"),
                "update_port")
    if "fixed_ips" in attrs:
        _check_fixed_ips(attrs["fixed_ips"])
    if "security_groups" in attrs:
        attrs["security_groups"] = _check_groups(store, token, attrs["security_groups"])
    groups = attrs.get("security_groups", port["security_groups"])
    if attrs.get("port_security_enabled") is False and groups:
        raise bad("Port has security group associated. Cannot disable port security or ip "
                  "address until security group is removed",
                  type="PortSecurityAndIPRequiredForSecurityGroups")
    if "mac_address" in attrs and attrs["mac_address"] != port["mac_address"]:
        _check_mac(store, port["network_id"], attrs["mac_address"])
    if "fixed_ips" in attrs:
        _replace_fixed_ips(store, port, attrs.pop("fixed_ips"))
    old = dict(port)
    _apply_tags(port, attrs)
    port.update(attrs)
    if "binding:host_id" in attrs:
        port["binding:vif_type"] = "ovs" if port["binding:host_id"] else "unbound"
    model.reindex_port(store, port, old)
    model.stamp(port)
    return show(store, token, PORT, port)


async def delete_port(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    port = get_visible(store, token, PORT, ident(request))
    require_owner(token, port, "delete_port")
    if port["device_owner"] in ("network:router_interface", "network:router_gateway",
                                "network:floatingip", "network:router_interface_distributed"):
        raise conflict(f"Port {port['id']} cannot be deleted directly via the port API: has "
                       f"device owner {port['device_owner']}.", "L3PortInUse")
    model.delete_port(store, port["id"])
    return json_response(None, 204)


def crud_routes(kind: Kind, create: Any, update: Any, delete: Any) -> list[BaseRoute]:
    base = f"/v2.0/{kind.url}"
    out: list[BaseRoute] = []
    for path in (base, base + ".json"):
        out.append(Route(path, list_handler(kind), methods=["GET"]))
        if create is not None:
            out.append(Route(path, create, methods=["POST"]))
    out.append(Route(base + "/{id}", get_handler(kind), methods=["GET"]))
    if update is not None:
        out.append(Route(base + "/{id}", update, methods=["PUT"]))
    if delete is not None:
        out.append(Route(base + "/{id}", delete, methods=["DELETE"]))
    return out


def routes() -> list[BaseRoute]:
    return [*crud_routes(NETWORK, create_network, update_network, delete_network),
            *crud_routes(SUBNET, create_subnet, update_subnet, delete_subnet),
            *crud_routes(PORT, create_port, update_port, delete_port)]
