"""What a backup does beyond CRUD: restore, export and import of its record, and the
admin actions.

``restore`` writes a backup into a new volume (of its size, within quota) or an existing
available one at least as large: the backup is ``restoring`` and the volume
``restoring-backup`` for the build time, then both ``available``. ``export_record``
(admin) gives the record a backup service needs to know it again, ``import_record``
(admin) makes the backup from such a record in the caller's project (refused when it
still exists). ``os-reset_status`` and ``os-force_delete`` are the admins'.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Action, Actions, Ctx, Field
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, admin_ctx, both, cinder_time, envelope, pending, stamp
from .admin import enforce_quota
from .extra import BACKUP_PROJECT, BACKUPS, VOLUMES, forget_parent
from .volumes import type_by_name, volume

__all__ = ["SERVICE", "routes"]

SERVICE = "cinder.backup.drivers.swift"
"""The backup driver the demo cloud's backup services run."""
_EXPORTED = ("id", "name", "description", "size", "volume_id", "container",
             "availability_zone", "object_count", "is_incremental", "created_at",
             "data_timestamp", "snapshot_id", "user_id", "metadata")


def _available(backup: Record) -> None:
    if backup["status"] != "available":
        raise CINDER.bad(f"Invalid backup: Backup status must be available but "
                         f"{backup['status']}.")


async def restore(request: Request) -> Response:
    ctx = Ctx.of(request)
    backup = BACKUPS.get(ctx, request.path_params["id"])
    arg = envelope(await http.json_body(request), "restore")
    _available(backup)
    project = ctx.token.project_id or ""
    if arg.get("volume_id"):
        vol = VOLUMES.get(ctx, str(arg["volume_id"]))
        if vol["status"] != "available":
            raise CINDER.bad(f"Invalid volume: Volume to be restored to must be available, "
                             f"but the current status is \"{vol['status']}\".")
        if vol["size"] < backup["size"]:
            raise CINDER.bad(f"Invalid volume: volume size {vol['size']} is too small to "
                             f"restore backup of size {backup['size']}.")
    else:
        if arg.get("volume_type") and type_by_name(ctx.store, str(arg["volume_type"])) is None:
            raise ApiError(404, f"Volume type with name {arg['volume_type']} could not be "
                                "found.")
        type_rec = type_by_name(ctx.store, str(arg.get("volume_type") or "__DEFAULT__"))
        enforce_quota(ctx.store, project, type_rec["name"] if type_rec else None, volumes=1,
                      gigabytes=backup["size"])
        vid = CINDER.new_id()
        name = arg.get("name") or f"restore_backup_{backup['id']}"
        vol = VOLUMES.records(ctx.store)[vid] = volume(
            ctx.store, vid, project_id=project, size=backup["size"], type_rec=type_rec,
            created=cinder_time(), user_id=ctx.token.user_id, name=str(name),
            description=f"auto-created_from_restore_from_backup_{backup['id']}")
    pending(ctx.store, backup, busy="restoring",
            release=[(vol, "restoring-backup", "available")])
    return http.json_response({"restore": {"backup_id": backup["id"], "volume_id": vol["id"],
                                           "volume_name": vol["name"]}}, 202)


async def export_record(request: Request) -> Response:
    ctx = admin_ctx(request, "backup:export-import")
    backup = BACKUPS.get(ctx, request.path_params["id"])
    _available(backup)
    record = {k: backup.get(k) for k in _EXPORTED}
    record["project_id"] = backup[BACKUP_PROJECT]
    url = base64.b64encode(json.dumps(record).encode()).decode()
    return http.json_response({"backup-record": {"backup_service": SERVICE,
                                                 "backup_url": url}})


async def import_record(request: Request) -> Response:
    ctx = admin_ctx(request, "backup:backup-import")
    arg = envelope(await http.json_body(request), "backup-record")
    service, url = arg.get("backup_service"), arg.get("backup_url")
    if not isinstance(service, str) or not isinstance(url, str):
        raise CINDER.bad("Incorrect request body format.")
    if service != SERVICE:
        raise ApiError(500, f"Service {service} could not be found.")
    try:
        record = json.loads(base64.b64decode(url.encode(), validate=True))
        assert isinstance(record, dict) and record.get("id") and record.get("size")
    except (binascii.Error, ValueError, AssertionError):
        raise CINDER.bad("Invalid input received: Can't parse backup record.") from None
    table = BACKUPS.records(ctx.store)
    if str(record["id"]) in table:
        raise CINDER.bad("Invalid backup: Backup already exists in database.")
    stamp = cinder_time()
    backup: Record = {
        "id": str(record["id"]), "name": record.get("name"), "description":
        record.get("description"), "status": "creating", "size": int(record["size"]),
        "object_count": record.get("object_count") or 0, "container": record.get("container"),
        "availability_zone": record.get("availability_zone") or "nova",
        "volume_id": record.get("volume_id"), "snapshot_id": record.get("snapshot_id"),
        "fail_reason": None, "is_incremental": bool(record.get("is_incremental")),
        "has_dependent_backups": False, "created_at": record.get("created_at") or stamp,
        "updated_at": stamp, "data_timestamp": record.get("data_timestamp") or stamp,
        "user_id": ctx.token.user_id, "metadata": record.get("metadata") or {},
        "encryption_key_id": None, BACKUP_PROJECT: ctx.token.project_id}
    table[backup["id"]] = backup
    pending(ctx.store, backup)
    links = BACKUPS.shape(ctx, {"id": backup["id"], BACKUP_PROJECT: backup[BACKUP_PROJECT]})
    return http.json_response({"backup": {"id": backup["id"], "links": links["links"],
                                          "name": backup["name"]}}, 201)


def _reset(ctx: Ctx, backup: Record, arg: dict[str, Any]) -> None:
    backup["status"] = arg["status"]


def _force_delete(ctx: Ctx, backup: Record, arg: Any) -> None:
    if backup.get("has_dependent_backups"):
        raise CINDER.bad("Invalid backup: Incremental backups exist for this backup.")
    forget_parent(ctx, backup)
    BACKUPS.records(ctx.store).pop(backup["id"], None)


ADMIN = "volume_extension:backup_admin_actions:"
BACKUP_ACTIONS = Actions(CINDER, BACKUPS.get, [
    Action("os-reset_status", _reset, {"status": Field(choices=("available", "error"),
                                                       required=True)},
           rule=ADMIN + "reset_status"),
    Action("os-force_delete", _force_delete, rule=ADMIN + "force_delete")], done=stamp)


def routes() -> list[BaseRoute]:
    return [*both("/backups/import_record", import_record, ["POST"]),
            *both("/backups/{id}/restore", restore, ["POST"]),
            *both("/backups/{id}/export_record", export_record, ["GET"]),
            *both("/backups/{id}/action", BACKUP_ACTIONS.endpoint, ["POST"])]

