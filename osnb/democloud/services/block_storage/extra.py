"""Cinder's resources as declarations: volumes, snapshots, backups and volume types, with
what is their own — creates that check their source and quota, deletes that refuse busy
objects, and a type's extra specs (the volume actions are in :mod:`.actions`)."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx, Field, Filter
from ...http import ApiError
from ...store import Record, now
from . import messages
from ._dialect import CINDER, DEFAULT_TYPE, Cinder, both, cinder_time, mv, pending, specs_answer
from .admin import enforce_quota
from .operators import backend_disabled, host_frozen
from .volumes import (
    image_metadata,
    new_backup,
    new_snapshot,
    type_by_name,
    volume,
)

__all__ = ["BACKUPS", "SNAPSHOTS", "TYPES", "VOLUMES", "routes"]

VOLUME_PROJECT = "os-vol-tenant-attr:tenant_id"
SNAP_PROJECT = "os-extended-snapshot-attributes:project_id"
BACKUP_PROJECT = "os-backup-project-attr:project_id"

TEXT = Field(nullable=True, max_length=255, filter="exact")
SOURCE = Field(type="any", create_only=True, nullable=True)
"""A create's own key, taken as sent (``null`` too)."""
SHOWN = Field(read_only=True, filter="exact")
ADMIN = Field(read_only=True, admin_only=True)
METADATA = Field(type="dict", items="str", nullable=True)


def _metadata(values: list[str]) -> Callable[[Any], bool]:
    """Cinder's ``metadata={'k': 'v'}`` filter: every pair present."""
    try:
        wanted = ast.literal_eval(values[-1])
    except (ValueError, SyntaxError):
        wanted = None
    if not isinstance(wanted, dict):
        raise CINDER.bad(f"Invalid input received: Invalid metadata filter {values[-1]!r}.")
    pairs = {str(k): str(v) for k, v in wanted.items()}
    return lambda meta: all((meta or {}).get(k) == v for k, v in pairs.items())


def _bootable(values: list[str]) -> Callable[[Any], bool]:
    want = str(values[-1].lower() in ("1", "true", "t", "yes")).lower()
    return lambda value: value == want


def _name_like(values: list[str]) -> Callable[[Any], bool]:
    part = values[-1].lower()
    return lambda name: part in (name or "").lower()


def _is_public(values: list[str]) -> Callable[[Any], bool]:
    raw = values[-1].strip().lower()
    want = raw in ("1", "true", "t", "yes", "y", "on", "")
    return (lambda _v: True) if raw == "none" else (lambda value: value == want)


STAMP = Field(read_only=True, filter="range")
"""A timestamp, filtered as ``created_at=gt:2026-01-01T00:00:00`` (``gte``, ``lt``, …)."""
LISTED = {"name": TEXT, "status": SHOWN, "user_id": SHOWN, "size": Field(read_only=True),
          "created_at": STAMP, "updated_at": STAMP}
"""What every Cinder record filters and sorts on."""
ALIASES = {"display_name": TEXT, "display_description": TEXT}
METADATA_FILTER = Filter(match=_metadata)


def _aliased(values: dict[str, Any]) -> dict[str, Any]:
    """``display_name`` and ``display_description`` (Cinder v1's words) as their new names."""
    for alias, key in (("display_name", "name"), ("display_description", "description")):
        if alias in values:
            values[key] = values.pop(alias)
    if values.get("metadata", {}) is None:
        values["metadata"] = {}
    return values


def _busy(what: str, vol: Record, force: Any) -> None:
    """Refuse a snapshot or backup of a volume that is neither available nor (forced)
    in use."""
    if vol["status"] in ("available", "in-use") and (vol["status"] == "available" or force):
        return
    if what == "snapshot":
        raise CINDER.bad(f"Invalid volume: Volume {vol['id']} status must be available, but "
                         f"current status is: {vol['status']}.")
    raise CINDER.bad(f"Invalid volume: Volume {vol['id']} to be backed up must be available "
                     f"or in-use, but the current status is \"{vol['status']}\".")


