"""Floating IP port forwardings, router conntrack helpers, NDP proxies and the floating IP
pools: what a router does for one address or one protocol.

A port forwarding sends a floating IP's ``external_port`` to a port's fixed IP and
``internal_port``. The floating IP must not be bound to a port itself (and cannot be
bound while it forwards), the internal port must sit on a subnet of a router whose
gateway is the floating IP's network; an external port is used once per floating IP and
protocol, an internal socket once (409s). The floating IP shows its forwardings
(``port_forwardings``) and the router it goes through (``router_id``).
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, auth, json_response
from ...store import Record, Store
from . import model
from ._common import RO, NeutronCollection, bad, common, conflict, matching
from ._nested import Nested
from .core import PORTS
from .l3 import FLOATINGIPS, ROUTERS

__all__ = ["CONNTRACK_HELPERS", "NDP_PROXIES", "PORT_FORWARDINGS", "routes", "seed"]

_NAMESPACE = uuid.UUID("8d0c4f6e-1b2a-4e7d-9c3f-5a6b7c8d9e01")
_PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
_PORT = Field(type="int", lenient=True, minimum=1, maximum=65535)


_SINGLE, _RANGED = ("internal_port", "external_port"), ("internal_port_range",
                                                       "external_port_range")


def _summary(pf: Record) -> Record:
    keys = _RANGED if "external_port_range" in pf else _SINGLE
    return {"protocol": pf["protocol"], "internal_ip_address": pf["internal_ip_address"],
            **{k: pf[k] for k in keys}}


def _span(text: Any, name: str) -> tuple[int, int]:
    """``"80:90"`` (or ``"80"``) as its first and last port, or Neutron's 400."""
    try:
        lo, _, hi = str(text).partition(":")
        first, last = int(lo), int(hi or lo)
    except ValueError:
        first = last = 0
    if not 1 <= first <= last <= 65535:
        raise bad(f"Invalid input for {name}. Reason: '{text}' is not a valid port range "
                  "(first:last, 1 through 65535).")
    return first, last


def _ports(pf: Record) -> tuple[tuple[int, int], tuple[int, int]]:
    """The internal and external port spans of a forwarding (one port: a span of one)."""
    if "external_port_range" in pf:
        return (_span(pf["internal_port_range"], "internal_port_range"),
                _span(pf["external_port_range"], "external_port_range"))
    return (pf["internal_port"], pf["internal_port"]), (pf["external_port"],
                                                        pf["external_port"])


def _checked_ports(pf: Record) -> None:
    """Single ports or ranges of one size, not a mix (Neutron's 400s)."""
    single = [k for k in _SINGLE if pf.get(k) is not None]
    ranged = [k for k in _RANGED if pf.get(k) is not None]
    if (single and ranged) or (len(single) != 2 and len(ranged) != 2):
        raise bad("Bad port_forwarding request: give internal_port and external_port, or "
                  "internal_port_range and external_port_range.", type="BadRequest")
    inner, outer = _ports(pf)
    if inner[1] - inner[0] != outer[1] - outer[0]:
        raise bad("Bad port_forwarding request: internal_port_range and "
                  "external_port_range must hold as many ports.", type="BadRequest")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _refresh_fip(store: Store, fip: Record) -> None:
    """The floating IP's view of its forwardings, and the router they go through."""
    mine = [pf for pf in store.table("port_forwardings").values()
            if pf["_parent"] == fip["id"]]
    fip["port_forwardings"] = [_summary(pf) for pf in mine]
    if not fip.get("port_id"):
        fip["router_id"] = mine[0]["_router_id"] if mine else None
        fip["status"] = "ACTIVE" if mine else "DOWN"


