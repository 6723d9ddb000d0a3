"""Generic volume groups (``/groups``, 3.13) and group snapshots (``/group_snapshots``,
3.14).

A group holds volumes of its volume types (``add_volumes``/``remove_volumes``, or a volume
made with ``group_id``; a volume in a group can be neither deleted nor retyped); a group
snapshot takes a snapshot of each of its volumes (they go with it); a group is deleted
with its volumes only when ``delete-volumes`` says so, and never while it has group
snapshots. Groups count against the ``groups`` quota. The legacy consistency groups are
views of these (:mod:`.consistency_groups`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Action, Actions, Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, Cinder, both, cinder_time, envelope, mv, pending
from .admin import enforce_quota
from .extra import TEXT, TYPES, VOLUME_PROJECT, VOLUMES
from .group_types import CG_TYPE, GROUP_TYPES, brief, ident
from .volumes import new_snapshot, type_by_name, volume

__all__ = ["GROUPS", "GROUP_SNAPSHOTS", "TABLES", "csv_ids", "delete_group", "group_copy",
           "group_volumes", "resolve_types", "routes", "seed_group"]

TABLES = ("volume_groups", "group_snapshots")
GROUPS_SINCE, SNAPSHOTS_SINCE = (3, 13), (3, 14)
GROUP_SINCE = {"group_snapshot_id": (3, 14), "source_group_id": (3, 14),
               "volumes": (3, 25), "replication_status": (3, 38), "project_id": (3, 58)}
SOURCE = Field(type="any", create_only=True, nullable=True)
SHOWN = Field(read_only=True, filter="exact")


# --- groups -------------------------------------------------------------------------------

def csv_ids(value: Any, name: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, str):
        raise CINDER.bad(f"Invalid input for field/attribute {name}. Value: {value!r}. "
                         f"{value!r} is not of type 'string'")
    return [v.strip() for v in value.split(",") if v.strip()]


def group_volumes(store: Store, group_id: str) -> list[Record]:
    return [v for v in store.table("volumes").values() if v.get("group_id") == group_id]


def _add(ctx: Ctx, group: Record, vid: str) -> Record:
    vol = VOLUMES.records(ctx.store).get(vid)
    if vol is None or vol[VOLUME_PROJECT] != group["project_id"]:
        raise CINDER.bad(f"Invalid volume: Cannot add volume {vid} to group "
                         f"{group['id']} because volume cannot be found.")
    if vol.get("group_id") not in (None, group["id"]):
        raise CINDER.bad(f"Invalid volume: Volume {vid} is already in a group.")
    if vol["volume_type_id"] not in group["volume_types"]:
        raise CINDER.bad(f"Invalid volume: Cannot add volume {vid} to group {group['id']} "
                         "because volume type is not supported by the group.")
    if vol["status"] not in ("available", "in-use"):
        raise CINDER.bad(f"Invalid volume: Cannot add volume {vid} to group {group['id']} "
                         f"because volume is in an invalid state: {vol['status']}. Valid "
                         "states are: ('available', 'in-use').")
    return vol


def resolve_types(ctx: Ctx, names: list[str]) -> list[str]:
    out = []
    for name in names:
        try:
            out.append(TYPES.get(ctx, name)["id"])
        except ApiError:
            raise ApiError(404, f"Volume type {name} could not be found.") from None
    return out


@dataclass(eq=False)
class Groups(Cinder):
    """Made ``creating`` (then ``available``) of a group type and volume types, within the
    ``groups`` quota; updated with volumes to add and remove (a 202); deleted by action."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record = super().shape(ctx, record)
        record["volumes"] = [v["id"] for v in group_volumes(ctx.store, record["id"])]
        record.pop("updated_at", None)
        version = mv(ctx.request)
        for key, first in GROUP_SINCE.items():
            if version < first:
                record.pop(key, None)
        return brief(record) if ctx.request.method == "POST" else record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        gtype = GROUP_TYPES.get(ctx, str(record.pop("group_type")))
        types = record.pop("volume_types")
        if not isinstance(types, list) or not types:
            raise CINDER.bad("Invalid input for field/attribute volume_types. Value: "
                             f"{types!r}. {types!r} is too short")
        zone = record.pop("availability_zone", None) or "nova"
        if zone != "nova":
            raise CINDER.bad(f"Invalid input received: Availability zone '{zone}' is "
                             "invalid.")
        enforce_quota(ctx.store, ctx.token.project_id or "", None, groups=1)
        record.update(status="creating", availability_zone=zone, group_type=gtype["id"],
                      volume_types=resolve_types(ctx, [str(t) for t in types]),
                      group_snapshot_id=None, source_group_id=None,
                      replication_status="disabled", description=record.get("description"))
        pending(ctx.store, record)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        add = csv_ids(changes.pop("add_volumes", None), "add_volumes")
        remove = csv_ids(changes.pop("remove_volumes", None), "remove_volumes")
        if not (changes or add or remove):
            raise CINDER.bad("Name, description, add_volumes, and remove_volumes can not "
                             "be all empty in the request body.")
        if record["status"] != "available":
            raise CINDER.bad(f"Invalid group: Group {record['id']} status must be "
                             f"available, but current status is: {record['status']}.")
        members = {v["id"] for v in group_volumes(ctx.store, record["id"])}
        for vid in remove:
            if vid not in members:
                raise CINDER.bad(f"Invalid volume: Cannot remove volume {vid} from group "
                                 f"{record['id']} because it is not in the group.")
        adding = [_add(ctx, record, vid) for vid in add]
        volumes = VOLUMES.records(ctx.store)
        for vid in remove:
            volumes[vid]["group_id"] = None
        for vol in adding:
            vol["group_id"] = record["id"]

    async def update(self, request: Request) -> Response:
        await super().update(request)
        return http.json_response(None, 202)


