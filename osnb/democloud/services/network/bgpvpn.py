"""BGPVPN: BGP VPNs (made by an admin for a project) and the networks, routers and ports
their project associates with them (Neutron ``/bgpvpn/bgpvpns`` and its
``network_associations``, ``router_associations``, ``port_associations``).

Route targets and distinguishers are ``ASN:N`` or ``IPv4:N``. A VPN shows the networks
and routers associated with it; a network or router is associated once per VPN (409),
an ``l2`` VPN takes no router; deleting a VPN deletes its associations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field, Query
from ...store import Record, Store
from ._common import RO, bad, conflict, strip_json
from ._plugin import NAME, OWNER, TRUE, PluginCollection, missing

__all__ = ["BGPVPNS", "NETWORK_ASSOCIATIONS", "PORT_ASSOCIATIONS", "ROUTER_ASSOCIATIONS",
           "routes", "seed"]

_RT = re.compile(r"^(\d{1,10}|\d{1,3}(\.\d{1,3}){3}):\d{1,10}$")
_TARGETS = ("route_targets", "import_targets", "export_targets", "route_distinguishers")


def _associations(store: Store, table: str, bgpvpn_id: str) -> list[Record]:
    return [a for a in store.table(table).values() if a["_bgpvpn_id"] == bgpvpn_id]


class Bgpvpns(PluginCollection):
    """BGP VPNs: an admin's to make and change, their project's to see and associate."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        return {**record,
                "networks": [a["network_id"] for a in _associations(
                    ctx.store, "bgpvpn_network_associations", record["id"])],
                "routers": [a["router_id"] for a in _associations(
                    ctx.store, "bgpvpn_router_associations", record["id"])]}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        for key in _TARGETS:
            if isinstance(record[key], str):  # networking-bgpvpn's convert_to_list
                record[key] = [record[key]]
            if not isinstance(record[key], list):
                raise bad(f"Invalid input for {key}. Reason: '{record[key]}' is not a "
                          "list.")
            for value in record[key]:
                if not isinstance(value, str) or not _RT.match(value):
                    raise bad(f"Invalid input for {key}. Reason: '{value}' is not a valid "
                              "RT (ASN:N or IPv4:N).")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        for coll in (NETWORK_ASSOCIATIONS, ROUTER_ASSOCIATIONS, PORT_ASSOCIATIONS):
            table = coll.records(ctx.store)
            for assoc in _associations(ctx.store, coll.table, record["id"]):
                del table[assoc["id"]]


@dataclass(eq=False)
class Associations(PluginCollection):
    """One kind of a VPN's associations, under ``/bgpvpns/{bgpvpn_id}/``."""

    target: str = ""
    """The associated object's key (``network_id``…)."""
    target_table: str = ""
    target_missing: str = ""

    def parent(self, ctx: Ctx) -> Record:
        return BGPVPNS.get(ctx, strip_json(ctx.request.path_params["bgpvpn_id"]))

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        return _associations(ctx.store, self.table, self.parent(ctx)["id"])

    def get(self, ctx: Ctx, ident: str) -> Record:
        parent = self.parent(ctx)
        record = super().get(ctx, ident)
        if record["_bgpvpn_id"] != parent["id"]:
            raise self.dialect.not_found(self.singular, ident)
        return record

    def may_change(self, ctx: Ctx, record: Record | None, action: str) -> None:
        parent = self.parent(ctx)
        if not ctx.admin and parent["project_id"] != ctx.token.project_id:
            raise self.dialect.forbidden(self.rule(action))

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        parent = self.parent(ctx)
        record["_bgpvpn_id"] = parent["id"]
        for key in self.owner_keys:
            record[key] = parent["project_id"]
        record["_project_id"] = parent["project_id"]
        target = ctx.store.table(self.target_table).get(str(record[self.target]))
        if target is None or not (ctx.admin or target.get("project_id") in (
                parent["project_id"], "") or target.get("shared")):
            raise missing(self.target_missing, f"{self.target_missing[:-8]} "
                          f"{record[self.target]} could not be found.")
        if any(a[self.target] == target["id"]
               for a in _associations(ctx.store, self.table, parent["id"])):
            raise conflict(f"{self.target[:-3]} {target['id']} is already associated to "
                           f"BGPVPN {parent['id']}.",
                           f"BGPVPN{self.target[:-3].title()}AssocAlreadyExists")
        if self.target == "router_id" and parent["type"] != "l3":
            raise bad(f"BGPVPN {parent['id']} is of type {parent['type']}: only l3 "
                      "BGPVPNs take router associations.",
                      type="BGPVPNRouterAssociationNotSupported")
        self.check_routes(ctx, record)

    def check_routes(self, ctx: Ctx, record: Record) -> None:
        for route in record.get("routes", []):
            kind = route.get("type") if isinstance(route, dict) else None
            if kind == "prefix" and "prefix" in route:
                continue
            if kind == "bgpvpn" and route.get("bgpvpn_id") in BGPVPNS.records(ctx.store):
                continue
            raise bad(f"Invalid input for routes. Reason: '{route}' is not a prefix or "
                      "bgpvpn route.")

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self.check_routes(ctx, {**record, **changes})


