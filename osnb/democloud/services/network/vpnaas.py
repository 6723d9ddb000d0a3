"""VPNaaS: IKE and IPsec policies, VPN services on routers, endpoint groups and the IPsec
site connections that tie them together (Neutron ``/vpn/…``).

A VPN service needs a router with an external gateway (its ``external_v4_ip``/``v6``) and,
if it names a subnet, one on that router. A connection names a service, both policies and
either ``peer_cidrs`` or a local subnet endpoint group and a peer CIDR one. A policy, a
group or a service a connection uses can be neither deleted nor (for the policies)
changed: 409 ``IKEPolicyInUse``, ``IPsecPolicyInUse``, ``EndpointGroupInUse``,
``VPNServiceInUse``.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...store import Record, Store
from ._common import RO, InUse, bad
from ._plugin import NAME, OWNER, TRUE, PluginCollection

__all__ = ["ENDPOINT_GROUPS", "IKE_POLICIES", "IPSEC_POLICIES", "SERVICES", "SITES", "routes",
           "seed"]

_AUTH = ("sha1", "sha256", "sha384", "sha512", "aes-xcbc", "aes-cmac")
_ENCRYPTION = ("3des", "aes-128", "aes-192", "aes-256", "aes-128-ccm-8", "aes-192-ccm-8",
               "aes-256-ccm-8", "aes-128-gcm-16", "aes-192-gcm-16", "aes-256-gcm-16")
_PFS = ("group2", "group5", "group14", "group15", "group16", "group17", "group18",
        "group19", "group20", "group21", "group22", "group23", "group24", "group25",
        "group26", "group27", "group28", "group29", "group30", "group31")


def _lifetime(value: Any) -> dict[str, Any]:
    life = {"units": "seconds", "value": 3600, **(value or {})}
    if life["units"] != "seconds":
        raise bad(f"Invalid input for lifetime. Reason: '{life['units']}' is not in "
                  "['seconds'].")
    if isinstance(life["value"], bool) or not str(life["value"]).isdigit() or \
            int(life["value"]) < 60:
        raise bad(f"Invalid input for lifetime. Reason: '{life['value']}' is not a valid "
                  "lifetime: 60 seconds at least.")
    return {"units": "seconds", "value": int(life["value"])}


class Policies(PluginCollection):
    """IKE or IPsec policies: not changed or deleted while a connection uses them."""

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        record["lifetime"] = _lifetime(record.get("lifetime"))

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self.refuse_used(ctx.store, record)
        if "lifetime" in changes:
            changes["lifetime"] = _lifetime({**record["lifetime"], **changes["lifetime"]})


def _used_by_sites(kind: str) -> tuple[InUse]:
    """A policy's 409 while a connection names it (``<kind lowercased>_id``)."""
    return (InUse("ipsec_site_connections", (f"{kind.lower()}_id",), f"{kind} {{id}} is in "
                  "use by existing IPsecSiteConnection and can't be updated or deleted",
                  f"{kind}InUse"),)


class EndpointGroups(PluginCollection):
    """Endpoint groups: subnets, CIDRs, routers, networks or VLANs a connection joins."""

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        endpoints = record["endpoints"]
        if not endpoints:
            raise bad("Endpoint group must have at least one endpoint.",
                      type="MissingEndpointForEndpointGroup")
        kind = record["type"]
        for item in endpoints:
            if kind == "cidr":
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError:
                    raise bad(f"Invalid input for endpoints. Reason: '{item}' is not a "
                              "valid IP subnet.", type="InvalidEndpointInEndpointGroup"
                              ) from None
            elif kind in ("subnet", "router", "network"):
                table = {"subnet": "subnets", "router": "routers", "network": "networks"}
                if str(item) not in ctx.store.table(table[kind]):
                    raise bad(f"Endpoint '{item}' is invalid for group type '{kind}': "
                              "it does not exist.", type="InvalidEndpointInEndpointGroup")


