"""Routers (with their interface actions and gateways) and floating IPs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query
from ...http import ApiError, json_response
from ...store import Record
from . import model
from ._common import (
    BOOL,
    DICTS,
    NULLABLE,
    ONCE,
    RO,
    NeutronCollection,
    bad,
    common,
    conflict,
    document,
    require_owner,
)
from .core import NETWORKS, PORTS, SUBNETS
from .quotas import check_quota

__all__ = ["FLOATINGIPS", "ROUTERS", "routes"]


# -- routers ---------------------------------------------------------------------------

class Routers(NeutronCollection):
    """Routers: a gateway on an external network, interfaces through their own actions;
    each shows its conntrack helpers (no ``service_type_id``: neutron-lib defines the
    ``router-service-type`` extension, Neutron 29 implements it nowhere)."""

    private = True  # the engine's render, so that ``shape`` adds the helpers

    def shape(self, ctx: Ctx, record: Record) -> Record:
        helpers = [{"protocol": h["protocol"], "port": h["port"], "helper": h["helper"]}
                   for h in ctx.store.table("conntrack_helpers").values()
                   if h["_parent"] == record["id"]]
        return {**record, "conntrack_helpers": helpers}

    def _flavor(self, ctx: Ctx, flavor_id: Any) -> None:
        """A router's ``flavor_id``: an enabled L3 flavor with a service profile."""
        if flavor_id is None:
            return
        flavor = ctx.store.table("network_flavors").get(str(flavor_id))
        if flavor is None:
            raise ApiError(404, f"Flavor {flavor_id} could not be found.",
                           type="FlavorNotFound")
        if flavor["service_type"] != "L3_ROUTER_NAT":
            raise bad(f"Invalid service type {flavor['service_type']} for a router's "
                      "flavor.", type="InvalidFlavorServiceType")
        if not flavor["enabled"]:
            raise bad(f"Flavor {flavor_id} is disabled.", type="FlavorDisabled")

    def gateway(self, ctx: Ctx, router: Record, info: dict[str, Any] | None) -> None:
        """Set, change or (``info`` empty) clear the router's external gateway."""
        store = ctx.store
        if not info:
            if router["external_gateway_info"] and any(
                    f["router_id"] == router["id"] for f in store.table("floatingips").values()):
                net_id = router["external_gateway_info"]["network_id"]
                raise conflict(f"Gateway cannot be updated for router {router['id']}, since "
                                f"a gateway to external network {net_id} is required by one "
                                "or more floating IPs.", "RouterExternalGatewayInUseByFloatingIp")
            model.set_router_gateway(store, router, None)
            return
        net_id = info.get("network_id")
        if not isinstance(net_id, str):
            raise bad("Invalid input for external_gateway_info. Reason: network_id is "
                      "required.")
        if not NETWORKS.get(ctx, net_id)["router:external"]:
            raise bad(f"Bad router request: Network {net_id} is not a valid external network.",
                      type="BadRequest")
        ips = info.get("external_fixed_ips")
        if ips is not None and not ctx.admin:
            raise self.dialect.forbidden("create_router:external_gateway_info:"
                                         "external_fixed_ips")
        model.set_router_gateway(store, router, net_id,
                                 enable_snat=bool(info.get("enable_snat", True)),
                                 fixed_ips=ips or None)

    def ndp_ready(self, ctx: Ctx, router: Record) -> None:
        """Neutron's ``_gateway_is_valid`` for ``enable_ndp_proxy``: a gateway with an IPv6
        address, on an external network with an IPv6 subnet and an IPv6 address scope."""
        gw = router["external_gateway_info"]
        net = ctx.store.table("networks").get(gw["network_id"]) if gw else None
        subnets = ctx.store.table("subnets")
        if not gw or net is None or not net.get("ipv6_address_scope") or not any(
                subnets.get(s, {}).get("ip_version") == 6 for s in net["subnets"]) or not any(
                ":" in ip["ip_address"] for ip in gw["external_fixed_ips"]):
            raise conflict(f"Can not enable ndp proxy on router {router['id']}, the router has "
                           "no external gateway or the external gateway port has no IPv6 "
                           "address or IPv6 address scope.", "RouterGatewayNotValid")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        for key in ("distributed", "ha"):
            if key in attrs and not ctx.admin:
                raise self.dialect.forbidden(f"create_router:{key}")
        self._flavor(ctx, attrs.get("flavor_id"))
        check_quota(ctx.store, project_id, "router")
        router = model.new_router(ctx.store, project_id=project_id, name=attrs.get("name", ""),
                                  description=attrs.get("description", ""),
                                  admin_state_up=attrs.get("admin_state_up", True),
                                  distributed=attrs.get("distributed", False),
                                  ha=attrs.get("ha", False))
        try:
            self.gateway(ctx, router, attrs.get("external_gateway_info"))
            if attrs.get("enable_ndp_proxy") is True:
                self.ndp_ready(ctx, router)
        except ApiError:
            del ctx.store.table("routers")[router["id"]]
            raise
        router["availability_zone_hints"] = attrs.get("availability_zone_hints", [])
        router["flavor_id"] = attrs.get("flavor_id")
        return router

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "external_gateway_info" in changes:
            self.gateway(ctx, record, changes.pop("external_gateway_info"))
        if changes.get("enable_ndp_proxy") is True:
            self.ndp_ready(ctx, record)
        for route in changes.get("routes", []):
            if set(route) != {"destination", "nexthop"}:
                raise bad(f"Invalid input for routes. Reason: '{route}' is not a valid route.")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if _interfaces(ctx, record):
            raise conflict(f"Router {record['id']} still has ports", "RouterInUse")
        self.gateway(ctx, record, None)


