"""Network segment ranges: the VLAN, VXLAN, GRE and Geneve ids an admin hands out, shared
or to one project.

A range shows which of its ids the networks use (``used``: id → project) and which are
free (``available``). Ranges of one type (and physical network) never overlap; the
default ranges (the ML2 configuration's) cannot be changed or deleted; a range cannot
shrink or go while networks use ids it would no longer hold.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...store import Record, Store
from . import model
from ._common import RO, NeutronCollection, bad, common, conflict

__all__ = ["NETWORK_SEGMENT_RANGES", "routes", "seed"]

_NAMESPACE = uuid.UUID("c2a4e6f8-1b3d-4f5a-8c7e-9d0b2a4c6e8f")
_MAX = {"vlan": 4094, "vxlan": 16777215, "geneve": 16777215, "gre": 4294967295}


def _used(store: Store, rng: Record) -> dict[str, str]:
    """The ids of ``rng`` networks use, and their projects."""
    out: dict[str, str] = {}
    for net in store.table("networks").values():
        seg = net.get("provider:segmentation_id")
        if net.get("provider:network_type") == rng["network_type"] and seg is not None and \
                rng["minimum"] <= seg <= rng["maximum"] and (
                rng["network_type"] != "vlan"
                or net.get("provider:physical_network") == rng["physical_network"]):
            out[str(seg)] = net["project_id"]
    return dict(sorted(out.items(), key=lambda kv: int(kv[0])))


class SegmentRanges(NeutronCollection):
    """Segment ranges: an admin's."""

    private = True  # the engine's render, so that ``shape`` counts the ids in use

    def shape(self, ctx: Ctx, record: Record) -> Record:
        used = _used(ctx.store, record)
        free = [i for i in range(record["minimum"], record["maximum"] + 1)
                if str(i) not in used]
        return {**record, "used": used, "available": free}

    def _check(self, ctx: Ctx, rng: Record, skip: str = "") -> None:
        kind = rng["network_type"]
        if kind == "vlan" and not rng.get("physical_network"):
            raise bad("Invalid input for operation: physical_network is required for a "
                      "vlan segment range.", type="InvalidInput")
        if kind != "vlan" and rng.get("physical_network"):
            raise bad(f"Invalid input for operation: physical_network is not allowed for a "
                      f"{kind} segment range.", type="InvalidInput")
        lo, hi = rng["minimum"], rng["maximum"]
        if not 1 <= lo <= hi <= _MAX[kind]:
            raise bad(f"Invalid input for operation: network segment range {lo}:{hi} is not "
                      f"valid for {kind} (1 through {_MAX[kind]}, minimum <= maximum).",
                      type="InvalidInput")
        for other in self.records(ctx.store).values():
            if other["id"] != skip and other["network_type"] == kind and \
                    other["physical_network"] == rng.get("physical_network") and \
                    other["minimum"] <= hi and lo <= other["maximum"]:
                raise conflict(f"Network segment range {lo}:{hi} overlaps range "
                               f"{other['id']} ({other['minimum']}:{other['maximum']}).",
                               "NetworkSegmentRangeOverlaps")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        shared = attrs.get("shared", True)
        owner = None if shared else project_id
        ts = model.timestamp()
        rng: Record = {
            "id": self.dialect.new_id(), "name": attrs.get("name", ""),
            "description": attrs.get("description", ""), "default": False,
            "shared": shared, "project_id": owner,
            "network_type": attrs["network_type"],
            "physical_network": attrs.get("physical_network"),
            "minimum": attrs["minimum"], "maximum": attrs["maximum"], "tags": [],
            "created_at": ts, "updated_at": ts, "revision_number": 0}
        self._check(ctx, rng)
        return rng

    def _keeps_used(self, ctx: Ctx, record: Record, wanted: Record | None) -> None:
        for seg in _used(ctx.store, record):
            if wanted is None or not wanted["minimum"] <= int(seg) <= wanted["maximum"]:
                raise conflict(f"Network segment range {record['id']} is referenced by "
                               f"networks (segmentation id {seg}).",
                               "NetworkSegmentRangeReferencedByProject")

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if record["default"]:
            raise conflict(f"Network Segment Range {record['id']} is a default segment "
                           "range which could not be updated or deleted.",
                           "NetworkSegmentRangeDefaultReadOnly")
        wanted = {**record, **changes}
        self._check(ctx, wanted, skip=record["id"])
        self._keeps_used(ctx, record, wanted)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["default"]:
            raise conflict(f"Network Segment Range {record['id']} is a default segment "
                           "range which could not be updated or deleted.",
                           "NetworkSegmentRangeDefaultReadOnly")
        self._keeps_used(ctx, record, None)


NETWORK_SEGMENT_RANGES = SegmentRanges(
    "network_segment_range", "network_segment_ranges", visibility="admin", write="admin",
    fields=common({
        "default": RO, "shared": Field(type="bool", lenient=True, create_only=True),
        "network_type": Field(type="any", choices=tuple(_MAX), required=True,
                              create_only=True),
        "physical_network": Field(max_length=64, nullable=True, create_only=True),
        "minimum": Field(type="int", lenient=True, minimum=1, maximum=4294967295,
                         required=True),
        "maximum": Field(type="int", lenient=True, minimum=1, maximum=4294967295,
                         required=True),
        "used": RO, "available": RO}))


def seed(store: Store) -> None:
    """The ML2 configuration's ranges (``default``, shared): VLANs 100-199 on physnet1
    and VXLAN ids 1000-1999; and one an admin carved out for the first ordinary project,
    VXLAN ids 20000-20999 (ids derived from the type: no random draw)."""
    ts = model.timestamp()
    table = store.table("network_segment_ranges")
    for kind, physnet, lo, hi in (("vlan", "physnet1", 100, 199), ("vxlan", None, 1000, 1999)):
        rid = str(uuid.uuid5(_NAMESPACE, f"{kind}:{physnet}"))
        table[rid] = {
            "id": rid, "name": "", "description": "", "default": True, "shared": True,
            "project_id": None, "network_type": kind,
            "physical_network": physnet, "minimum": lo, "maximum": hi, "tags": [],
            "created_at": ts, "updated_at": ts, "revision_number": 0}
    owner = next((p["id"] for p in store.table("projects").values()
                  if not p.get("_system") and not p.get("is_domain")), None)
    if owner is not None:
        rid = str(uuid.uuid5(_NAMESPACE, f"vxlan:{owner}"))
        table[rid] = {
            "id": rid, "name": "project-vxlan", "description": "VXLAN ids of one project",
            "default": False, "shared": False, "project_id": owner,
            "network_type": "vxlan", "physical_network": None, "minimum": 20000,
            "maximum": 20999, "tags": [], "created_at": ts, "updated_at": ts,
            "revision_number": 0}


def routes() -> list[BaseRoute]:
    return NETWORK_SEGMENT_RANGES.routes()
