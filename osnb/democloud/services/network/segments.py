"""Segments: the L2 pieces of a network (an admin's), and the service providers.

Every network has its first segment, the one its ``provider:*`` attributes describe (made
when segments are read, its id derived from the network's: no random draw). An admin
adds more to make a routed provider network, and a subnet may be bound to one of its
network's segments (``segment_id``). A segment with subnets, or a network's first segment,
cannot be deleted; a VLAN is used once per physical network.
"""

from __future__ import annotations

import uuid
import weakref
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, auth, json_response
from ...store import Record, Store
from . import model
from ._common import RO, NeutronCollection, bad, conflict, matching

__all__ = ["SEGMENTS", "check_segment", "extra_segments", "routes"]

_NAMESPACE = uuid.UUID("5e1d7c3a-96b2-4f08-8a41-0c2d9e6b7f13")
_TYPES = ("flat", "vlan", "vxlan", "geneve", "gre", "local")


_EXTRA: weakref.WeakKeyDictionary[Store, dict[str, list[Record]]] = \
    weakref.WeakKeyDictionary()
"""Per store: network id → the segments an admin added to it (its first one aside)."""


def extra_segments(store: Store, network_id: str) -> list[Record]:
    """The segments ``network_id`` has beyond its first, oldest first (none for most)."""
    extra = _EXTRA.get(store)
    if extra is None:
        extra = {}
        for sid, seg in store.table("segments").items():
            if sid != _first_id(seg["network_id"]):
                extra.setdefault(seg["network_id"], []).append(seg)
        _EXTRA[store] = extra
    return extra.get(network_id, [])


def _first_id(network_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, network_id))


def _sync(store: Store) -> dict[str, Record]:
    """The segments: each network's first one as its provider attributes say, none left
    for a network that is gone."""
    table = store.table("segments")
    nets = store.table("networks")
    for net in nets.values():
        sid = _first_id(net["id"])
        seg = table.get(sid)
        if seg is None:
            ts = net["created_at"]
            seg = table[sid] = {"id": sid, "name": None, "description": None,
                                "network_id": net["id"], "created_at": ts, "updated_at": ts,
                                "revision_number": 0}
        seg.update({"network_type": net["provider:network_type"],
                    "physical_network": net["provider:physical_network"],
                    "segmentation_id": net["provider:segmentation_id"]})
    gone = [s for s, seg in table.items() if seg["network_id"] not in nets]
    for sid in gone:
        del table[sid]
    if gone:
        _EXTRA.pop(store, None)
    return table


def check_segment(ctx: Ctx, network_id: str, segment_id: Any) -> None:
    """A subnet's ``segment_id``: one of its network's segments, or Neutron's 400."""
    if segment_id is None:
        return
    seg = _sync(ctx.store).get(str(segment_id))
    if seg is None or seg["network_id"] != network_id:
        raise bad(f"Invalid input for operation: Segment {segment_id} is not a segment of "
                  f"network {network_id}.", type="InvalidInput")


class Segments(NeutronCollection):
    """Segments: an admin's; the network's first follows its provider attributes."""

    stamped = True

    def records(self, store: Store) -> dict[str, Record]:
        return _sync(store)

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        if attrs["network_id"] not in ctx.store.table("networks"):
            raise ApiError(404, f"Network {attrs['network_id']} could not be found.",
                           type="NetworkNotFound")
        kind, physnet = attrs["network_type"], attrs.get("physical_network")
        seg_id = attrs.get("segmentation_id")
        if kind in ("vlan", "flat") and not physnet:
            raise bad(f"Invalid input for operation: physical_network required for {kind} "
                      "provider network.", type="InvalidInput")
        if kind == "vlan" and (seg_id is None or not 1 <= seg_id <= 4094):
            raise bad(f"Invalid input for operation: segmentation_id out of range (1 through "
                      f"4094) for {kind} provider network.", type="InvalidInput")
        if kind == "vlan":
            for other in self.records(ctx.store).values():
                if other["network_type"] == "vlan" and other["physical_network"] == physnet \
                        and other["segmentation_id"] == seg_id:
                    raise conflict(f"Unable to create the network. The VLAN {seg_id} on "
                                   f"physical network {physnet} is in use.", "VlanIdInUse")
        ts = model.timestamp()
        _EXTRA.pop(ctx.store, None)
        return {"id": self.dialect.new_id(), "name": attrs.get("name"),
                "description": attrs.get("description"), "network_id": attrs["network_id"],
                "network_type": kind, "physical_network": physnet, "segmentation_id": seg_id,
                "created_at": ts, "updated_at": ts, "revision_number": 0}

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["id"] == _first_id(record["network_id"]) or any(
                s.get("segment_id") == record["id"]
                for s in ctx.store.table("subnets").values()):
            raise conflict(f"Segment '{record['id']}' cannot be deleted while it is in use.",
                           "SegmentInUse")
        _EXTRA.pop(ctx.store, None)


_TEXT = Field(max_length=255, nullable=True)
SEGMENTS = Segments("segment", "segments", project_key=None, visibility="admin",
                    rules={"list": "get_segment", "show": "get_segment"},
                    write="admin", tags=False, project_aliases=(), fields={
                        "id": RO, "name": _TEXT, "description": _TEXT,
                        "network_id": Field(max_length=36, required=True, create_only=True),
                        "network_type": Field(type="any", choices=_TYPES, required=True,
                                              create_only=True),
                        "physical_network": Field(max_length=64, nullable=True,
                                                  create_only=True),
                        "segmentation_id": Field(type="int", lenient=True, nullable=True,
                                                 minimum=0, maximum=16777215,
                                                 create_only=True),
                        "created_at": RO, "updated_at": RO, "revision_number": RO})

SERVICE_PROVIDERS = [{"service_type": "L3_ROUTER_NAT", "name": "ovs", "default": True},
                     {"service_type": "QOS", "name": "openvswitch", "default": True}]
"""The service providers a plain ML2/OVS cloud lists."""


async def service_providers(request: Request) -> Response:
    auth(request)
    return json_response({"service_providers": matching(request, SERVICE_PROVIDERS,
                                                        ("service_type", "name"))})


def routes() -> list[BaseRoute]:
    return [*SEGMENTS.routes(),
            *(Route(f"/v2.0/service-providers{suffix}", service_providers, methods=["GET"])
              for suffix in ("", ".json"))]