class PortForwardings(Nested):
    """A floating IP's port forwardings."""

    def _target(self, ctx: Ctx, fip: Record, port_id: str, address: Any) -> tuple[str, str]:
        """The internal fixed IP and the router that reaches it, or Neutron's refusal."""
        port = PORTS.get(ctx, port_id)
        v4 = [ip for ip in port["fixed_ips"] if ":" not in ip["ip_address"]]
        chosen = v4[0] if v4 and address is None else next(
            (ip for ip in v4 if ip["ip_address"] == address), None)
        if chosen is None:
            raise bad(f"Bad port_forwarding request: the internal IP address {address} does "
                      f"not belong to port {port_id}.", type="BadRequest")
        router = model.router_of_subnet(ctx.store, chosen["subnet_id"])
        gw = router and router["external_gateway_info"]
        if not gw or gw["network_id"] != fip["floating_network_id"]:
            raise ApiError(404, f"External network {fip['floating_network_id']} is not "
                           f"reachable from subnet {chosen['subnet_id']}.  Therefore, cannot "
                           f"associate Port {port_id} with a Floating IP.",
                           type="ExternalGatewayForFloatingIPNotFound")
        assert router is not None
        return chosen["ip_address"], router["id"]

    def _unique(self, ctx: Ctx, fip: Record, pf: Record, skip: str = "") -> None:
        """One external port per floating IP and protocol, one internal socket per
        protocol (ranges: no overlap)."""
        inner, outer = _ports(pf)
        for other in self.records(ctx.store).values():
            if other["id"] == skip or other["protocol"] != pf["protocol"]:
                continue
            o_inner, o_outer = _ports(other)
            if other["_parent"] == fip["id"] and _overlap(outer, o_outer):
                raise conflict(
                    "A duplicate port forwarding entry with same attributes already exists, "
                    f"conflicting values are {{'floatingip_id': '{fip['id']}', "
                    f"'external_port': {o_outer[0]}, 'protocol': '{pf['protocol']}'}}",
                    "NeutronDbObjectDuplicateEntry")
            if other["internal_ip_address"] == pf["internal_ip_address"] and \
                    _overlap(inner, o_inner):
                raise conflict(
                    f"A duplicate port forwarding entry with same attributes already exists, "
                    f"conflicting values are {{'internal_ip_address': "
                    f"'{pf['internal_ip_address']}', 'internal_port': {o_inner[0]}, "
                    f"'protocol': '{pf['protocol']}'}}", "NeutronDbObjectDuplicateEntry")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        fip = self.owner(ctx)
        if fip.get("port_id"):
            raise conflict(f"Floating IP {fip['id']} is associated with port "
                           f"{fip['port_id']}: a floating IP with port forwardings cannot "
                           "have a port.", "FipInUseByPortForwarding")
        address, router_id = self._target(ctx, fip, attrs["internal_port_id"],
                                          attrs.get("internal_ip_address"))
        pf: Record = {"id": self.dialect.new_id(), "protocol": attrs["protocol"],
                      "internal_ip_address": address,
                      "internal_port_id": attrs["internal_port_id"],
                      **{k: attrs[k] for k in (*_SINGLE, *_RANGED) if k in attrs},
                      "description": attrs.get("description", ""), "_parent": fip["id"],
                      "_router_id": router_id}
        _checked_ports(pf)
        self._unique(ctx, fip, pf)
        self.records(ctx.store)[pf["id"]] = pf
        _refresh_fip(ctx.store, fip)
        model.stamp(fip)
        return pf

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        fip = self.owner(ctx)
        wanted = {**record, **changes}
        for given, other in ((_SINGLE, _RANGED), (_RANGED, _SINGLE)):
            if any(k in changes for k in given):  # switching to ports or to ranges
                for key in other:
                    if key not in changes:
                        wanted.pop(key, None)
                        record.pop(key, None)
        _checked_ports(wanted)
        if "internal_port_id" in changes or "internal_ip_address" in changes:
            address = changes.get("internal_ip_address")
            if address is None and changes.get("internal_port_id") in (
                    None, record["internal_port_id"]):
                address = record["internal_ip_address"]
            wanted["internal_ip_address"], wanted["_router_id"] = self._target(
                ctx, fip, wanted["internal_port_id"], address)
        self._unique(ctx, fip, wanted, skip=record["id"])
        changes.update({k: wanted[k] for k in ("internal_ip_address", "_router_id")})
        record.update(changes)
        _refresh_fip(ctx.store, fip)
        model.stamp(fip)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        fip = ctx.store.table("floatingips").get(record["_parent"])
        self.records(ctx.store).pop(record["id"], None)
        if fip is not None:
            _refresh_fip(ctx.store, fip)
            model.stamp(fip)


