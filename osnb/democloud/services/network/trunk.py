"""Trunks: one parent port carrying several networks' traffic, each subport tagged with
its VLAN (Neutron ``/trunks`` and its ``add_subports``/``remove_subports``/``get_subports``
actions).

A subport becomes ``trunk:subport`` owned by its trunk; the parent port shows the trunk in
its ``trunk_details``. A port already in a trunk cannot join another, nor be deleted; a
trunk whose parent is bound to a server cannot be deleted (409 ``TrunkInUse``).
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record, Store
from . import model
from ._common import BOOL, RO, NeutronCollection, bad, common, conflict, required, strip_json
from .core import PORTS

__all__ = ["TRUNKS", "routes", "seed", "trunk_of_port"]


def trunk_of_port(store: Store, port_id: str) -> tuple[Record, str] | None:
    """The trunk ``port_id`` belongs to and how (``parent`` or ``subport``), or None."""
    for trunk in store.table("trunks").values():
        if trunk["port_id"] == port_id:
            return trunk, "parent"
        if any(s["port_id"] == port_id for s in trunk["sub_ports"]):
            return trunk, "subport"
    return None


def _details(store: Store, trunk: Record) -> None:
    """The parent port's ``trunk_details``: the trunk and its subports with their MACs."""
    ports = store.table("ports")
    parent = ports.get(trunk["port_id"])
    if parent is None:
        return
    parent["trunk_details"] = {"trunk_id": trunk["id"], "sub_ports": [
        {**s, "mac_address": ports[s["port_id"]]["mac_address"]}
        for s in trunk["sub_ports"] if s["port_id"] in ports]}


def _status(store: Store, trunk: Record) -> str:
    parent = store.table("ports").get(trunk["port_id"]) or {}
    return "ACTIVE" if parent.get("status") == "ACTIVE" and trunk["admin_state_up"] \
        else "DOWN"


def _subports(ctx: Ctx, trunk: Record, wanted: Any) -> list[Record]:
    """The checked subports to add to ``trunk``."""
    if not isinstance(wanted, list):
        raise bad(f"Invalid input for sub_ports. Reason: '{wanted}' is not a list.")
    out: list[Record] = []
    used = {(s["segmentation_type"], s["segmentation_id"]) for s in trunk["sub_ports"]}
    for entry in wanted:
        if not isinstance(entry, dict) or "port_id" not in entry:
            raise bad(f"Invalid input for sub_ports. Reason: '{entry}' is not a valid "
                      "subport: a port_id is required.", type="InvalidInput")
        port = PORTS.get(ctx, str(entry["port_id"]))
        kind = entry.get("segmentation_type", "vlan")
        if kind not in ("vlan", "inherit"):
            raise bad(f"Invalid input for sub_ports. Reason: '{kind}' is not in "
                      "['inherit', 'vlan'].", type="InvalidInput")
        seg = entry.get("segmentation_id")
        if kind == "vlan":
            if isinstance(seg, bool) or not isinstance(seg, (int, str)) or \
                    not str(seg).isdigit() or not 1 <= int(seg) <= 4094:
                raise bad(f"Invalid input for operation: Segmentation ID {seg} is not in "
                          "range 1 through 4094.", type="InvalidInput")
            seg = int(seg)
        else:
            seg = (ctx.store.table("networks").get(port["network_id"]) or {}).get(
                "provider:segmentation_id")
        if port["id"] == trunk["port_id"]:
            raise conflict(f"Port {port['id']} is currently in use and is not eligible for "
                           "use as a subport.", "PortInUseAsTrunkParent")
        held = trunk_of_port(ctx.store, port["id"])
        if held is not None and held[1] == "parent":
            raise conflict(f"Port {port['id']} is currently in use and is not eligible for "
                           "use as a subport.", "PortInUseAsTrunkParent")
        if held is not None or any(s["port_id"] == port["id"] for s in out):
            owner = held[0]["id"] if held else trunk["id"]
            raise conflict(f"Port {port['id']} is currently a subport for trunk {owner}.",
                           "PortInUseAsSubPort")
        if (kind, seg) in used:
            raise conflict(f"segmentation_type {kind} and segmentation_id {seg} already in "
                           f"use on trunk {trunk['id']}.", "DuplicateSubPort")
        used.add((kind, seg))
        out.append({"segmentation_type": kind, "port_id": port["id"],
                    "segmentation_id": seg})
    return out


def _attach(store: Store, trunk: Record, subports: list[Record]) -> None:
    ports = store.table("ports")
    parent = ports.get(trunk["port_id"]) or {}
    for sub in subports:
        port = ports[sub["port_id"]]
        old = dict(port)
        port.update(device_owner="trunk:subport", device_id=trunk["id"])
        port["binding:host_id"] = parent.get("binding:host_id") or ""
        model.reindex_port(store, port, old)
        model.stamp(port)
    trunk["sub_ports"] = trunk["sub_ports"] + subports