def _gateway_ips(store: Store, router: Record) -> tuple[str | None, str | None]:
    info = router.get("external_gateway_info") or {}
    v4 = v6 = None
    for fixed in info.get("external_fixed_ips") or []:
        if ":" in fixed["ip_address"]:
            v6 = v6 or fixed["ip_address"]
        else:
            v4 = v4 or fixed["ip_address"]
    return v4, v6


class Services(PluginCollection):
    """VPN services on a router with an external gateway."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        router = ctx.store.table("routers").get(record["router_id"]) or {}
        v4, v6 = _gateway_ips(ctx.store, router)
        return {**record, "external_v4_ip": v4, "external_v6_ip": v6,
                "status": "ACTIVE" if record["admin_state_up"] else "DOWN"}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        router = ctx.store.table("routers").get(str(record["router_id"]))
        if router is None or not (ctx.admin or router["project_id"] == ctx.token.project_id):
            raise bad(f"Router {record['router_id']} could not be found.",
                      type="RouterNotFound")
        if not router.get("external_gateway_info"):
            raise bad(f"Router {router['id']} has no external network gateway set",
                      type="RouterIsNotExternal")
        subnet_id = record.get("subnet_id")
        if subnet_id is not None:
            if str(subnet_id) not in ctx.store.table("subnets"):
                raise bad(f"Subnet {subnet_id} could not be found.", type="SubnetNotFound")
            if not _attached(ctx.store, router["id"], str(subnet_id)):
                raise bad(f"Subnet {subnet_id} is not connected to Router {router['id']}",
                          type="SubnetIsNotConnectedToRouter")


class Sites(PluginCollection):
    """IPsec site connections: a service, both policies, the local and peer endpoints."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        service = SERVICES.records(ctx.store).get(record["vpnservice_id"]) or {}
        up = record["admin_state_up"] and service.get("admin_state_up", False)
        return {**record, "status": "ACTIVE" if up else "DOWN"}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        service = SERVICES.get(ctx, record["vpnservice_id"])
        IKE_POLICIES.get(ctx, record["ikepolicy_id"])
        IPSEC_POLICIES.get(ctx, record["ipsecpolicy_id"])
        if not 68 <= record["mtu"] <= 65535:
            raise bad(f"Invalid input for mtu. Reason: '{record['mtu']}' is not in range "
                      "68 through 65535.")
        dpd = {"action": "hold", "interval": 30, "timeout": 120, **(record.get("dpd") or {})}
        if dpd["action"] not in ("hold", "clear", "disabled", "restart", "restart-by-peer"):
            raise bad(f"Invalid input for dpd. Reason: '{dpd['action']}' is not a valid "
                      "DPD action.")
        if not 0 < dpd["interval"] < dpd["timeout"]:
            raise bad("Invalid input for operation: DPD timeout must be greater than the "
                      "interval.", type="IPsecSiteConnectionDpdIntervalValueError")
        record["dpd"] = dpd
        local, peer = record.get("local_ep_group_id"), record.get("peer_ep_group_id")
        if record["peer_cidrs"] and (local or peer):
            raise bad("You cannot specify both peer_cidrs and endpoint groups.",
                      type="PeerCidrsAndEndpointGroupsConflict")
        if bool(local) != bool(peer):
            raise bad("Both local and peer endpoint groups are required.",
                      type="MissingRequiredEndpointGroup")
        if local:
            lg, pg = ENDPOINT_GROUPS.get(ctx, str(local)), ENDPOINT_GROUPS.get(ctx, str(peer))
            if lg["type"] != "subnet" or service["subnet_id"] is not None:
                raise bad(f"Local endpoint group {local} must be of type subnet, on a VPN "
                          "service without a subnet.", type="WrongEndpointGroupType")
            if pg["type"] != "cidr":
                raise bad(f"Peer endpoint group {peer} must be of type cidr.",
                          type="WrongEndpointGroupType")
            _same_versions(ctx.store, service, lg, pg)
        elif not record["peer_cidrs"]:
            raise bad("Missing peer CIDRs: give peer_cidrs or endpoint groups.",
                      type="MissingPeerCidrs")

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        merged = {**record, **changes}
        self.check(ctx, merged, create=False)
        changes["dpd"] = merged["dpd"]