PORT_FORWARDINGS = PortForwardings(
    "port_forwarding", "port_forwardings", table="port_forwardings",
    path="floatingips/{floatingip_id}/port_forwardings", parent=FLOATINGIPS,
    param="floatingip_id",
    missing=("PortForwardingNotFound", "Port Forwarding {id} could not be found."),
    rules={"create": "create_floatingip_port_forwarding",
           "update": "update_floatingip_port_forwarding",
           "delete": "delete_floatingip_port_forwarding"},
    fields={"id": RO, "description": Field(max_length=255),
            "protocol": Field(type="any", choices=_PROTOCOLS, required=True),
            "internal_ip_address": Field(type="ip"),
            "internal_port": _PORT, "external_port": _PORT,
            "internal_port_range": Field(max_length=11),
            "external_port_range": Field(max_length=11),
            "internal_port_id": Field(max_length=36, required=True)})


# -- conntrack helpers -------------------------------------------------------------------

class ConntrackHelpers(Nested):
    """A router's conntrack helpers: one per helper, protocol and port."""

    def _unique(self, ctx: Ctx, router: Record, helper: Record, skip: str = "") -> None:
        for other in self.records(ctx.store).values():
            if other["_parent"] == router["id"] and other["id"] != skip and all(
                    other[k] == helper[k] for k in ("protocol", "port", "helper")):
                raise conflict(
                    "A duplicate conntrack helper entry with same attributes already exists, "
                    f"conflicting values are {{'router_id': '{router['id']}', 'protocol': "
                    f"'{helper['protocol']}', 'port': {helper['port']}, 'helper': "
                    f"'{helper['helper']}'}}", "NeutronDbObjectDuplicateEntry")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        router = self.owner(ctx)
        helper: Record = {"id": self.dialect.new_id(), "protocol": attrs["protocol"],
                          "port": attrs["port"], "helper": attrs["helper"],
                          "_parent": router["id"]}
        self._unique(ctx, router, helper)
        model.stamp(router)
        return helper

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self._unique(ctx, self.owner(ctx), {**record, **changes}, skip=record["id"])


CONNTRACK_HELPERS = ConntrackHelpers(
    "conntrack_helper", "conntrack_helpers", table="conntrack_helpers",
    path="routers/{router_id}/conntrack_helpers", parent=ROUTERS, param="router_id",
    missing=("ConntrackHelperNotFound", "Conntrack Helper {id} could not be found."),
    rules={a: f"{a}_router_conntrack_helper" for a in ("create", "update", "delete")},
    fields={"id": RO, "protocol": Field(type="any", choices=("tcp", "udp", "icmp",
                                                             "ipv6-icmp"), required=True),
            "port": Field(type="int", lenient=True, minimum=1, maximum=65535,
                          required=True),
            "helper": Field(max_length=64, required=True)})


# -- NDP proxies -------------------------------------------------------------------------

class NdpProxies(NeutronCollection):
    """Publishing one IPv6 address of a port behind a router to the external network."""

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        router = ROUTERS.get(ctx, attrs["router_id"])
        port = PORTS.get(ctx, attrs["port_id"])
        if not router.get("enable_ndp_proxy"):
            raise conflict(f"The enable_ndp_proxy parameter of router {router['id']} must "
                           "be set as True while create ndp proxy entry.",
                           "RouterNDPProxyNotEnable")
        if not router.get("external_gateway_info"):
            raise conflict(f"The external gateway of router {router['id']} is not set: an "
                           "NDP proxy needs one.", "RouterGatewayNotSet")
        v6 = [ip for ip in port["fixed_ips"] if ":" in ip["ip_address"]]
        address = attrs.get("ip_address")
        chosen = next((ip for ip in v6 if address in (None, ip["ip_address"])), None)
        if chosen is None:
            raise bad(f"Bad ndp_proxy request: the port {port['id']} has no IPv6 address "
                      f"{address or ''}".rstrip() + ".", type="BadRequest")
        if (model.router_of_subnet(ctx.store, chosen["subnet_id"]) or {}).get("id") != \
                router["id"]:
            raise conflict(f"The port {port['id']} cannot reach the router {router['id']} by "
                           "IPv6 subnet.", "PortUnreachableRouter")
        external = ctx.store.table("networks")[router["external_gateway_info"]["network_id"]]
        subnet = ctx.store.table("subnets")[chosen["subnet_id"]]
        pool = ctx.store.table("subnetpools").get(subnet.get("subnetpool_id") or "")
        inside = pool["address_scope_id"] if pool else None
        if external.get("ipv6_address_scope") != inside:
            # routed, not NATed: both sides must be in one IPv6 address scope
            raise conflict(f"The IPv6 address scope {external.get('ipv6_address_scope')} of "
                           f"external network conflict with internal network's IPv6 address "
                           f"scope {inside}.", "AddressScopeConflict")
        for other in self.records(ctx.store).values():
            if other["ip_address"] == chosen["ip_address"]:
                raise conflict(f"The address {chosen['ip_address']} already has NDP proxy "
                               f"{other['id']}.", "NdpProxyAlreadyExists")
        ts = model.timestamp()
        return {"id": self.dialect.new_id(), "name": attrs.get("name", ""),
                "description": attrs.get("description", ""), "router_id": router["id"],
                "port_id": port["id"], "ip_address": chosen["ip_address"],
                "project_id": project_id, "tenant_id": project_id, "created_at": ts,
                "updated_at": ts, "revision_number": 0}


