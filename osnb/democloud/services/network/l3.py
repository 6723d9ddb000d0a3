"""Routers (with interfaces and gateways) and floating IPs."""

from __future__ import annotations

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
    get_visible,
    ident,
    show,
    v_bool,
    v_dict,
    v_ip,
    v_list,
    v_str,
)
from .core import NETWORK, PORT, SUBNET, crud_routes, owner_of, require_owner
from .quotas import check_quota

__all__ = ["FLOATINGIP", "ROUTER", "routes"]

ROUTER = Kind(
    "router", "routers", "routers", "RouterNotFound", "Router {id} could not be found",
    frozenset(COMMON + ("admin_state_up", "status", "external_gateway_info", "routes",
                        "distributed", "ha", "availability_zone_hints", "availability_zones",
                        "flavor_id", "enable_ndp_proxy")),
    admin_fields=frozenset({"distributed", "ha"}))

_ROUTER_ATTRS = {
    "name": v_str(), "description": v_str(), "admin_state_up": v_bool,
    "external_gateway_info": lambda v, n: None if v is None else v_dict(v, n),
    "distributed": v_bool, "ha": v_bool, "availability_zone_hints": v_list(v_str()),
    "routes": v_list(v_dict), "flavor_id": v_str(nullable=True), "enable_ndp_proxy": v_bool,
    "tenant_id": v_str(), "project_id": v_str(), "tags": v_list(v_str(60)),
}
_ROUTER_UPDATE = {k: v for k, v in _ROUTER_ATTRS.items()
                  if k not in ("tenant_id", "project_id", "flavor_id",
                               "availability_zone_hints")}


def _gateway(store: Store, token: Token, router: Record, info: dict[str, Any] | None) -> None:
    if not info:
        fips = store.table("floatingips")
        if router["external_gateway_info"] and any(
                f["router_id"] == router["id"] for f in fips.values()):
            net_id = router["external_gateway_info"]["network_id"]
            raise conflict(f"Gateway cannot be updated for router {router['id']}, since a "
                           f"gateway to external network {net_id} is required by one or "
                           "more floating IPs.", "RouterExternalGatewayInUseByFloatingIp")
        model.set_router_gateway(store, router, None)
        return
    net_id = info.get("network_id")
    if not isinstance(net_id, str):
        raise bad("Invalid input for external_gateway_info. Reason: network_id is required.")
    net = get_visible(store, token, NETWORK, net_id)
    if not net["router:external"]:
        raise bad(f"Bad router request: Network {net_id} is not a valid external network.",
                  type="BadRequest")
    ips = info.get("external_fixed_ips")
    if ips is not None and not token.is_admin:
        raise ApiError(403, "rule:create_router:external_gateway_info:external_fixed_ips is "
                            "disallowed by policy", type="PolicyNotAuthorized")
    model.set_router_gateway(store, router, net_id, enable_snat=bool(info.get("enable_snat",
                                                                             True)),
                             fixed_ips=ips or None)


async def create_router(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "router"), _ROUTER_ATTRS)
    for key in ("distributed", "ha"):
        if key in attrs and not token.is_admin:
            raise ApiError(403, f"rule:create_router:{key} is disallowed by policy",
                           type="PolicyNotAuthorized")
    project_id = owner_of(token, attrs)
    check_quota(store, project_id, "router")
    router = model.new_router(store, project_id=project_id, name=attrs.get("name", ""),
                              description=attrs.get("description", ""),
                              admin_state_up=attrs.get("admin_state_up", True),
                              distributed=attrs.get("distributed", False),
                              ha=attrs.get("ha", False))
    try:
        _gateway(store, token, router, attrs.get("external_gateway_info"))
    except ApiError:
        del store.table("routers")[router["id"]]
        raise
    router["availability_zone_hints"] = attrs.get("availability_zone_hints", [])
    if attrs.get("tags"):
        router["tags"] = list(dict.fromkeys(attrs["tags"]))
    return show(store, token, ROUTER, router, status=201)