def _attached(store: Store, router_id: str, subnet_id: str) -> bool:
    return any(p["device_id"] == router_id and any(
        f.get("subnet_id") == subnet_id for f in p.get("fixed_ips", []))
        for p in store.table("ports").values())


def _same_versions(store: Store, service: Record, local: Record, peer: Record) -> None:
    """A connection's local subnets are on its service's router, and they and the peer's
    CIDRs are of one IP version (neutron-vpnaas ``validate_ipsec_site_connection``)."""
    subnets = [store.table("subnets").get(str(s)) for s in local["endpoints"]]
    for subnet_id, subnet in zip(local["endpoints"], subnets, strict=True):
        if subnet is None or not _attached(store, service["router_id"], str(subnet_id)):
            raise bad(f"Subnet {subnet_id} is not connected to Router "
                      f"{service['router_id']}", type="SubnetIsNotConnectedToRouter")
    local_versions = {s["ip_version"] for s in subnets if s is not None}
    peer_versions = {ipaddress.ip_network(c, strict=False).version for c in peer["endpoints"]}
    if len(local_versions) > 1 or len(peer_versions) > 1:
        raise bad("Endpoints in group are not all of one IP version.",
                  type="MixedIPVersionsForIPSecEndpoints")
    if local_versions != peer_versions:
        raise bad("IP versions of the local and peer endpoints do not match.",
                  type="MixedIPVersionsForIPSecConnection")


_LIFETIME = Field(type="dict", default=lambda: {"units": "seconds", "value": 3600})
IKE_POLICIES = Policies("ikepolicy", "ikepolicies", project_key="project_id",
                        in_use=_used_by_sites("IKEPolicy"), fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME,
    "auth_algorithm": Field(choices=_AUTH, default="sha1"),
    "encryption_algorithm": Field(choices=_ENCRYPTION, default="aes-128"),
    "pfs": Field(choices=_PFS, default="group5"),
    "phase1_negotiation_mode": Field(choices=("main", "aggressive"), default="main"),
    "lifetime": _LIFETIME, "ike_version": Field(choices=("v1", "v2"), default="v1")})
IPSEC_POLICIES = Policies("ipsecpolicy", "ipsecpolicies", project_key="project_id",
                          in_use=_used_by_sites("IPsecPolicy"), fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME,
    "transform_protocol": Field(choices=("esp", "ah", "ah-esp"), default="esp"),
    "auth_algorithm": Field(choices=_AUTH, default="sha1"),
    "encapsulation_mode": Field(choices=("tunnel", "transport"), default="tunnel"),
    "encryption_algorithm": Field(choices=_ENCRYPTION, default="aes-128"),
    "pfs": Field(choices=_PFS, default="group5"), "lifetime": _LIFETIME})
ENDPOINT_GROUPS = EndpointGroups(
    "endpoint_group", "endpoint_groups", path="endpoint-groups", project_key="project_id",
    table="vpn_endpoint_groups",  # Keystone's OS-EP-FILTER has "endpoint_groups"
    in_use=(InUse("ipsec_site_connections", ("local_ep_group_id", "peer_ep_group_id"),
                  "Endpoint group {id} is in use and cannot be deleted", "EndpointGroupInUse"),),
    fields={"id": RO, **OWNER, "name": NAME, "description": NAME,
            "type": Field(choices=("subnet", "cidr", "vlan", "network", "router"),
                          required=True, create_only=True),
            "endpoints": Field(type="list", default=list, create_only=True)})
