"""The volume actions of an operator and of Nova, beyond the attach flow of :mod:`.actions`.

``os-migrate_volume`` (admin) moves a volume to another backend: ``migration_status``
``migrating`` for the build time, then ``success`` on the new host; a volume with
snapshots, one migrating, or one already there is refused. ``os-migrate_volume_completion``
(Nova's swap) needs one of the two volumes migrating. ``os-volume_upload_image`` asks the
image service, through the store (:data:`...world.IMAGE_FROM_VOLUME`), for an image of
the volume, which is ``uploading`` meanwhile. ``os-update_readonly_flag`` makes a volume
attachable read-only only; ``os-initialize_connection``/``os-terminate_connection`` give
and drop a host's connection; ``os-force_detach`` (admin) detaches whatever is attached;
the image metadata actions read and write ``volume_image_metadata``;
``os-extend_volume_completion`` (3.71) finishes an ``extending`` volume; ``os-reimage``
(3.68) writes an image onto a volume (``downloading``); ``os-unmanage`` (admin) lets go
of a volume, which stays on its backend (listed as manageable, :mod:`.manage`).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ... import http, world
from ...engine import Action, Ctx
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, FALSE_WORDS, POOLS, TRUE_WORDS, cinder_time, pending
from ._dialect import invalid_volume as _invalid
from .extra import VOLUME_PROJECT, VOLUMES
from .volumes import ATTACHMENTS_TABLE, connection_info, detach, image_metadata

__all__ = ["ACTIONS", "UNMANAGED", "pools_of_host"]

UNMANAGED = "_cinder_unmanaged"
"""Volumes and snapshots on the backends that Cinder does not manage, by backend host
(``host@backend``): what ``manageable_volumes`` lists as safe to manage."""
def pools_of_host(name: str) -> list[str]:
    """The pools (``host@backend#pool``) a migration target names: a pool, or a backend
    (``host@backend``: its pools)."""
    return [p[0] for p in POOLS if name in (p[0], p[0].split("#")[0])]


def migrate(ctx: Ctx, vol: Record, arg: Any) -> None:
    target = arg.get("host") or arg.get("cluster")
    if not isinstance(target, str) or not target:
        raise CINDER.bad("Must specify 'host'.")
    pools = pools_of_host(target)
    if not pools:
        raise CINDER.bad(f"Invalid host: No available service named {target}")
    if vol["status"] not in ("available", "in-use"):
        raise _invalid(f"Volume {vol['id']} status must be available or in-use, but "
                       f"current status is: {vol['status']}.")
    if vol.get("migration_status") not in (None, "success", "error"):
        raise _invalid(f"Volume {vol['id']} is already part of an active migration.")
    if any(s["volume_id"] == vol["id"] for s in ctx.store.table("snapshots").values()):
        raise _invalid(f"Volume {vol['id']} must not have snapshots.")
    if vol.get("group_id"):
        raise _invalid(f"Volume {vol['id']} must not be part of a group.")
    if vol["os-vol-host-attr:host"] in pools or vol["os-vol-host-attr:host"].split("#")[0] \
            == target:
        raise CINDER.bad("Invalid host: Destination host must be different than the "
                         "current host.")
    done = {"os-vol-host-attr:host": pools[0], "os-vol-mig-status-attr:migstat": "success"}
    vol["os-vol-mig-status-attr:migstat"] = "migrating"
    pending(ctx.store, vol, key="migration_status", busy="migrating", done="success",
            then=done)


def migrate_completion(ctx: Ctx, vol: Record, arg: Any) -> Response:
    if not arg.get("new_volume"):
        raise CINDER.bad("Must specify 'new_volume'")
    new = VOLUMES.records(ctx.store).get(str(arg["new_volume"]))
    if new is None:
        raise ApiError(404, f"Volume {arg['new_volume']} could not be found.")
    if not vol.get("migration_status") and not new.get("migration_status"):
        raise _invalid("Source and destination volumes are not in migration.")
    if arg.get("error") in (True, "true", "True"):
        vol["migration_status"] = "error"
        return http.json_response({"save_volume_id": vol["id"]})
    # the new volume's data under the old id: Nova keeps the attachment it swapped to
    vol.update({"os-vol-host-attr:host": new["os-vol-host-attr:host"], "size": new["size"],
                "migration_status": "success",
                "os-vol-mig-status-attr:migstat": "success"})
    VOLUMES.records(ctx.store).pop(new["id"], None)
    return http.json_response({"save_volume_id": vol["id"]})


def upload_image(ctx: Ctx, vol: Record, arg: Any) -> Response:
    name = arg.get("image_name")
    if not isinstance(name, str) or not name:
        raise CINDER.bad("No image_name was specified in request.")
    force = str(arg.get("force", False)).lower() in TRUE_WORDS
    if vol["status"] != "available" and not (vol["status"] == "in-use" and force):
        raise _invalid(f"Volume {vol['id']} status must be available or in-use (with "
                       f"force), but current status is: {vol['status']}.")
    disk_format = arg.get("disk_format", "raw")
    container = arg.get("container_format", "bare")
    if disk_format not in ("raw", "vmdk", "vdi", "qcow2", "vhd", "vhdx", "ploop"):
        raise CINDER.bad(f"Invalid disk-format '{disk_format}' is specified. Allowed "
                         "disk-formats are raw, vmdk, vdi, qcow2, vhd, vhdx, ploop.")
    visibility = arg.get("visibility", "private")
    image = ctx.store.ask(world.IMAGE_FROM_VOLUME, volume=vol, name=name,
                          disk_format=disk_format, container_format=container,
                          visibility=visibility, protected=bool(arg.get("protected")),
                          project_id=ctx.token.project_id, user_id=ctx.token.user_id)
    if image is None:
        raise ApiError(503, "The image service is unavailable: no image was made of "
                            f"volume {vol['id']}.")
    before = vol["status"]
    pending(ctx.store, vol, busy="uploading", done=before)
    return http.json_response({"os-volume_upload_image": {
        "id": vol["id"], "updated_at": vol["updated_at"], "status": "uploading",
        "display_description": vol["description"], "size": vol["size"],
        "volume_type": vol["volume_type"], "image_id": image["id"], "image_name": name,
        "container_format": container, "disk_format": disk_format,
        "visibility": visibility, "protected": bool(arg.get("protected"))}}, 202)


def readonly(ctx: Ctx, vol: Record, arg: Any) -> None:
    if "readonly" not in arg:
        raise CINDER.bad("Must specify readonly in request.")
    flag = arg["readonly"]
    if not isinstance(flag, bool) and str(flag).lower() not in (*TRUE_WORDS, *FALSE_WORDS):
        raise CINDER.bad(f"Invalid input for field/attribute readonly. Value: {flag}.")
    if vol["status"] != "available":
        raise _invalid(f"Volume {vol['id']} status must be available to update readonly "
                       f"flag, but current status is: {vol['status']}.")
    vol["_readonly"] = flag is True or str(flag).lower() in TRUE_WORDS


def initialize(ctx: Ctx, vol: Record, arg: Any) -> Response:
    connector = arg.get("connector")
    if not isinstance(connector, dict):
        raise CINDER.bad("Must specify 'connector'")
    if vol["status"] not in ("available", "attaching", "in-use", "reserved"):
        raise _invalid(f"Volume {vol['id']} status must be available, attaching, in-use or "
                       f"reserved to initialize a connection, but current status is: "
                       f"{vol['status']}.")
    mode = "ro" if vol.get("_readonly") else "rw"
    info = connection_info(vol, {**connector, "mode": mode})
    return http.json_response({"connection_info": info})


def terminate(ctx: Ctx, vol: Record, arg: Any) -> None:
    if not isinstance(arg.get("connector"), dict):
        raise CINDER.bad("Must specify 'connector'")


def force_detach(ctx: Ctx, vol: Record, arg: Any) -> None:
    wanted = arg.get("attachment_id")
    found = [a for a in vol["attachments"] if wanted in (None, a["attachment_id"])]
    reserved = [k for k, a in ctx.store.table(ATTACHMENTS_TABLE).items()
                if a["volume_id"] == vol["id"] and wanted in (None, k)]
    if not found and not reserved:
        raise ApiError(404, f"Volume attachment could not be found with filter: "
                            f"attachment_id = {wanted}.")
    for attachment in found:
        detach(ctx.store, vol, attachment["server_id"])
        if attachment["server_id"]:
            ctx.store.publish(world.SERVER_CHANGED, server_id=attachment["server_id"])
    for key in reserved:
        ctx.store.table(ATTACHMENTS_TABLE).pop(key, None)
    if not vol["attachments"]:
        vol["status"] = "available"


def set_image_metadata(ctx: Ctx, vol: Record, arg: Any) -> Response:
    meta = arg.get("metadata")
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise CINDER.bad("Malformed request body.")
    image_meta = vol.setdefault("volume_image_metadata", {})
    image_meta.update(meta)
    return http.json_response({"metadata": dict(image_meta)})


def unset_image_metadata(ctx: Ctx, vol: Record, arg: Any) -> Response:
    key = arg.get("key")
    if not isinstance(key, str) or not key:
        raise CINDER.bad("Malformed request body.")
    image_meta = vol.get("volume_image_metadata") or {}
    if key not in image_meta:
        raise ApiError(404, f"Glance metadata for volume {vol['id']} with key {key} not "
                            "found.")
    del image_meta[key]
    return http.json_response(None, 200)


def show_image_metadata(ctx: Ctx, vol: Record, arg: Any) -> Response:
    return http.json_response({"metadata": dict(vol.get("volume_image_metadata") or {})})


def extend_completion(ctx: Ctx, vol: Record, arg: Any) -> None:
    vol["status"] = "error_extending" if arg.get("error") in (True, "true") else "in-use"


def reimage(ctx: Ctx, vol: Record, arg: Any) -> None:
    image = ctx.store.table("images").get(str(arg.get("image_id")))
    if image is None or image.get("status") != "active":
        raise CINDER.bad("Invalid image identifier or unable to access requested image.")
    allowed = ("available", "error") + (("reserved",) if str(
        arg.get("reimage_reserved", False)).lower() in TRUE_WORDS else ())
    if vol["status"] not in allowed:
        raise _invalid(f"Volume {vol['id']} status must be {' or '.join(allowed)}, but "
                       f"current status is: {vol['status']}.")
    if (image.get("size") or 0) > vol["size"] * 1024 ** 3:
        raise _invalid(f"Image {image['id']} is larger than volume {vol['id']}.")
    vol["bootable"] = "true"
    vol["volume_image_metadata"] = image_metadata(image)
    pending(ctx.store, vol, busy="downloading", done=vol["status"])


def unmanage(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] not in ("available", "error", "error_restoring", "error_extending",
                             "error_managing") or vol["attachments"] or vol.get("group_id"):
        raise _invalid("Volume status must be available or error, and must not be "
                       "migrating, attached, belong to a group or have snapshots.")
    if any(s["volume_id"] == vol["id"] for s in ctx.store.table("snapshots").values()):
        raise _invalid("Volume must not have snapshots.")
    VOLUMES.records(ctx.store).pop(vol["id"], None)
    backend = vol["os-vol-host-attr:host"].split("#")[0]
    ctx.store.table(UNMANAGED).setdefault(backend, {"volumes": [], "snapshots": []})[
        "volumes"].append({"reference": {"source-name": f"volume-{vol['id']}"},
                           "size": vol["size"], "_project": vol[VOLUME_PROJECT],
                           "_at": cinder_time()})


ADMIN = "volume_extension:volume_admin_actions:"
ACTIONS = [
    Action("os-migrate_volume", migrate, {}, rule=ADMIN + "migrate_volume"),
    Action("os-migrate_volume_completion", migrate_completion, {},
           rule=ADMIN + "migrate_volume_completion"),
    Action("os-volume_upload_image", upload_image, {}),
    Action("os-update_readonly_flag", readonly, {}),
    Action("os-initialize_connection", initialize, {}),
    Action("os-terminate_connection", terminate, {}),
    Action("os-force_detach", force_detach, {}, rule=ADMIN + "force_detach"),
    Action("os-set_image_metadata", set_image_metadata, {}),
    Action("os-unset_image_metadata", unset_image_metadata, {}),
    Action("os-show_image_metadata", show_image_metadata),
    Action("os-extend_volume_completion", extend_completion, {}, since=(3, 71),
           rule="volume:extend_volume_completion", states=("extending",),
           refused="Invalid volume: Volume {id} status must be extending, but current "
                   "status is: {status}."),
    Action("os-reimage", reimage, {}, since=(3, 68)),
    Action("os-unmanage", unmanage, rule="volume_extension:volume_unmanage")]