GROUPS = Groups(
    "group", "groups", table="volume_groups", since=GROUPS_SINCE, summary=brief,
    timestamps=("created_at", "_updated_at"), rules={"list": "group:get_all"},
    fields={"name": TEXT, "description": Field(nullable=True, max_length=255),
            "status": SHOWN, "created_at": Field(read_only=True, filter="range"),
            "group_type": Field(type="any", required=True, create_only=True, filter="exact"),
            "volume_types": Field(type="list", required=True, create_only=True),
            "availability_zone": dataclasses.replace(SOURCE, filter="exact"),
            "add_volumes": Field(type="any", nullable=True),
            "remove_volumes": Field(type="any", nullable=True)})


def delete_group(ctx: Ctx, group: Record, with_volumes: bool) -> None:
    members = group_volumes(ctx.store, group["id"])
    if group["status"] not in ("available", "error", "error_deleting"):
        raise CINDER.bad(f"Invalid group: Group status must be available or error, but "
                         f"current status is: {group['status']}")
    if members and not with_volumes:
        raise CINDER.bad(f"Invalid group: Group {group['id']} still contains volumes. The "
                         "delete-volumes flag is required to delete it.")
    snaps = [s for s in ctx.store.table("group_snapshots").values()
             if s["group_id"] == group["id"]]
    if snaps:
        raise CINDER.bad(f"Invalid group: Group {group['id']} has existing group snapshots.")
    for vol in members:
        if vol["attachments"] or any(s["volume_id"] == vol["id"] for s in
                                     ctx.store.table("snapshots").values()):
            raise CINDER.bad(f"Invalid volume: Volume {vol['id']} in group {group['id']} "
                             "is attached or has snapshots. Need to detach first.")
    volumes = VOLUMES.records(ctx.store)
    for vol in members:
        volumes.pop(vol["id"], None)
    GROUPS.records(ctx.store).pop(group["id"], None)


def _delete(ctx: Ctx, group: Record, arg: Any) -> None:
    flag = arg.get("delete-volumes", False) if isinstance(arg, dict) else False
    delete_group(ctx, group, flag in (True, "true", "True", "1"))


def _reset(ctx: Ctx, group: Record, arg: Any) -> None:
    status = arg.get("status") if isinstance(arg, dict) else None
    if status not in ("available", "error", "creating", "deleting", "error_deleting",
                      "updating", "in-use"):
        raise CINDER.bad(f"Invalid input received: Group status: {status} is not allowed.")
    group["status"] = status