SNAPSHOT_SINCE = {"group_snapshot_id": (3, 14), "user_id": (3, 41),
                  "consumes_quota": (3, 65)}
BACKUP_SINCE = {"os-backup-project-attr:project_id": (3, 18), "metadata": (3, 43),
                "user_id": (3, 56), "encryption_key_id": (3, 64)}
"""The keys a record shows from a microversion on (Cinder's views)."""


def since(ctx: Ctx, record: Record, keys: Mapping[str, tuple[int, int]]) -> Record:
    """``record`` without the keys its microversion does not show yet."""
    version = mv(ctx.request)
    for key, first in keys.items():
        if version < first:
            record.pop(key, None)
    return record


def brief(record: Record) -> Record:
    """A volume or backup as ``GET /<plural>`` lists it."""
    return {k: record.get(k) for k in ("id", "name", "links")}


def _join_group(ctx: Ctx, group_id: str, type_rec: Record) -> str:
    """The group a new volume is made in: the caller's, available, of the volume's type."""
    group = ctx.store.table("volume_groups").get(group_id)
    if group is None or (group["project_id"] != ctx.token.project_id and not ctx.admin):
        raise ApiError(404, f"Group {group_id} could not be found.")
    if group["status"] != "available":
        raise CINDER.bad(f"Invalid group: Group {group_id} status must be available, but "
                         f"current status is: {group['status']}.")
    if type_rec["id"] not in group["volume_types"]:
        raise CINDER.bad(f"Invalid input received: Invalid volume_type provided: "
                         f"{type_rec['id']}. The group {group_id} does not support it.")
    return group_id


def _rebuild(record: Record, built: Record) -> None:
    record.clear()
    record.update(built)