async def update_router(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    router = get_visible(store, token, ROUTER, ident(request))
    attrs = check_attrs(await body_of(request, "router"), _ROUTER_UPDATE)
    require_owner(token, router, "update_router")
    if "external_gateway_info" in attrs:
        _gateway(store, token, router, attrs.pop("external_gateway_info"))
    if "tags" in attrs:
        router["tags"] = list(dict.fromkeys(attrs.pop("tags")))
    for route in attrs.get("routes", []):
        if set(route) != {"destination", "nexthop"}:
            raise bad(f"Invalid input for routes. Reason: '{route}' is not a valid route.")
    router.update(attrs)
    model.stamp(router)
    return show(store, token, ROUTER, router)


def _interfaces(store: Store, router: Record) -> list[Record]:
    return [p for p in model.ports_of_device(store, router["id"])
            if p["device_owner"].startswith("network:router_interface")]


async def delete_router(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    router = get_visible(store, token, ROUTER, ident(request))
    require_owner(token, router, "delete_router")
    if _interfaces(store, router):
        raise conflict(f"Router {router['id']} still has ports", "RouterInUse")
    _gateway(store, token, router, None)
    del store.table("routers")[router["id"]]
    return json_response(None, 204)


def _interface_info(router: Record, port: Record) -> Record:
    subnets = [ip["subnet_id"] for ip in port["fixed_ips"]]
    return {"id": router["id"], "tenant_id": router["project_id"],
            "project_id": router["project_id"], "port_id": port["id"],
            "network_id": port["network_id"], "subnet_id": subnets[0] if subnets else None,
            "subnet_ids": subnets, "tags": []}


async def add_interface(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    router = get_visible(store, token, ROUTER, ident(request))
    require_owner(token, router, "add_router_interface")
    body = await _interface_body(request)
    attached = {ip["subnet_id"] for p in _interfaces(store, router) for ip in p["fixed_ips"]}
    if "port_id" in body:
        port = get_visible(store, token, PORT, body["port_id"])
        if port["device_id"]:
            raise conflict(f"Unable to complete operation on port {port['id']} for network "
                           f"{port['network_id']}. Port already has an attached device "
                           f"{port['device_id']}.", "PortInUse")
        if not port["fixed_ips"]:
            raise bad("Bad router request: Router port must have at least one fixed IP.",
                      type="BadRequest")
        for ip in port["fixed_ips"]:
            if ip["subnet_id"] in attached:
                raise bad(f"Bad router request: Router already has a port on subnet "
                          f"{ip['subnet_id']}.", type="BadRequest")
        port = model.add_router_interface(
            store, router, store.table("subnets")[port["fixed_ips"][0]["subnet_id"]], port)
    else:
        subnet = get_visible(store, token, SUBNET, body["subnet_id"])
        if subnet["id"] in attached:
            raise bad(f"Bad router request: Router already has a port on subnet "
                      f"{subnet['id']}.", type="BadRequest")
        if not subnet["gateway_ip"]:
            raise bad("Bad router request: Subnet for router interface must have a gateway "
                      "IP.", type="BadRequest")
        if subnet["gateway_ip"] in subnet["_used"]:
            raise conflict(f"IP address {subnet['gateway_ip']} already allocated in subnet "
                           f"{subnet['id']}", "IpAddressAlreadyAllocated")
        port = model.add_router_interface(store, router, subnet)
    model.stamp(router)
    return json_response(_interface_info(router, port))


async def _interface_body(request: Request) -> dict[str, Any]:
    from ...http import json_body

    try:
        body = await json_body(request)
    except ApiError:
        raise bad("Malformed request body") from None
    if not isinstance(body, dict):
        raise bad("Malformed request body")
    has_port, has_subnet = "port_id" in body, "subnet_id" in body
    if has_port and has_subnet:
        raise bad("Bad router request: Cannot specify both subnet-id and port-id.",
                  type="BadRequest")
    if not has_port and not has_subnet:
        raise bad("Bad router request: Either subnet_id or port_id must be specified.",
                  type="BadRequest")
    key = "port_id" if has_port else "subnet_id"
    if not isinstance(body[key], str):
        raise bad(f"Invalid input for {key}. Reason: '{body[key]}' is not a valid UUID.")
    return body


async def remove_interface(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    router = get_visible(store, token, ROUTER, ident(request))
    require_owner(token, router, "remove_router_interface")
    body = await _interface_body(request)
    ports = _interfaces(store, router)
    if "port_id" in body:
        found = [p for p in ports if p["id"] == body["port_id"]]
        if not found:
            raise ApiError(404, f"Router {router['id']} does not have an interface with id "
                                f"{body['port_id']}", type="RouterInterfaceNotFound")
    else:
        found = [p for p in ports
                 if any(ip["subnet_id"] == body["subnet_id"] for ip in p["fixed_ips"])]
        if not found:
            raise ApiError(404, f"Router {router['id']} has no interface on subnet "
                                f"{body['subnet_id']}",
                           type="RouterInterfaceNotFoundForSubnet")
    port = found[0]
    subnet_ids = {ip["subnet_id"] for ip in port["fixed_ips"]}
    fips = store.table("floatingips")
    ports_table = store.table("ports")
    for fip in fips.values():
        if fip["router_id"] == router["id"] and fip["port_id"] in ports_table and any(
                ip["subnet_id"] in subnet_ids
                for ip in ports_table[fip["port_id"]]["fixed_ips"]):
            raise conflict(f"Router interface for subnet {sorted(subnet_ids)[0]} on router "
                           f"{router['id']} cannot be deleted, as it is required by one or "
                           "more floating IPs.", "RouterInterfaceInUseByFloatingIP")
    info = _interface_info(router, port)
    ix = model.index(store)
    for sid in subnet_ids:
        if ix.router_by_subnet.get(sid) == router["id"]:
            del ix.router_by_subnet[sid]
    model.delete_port(store, port["id"])
    model.stamp(router)
    return json_response(info)


# -- floating IPs ----------------------------------------------------------------------

def _fip_candidates(store: Store, token: Token,
                    filters: dict[str, list[str]]) -> list[Record] | None:
    if "project_id" in filters:
        pids = filters["project_id"]
    elif not token.is_admin:
        pids = [token.project_id or ""]
    else:
        return None
    fips, ix = store.table("floatingips"), model.index(store)
    return [fips[i] for p in dict.fromkeys(pids) for i in ix.fips_by_project.get(p, {})
            if i in fips]


FLOATINGIP = Kind(
    "floatingip", "floatingips", "floatingips", "FloatingIPNotFound",
    "Floating IP {id} could not be found",
    frozenset(c for c in COMMON if c != "name") | frozenset({
        "floating_network_id", "floating_ip_address", "fixed_ip_address", "port_id",
        "router_id", "status", "port_details", "dns_domain", "dns_name", "qos_policy_id",
        "qos_network_policy_id", "port_forwardings"}), candidates=_fip_candidates)

_FIP_ATTRS = {
    "floating_network_id": v_str(36), "floating_ip_address": v_ip(4),
    "port_id": v_str(36, nullable=True), "fixed_ip_address": v_ip(nullable=True),
    "subnet_id": v_str(36, nullable=True), "description": v_str(),
    "dns_domain": v_str(), "dns_name": v_str(), "qos_policy_id": v_str(nullable=True),
    "tenant_id": v_str(), "project_id": v_str(), "tags": v_list(v_str(60)),
}
_FIP_UPDATE = {k: _FIP_ATTRS[k] for k in ("port_id", "fixed_ip_address", "description",
                                          "qos_policy_id", "tags")}


def _association(store: Store, token: Token, fip: Record, port_id: str,
                 fixed_ip: str | None) -> tuple[Record, str]:
    port = get_visible(store, token, PORT, port_id)
    v4 = [ip for ip in port["fixed_ips"] if ":" not in ip["ip_address"]]
    if fixed_ip is None:
        if not v4:
            raise bad(f"Bad floatingip request: Port {port_id} does not have any IPv4 "
                      "address.", type="BadRequest")
        chosen = v4[0]
    else:
        match = [ip for ip in v4 if ip["ip_address"] == fixed_ip]
        if not match:
            raise bad(f"Bad floatingip request: Port {port_id} does not have fixed ip "
                      f"{fixed_ip}.", type="BadRequest")
        chosen = match[0]
    fips = store.table("floatingips")
    for other_id in model.index(store).fips_by_port.get(port_id, {}):
        other = fips.get(other_id)
        if other and other["id"] != fip["id"] \
                and other["fixed_ip_address"] == chosen["ip_address"]:
            raise conflict(f"Cannot associate floating IP {fip['floating_ip_address']} "
                           f"({fip['id']}) with port {port_id} using fixed IP "
                           f"{chosen['ip_address']}, as that fixed IP already has a "
                           f"floating IP on external network {other['floating_network_id']}.",
                           "FloatingIPPortAlreadyAssociated")
    router = model.router_of_subnet(store, chosen["subnet_id"])
    gw = router and router["external_gateway_info"]
    if not gw or gw["network_id"] != fip["floating_network_id"]:
        raise ApiError(404, f"External network {fip['floating_network_id']} is not reachable "
                            f"from subnet {chosen['subnet_id']}.  Therefore, cannot associate "
                            f"Port {port_id} with a Floating IP.",
                       type="ExternalGatewayForFloatingIPNotFound")
    return port, chosen["ip_address"]


async def create_fip(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "floatingip"), _FIP_ATTRS)
    if "floating_network_id" not in attrs:
        raise bad("Failed to parse request. Required attribute 'floating_network_id' not "
                  "specified")
    net = get_visible(store, token, NETWORK, attrs["floating_network_id"])
    if not net["router:external"]:
        raise bad(f"Bad floatingip request: Network {net['id']} is not a valid external "
                  "network.", type="BadRequest")
    if "floating_ip_address" in attrs and not token.is_admin:
        raise ApiError(403, "rule:create_floatingip:floating_ip_address is disallowed by "
                            "policy", type="PolicyNotAuthorized")
    project_id = owner_of(token, attrs)
    check_quota(store, project_id, "floatingip")
    probe: Record = {"id": "", "floating_network_id": net["id"], "floating_ip_address": None}
    port, fixed = (None, None)
    if attrs.get("port_id"):
        port, fixed = _association(store, token, probe, attrs["port_id"],
                                   attrs.get("fixed_ip_address"))
    fip = model.new_floating_ip(store, project_id=project_id, port=port,
                                floating_network_id=net["id"],
                                floating_ip_address=attrs.get("floating_ip_address"),
                                fixed_ip_address=fixed,
                                description=attrs.get("description", ""))
    for key in ("dns_domain", "dns_name", "qos_policy_id"):
        if key in attrs:
            fip[key] = attrs[key]
    if attrs.get("tags"):
        fip["tags"] = list(dict.fromkeys(attrs["tags"]))
    return show(store, token, FLOATINGIP, fip, status=201)


async def update_fip(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    fip = get_visible(store, token, FLOATINGIP, ident(request))
    attrs = check_attrs(await body_of(request, "floatingip"), _FIP_UPDATE)
    require_owner(token, fip, "update_floatingip")
    if "port_id" in attrs:
        if attrs["port_id"]:
            port, fixed = _association(store, token, fip, attrs["port_id"],
                                       attrs.get("fixed_ip_address"))
            model.associate_floating_ip(store, fip, port, fixed)
        else:
            model.associate_floating_ip(store, fip, None)
    for key in ("description", "qos_policy_id"):
        if key in attrs:
            fip[key] = attrs[key]
    if "tags" in attrs:
        fip["tags"] = list(dict.fromkeys(attrs["tags"]))
    model.stamp(fip)
    return show(store, token, FLOATINGIP, fip)


async def delete_fip(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    fip = get_visible(store, token, FLOATINGIP, ident(request))
    require_owner(token, fip, "delete_floatingip")
    model.delete_floating_ip(store, fip["id"])
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    return [*crud_routes(ROUTER, create_router, update_router, delete_router),
            Route("/v2.0/routers/{id}/add_router_interface", add_interface, methods=["PUT"]),
            Route("/v2.0/routers/{id}/remove_router_interface", remove_interface,
                  methods=["PUT"]),
            *crud_routes(FLOATINGIP, create_fip, update_fip, delete_fip)]
