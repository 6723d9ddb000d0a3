"""Cinder volume actions, snapshots, backups and volume types, for :mod:`.block_storage`."""

from __future__ import annotations

import datetime as _dt
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...http import ApiError
from ...store import Record, Store, new_id
from ...store import public as _public
from ...world import SERVER_CHANGED
from .volumes import (
    _link,
    body_of,
    both,
    check_fields,
    check_filters,
    check_int,
    check_metadata,
    check_str,
    cinder_time,
    context,
    find,
    links_for,
    mv,
    refresh,
    respond,
    scoped,
    sort_and_page,
)

__all__ = ["routes"]

SNAP_PROJECT = "os-extended-snapshot-attributes:project_id"
BACKUP_PROJECT = "os-backup-project-attr:project_id"
_SNAP_FILTERS = {"name", "status", "volume_id", "project_id", "all_tenants", "metadata"}
_BACKUP_FILTERS = {"name", "status", "volume_id", "project_id", "all_tenants"}


def new_snapshot(store: Store, volume: Record, *, name: str, description: str | None = None,
                 created_at: _dt.datetime | None = None, status: str = "available") -> Record:
    sid = store.uuid()
    created = cinder_time(created_at)
    rec: Record = {
        "id": sid, "name": name, "description": description, "status": status,
        "size": volume["size"], "volume_id": volume["id"], "metadata": {},
        "created_at": created, "updated_at": created, "user_id": volume["user_id"],
        "os-extended-snapshot-attributes:project_id":
            volume["os-vol-tenant-attr:tenant_id"],
        "os-extended-snapshot-attributes:progress": "100%", "group_snapshot_id": None,
        "consumes_quota": True, "_volume_type": volume["volume_type"]}
    store.table("snapshots")[sid] = rec
    return rec


