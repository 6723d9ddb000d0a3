"""The legacy consistency groups and cgsnapshots (``/consistencygroups``,
``/cgsnapshots``), answered as Cinder answers them today: as views of the generic groups
and group snapshots (:mod:`.groups`). A consistency group made here is a group of the
``default_cgsnapshot_type``, its volume types given comma-separated.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, Cinder, both, envelope, pending
from .admin import enforce_quota
from .group_types import CG_TYPE, GROUP_TYPES
from .groups import (
    GROUP_SNAPSHOTS,
    GROUPS,
    csv_ids,
    delete_group,
    group_copy,
    group_volumes,
    resolve_types,
)

__all__ = ["routes"]


# --- the legacy consistency groups, as views of the groups --------------------------------

def _cg(ctx: Ctx, group: Record, detail: bool) -> Record:
    if not detail:
        return {"id": group["id"], "name": group["name"]}
    return {k: group.get(k) for k in ("id", "status", "availability_zone", "created_at",
                                      "name", "description", "volume_types")}


def _cgsnap(rec: Record, detail: bool) -> Record:
    if not detail:
        return {"id": rec["id"], "name": rec["name"]}
    return {"id": rec["id"], "consistencygroup_id": rec["group_id"], "status": rec["status"],
            "created_at": rec["created_at"], "name": rec["name"],
            "description": rec.get("description")}


def _visible(ctx: Ctx, coll: Cinder) -> list[Record]:
    every = ctx.admin and http.query_bool(ctx.request, "all_tenants")
    project = ctx.token.project_id
    return sorted((r for r in coll.records(ctx.store).values()
                   if every or r["project_id"] == project),
                  key=lambda r: r["created_at"], reverse=True)


async def cg_list(request: Request) -> Response:
    ctx = Ctx.of(request)
    detail = request.url.path.endswith("/detail")
    return http.json_response({"consistencygroups": [_cg(ctx, g, detail)
                                                     for g in _visible(ctx, GROUPS)]})


async def cg_show(request: Request) -> Response:
    ctx = Ctx.of(request)
    group = _cg_get(ctx, request.path_params["id"])
    return http.json_response({"consistencygroup": _cg(ctx, group, True)})


def _cg_get(ctx: Ctx, ident: str) -> Record:
    try:
        return GROUPS.get(ctx, ident)
    except ApiError:
        raise ApiError(404, f"Group {ident} could not be found.") from None


async def cg_create(request: Request) -> Response:
    """A group of the ``default_cgsnapshot_type`` (its volume types comma-separated)."""
    ctx = Ctx.of(request)
    arg = envelope(await http.json_body(request), "consistencygroup")
    types = csv_ids(arg.get("volume_types"), "volume_types")
    if not types:
        raise CINDER.bad("volume_types must be provided to create consistency group "
                         f"{arg.get('name')}.")
    cg_type = next((t for t in GROUP_TYPES.records(ctx.store).values()
                    if t["name"] == CG_TYPE), None)
    if cg_type is None:
        raise CINDER.bad(f"Group type {CG_TYPE} not found. Rerun online schema migration "
                         "to create it.")
    zone = arg.get("availability_zone") or "nova"
    if zone != "nova":
        raise CINDER.bad(f"Invalid input received: Availability zone '{zone}' is invalid.")
    enforce_quota(ctx.store, ctx.token.project_id or "", None, groups=1)
    record = GROUPS.new_record(ctx, {
        "name": arg.get("name"), "description": arg.get("description"),
        "status": "creating", "availability_zone": zone, "group_type": cg_type["id"],
        "volume_types": resolve_types(ctx, types), "group_snapshot_id": None,
        "source_group_id": None, "replication_status": "disabled"})
    GROUPS.records(ctx.store)[record["id"]] = record
    pending(ctx.store, record)
    return http.json_response({"consistencygroup": _cg(ctx, record, True)}, 202)


async def cg_from_source(request: Request) -> Response:
    ctx = Ctx.of(request)
    arg = envelope(await http.json_body(request), "consistencygroup-from-src")
    snap_id, src_id = arg.get("cgsnapshot_id"), arg.get("source_cgid")
    if bool(snap_id) == bool(src_id):
        raise CINDER.bad("Invalid input received: Either 'cgsnapshot' or 'source_cg' must "
                         "be provided to create consistency group from source.")
    if snap_id:
        gsnap = _cgsnap_get(ctx, str(snap_id))
        source = GROUPS.records(ctx.store)[gsnap["group_id"]]
        members = [s for s in ctx.store.table("snapshots").values()
                   if s.get("group_snapshot_id") == gsnap["id"]]
    else:
        source = _cg_get(ctx, str(src_id))
        members = group_volumes(ctx.store, source["id"])
    made = group_copy(ctx, source, arg, members, str(snap_id or ""), str(src_id or ""))
    return http.json_response({"consistencygroup": {"id": made["id"],
                                                    "name": made["name"]}}, 202)


async def cg_delete(request: Request) -> Response:
    ctx = Ctx.of(request)
    group = _cg_get(ctx, request.path_params["id"])
    raw = await http.json_body(request, required=False)
    arg = raw.get("consistencygroup", {}) if isinstance(raw, dict) else {}
    force = isinstance(arg, dict) and arg.get("force") in (True, "true", "True", "1")
    delete_group(ctx, group, force)
    return http.json_response(None, 202)


async def cg_update(request: Request) -> Response:
    ctx = Ctx.of(request)
    group = _cg_get(ctx, request.path_params["id"])
    arg = envelope(await http.json_body(request), "consistencygroup")
    changes: dict[str, Any] = {k: arg[k] for k in ("name", "description", "add_volumes", "remove_volumes")
               if k in arg}
    GROUPS.on_update(ctx, group, changes)
    group.update(changes)
    return http.json_response(None, 202)


def _cgsnap_get(ctx: Ctx, ident: str) -> Record:
    try:
        return GROUP_SNAPSHOTS.get(ctx, ident)
    except ApiError:
        raise ApiError(404, f"GroupSnapshot {ident} could not be found.") from None


async def cgsnap_list(request: Request) -> Response:
    ctx = Ctx.of(request)
    detail = request.url.path.endswith("/detail")
    return http.json_response({"cgsnapshots": [_cgsnap(r, detail)
                                                for r in _visible(ctx, GROUP_SNAPSHOTS)]})


async def cgsnap_one(request: Request) -> Response:
    ctx = Ctx.of(request)
    rec = _cgsnap_get(ctx, request.path_params["id"])
    if request.method == "DELETE":
        GROUP_SNAPSHOTS.may_change(ctx, rec, "delete")
        GROUP_SNAPSHOTS.on_delete(ctx, rec)
        GROUP_SNAPSHOTS.records(ctx.store).pop(rec["id"], None)
        return http.json_response(None, 202)
    return http.json_response({"cgsnapshot": _cgsnap(rec, True)})


async def cgsnap_create(request: Request) -> Response:
    ctx = Ctx.of(request)
    arg = envelope(await http.json_body(request), "cgsnapshot")
    if not arg.get("consistencygroup_id"):
        raise CINDER.bad("'consistencygroup_id' must be specified")
    group = _cg_get(ctx, str(arg["consistencygroup_id"]))
    record = GROUP_SNAPSHOTS.new_record(ctx, {"name": arg.get("name"),
                                              "description": arg.get("description"),
                                              "group_id": group["id"]})
    GROUP_SNAPSHOTS.on_create(ctx, record, arg)
    GROUP_SNAPSHOTS.records(ctx.store)[record["id"]] = record
    return http.json_response({"cgsnapshot": {"id": record["id"],
                                              "name": record["name"]}}, 202)



def routes() -> list[BaseRoute]:
    return [*both("/consistencygroups", cg_list, ["GET"]),
            *both("/consistencygroups/detail", cg_list, ["GET"]),
            *both("/consistencygroups/create_from_src", cg_from_source, ["POST"]),
            *both("/consistencygroups", cg_create, ["POST"]),
            *both("/consistencygroups/{id}", cg_show, ["GET"]),
            *both("/consistencygroups/{id}/delete", cg_delete, ["POST"]),
            *both("/consistencygroups/{id}/update", cg_update, ["PUT"]),
            *both("/cgsnapshots", cgsnap_list, ["GET"]),
            *both("/cgsnapshots/detail", cgsnap_list, ["GET"]),
            *both("/cgsnapshots", cgsnap_create, ["POST"]),
            *both("/cgsnapshots/{id}", cgsnap_one, ["GET", "DELETE"])]