@dataclass(eq=False)
class Volumes(Cinder):
    """A volume: made from a size, a snapshot, a volume or an image, in a type and a zone,
    within quota; deleted only when idle (``cascade`` takes its snapshots)."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record = super().shape(ctx, record)
        if not record.get("encryption_key_id") or mv(ctx.request) < (3, 64):
            # Cinder shows the key id (3.64) only of a volume that has one
            record.pop("encryption_key_id", None)
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        values, store = _aliased(record), ctx.store
        source: Record | None = None
        if body.get("snapshot_id"):
            source = SNAPSHOTS.get(ctx, str(body["snapshot_id"]))
        elif body.get("source_volid"):
            source = self.get(ctx, str(body["source_volid"]))
        if values.get("size") is None and source is None:
            raise CINDER.bad(f"Invalid input for field/attribute volume. Value: {body!r}. "
                             "'size' is a required property")
        size: int = values["size"] if values.get("size") is not None else source["size"]  # type: ignore[index]
        if source is not None and size < source["size"]:
            raise CINDER.bad(f"Invalid input received: Volume size '{size}'GB cannot be "
                             f"smaller than the source size {source['size']}GB.")
        image_id = body.get("imageRef") or body.get("image_id")
        image = store.table("images").get(str(image_id)) or {}
        if image_id is not None and image.get("status") != "active":
            raise CINDER.bad("Invalid image identifier or unable to access requested image.")
        type_name = body.get("volume_type") or store.table("volume_default_types").get(
            ctx.token.project_id or "", {}).get("volume_type_id") or DEFAULT_TYPE
        if (type_rec := type_by_name(store, str(type_name))) is None or \
                not TYPES.visible(ctx, type_rec):
            raise ApiError(404, f"Volume type with name {type_name} could not be found.")
        if (zone := body.get("availability_zone") or "nova") != "nova":
            raise CINDER.bad(f"Invalid input received: Availability zone '{zone}' is invalid.")
        project = ctx.token.project_id or ""
        enforce_quota(store, project, type_rec["name"], volumes=1, gigabytes=size)
        built = volume(store, record["id"], project_id=project, size=size, type_rec=type_rec,
                       created=cinder_time(), user_id=ctx.token.user_id, status="creating",
                       name=values.get("name") or "", description=values.get("description"),
                       metadata=values.get("metadata"))
        for key in ("snapshot_id", "source_volid"):
            if body.get(key):
                built[key] = body[key]
        if body.get("group_id"):
            built["group_id"] = _join_group(ctx, str(body["group_id"]), type_rec)
        built["multiattach"] = bool(body.get("multiattach", False))
        if type_rec.get("_encryption"):
            # a key made for it in the key manager (Barbican's ids are uuids)
            built["encrypted"], built["encryption_key_id"] = True, CINDER.new_id()
        if image_id:
            built["bootable"] = "true"
            built["volume_image_metadata"] = image_metadata(image)
        _rebuild(record, built)
        if backend_disabled(store, built["os-vol-host-attr:host"]):
            # the scheduler finds no enabled backend for the type: error, and a message
            record["status"] = "error"
            messages.new_message(store, project=project, resource_uuid=record["id"],
                                 event=messages.NO_BACKEND, at=now())
            return
        pending(store, record)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if not changes:
            raise CINDER.bad("Invalid input for field/attribute volume. Value: {}. {} does "
                             "not have enough properties")
        _aliased(changes)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        snaps = [s for s in ctx.store.table("snapshots").values()
                 if s["volume_id"] == record["id"]]
        if (record["status"] not in ("available", "error", "error_restoring",
                                     "error_extending", "error_managing")
                or record["attachments"] or record.get("group_id")
                or (snaps and not http.query_bool(ctx.request, "cascade"))):
            raise CINDER.bad(
                "Invalid volume: Volume status must be available or error or error_restoring "
                "or error_extending or error_managing and must not be migrating, attached, "
                "belong to a group, have snapshots, awaiting a transfer, or be disassociated "
                "from snapshots after volume transfer.")
        if host_frozen(ctx.store, record.get("os-vol-host-attr:host")):
            raise CINDER.bad("Invalid input received: Volume is frozen: its backend "
                             f"{record['os-vol-host-attr:host']} is frozen.")
        for snap in snaps:
            ctx.store.table("snapshots").pop(snap["id"], None)


VOLUMES = Volumes(
    "volume", "volumes", project_key=VOLUME_PROJECT, counted=True,
    rules={"list": "volume:get_all"},
    summary=brief, linked=True,
    fields={**LISTED, **ALIASES, "description": TEXT, "metadata": METADATA,
            "size": Field(type="int", lenient=True, minimum=1, create_only=True),
            "availability_zone": dataclasses.replace(SOURCE, filter="exact"),
            "group_id": dataclasses.replace(SOURCE, filter="exact"),
            "bootable": SOURCE, "volume_type": SOURCE, "multiattach": SOURCE,
            "snapshot_id": SOURCE, "source_volid": SOURCE, "imageRef": SOURCE,
            "image_id": SOURCE, "backup_id": SOURCE, "consistencygroup_id": SOURCE,
            "scheduler_hints": SOURCE, "encrypted": Field(read_only=True),
            **dict.fromkeys(("os-vol-host-attr:host", "os-vol-mig-status-attr:migstat",
                             "os-vol-mig-status-attr:name_id", "provider_id",
                             "cluster_name", "service_uuid", "shared_targets"), ADMIN)},
    filters={"metadata": METADATA_FILTER, "bootable": Filter(match=_bootable),
             "name~": Filter(key="name", match=_name_like),
             "volume_type": Filter(key=lambda r: (r["volume_type"], r["volume_type_id"]),
                                   match=lambda v: lambda names: v[-1] in names),
             "project_id": Filter(key=VOLUME_PROJECT)})


@dataclass(eq=False)
class Snapshots(Cinder):
    """A snapshot of an idle (or, forced, an attached) volume, within quota."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        return since(ctx, super().shape(ctx, record), SNAPSHOT_SINCE)

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        values, store = _aliased(record), ctx.store
        vol = VOLUMES.get(ctx, str(body["volume_id"]))
        _busy("snapshot", vol, body.get("force", False) in (True, "true", "True", "1"))
        enforce_quota(store, ctx.token.project_id or "", vol["volume_type"], snapshots=1,
                      gigabytes=vol["size"])
        built = new_snapshot(store, vol, name=values.get("name") or "", status="creating",
                             description=values.get("description"), sid=record["id"])
        built.update(metadata=values.get("metadata") or {}, user_id=ctx.token.user_id)
        _rebuild(record, built)
        pending(store, record)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        _aliased(changes)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["status"] not in ("available", "error"):
            raise CINDER.bad("Invalid snapshot: Volume Snapshot status must be available or "
                             "error and must not be part of a group.")