NDP_PROXIES = NdpProxies("ndp_proxy", "ndp_proxies", tags=False, fields=common({
    "router_id": Field(max_length=36, required=True, create_only=True),
    "port_id": Field(max_length=36, required=True, create_only=True),
    "ip_address": Field(type="ip", create_only=True)}, drop=("tags",)))


# -- floating IP pools -------------------------------------------------------------------

async def floatingip_pools(request: Request) -> Response:
    """The subnets of the external networks the caller sees: where floating IPs come
    from."""
    ctx = Ctx.of(request)
    subnets = ctx.store.table("subnets")
    pools = []
    for net in ctx.store.table("networks").values():
        if not net.get("router:external"):
            continue
        for sid in net["subnets"]:
            s = subnets.get(sid)
            if s is None or s["ip_version"] != 4:
                continue
            pools.append({"subnet_id": sid, "subnet_name": s["name"],
                          "network_id": net["id"], "cidr": s["cidr"],
                          "project_id": s["project_id"], "tenant_id": s["project_id"]})
    return json_response({"floatingip_pools": matching(request, pools, (
        "subnet_id", "subnet_name", "network_id", "cidr", "project_id", "tenant_id"))})


def seed(store: Store) -> None:
    """A floating IP forwarding SSH to an unattached port of a project with a router, and
    an FTP helper on the first router (ids derived from theirs: no random draw)."""
    routers = store.table("routers")
    if routers:
        first = next(iter(routers))
        ct_id = str(uuid.uuid5(_NAMESPACE, f"ct:{first}"))
        store.table("conntrack_helpers")[ct_id] = {
            "id": ct_id, "protocol": "tcp", "port": 21, "helper": "ftp", "_parent": first}
    ports_of: dict[str, list[Record]] = {}
    for port in store.table("ports").values():
        if not port["device_owner"] and port["fixed_ips"]:
            ports_of.setdefault(port["project_id"], []).append(port)
    fips = store.table("floatingips")
    for fip_id in list(fips):
        fip = fips[fip_id]
        if fip.get("port_id"):
            continue
        for port in ports_of.get(fip["project_id"], []):
            ip = port["fixed_ips"][0]
            router = model.router_of_subnet(store, ip["subnet_id"])
            gw = router and router["external_gateway_info"]
            if not gw or gw["network_id"] != fip["floating_network_id"]:
                continue
            assert router is not None
            pf_id = str(uuid.uuid5(_NAMESPACE, f"pf:{port['id']}"))
            store.table("port_forwardings")[pf_id] = {
                "id": pf_id, "protocol": "tcp", "internal_ip_address": ip["ip_address"],
                "internal_port": 22, "internal_port_id": port["id"], "external_port": 2222,
                "description": "SSH to the jump host", "_parent": fip["id"],
                "_router_id": router["id"]}
            _refresh_fip(store, fip)
            return


def routes() -> list[BaseRoute]:
    async def pools(request: Request) -> Response:
        auth(request)
        return await floatingip_pools(request)
    return [*PORT_FORWARDINGS.routes(), *CONNTRACK_HELPERS.routes(), *NDP_PROXIES.routes(),
            *(Route(f"/v2.0/floatingip_pools{s}", pools, methods=["GET"])
              for s in ("", ".json"))]