SERVICES = Services("vpnservice", "vpnservices", project_key="project_id", in_use=(InUse(
    "ipsec_site_connections", ("vpnservice_id",), "VPNService {id} is still in use",
    "VPNServiceInUse"),), fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME, "admin_state_up": TRUE,
    "router_id": Field(type="uuid", required=True, create_only=True),
    "subnet_id": Field(type="uuid", nullable=True, default=None, create_only=True),
    "flavor_id": Field(type="uuid", nullable=True, default=None, create_only=True),
    "status": RO, "external_v4_ip": RO, "external_v6_ip": RO})
_NULL_ID = Field(type="uuid", nullable=True, default=None)
SITES = Sites("ipsec_site_connection", "ipsec_site_connections",
              path="ipsec-site-connections", project_key="project_id", fields={
                  "id": RO, **OWNER, "name": NAME, "description": NAME,
                  "admin_state_up": TRUE, "status": RO,
                  "psk": Field(required=True, max_length=255),
                  "peer_address": Field(required=True, max_length=255),
                  "peer_id": Field(required=True, max_length=255),
                  "peer_cidrs": Field(type="list", items="cidr", default=list),
                  "local_ep_group_id": _NULL_ID, "peer_ep_group_id": _NULL_ID,
                  "initiator": Field(choices=("bi-directional", "response-only"),
                                     default="bi-directional"),
                  "mtu": Field(type="int", lenient=True, default=1500),
                  "dpd": Field(type="dict", default=dict),
                  "route_mode": Field(read_only=True, default="static"),
                  "auth_mode": Field(read_only=True, default="psk"),
                  "vpnservice_id": Field(type="uuid", required=True, create_only=True),
                  "ikepolicy_id": Field(type="uuid", required=True),
                  "ipsecpolicy_id": Field(type="uuid", required=True)})


def seed(store: Store, project_id: str) -> None:
    """A branch-office tunnel on a project's router: both policies, its subnet as the local
    group, the office's ranges as the peer group."""
    router = next((r for r in store.table("routers").values()
                   if r["project_id"] == project_id and r.get("external_gateway_info")), None)
    if router is None:
        return
    subnet_id = next((f["subnet_id"] for p in store.table("ports").values()
                      if p["device_id"] == router["id"] and
                      p["device_owner"] == "network:router_interface"
                      for f in p.get("fixed_ips", [])), None)
    def make(c: PluginCollection, key: str, **values: Any) -> Record:
        return c.seeded(store, project_id, f"vpn:{project_id}:{key}", **values)

    strong = {"auth_algorithm": "sha256", "encryption_algorithm": "aes-256", "pfs": "group14"}
    ike = make(IKE_POLICIES, "ike", name="ike-aes256", ike_version="v2", **strong)
    ipsec = make(IPSEC_POLICIES, "ipsec", name="ipsec-aes256", **strong)
    service = make(SERVICES, "service", name="branch-vpn", router_id=router["id"])
    local = make(ENDPOINT_GROUPS, "local", name="local-subnets", type="subnet",
                 endpoints=[subnet_id] if subnet_id else [])
    peer = make(ENDPOINT_GROUPS, "peer", name="branch-office", type="cidr",
                endpoints=["192.168.50.0/24"])
    make(SITES, "site", name="branch-office", psk="demo-preshared-key",
         peer_address="203.0.113.10", peer_id="203.0.113.10", local_ep_group_id=local["id"],
         peer_ep_group_id=peer["id"], dpd={"action": "hold", "interval": 30, "timeout": 120},
         vpnservice_id=service["id"], ikepolicy_id=ike["id"], ipsecpolicy_id=ipsec["id"])


def routes() -> list[BaseRoute]:
    base = "/v2.0/vpn"
    return [route for c in (IKE_POLICIES, IPSEC_POLICIES, ENDPOINT_GROUPS, SERVICES, SITES)
            for route in c.routes(base)]