SNAPSHOTS = Snapshots(
    "snapshot", "snapshots", project_key=SNAP_PROJECT, rules={"list": "volume:get_all"},
    summary=lambda r: {k: v for k, v in r.items() if k not in (
        SNAP_PROJECT, "os-extended-snapshot-attributes:progress")},
    fields={**LISTED, **ALIASES, "description": TEXT, "force": SOURCE,
            "metadata": dataclasses.replace(METADATA, create_only=True),
            "volume_id": Field(type="any", required=True, create_only=True, filter="exact")},
    filters={"metadata": METADATA_FILTER, "project_id": Filter(key=SNAP_PROJECT)})


@dataclass(eq=False)
class Backups(Cinder):
    """A backup of an idle (or, forced, an attached) volume, within the backup quota; a
    create answers the brief form."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record = since(ctx, super().shape(ctx, record), BACKUP_SINCE)
        if ctx.request.method == "POST":
            return brief(record)
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        vol = VOLUMES.get(ctx, str(body["volume_id"]))
        _busy("backup", vol, body.get("force"))
        incremental = body.get("incremental") in (True, "true", "True", "1")
        parent = None
        if incremental:
            fulls = sorted((b for b in self.records(ctx.store).values()
                            if b["volume_id"] == vol["id"] and b["status"] == "available"),
                           key=lambda b: b["created_at"])
            if not fulls:
                raise CINDER.bad("Invalid backup: No backups available to do an "
                                 "incremental backup.")
            parent = fulls[-1]
        enforce_quota(ctx.store, ctx.token.project_id or "", None, backups=1,
                      backup_gigabytes=vol["size"])
        built = new_backup(ctx.store, vol, name=record.get("name") or "", status="creating",
                           description=record.get("description"),
                           incremental=incremental, bid=record["id"])
        built.update(container=record.get("container") or built["container"],
                     metadata=record.get("metadata") or {}, user_id=ctx.token.user_id,
                     _parent_id=parent["id"] if parent else None)
        if parent is not None:
            parent["has_dependent_backups"] = True
        _rebuild(record, built)
        pending(ctx.store, record, release=[(vol, "backing-up", vol["status"])])

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        _aliased(changes)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["status"] not in ("available", "error"):
            raise CINDER.bad("Invalid backup: Backup status must be available or error")
        if record.get("has_dependent_backups"):
            raise CINDER.bad("Invalid backup: Incremental backups exist for this backup.")
        forget_parent(ctx, record)


def forget_parent(ctx: Ctx, record: Record) -> None:
    """A deleted incremental backup's parent has one dependent fewer."""
    parent = ctx.store.table("backups").get(record.get("_parent_id") or "")
    if parent is not None:
        parent["has_dependent_backups"] = any(
            b.get("_parent_id") == parent["id"] for b in ctx.store.table("backups").values()
            if b["id"] != record["id"])


BACKUPS = Backups(
    "backup", "backups", project_key=BACKUP_PROJECT, rules={"list": "volume:get_all"},
    summary=brief, linked=True,
    fields={**LISTED, "description": TEXT, "metadata": METADATA,
            "volume_id": Field(type="any", required=True, create_only=True, filter="exact"),
            "container": Field(nullable=True, max_length=255, create_only=True),
            **dict.fromkeys(("incremental", "force", "snapshot_id", "availability_zone"),
                            SOURCE), BACKUP_PROJECT: ADMIN},
    filters={"project_id": Filter(key=BACKUP_PROJECT)})