def _detach(store: Store, trunk: Record, port_ids: set[str]) -> None:
    ports = store.table("ports")
    for sub in trunk["sub_ports"]:
        port = ports.get(sub["port_id"])
        if sub["port_id"] in port_ids and port is not None:
            old = dict(port)
            port.update(device_owner="", device_id="", **{"binding:host_id": ""})
            model.reindex_port(store, port, old)
            model.stamp(port)
    trunk["sub_ports"] = [s for s in trunk["sub_ports"] if s["port_id"] not in port_ids]


class Trunks(NeutronCollection):
    """Trunks on a project's own parent port."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        return {**record, "status": _status(ctx.store, record)}

    private = True  # the engine's render, so that ``shape`` reads the parent's status

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        parent = PORTS.get(ctx, attrs["port_id"])
        if not ctx.admin and parent["project_id"] != ctx.token.project_id:
            raise self.dialect.forbidden("create_trunk")
        held = trunk_of_port(ctx.store, parent["id"])
        if held is not None:
            raise conflict(f"Port {parent['id']} is in use by another trunk.",
                           "TrunkPortInUse")
        trunk: Record = {
            "id": self.dialect.new_id(), "name": attrs.get("name", ""),
            "tenant_id": project_id, "project_id": project_id,
            "description": attrs.get("description", ""), "tags": [],
            "created_at": model.timestamp(), "updated_at": model.timestamp(),
            "revision_number": 0, "admin_state_up": attrs.get("admin_state_up", True),
            "port_id": parent["id"], "status": "DOWN", "sub_ports": []}
        subports = _subports(ctx, trunk, attrs.get("sub_ports", []))
        _attach(ctx.store, trunk, subports)
        ctx.store.table("trunks")[trunk["id"]] = trunk
        _details(ctx.store, trunk)
        return trunk

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        parent = ctx.store.table("ports").get(record["port_id"]) or {}
        if str(parent.get("device_owner", "")).startswith("compute:"):
            raise conflict(f"Trunk {record['id']} is currently in use.", "TrunkInUse")
        _detach(ctx.store, record, {s["port_id"] for s in record["sub_ports"]})
        parent.pop("trunk_details", None)


TRUNKS = Trunks("trunk", "trunks", table="trunks", fields=common({
    "admin_state_up": BOOL, "status": RO,
    "port_id": Field(max_length=36, required=True, create_only=True),
    "sub_ports": Field(type="list", items="dict", create_only=True),
}))


async def _action(request: Request, rule: str) -> tuple[Ctx, Record, list[Any]]:
    ctx = Ctx.of(request)
    trunk = TRUNKS.get(ctx, request.path_params["id"])
    TRUNKS.may_change(ctx, trunk, "update")
    return ctx, trunk, await required(request, "sub_ports", list,
                                      reason="is required and must be a list")


def _answer(ctx: Ctx, trunk: Record) -> Response:
    model.stamp(trunk)
    _details(ctx.store, trunk)
    return json_response(TRUNKS.render(ctx, trunk))


async def add_subports(request: Request) -> Response:
    ctx, trunk, wanted = await _action(request, "add_subports")
    _attach(ctx.store, trunk, _subports(ctx, trunk, wanted))
    return _answer(ctx, trunk)


async def remove_subports(request: Request) -> Response:
    ctx, trunk, wanted = await _action(request, "remove_subports")
    held = {s["port_id"] for s in trunk["sub_ports"]}
    ids: set[str] = set()
    for entry in wanted:
        pid = entry.get("port_id") if isinstance(entry, dict) else None
        if pid not in held:
            raise ApiError(404, f"SubPort {pid} could not be found on trunk {trunk['id']}.",
                           type="SubPortNotFound")
        ids.add(str(pid))
    _detach(ctx.store, trunk, ids)
    return _answer(ctx, trunk)


async def get_subports(request: Request) -> Response:
    ctx = Ctx.of(request)
    trunk = TRUNKS.get(ctx, strip_json(request.path_params["id"]))
    return json_response({"sub_ports": trunk["sub_ports"]})


def seed(store: Store) -> None:
    """A trunk an operator would find: on the first unattached port of the world, its
    subports still to come (id derived from the port's: no random draw)."""
    for port in store.table("ports").values():
        if not port["device_owner"] and not port["device_id"] and port["project_id"]:
            ts = model.timestamp()
            tid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"trunk:{port['id']}"))
            trunk = {"id": tid, "name": f"trunk-{port['name']}", "tenant_id":
                     port["project_id"], "project_id": port["project_id"],
                     "description": "VLAN trunk for a network appliance", "tags": [],
                     "created_at": ts, "updated_at": ts, "revision_number": 0,
                     "admin_state_up": True, "port_id": port["id"], "status": "DOWN",
                     "sub_ports": []}
            store.table("trunks")[tid] = trunk
            _details(store, trunk)
            return


def routes() -> list[BaseRoute]:
    return [*TRUNKS.routes(),
            Route("/v2.0/trunks/{id}/add_subports", add_subports, methods=["PUT"]),
            Route("/v2.0/trunks/{id}/remove_subports", remove_subports, methods=["PUT"]),
            Route("/v2.0/trunks/{id}/get_subports", get_subports, methods=["GET"])]