ROUTERS = Routers("router", "routers", fields=common({
    "admin_state_up": BOOL, "status": RO,
    "external_gateway_info": Field(type="dict", nullable=True), "routes": DICTS,
    "distributed": Field(type="bool", lenient=True, admin_only=True),
    "ha": Field(type="bool", lenient=True, admin_only=True),
    "availability_zone_hints": Field(type="list", items="str", item_max_length=255,
                                     create_only=True),
    "availability_zones": RO,
    "flavor_id": Field(max_length=255, nullable=True, create_only=True),
    "enable_ndp_proxy": BOOL, "conntrack_helpers": RO,
}))


def _interfaces(ctx: Ctx, router: Record) -> list[Record]:
    return [p for p in model.ports_of_device(ctx.store, router["id"])
            if p["device_owner"].startswith("network:router_interface")]


def _interface_info(router: Record, port: Record) -> Record:
    subnets = [ip["subnet_id"] for ip in port["fixed_ips"]]
    return {"id": router["id"], "tenant_id": router["project_id"],
            "project_id": router["project_id"], "port_id": port["id"],
            "network_id": port["network_id"], "subnet_id": subnets[0] if subnets else None,
            "subnet_ids": subnets, "tags": []}


async def _interface_request(request: Request, rule: str) -> tuple[Ctx, Record, dict[str, Any]]:
    """The router, checked for ``rule``, and the body naming one subnet or one port."""
    ctx = Ctx.of(request)
    router = ROUTERS.get(ctx, request.path_params["id"])
    require_owner(ctx, router, rule)
    body = await document(request)
    if not isinstance(body, dict):
        raise bad("Malformed request body")
    has_port, has_subnet = "port_id" in body, "subnet_id" in body
    if has_port == has_subnet:
        raise bad("Bad router request: Cannot specify both subnet-id and port-id." if has_port
                  else "Bad router request: Either subnet_id or port_id must be specified.",
                  type="BadRequest")
    key = "port_id" if has_port else "subnet_id"
    if not isinstance(body[key], str):
        raise bad(f"Invalid input for {key}. Reason: '{body[key]}' is not a valid UUID.")
    return ctx, router, body