def _not_replicated(ctx: Ctx, group: Record, arg: Any) -> None:
    """The demo cloud's backends replicate nothing."""
    raise CINDER.bad(f"Invalid group type: Group {group['id']} is not a replication group "
                     "type.")


GROUP_ACTIONS = Actions(CINDER, GROUPS.get, [
    Action("delete", _delete), Action("reset_status", _reset, since=(3, 20),
                                      rule="group:reset_status"),
    *(Action(name, _not_replicated, since=(3, 38)) for name in (
        "enable_replication", "disable_replication", "failover_replication",
        "list_replication_targets"))], since=GROUPS_SINCE)
"""``delete`` (``delete-volumes``), ``reset_status`` (admin, 3.20) and the replication
actions (3.38)."""


async def group_from_source(request: Request) -> Response:
    """``create-from-src`` (3.14): a group like its source group or group snapshot, its
    volumes copied (``creating``, then ``available``)."""
    CINDER.gate(request, SNAPSHOTS_SINCE)
    ctx = Ctx.of(request)
    arg = envelope(await http.json_body(request), "create-from-src")
    snap_id, src_id = arg.get("group_snapshot_id"), arg.get("source_group_id")
    if bool(snap_id) == bool(src_id):
        raise CINDER.bad("Invalid input received: Either 'group_snapshot_id' or "
                         "'source_group_id' must be provided to create group from source.")
    if snap_id:
        gsnap = GROUP_SNAPSHOTS.get(ctx, str(snap_id))
        source = GROUPS.records(ctx.store)[gsnap["group_id"]]
        sizes = [s for s in ctx.store.table("snapshots").values()
                 if s.get("group_snapshot_id") == gsnap["id"]]
    else:
        source = GROUPS.get(ctx, str(src_id))
        sizes = group_volumes(ctx.store, source["id"])
    made = group_copy(ctx, source, arg, sizes, str(snap_id or ""), str(src_id or ""))
    return http.json_response({"group": {"id": made["id"], "name": made["name"]}}, 202)


def group_copy(ctx: Ctx, source: Record, arg: Mapping[str, Any], members: list[Record],
                snap_id: str, src_id: str) -> Record:
    project = ctx.token.project_id or ""
    enforce_quota(ctx.store, project, None, groups=1, volumes=len(members),
                  gigabytes=sum(m["size"] for m in members))
    record = GROUPS.new_record(ctx, {
        "name": arg.get("name"), "description": arg.get("description"),
        "status": "creating", "availability_zone": source["availability_zone"],
        "group_type": source["group_type"], "volume_types": list(source["volume_types"]),
        "group_snapshot_id": snap_id or None, "source_group_id": src_id or None,
        "replication_status": "disabled"})
    GROUPS.records(ctx.store)[record["id"]] = record
    pending(ctx.store, record)
    volumes = VOLUMES.records(ctx.store)
    for member in members:
        base = volumes.get(str(member.get("volume_id") or member["id"])) or member
        type_rec = type_by_name(ctx.store, str(base.get("volume_type")
                                               or member.get("_volume_type")))
        vid = CINDER.new_id()
        vol = volumes[vid] = volume(ctx.store, vid, project_id=project, size=member["size"],
                                    type_rec=type_rec, created=cinder_time(),
                                    user_id=ctx.token.user_id, status="creating",
                                    name=f"{base.get('name') or vid}-copy")
        vol["group_id"] = record["id"]
        pending(ctx.store, vol)
    return record



# --- group snapshots ----------------------------------------------------------------------