def new_backup(store: Store, volume: Record, *, name: str, description: str | None = None,
               created_at: _dt.datetime | None = None, status: str = "available",
               incremental: bool = False) -> Record:
    bid = store.uuid()
    created = cinder_time(created_at)
    rec: Record = {
        "id": bid, "name": name, "description": description, "status": status,
        "size": volume["size"], "object_count": max(1, volume["size"] // 2),
        "container": "volumebackups", "availability_zone": volume["availability_zone"],
        "volume_id": volume["id"], "snapshot_id": None, "fail_reason": None,
        "is_incremental": incremental, "has_dependent_backups": False,
        "created_at": created, "updated_at": created, "data_timestamp": created,
        "user_id": volume["user_id"], "metadata": {}, "encryption_key_id": None,
        "os-backup-project-attr:project_id": volume["os-vol-tenant-attr:tenant_id"]}
    store.table("backups")[bid] = rec
    return rec


# --- volume actions ---------------------------------------------------------------------

async def volume_action(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "volumes", request.path_params["volume_id"],
               "os-vol-tenant-attr:tenant_id", "Volume")
    raw = await http.json_body(request)
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ApiError(400, "There is no such action: None")
    (action, arg), = raw.items()
    if action == "os-extend":
        return _extend(request, store, rec, arg)
    if action == "os-reset_status":
        http.require_admin(token, "volume_extension:volume_admin_actions:reset_status")
        if not isinstance(arg, dict) or not isinstance(arg.get("status"), str):
            raise ApiError(400, "Must specify 'status'")
        allowed = {"creating", "available", "deleting", "error", "error_deleting",
                   "error_managing", "managing", "attaching", "in-use", "detaching",
                   "maintenance", "reserved"}
        if arg["status"] not in allowed:
            raise ApiError(400, f"Invalid input for field/attribute status. Value: "
                                f"{arg['status']}. '{arg['status']}' is not one of "
                                f"{sorted(allowed)}")
        rec["status"] = arg["status"]
        rec.pop("_ready_at", None)
        if arg.get("attach_status") == "detached":
            servers = {a.get("server_id") for a in rec["attachments"]}
            rec["attachments"] = []
            for server_id in servers - {None}:
                store.publish(SERVER_CHANGED, server_id=str(server_id))
        rec["updated_at"] = cinder_time()
        return respond(request, None, 202)
    raise ApiError(400, f"There is no such action: {action}")


def _extend(request: Request, store: Store, rec: Record, arg: Any) -> Response:
    from .admin import enforce_quota

    if not isinstance(arg, dict) or "new_size" not in arg:
        raise ApiError(400, "Invalid input for field/attribute os-extend. Value: "
                            f"{arg!r}. 'new_size' is a required property")
    new_size = check_int(arg["new_size"], "new_size")
    if rec["status"] not in ("available",) and not (
            rec["status"] == "in-use" and mv(request) >= (3, 42)):
        raise ApiError(400, f"Invalid volume: Volume {rec['id']} status must be available or "
                            f"in-use, but current status is: {rec['status']}.")
    if new_size <= rec["size"]:
        raise ApiError(400, "Invalid input received: New size for extend must be greater "
                            f"than current size. (current: {rec['size']}, extended: "
                            f"{new_size}).")
    enforce_quota(store, rec["os-vol-tenant-attr:tenant_id"], rec["volume_type"],
                  gigabytes=new_size - rec["size"])
    rec["size"] = new_size
    rec["updated_at"] = cinder_time()
    return respond(request, None, 202)


# --- snapshots ---------------------------------------------------------------------------

def _show_snapshot(token: Any, rec: Record, detail: bool = True) -> Record:
    out = _public(rec)
    if not detail:
        out.pop(SNAP_PROJECT, None)
        out.pop("os-extended-snapshot-attributes:progress", None)
    return out


def _filtered(request: Request, items: list[Record], keys: tuple[str, ...]) -> list[Record]:
    q = request.query_params
    return [r for r in items if all(r.get(k) == q[k] for k in keys if k in q)]


async def _list_snapshots(request: Request, detail: bool) -> Response:
    store, token, project = context(request)
    check_filters(request, token, _SNAP_FILTERS)
    items = [refresh(store, r) for r in scoped(
        request, token, store.table("snapshots").values(), SNAP_PROJECT, project)]
    items = _filtered(request, items, ("name", "status", "volume_id"))
    chunk, nxt = sort_and_page(request, items)
    body: dict[str, Any] = {"snapshots": [_show_snapshot(token, r, detail) for r in chunk]}
    body.update(links_for(request, "snapshots_links", nxt, http.query_int(request, "limit")))
    return respond(request, body)


async def snapshots_index(request: Request) -> Response:
    return await _list_snapshots(request, False)


async def snapshots_detail(request: Request) -> Response:
    return await _list_snapshots(request, True)


async def snapshot_show(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "snapshots", request.path_params["snapshot_id"], SNAP_PROJECT,
               "Snapshot")
    return respond(request, {"snapshot": _show_snapshot(token, rec)})


async def snapshot_create(request: Request) -> Response:
    from .admin import enforce_quota

    store, token, project = context(request)
    obj = body_of(await http.json_body(request), "snapshot")
    check_fields(obj, "snapshot", {"volume_id", "name", "description", "display_name",
                                   "display_description", "force", "metadata"})
    if not obj.get("volume_id"):
        raise ApiError(400, "Invalid input for field/attribute snapshot. Value: "
                            f"{obj!r}. 'volume_id' is a required property")
    volume = find(store, token, "volumes", str(obj["volume_id"]),
                  "os-vol-tenant-attr:tenant_id", "Volume")
    force = obj.get("force", False) in (True, "true", "True", "1")
    if volume["status"] == "in-use" and not force:
        raise ApiError(400, f"Invalid volume: Volume {volume['id']} status must be "
                            "available, but current status is: in-use.")
    if volume["status"] not in ("available", "in-use"):
        raise ApiError(400, f"Invalid volume: Volume {volume['id']} status must be "
                            f"available, but current status is: {volume['status']}.")
    enforce_quota(store, project, volume["volume_type"], snapshots=1,
                  gigabytes=volume["size"])
    rec = new_snapshot(store, volume, name=check_str(obj, "name") or check_str(
        obj, "display_name") or "", description=check_str(obj, "description"),
        status="creating")
    rec["metadata"] = check_metadata(obj)
    rec["user_id"] = token.user_id
    rec["_ready_at"] = time.time() + store.config.build_seconds
    return respond(request, {"snapshot": _show_snapshot(token, rec)}, 202)


async def snapshot_update(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "snapshots", request.path_params["snapshot_id"], SNAP_PROJECT,
               "Snapshot")
    obj = body_of(await http.json_body(request), "snapshot")
    check_fields(obj, "snapshot", {"name", "description", "display_name",
                                   "display_description"})
    for key in ("name", "description"):
        if key in obj:
            rec[key] = check_str(obj, key)
    rec["updated_at"] = cinder_time()
    return respond(request, {"snapshot": _show_snapshot(token, rec)})


async def snapshot_delete(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "snapshots", request.path_params["snapshot_id"], SNAP_PROJECT,
               "Snapshot")
    if rec["status"] not in ("available", "error"):
        raise ApiError(400, "Invalid snapshot: Volume Snapshot status must be available or "
                            "error and must not be part of a group.")
    store.table("snapshots").pop(rec["id"], None)
    return respond(request, None, 202)


# --- backups -----------------------------------------------------------------------------

def _show_backup(request: Request, token: Any, rec: Record, detail: bool = True) -> Record:
    links = _link(request, rec[BACKUP_PROJECT], "backups", rec["id"])
    if not detail:
        return {"id": rec["id"], "name": rec["name"], "links": links}
    out = _public(rec)
    out["links"] = links
    if not token.is_admin:
        out.pop(BACKUP_PROJECT, None)
    return out


async def _list_backups(request: Request, detail: bool) -> Response:
    store, token, project = context(request)
    check_filters(request, token, _BACKUP_FILTERS)
    items = [refresh(store, r) for r in scoped(
        request, token, store.table("backups").values(), BACKUP_PROJECT, project)]
    items = _filtered(request, items, ("name", "status", "volume_id"))
    chunk, nxt = sort_and_page(request, items)
    body: dict[str, Any] = {"backups": [_show_backup(request, token, r, detail)
                                        for r in chunk]}
    body.update(links_for(request, "backups_links", nxt, http.query_int(request, "limit")))
    return respond(request, body)


async def backups_index(request: Request) -> Response:
    return await _list_backups(request, False)


async def backups_detail(request: Request) -> Response:
    return await _list_backups(request, True)


async def backup_show(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "backups", request.path_params["backup_id"], BACKUP_PROJECT,
               "Backup")
    return respond(request, {"backup": _show_backup(request, token, rec)})


async def backup_create(request: Request) -> Response:
    from .admin import enforce_quota

    store, token, project = context(request)
    obj = body_of(await http.json_body(request), "backup")
    check_fields(obj, "backup", {"volume_id", "name", "description", "container",
                                 "incremental", "force", "snapshot_id", "metadata",
                                 "availability_zone"})
    if not obj.get("volume_id"):
        raise ApiError(400, "Invalid input for field/attribute backup. Value: "
                            f"{obj!r}. 'volume_id' is a required property")
    volume = find(store, token, "volumes", str(obj["volume_id"]),
                  "os-vol-tenant-attr:tenant_id", "Volume")
    if volume["status"] == "in-use" and not obj.get("force"):
        raise ApiError(400, f"Invalid volume: Volume {volume['id']} to be backed up must be "
                            "available or in-use, but the current status is \"in-use\".")
    if volume["status"] not in ("available", "in-use"):
        raise ApiError(400, f"Invalid volume: Volume {volume['id']} to be backed up must be "
                            "available or in-use, but the current status is "
                            f"\"{volume['status']}\".")
    enforce_quota(store, project, None, backups=1, backup_gigabytes=volume["size"])
    rec = new_backup(store, volume, name=check_str(obj, "name") or "",
                     description=check_str(obj, "description"), status="creating",
                     incremental=bool(obj.get("incremental")))
    rec["container"] = check_str(obj, "container") or rec["container"]
    rec["metadata"] = check_metadata(obj)
    rec["user_id"] = token.user_id
    rec["_ready_at"] = time.time() + store.config.build_seconds
    return respond(request, {"backup": {"id": rec["id"], "name": rec["name"], "links": _link(
        request, project, "backups", rec["id"])}}, 202)


async def backup_update(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "backups", request.path_params["backup_id"], BACKUP_PROJECT,
               "Backup")
    obj = body_of(await http.json_body(request), "backup")
    check_fields(obj, "backup", {"name", "description", "metadata"})
    for key in ("name", "description"):
        if key in obj:
            rec[key] = check_str(obj, key)
    if "metadata" in obj:
        rec["metadata"] = check_metadata(obj)
    rec["updated_at"] = cinder_time()
    return respond(request, {"backup": _show_backup(request, token, rec)})


async def backup_delete(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "backups", request.path_params["backup_id"], BACKUP_PROJECT,
               "Backup")
    if rec["status"] not in ("available", "error"):
        raise ApiError(400, "Invalid backup: Backup status must be available or error")
    store.table("backups").pop(rec["id"], None)
    return respond(request, None, 202)


# --- volume types ------------------------------------------------------------------------

def _show_type(token: Any, rec: Record) -> Record:
    out = _public(rec)
    if not token.is_admin:
        out.pop("qos_specs_id", None)
    return out


def _find_type(request: Request, token: Any) -> Record:
    store = http.store_of(request)
    tid = request.path_params["type_id"]
    rec = store.table("volume_types").get(tid)
    if rec is None:
        rec = next((t for t in store.table("volume_types").values() if t["name"] == tid),
                   None)
    if rec is None or (not rec["is_public"] and not token.is_admin):
        raise ApiError(404, f"Volume type {tid} could not be found.")
    return rec


async def types_index(request: Request) -> Response:
    store, token, _ = context(request)
    items = [t for t in store.table("volume_types").values()
             if t["is_public"] or token.is_admin]
    raw = request.query_params.get("is_public", "none").lower()
    if raw != "none" and token.is_admin:
        wanted = http.query_bool(request, "is_public")
        items = [t for t in items if t["is_public"] == wanted]
    chunk, nxt = sort_and_page(request, items, default="name")
    body: dict[str, Any] = {"volume_types": [_show_type(token, t) for t in chunk]}
    body.update(links_for(request, "volume_types_links", nxt,
                          http.query_int(request, "limit")))
    return respond(request, body)


async def type_show(request: Request) -> Response:
    _, token, _ = context(request)
    if request.path_params["type_id"] == "default":
        store = http.store_of(request)
        rec = next(t for t in store.table("volume_types").values()
                   if t["name"] == "__DEFAULT__")
    else:
        rec = _find_type(request, token)
    return respond(request, {"volume_type": _show_type(token, rec)})


async def type_create(request: Request) -> Response:
    store, token, _ = context(request)
    http.require_admin(token, "volume_extension:types_manage")
    obj = body_of(await http.json_body(request), "volume_type")
    check_fields(obj, "volume_type", {"name", "description", "extra_specs",
                                      "os-volume-type-access:is_public", "is_public"})
    name = check_str(obj, "name", nullable=False)
    if not name or not name.strip():
        raise ApiError(400, "Invalid input for field/attribute name. Value: ''. '' is too "
                            "short")
    if any(t["name"] == name for t in store.table("volume_types").values()):
        raise ApiError(409, f"Volume Type {name} already exists.")
    specs = obj.get("extra_specs") or {}
    if not isinstance(specs, dict) or not all(isinstance(v, str) for v in specs.values()):
        raise ApiError(400, f"Invalid input for field/attribute extra_specs. Value: "
                            f"{specs!r}. {specs!r} is not of type 'object'")
    public = obj.get("os-volume-type-access:is_public", obj.get("is_public", True))
    public = public in (True, "true", "True", "1")
    tid = new_id()
    rec: Record = {"id": tid, "name": name, "description": check_str(obj, "description"),
                   "is_public": public, "os-volume-type-access:is_public": public,
                   "qos_specs_id": None, "extra_specs": dict(specs),
                   "_backend": specs.get("volume_backend_name", "netapp-hdd")}
    store.table("volume_types")[tid] = rec
    return respond(request, {"volume_type": _show_type(token, rec)})


async def type_update(request: Request) -> Response:
    store, token, _ = context(request)
    http.require_admin(token, "volume_extension:types_manage")
    rec = _find_type(request, token)
    obj = body_of(await http.json_body(request), "volume_type")
    check_fields(obj, "volume_type", {"name", "description", "is_public"})
    if "name" in obj:
        rec["name"] = check_str(obj, "name", nullable=False)
    if "description" in obj:
        rec["description"] = check_str(obj, "description")
    if "is_public" in obj:
        rec["is_public"] = rec["os-volume-type-access:is_public"] = bool(obj["is_public"])
    return respond(request, {"volume_type": _show_type(token, rec)})


async def type_delete(request: Request) -> Response:
    store, token, _ = context(request)
    http.require_admin(token, "volume_extension:types_manage")
    rec = _find_type(request, token)
    if rec["name"] == "__DEFAULT__":
        raise ApiError(400, "Invalid volume type: Default volume type can not be deleted.")
    if any(v["volume_type_id"] == rec["id"] for v in store.table("volumes").values()):
        raise ApiError(400, f"Target volume type is still in use. Volume Type {rec['id']} "
                            "deletion is not allowed with volumes present with the type.")
    store.table("volume_types").pop(rec["id"], None)
    return respond(request, None, 202)


async def type_extra_specs(request: Request) -> Response:
    store, token, _ = context(request)
    rec = _find_type(request, token)
    key = request.path_params.get("key")
    if request.method == "GET":
        if key is None:
            return respond(request, {"extra_specs": dict(rec["extra_specs"])})
        if key not in rec["extra_specs"]:
            raise ApiError(404, f"Volume Type {rec['id']} has no extra specs with key "
                                f"{key}.")
        return respond(request, {key: rec["extra_specs"][key]})
    http.require_admin(token, "volume_extension:types_manage")
    if request.method == "DELETE":
        if key is None or key not in rec["extra_specs"]:
            raise ApiError(404, f"Volume Type {rec['id']} has no extra specs with key "
                                f"{key}.")
        del rec["extra_specs"][key]
        return respond(request, None, 202)
    raw = await http.json_body(request)
    specs = raw.get("extra_specs") if isinstance(raw, dict) and key is None else raw
    if not isinstance(specs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in specs.items()) or (
            key is not None and list(specs) != [key]):
        raise ApiError(400, "Invalid input for field/attribute extra_specs. Value: "
                            f"{raw!r}. {raw!r} is not of type 'object'")
    rec["extra_specs"].update(specs)
    return respond(request, specs if key is not None else {"extra_specs": specs})


def routes() -> list[BaseRoute]:
    return [
        *both("/snapshots", snapshots_index, ["GET"]),
        *both("/snapshots", snapshot_create, ["POST"]),
        *both("/snapshots/detail", snapshots_detail, ["GET"]),
        *both("/snapshots/{snapshot_id}", snapshot_show, ["GET"]),
        *both("/snapshots/{snapshot_id}", snapshot_update, ["PUT"]),
        *both("/snapshots/{snapshot_id}", snapshot_delete, ["DELETE"]),
        *both("/backups", backups_index, ["GET"]),
        *both("/backups", backup_create, ["POST"]),
        *both("/backups/detail", backups_detail, ["GET"]),
        *both("/backups/{backup_id}", backup_show, ["GET"]),
        *both("/backups/{backup_id}", backup_update, ["PUT"]),
        *both("/backups/{backup_id}", backup_delete, ["DELETE"]),
        *both("/types", types_index, ["GET"]),
        *both("/types", type_create, ["POST"]),
        *both("/types/{type_id}", type_show, ["GET"]),
        *both("/types/{type_id}", type_update, ["PUT"]),
        *both("/types/{type_id}", type_delete, ["DELETE"]),
        *both("/types/{type_id}/extra_specs", type_extra_specs, ["GET", "POST"]),
        *both("/types/{type_id}/extra_specs/{key}", type_extra_specs,
              ["GET", "PUT", "DELETE"]),
    ]