async def add_interface(request: Request) -> Response:
    ctx, router, body = await _interface_request(request, "add_router_interface")
    store = ctx.store
    attached = {ip["subnet_id"] for p in _interfaces(ctx, router) for ip in p["fixed_ips"]}

    def unattached(subnet_id: str) -> None:
        if subnet_id in attached:
            raise bad(f"Bad router request: Router already has a port on subnet {subnet_id}.",
                      type="BadRequest")

    if "port_id" in body:
        port = PORTS.get(ctx, body["port_id"])
        if port["device_id"]:
            raise conflict(f"Unable to complete operation on port {port['id']} for network "
                            f"{port['network_id']}. Port already has an attached device "
                            f"{port['device_id']}.", "PortInUse")
        if not port["fixed_ips"]:
            raise bad("Bad router request: Router port must have at least one fixed IP.",
                      type="BadRequest")
        for ip in port["fixed_ips"]:
            unattached(ip["subnet_id"])
        port = model.add_router_interface(
            store, router, store.table("subnets")[port["fixed_ips"][0]["subnet_id"]], port)
    else:
        subnet = SUBNETS.get(ctx, body["subnet_id"])
        unattached(subnet["id"])
        if not subnet["gateway_ip"]:
            raise bad("Bad router request: Subnet for router interface must have a gateway "
                      "IP.", type="BadRequest")
        if subnet["gateway_ip"] in subnet["_used"]:
            raise conflict(f"IP address {subnet['gateway_ip']} already allocated in subnet "
                            f"{subnet['id']}", "IpAddressAlreadyAllocated")
        port = model.add_router_interface(store, router, subnet)
    model.stamp(router)
    return json_response(_interface_info(router, port))


async def remove_interface(request: Request) -> Response:
    ctx, router, body = await _interface_request(request, "remove_router_interface")
    store = ctx.store
    ports = _interfaces(ctx, router)
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
                                f"{body['subnet_id']}", type="RouterInterfaceNotFoundForSubnet")
    port = found[0]
    subnet_ids = {ip["subnet_id"] for ip in port["fixed_ips"]}
    all_ports = store.table("ports")
    for fip in store.table("floatingips").values():
        if fip["router_id"] == router["id"] and fip["port_id"] in all_ports and any(
                ip["subnet_id"] in subnet_ids for ip in all_ports[fip["port_id"]]["fixed_ips"]):
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