@dataclass(eq=False)
class Types(Cinder):
    """A volume type: found by id or name (``default``: the default type), public or for
    admins only, with unique names; the default one and one in use stay."""

    def get(self, ctx: Ctx, ident: str) -> Record:
        table = self.records(ctx.store)
        if ident == "default" and ctx.request.method == "GET":
            ident = DEFAULT_TYPE
        rec = table.get(ident) or next((t for t in table.values() if t["name"] == ident),
                                       None)
        if rec is None or not self.visible(ctx, rec):
            raise self.dialect.not_found(self.singular, ident)
        return rec

    def shape(self, ctx: Ctx, record: Record) -> Record:
        if ctx.request.url.path.endswith("/types/default"):
            # Cinder's access extension finds no cached type under the id "default"
            record.pop("os-volume-type-access:is_public", None)
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        name = record.get("name")
        if name is None:
            raise CINDER.invalid("name", None, "null")
        if not name.strip():
            raise CINDER.bad("Invalid input for field/attribute name. Value: ''. '' is too "
                             "short")
        if any(t["name"] == name for t in self.records(ctx.store).values()):
            raise ApiError(409, f"Volume Type {name} already exists.")
        public = body.get("os-volume-type-access:is_public", body.get("is_public", True)) \
            in (True, "true", "True", "1")
        specs = record.get("extra_specs") or {}
        _rebuild(record, {
            "id": record["id"], "name": name, "description": record.get("description"),
            "is_public": public, "os-volume-type-access:is_public": public,
            "qos_specs_id": None, "extra_specs": dict(specs),
            "_backend": specs.get("volume_backend_name", "netapp-hdd")})

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "is_public" in changes:
            changes["is_public"] = changes["os-volume-type-access:is_public"] = bool(
                changes["is_public"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["name"] == DEFAULT_TYPE:
            raise CINDER.bad("Invalid volume type: Default volume type can not be deleted.")
        if any(v["volume_type_id"] == record["id"]
               for v in ctx.store.table("volumes").values()):
            raise CINDER.bad(f"Target volume type is still in use. Volume Type "
                             f"{record['id']} deletion is not allowed with volumes present "
                             "with the type.")


TYPES = Types(
    "volume_type", "volume_types", path="types", project_key=None, write="admin",
    dialect=dataclasses.replace(CINDER, unknown_filters_refused=False),
    visibility=lambda ctx, r: bool(r["is_public"]) or ctx.token.project_id in r.get(
        "_access", ()), timestamps=None, create_status=200,
    default_sort_keys=(("name", "desc"),),
    rules=dict.fromkeys(("create", "update", "delete"), "volume_extension:types_manage"),
    fields={"name": Field(max_length=255), "description": Field(nullable=True,
                                                                max_length=255),
            "is_public": Field(type="any", nullable=True), "qos_specs_id": ADMIN,
            "os-volume-type-access:is_public": SOURCE,
            "extra_specs": Field(type="dict", items="str", nullable=True, create_only=True)},
    filters={"is_public": Filter(admin_only=True, match=_is_public)})


# --- what is not CRUD ----------------------------------------------------------------------

def _no_spec(rec: Record, key: str | None) -> ApiError:
    return ApiError(404, f"Volume Type {rec['id']} has no extra specs with key {key}.")


async def type_extra_specs(request: Request) -> Response:
    """A type's extra specs: read by anyone who sees the type, set and unset by admins."""
    ctx = Ctx.of(request)
    rec = TYPES.get(ctx, request.path_params["id"])
    return await specs_answer(request, ctx.token, rec["extra_specs"], "extra_specs",
                              "volume_extension:types_manage", lambda key: _no_spec(rec, key))


def routes() -> list[BaseRoute]:
    return [*VOLUMES.routes(), *SNAPSHOTS.routes(), *BACKUPS.routes(), *TYPES.routes(),
            *both("/types/{id}/extra_specs", type_extra_specs, ["GET", "POST"]),
            *both("/types/{id}/extra_specs/{key}", type_extra_specs,
                  ["GET", "PUT", "DELETE"])]