_TARGET_LIST = Field(type="any", default=list)
BGPVPNS = Bgpvpns("bgpvpn", "bgpvpns", visibility="owner", write="admin",
                  project_key="project_id", fields={
                      "id": RO, **OWNER, "name": NAME,
                      "type": Field(choices=("l2", "l3"), default="l3", create_only=True),
                      **{key: _TARGET_LIST for key in _TARGETS},
                      "local_pref": Field(type="int", lenient=True, nullable=True,
                                          default=None, minimum=0, maximum=4294967295),
                      "vni": Field(type="int", lenient=True, nullable=True, default=None,
                                   minimum=1, maximum=16777215, create_only=True),
                      "networks": RO, "routers": RO})
_ASSOC = {"id": RO, **OWNER}
NETWORK_ASSOCIATIONS = Associations(
    "network_association", "network_associations", table="bgpvpn_network_associations",
    path="bgpvpns/{bgpvpn_id}/network_associations", project_key="project_id",
    allow_update=False, target="network_id", target_table="networks",
    target_missing="NetworkNotFound",
    fields={**_ASSOC, "network_id": Field(type="uuid", required=True, create_only=True)})
ROUTER_ASSOCIATIONS = Associations(
    "router_association", "router_associations", table="bgpvpn_router_associations",
    path="bgpvpns/{bgpvpn_id}/router_associations", project_key="project_id",
    target="router_id", target_table="routers", target_missing="RouterNotFound",
    fields={**_ASSOC, "router_id": Field(type="uuid", required=True, create_only=True),
            "advertise_extra_routes": TRUE})
PORT_ASSOCIATIONS = Associations(
    "port_association", "port_associations", table="bgpvpn_port_associations",
    path="bgpvpns/{bgpvpn_id}/port_associations", project_key="project_id",
    owner_keys=("project_id",), target="port_id", target_table="ports",
    target_missing="PortNotFound",
    fields={"id": RO, "project_id": Field(max_length=255, create_only=True),
            "port_id": Field(type="uuid", required=True, create_only=True),
            "routes": Field(type="list", items="dict", default=list),
            "advertise_fixed_ips": TRUE})


def seed(store: Store, project_id: str) -> None:
    """A project's L3VPN to its data centre, on its own network and router."""
    router = next((r for r in store.table("routers").values()
                   if r["project_id"] == project_id), None)
    network = next((n for n in store.table("networks").values()
                    if n["project_id"] == project_id), None)
    if router is None or network is None:
        return
    key = f"bgpvpn:{project_id}"
    vpn = BGPVPNS.seeded(store, project_id, key, name="dc-l3vpn", route_targets=["64512:100"],
                         route_distinguishers=["64512:1100"])
    NETWORK_ASSOCIATIONS.seeded(store, project_id, f"{key}:net", _bgpvpn_id=vpn["id"],
                                network_id=network["id"])
    ROUTER_ASSOCIATIONS.seeded(store, project_id, f"{key}:router", _bgpvpn_id=vpn["id"],
                               router_id=router["id"])
    port = next((p for p in store.table("ports").values()
                 if p["device_id"] == router["id"]
                 and p["device_owner"] == "network:router_interface"), None)
    if port is not None:
        PORT_ASSOCIATIONS.seeded(store, project_id, f"{key}:port", _bgpvpn_id=vpn["id"],
                                 port_id=port["id"],
                                 routes=[{"type": "prefix", "prefix": "10.250.0.0/16"}])


def routes() -> list[BaseRoute]:
    base = "/v2.0/bgpvpn"
    return [route for c in (BGPVPNS, NETWORK_ASSOCIATIONS, ROUTER_ASSOCIATIONS,
                            PORT_ASSOCIATIONS) for route in c.routes(base)]