class FloatingIPs(NeutronCollection):
    """Floating IPs, listed through the index by project."""

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        pids = query.filters.get("project_id", []) + query.filters.get("tenant_id", [])
        if not pids:
            if ctx.admin:
                return None
            pids = [ctx.token.project_id or ""]
        fips, ix = ctx.store.table("floatingips"), model.index(ctx.store)
        return [fips[i] for p in dict.fromkeys(pids) for i in ix.fips_by_project.get(p, {})
                if i in fips]

    def hosting_router(self, ctx: Ctx, fip: Record, router_id: str) -> Record:
        """The router an operator names to host ``fip``'s NAT (``floating-ip-router-
        writable``): one the caller sees, with a gateway on the floating IP's network."""
        router = ROUTERS.get(ctx, router_id)
        gw = router["external_gateway_info"]
        if not gw or gw["network_id"] != fip["floating_network_id"]:
            raise bad(f"Bad floatingip request: router {router_id} has no external gateway "
                      f"on network {fip['floating_network_id']}.", type="BadRequest")
        return router

    def association(self, ctx: Ctx, fip: Record, port_id: str,
                    fixed_ip: str | None, router: Record | None = None) -> tuple[Record, str]:
        """The port ``fip`` would be bound to and the fixed IP, or Neutron's refusal
        (``router``: the one the request names, which need not be on the port's subnet)."""
        port = PORTS.get(ctx, port_id)
        v4 = [ip for ip in port["fixed_ips"] if ":" not in ip["ip_address"]]
        chosen = v4[0] if v4 and fixed_ip is None else next(
            (ip for ip in v4 if ip["ip_address"] == fixed_ip), None)
        if chosen is None:
            raise bad(f"Bad floatingip request: Port {port_id} does not have any IPv4 address."
                      if fixed_ip is None else f"Bad floatingip request: Port {port_id} does "
                      f"not have fixed ip {fixed_ip}.", type="BadRequest")
        fips = ctx.store.table("floatingips")
        for other_id in model.index(ctx.store).fips_by_port.get(port_id, {}):
            other = fips.get(other_id)
            if other and other["id"] != fip["id"] \
                    and other["fixed_ip_address"] == chosen["ip_address"]:
                raise conflict(
                    f"Cannot associate floating IP {fip['floating_ip_address']} ({fip['id']}) "
                    f"with port {port_id} using fixed IP {chosen['ip_address']}, as that fixed "
                    f"IP already has a floating IP on external network "
                    f"{other['floating_network_id']}.", "FloatingIPPortAlreadyAssociated")
        router = router or model.router_of_subnet(ctx.store, chosen["subnet_id"])
        gw = router and router["external_gateway_info"]
        if not gw or gw["network_id"] != fip["floating_network_id"]:
            raise ApiError(404, f"External network {fip['floating_network_id']} is not "
                                f"reachable from subnet {chosen['subnet_id']}.  Therefore, "
                                f"cannot associate Port {port_id} with a Floating IP.",
                           type="ExternalGatewayForFloatingIPNotFound")
        return port, chosen["ip_address"]

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        address = attrs.get("floating_ip_address")
        if address is not None and ":" in address:
            raise bad(f"Invalid input for floating_ip_address. Reason: '{address}' is not a "
                      "valid IPv4 address.")
        net = NETWORKS.get(ctx, attrs["floating_network_id"])
        if not net["router:external"]:
            raise bad(f"Bad floatingip request: Network {net['id']} is not a valid external "
                      "network.", type="BadRequest")
        if "floating_ip_address" in attrs and not ctx.admin:
            raise self.dialect.forbidden("create_floatingip:floating_ip_address")
        check_quota(ctx.store, project_id, "floatingip")
        port, fixed = None, None
        probe: Record = {"id": "", "floating_network_id": net["id"],
                         "floating_ip_address": None}
        router = self.hosting_router(ctx, probe, attrs["router_id"]) if attrs.get(
            "router_id") else None
        if attrs.get("port_id"):
            port, fixed = self.association(ctx, probe, attrs["port_id"],
                                           attrs.get("fixed_ip_address"), router)
        fip = model.new_floating_ip(ctx.store, project_id=project_id, port=port,
                                    floating_network_id=net["id"],
                                    floating_ip_address=address, fixed_ip_address=fixed,
                                    description=attrs.get("description", ""))
        fip.update({k: attrs[k] for k in ("dns_domain", "dns_name", "qos_policy_id")
                    if k in attrs})
        if router is not None:
            fip["router_id"] = router["id"]
        return fip

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        fixed = changes.pop("fixed_ip_address", None)
        router_id = changes.pop("router_id", None)
        router = self.hosting_router(ctx, record, router_id) if router_id else None
        if "port_id" in changes:
            port_id = changes.pop("port_id")
            if port_id and any(pf["_parent"] == record["id"] for pf in
                               ctx.store.table("port_forwardings").values()):
                raise conflict(f"Floating IP {record['id']} has port forwardings: it cannot "
                               "be associated with a port.", "FipInUseByPortForwarding")
            if port_id:
                port, fixed = self.association(ctx, record, port_id, fixed, router)
                model.associate_floating_ip(ctx.store, record, port, fixed)
            else:
                model.associate_floating_ip(ctx.store, record, None)
        if router is not None:
            record["router_id"] = router["id"]

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        forwardings = ctx.store.table("port_forwardings")
        for pf_id in [k for k, pf in forwardings.items() if pf["_parent"] == record["id"]]:
            del forwardings[pf_id]
        model.delete_floating_ip(ctx.store, record["id"])


FLOATINGIPS = FloatingIPs("floatingip", "floatingips", fields=common({
    "floating_network_id": Field(max_length=36, required=True, create_only=True),
    "floating_ip_address": Field(type="ip", create_only=True),
    "fixed_ip_address": Field(type="ip", nullable=True),
    "port_id": Field(max_length=36, nullable=True),
    "subnet_id": Field(max_length=36, nullable=True, create_only=True),
    "router_id": Field(max_length=36, nullable=True), "status": RO, "port_details": RO,
    "qos_policy_id": NULLABLE,
    "qos_network_policy_id": RO, "port_forwardings": RO,
    "dns_domain": ONCE, "dns_name": ONCE,
}, drop=("name",)))


def routes() -> list[BaseRoute]:
    return [*ROUTERS.routes(),
            Route("/v2.0/routers/{id}/add_router_interface", add_interface, methods=["PUT"]),
            Route("/v2.0/routers/{id}/remove_router_interface", remove_interface,
                  methods=["PUT"]),
            *FLOATINGIPS.routes()]