@dataclass(eq=False)
class GroupSnapshots(Cinder):
    """A snapshot of each volume of an available group (the snapshots belong to the group
    snapshot: deleted with it, not alone)."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record = super().shape(ctx, record)
        record.pop("updated_at", None)
        if mv(ctx.request) < (3, 58):
            record.pop("project_id", None)
        return brief(record) if ctx.request.method == "POST" else record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        group = GROUPS.get(ctx, str(record["group_id"]))
        if group["status"] != "available":
            raise CINDER.bad(f"Invalid group: Group {group['id']} status must be available, "
                             f"but current status is: {group['status']}.")
        members = group_volumes(ctx.store, group["id"])
        enforce_quota(ctx.store, group["project_id"], None, snapshots=len(members),
                      gigabytes=sum(v["size"] for v in members))
        record.update(status="creating", group_type_id=group["group_type"],
                      project_id=group["project_id"])
        record.setdefault("description", None)
        for vol in members:
            snap = new_snapshot(ctx.store, vol, name=f"{record.get('name') or ''}-{vol['id']}"
                                [:255], status="creating", sid=CINDER.new_id())
            snap["group_snapshot_id"] = record["id"]
            pending(ctx.store, snap)
        pending(ctx.store, record)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["status"] not in ("available", "error"):
            raise CINDER.bad("Invalid group snapshot: Group snapshot status must be "
                             "available or error")
        snaps = ctx.store.table("snapshots")
        for sid in [k for k, s in snaps.items() if s.get("group_snapshot_id") == record["id"]]:
            del snaps[sid]


GROUP_SNAPSHOTS = GroupSnapshots(
    "group_snapshot", "group_snapshots", since=SNAPSHOTS_SINCE, summary=brief,
    timestamps=("created_at", "_updated_at"), allow_update=False,
    rules={"list": "group:get_all_group_snapshots"},
    fields={"name": TEXT, "description": Field(nullable=True, max_length=255),
            "status": SHOWN, "created_at": Field(read_only=True, filter="range"),
            "group_id": Field(type="any", required=True, create_only=True, filter="exact")})


def _reset_snapshot(ctx: Ctx, rec: Record, arg: dict[str, Any]) -> None:
    if arg.get("status") not in ("available", "error", "creating", "deleting",
                                 "error_deleting"):
        raise CINDER.bad(f"Invalid input received: Group snapshot status: "
                         f"{arg.get('status')} is not allowed.")
    rec["status"] = arg["status"]


GROUP_SNAPSHOT_ACTIONS = Actions(CINDER, GROUP_SNAPSHOTS.get, [
    Action("reset_status", _reset_snapshot, {},
           rule="group:reset_group_snapshot_status")], since=(3, 19))
"""``reset_status`` (admin, 3.19)."""


def seed_group(store: Store) -> None:
    """The admin project's consistency group (its two oldest idle volumes) and a group
    snapshot of it (run by :func:`.volumes.seed`'s fill, once the volumes are made)."""
    admin = store.meta.get("admin_project_id")
    idle = sorted((v for v in store.table("volumes").values()
                   if v[VOLUME_PROJECT] == admin and v["status"] == "available"
                   and not v["attachments"]), key=lambda v: v["created_at"])[:2]
    if not idle:
        return
    gid = ident(f"{store.config.seed}:group", "erp-db")
    created = min(v["created_at"] for v in idle)
    cg_type = ident(f"{store.config.seed}:group-type", CG_TYPE)
    store.table("volume_groups")[gid] = {
        "id": gid, "name": "erp-db", "description": "ERP database and its logs",
        "status": "available", "availability_zone": "nova", "created_at": created,
        "_updated_at": created, "group_type": cg_type,
        "volume_types": sorted({v["volume_type_id"] for v in idle}),
        "group_snapshot_id": None, "source_group_id": None,
        "replication_status": "disabled", "project_id": admin}
    for vol in idle:
        vol["group_id"] = gid
    sid = ident(f"{store.config.seed}:group-snapshot", "erp-db-nightly")
    store.table("group_snapshots")[sid] = {
        "id": sid, "group_id": gid, "status": "available", "created_at": cinder_time(),
        "_updated_at": cinder_time(), "name": "erp-db-nightly",
        "description": "before the quarterly upgrade", "group_type_id": cg_type,
        "project_id": admin}
    for vol in idle:
        snap = new_snapshot(store, vol, name=f"erp-db-nightly-{vol['name']}",
                            sid=ident(f"{store.config.seed}:group-snapshot", vol["id"]))
        snap["group_snapshot_id"] = sid


def routes() -> list[BaseRoute]:
    return [*both("/groups/action", group_from_source, ["POST"]),
            *both("/groups/{id}/action", GROUP_ACTIONS.endpoint, ["POST"]),
            *GROUPS.routes(),
            *both("/group_snapshots/{id}/action", GROUP_SNAPSHOT_ACTIONS.endpoint, ["POST"]),
            *GROUP_SNAPSHOTS.routes()]
