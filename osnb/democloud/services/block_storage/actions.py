"""Cinder's volume actions, declared (:data:`VOLUME_ACTIONS`; the operator's and Nova's
are in :mod:`.lifecycle`).

``os-extend`` grows a volume within quota (in use from 3.42), ``os-reset_status``
(admin) sets any state. The legacy attach flow walks the volume's states as Cinder does:
``os-reserve`` (available → ``attaching``), ``os-attach`` (→ ``in-use``, the server shows the volume),
``os-begin_detaching`` (in-use → ``detaching``), ``os-roll_detaching`` (back),
``os-detach`` (→ ``available`` once nothing holds it), ``os-unreserve``. ``os-retype``
moves a volume to another type (within the new type's quota; a change of backend needs
``migration_policy: on-demand`` and is a migration: ``migration_status`` ``migrating``,
then ``success`` on the new type's pool), ``os-set_bootable`` sets the
flag, ``os-force_delete`` (admin) deletes in any state but attached, ``revert`` (3.40)
puts a volume back to its latest snapshot. A volume in the wrong state is Cinder's 400
(``Invalid volume: …``), a revert's a 409, as the API answers; a member's action on a
volume in ``maintenance`` is refused once its argument is checked.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from ...engine import Action, Actions, Ctx, Field, check_body
from ...http import ApiError
from ...store import Record
from ...world import SERVER_CHANGED
from . import lifecycle
from ._dialect import CINDER, FALSE_WORDS, TRUE_WORDS, both, cinder_time, mv, pending, stamp
from ._dialect import invalid_volume as _invalid
from .admin import enforce_quota
from .extra import VOLUME_PROJECT, VOLUMES
from .volumes import _attachment, _pool_for_type, detach, drop_attachments, type_by_name

__all__ = ["VOLUME_ACTIONS", "routes"]


def _bool(value: Any, name: str) -> bool:
    text = str(value).strip().lower()
    if isinstance(value, bool):
        return value
    if text in TRUE_WORDS or text in FALSE_WORDS:
        return text in TRUE_WORDS
    raise CINDER.bad(f"Invalid input for field/attribute {name}. Value: {value}. "
                     f"{value!r} is not valid under any of the given schemas")


def reserve(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] != "available" and not (vol["status"] == "in-use"
                                             and vol["multiattach"]):
        raise _invalid(f"Volume status must be available to reserve, but the status "
                            f"is {vol['status']}.")
    vol["status"] = "attaching"


def unreserve(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] == "attaching":
        vol["status"] = "in-use" if vol["attachments"] else "available"


def attach(ctx: Ctx, vol: Record, arg: Any) -> None:
    server, host = arg.get("instance_uuid"), arg.get("host_name")
    if not server and not host:
        raise CINDER.bad("Invalid request to attach volume to an invalid target")
    if arg.get("mode", "rw") not in ("rw", "ro"):
        raise CINDER.bad("Invalid request to attach volume with an invalid mode. Attaching "
                         "mode should be 'rw' or 'ro'")
    if vol.get("_readonly") and arg.get("mode", "rw") != "ro":
        raise CINDER.bad(f"Invalid attaching mode 'rw' for volume {vol['id']}: it is "
                         "read-only, attach it 'ro'.")
    if "mountpoint" not in arg:
        raise CINDER.bad("Must specify 'mountpoint'")
    if vol["status"] not in ("available", "attaching", "reserved") and not (
            vol["status"] == "in-use" and vol["multiattach"]):
        raise _invalid(f"Volume {vol['id']} status must be available or attaching to "
                            f"attach, but current status is: {vol['status']}.")
    if server and any(a["server_id"] == server for a in vol["attachments"]):
        raise _invalid(f"Volume {vol['id']} is already attached to {server}.")
    _attachment(ctx.store, vol, str(server or ""), ctx.store.uuid(), arg["mountpoint"],
                host, cinder_time())
    if server:
        ctx.store.publish(SERVER_CHANGED, server_id=str(server))


def detach_action(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] not in ("in-use", "detaching") or not vol["attachments"]:
        raise _invalid("Volume must be attached in order to detach.")
    wanted = arg.get("attachment_id")
    if wanted is None and len(vol["attachments"]) > 1:
        raise _invalid("Volume has more than one attachment; attachment_id is "
                            "required to detach a multiattach volume.")
    found = [a for a in vol["attachments"] if wanted in (None, a["attachment_id"])]
    if not found:
        raise ApiError(404, f"Volume attachment could not be found with filter: "
                            f"attachment_id = {wanted}.")
    server = found[0]["server_id"]
    detach(ctx.store, vol, server)
    if server:
        ctx.store.publish(SERVER_CHANGED, server_id=server)


def begin_detaching(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] != "in-use" or not vol["attachments"]:
        raise _invalid("Unable to detach volume. Volume status must be 'in-use' and "
                            "attach_status must be 'attached' to detach.")
    vol["status"] = "detaching"


def roll_detaching(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] == "detaching":
        vol["status"] = "in-use"


def set_bootable(ctx: Ctx, vol: Record, arg: Any) -> None:
    if "bootable" not in arg:
        raise CINDER.bad("Must specify bootable in request.")
    vol["bootable"] = str(_bool(arg["bootable"], "bootable")).lower()


def retype(ctx: Ctx, vol: Record, arg: Any) -> None:
    if not arg.get("new_type"):
        raise CINDER.bad("New volume type must be specified.")
    new = type_by_name(ctx.store, str(arg["new_type"]))
    if new is None or not (ctx.admin or new["is_public"]):
        raise ApiError(404, f"Volume type with name {arg['new_type']} could not be found.")
    policy = arg.get("migration_policy", "never")
    if policy not in ("never", "on-demand"):
        raise CINDER.bad(f"Invalid input for field/attribute migration_policy. Value: "
                         f"{policy}. '{policy}' is not one of ['on-demand', 'never', None]")
    if vol["status"] not in ("available", "in-use") or new["id"] == vol["volume_type_id"] \
            or vol.get("migration_status") not in (None, "success", "error") \
            or vol.get("group_id"):
        raise _invalid("Retype needs volume to be in available or in-use state, not be "
                            "part of an active migration or a consistency group, requested "
                            "type has to be different that the one from the volume, for "
                            "in-use volumes front-end qos specs cannot change.")
    pool = _pool_for_type(ctx.store, new)
    if pool != vol["os-vol-host-attr:host"] and policy == "never":
        raise CINDER.bad(f"Invalid volume: Retype of volume {vol['id']} to type "
                         f"{new['name']} needs a migration to {pool}, and migration_policy "
                         "is 'never'.")
    enforce_quota(ctx.store, vol[VOLUME_PROJECT], new["name"], volumes=1,
                  gigabytes=vol["size"])
    vol.update({"volume_type": new["name"], "volume_type_id": new["id"]})
    if pool != vol["os-vol-host-attr:host"]:
        # on-demand: the data moves to the new type's backend, a migration meanwhile
        vol["os-vol-mig-status-attr:migstat"] = "migrating"
        pending(ctx.store, vol, key="migration_status", busy="migrating", done="success",
                then={"os-vol-host-attr:host": pool,
                      "os-vol-mig-status-attr:migstat": "success"})


def force_delete(ctx: Ctx, vol: Record, arg: Any) -> None:
    snaps = [s for s in ctx.store.table("snapshots").values() if s["volume_id"] == vol["id"]]
    if vol["attachments"] or snaps:
        raise _invalid("Volume must not be migrating, attached, belong to a group, "
                            "have snapshots, awaiting a transfer, or be disassociated from "
                            "snapshots after volume transfer.")
    VOLUMES.records(ctx.store).pop(vol["id"], None)
    drop_attachments(ctx.store, vol["id"])


def revert(ctx: Ctx, vol: Record, arg: Any) -> None:
    snaps = sorted((s for s in ctx.store.table("snapshots").values()
                    if s["volume_id"] == vol["id"]), key=lambda s: s["created_at"])
    wanted = arg.get("snapshot_id")
    if not snaps or snaps[-1]["id"] != wanted:
        raise CINDER.bad(f"Specified snapshot {wanted} is None or not the latest one of "
                         f"volume {vol['id']}.")
    snap = snaps[-1]
    if vol["status"] != "available" or vol["attachments"]:
        raise ApiError(409, f"Invalid volume: Volume {vol['id']} status must be available, "
                            f"but current status is: {vol['status']}.")
    if snap["status"] != "available":
        raise ApiError(409, f"Invalid snapshot: Snapshot {snap['id']} status must be "
                            f"available, but current status is: {snap['status']}.")
    # The data goes back to the snapshot's; the volume keeps its size (Cinder reverts an
    # extended volume too), and both pass through reverting/restoring within the call.


EXTEND = {"new_size": Field(type="int", lenient=True, minimum=1, required=True)}
RESET = {"status": Field(choices=(
    "attaching", "available", "creating", "deleting", "detaching", "error", "error_deleting",
    "error_managing", "in-use", "maintenance", "managing", "reserved"))}


def extend(ctx: Ctx, vol: Record, arg: dict[str, Any]) -> None:
    """Within quota; in use from 3.42."""
    new_size = arg["new_size"]
    if vol["status"] != "available" and not (vol["status"] == "in-use"
                                             and mv(ctx.request) >= (3, 42)):
        raise _invalid(f"Volume {vol['id']} status must be available or in-use, but "
                       f"current status is: {vol['status']}.")
    if new_size <= vol["size"]:
        raise CINDER.bad("Invalid input received: New size for extend must be greater "
                         f"than current size. (current: {vol['size']}, extended: "
                         f"{new_size}).")
    enforce_quota(ctx.store, vol[VOLUME_PROJECT], vol["volume_type"],
                  gigabytes=new_size - vol["size"])
    vol["size"] = new_size


def reset_status(ctx: Ctx, vol: Record, arg: Any) -> None:
    if not isinstance(arg, dict) or not isinstance(arg.get("status"), str):
        raise CINDER.bad("Must specify 'status'")
    vol["status"] = check_body(CINDER, RESET, arg, create=True, extra=lambda _k: True)["status"]
    vol.pop("_ready_at", None)
    if arg.get("attach_status") == "detached":
        servers = {a.get("server_id") for a in vol["attachments"]} - {None}
        vol["attachments"] = []
        drop_attachments(ctx.store, vol["id"])
        for server_id in servers:
            ctx.store.publish(SERVER_CHANGED, server_id=str(server_id))


def _maintenance(ctx: Ctx, vol: Record, action: Action) -> None:
    if vol["status"] == "maintenance" and not ctx.admin:
        raise _invalid(f"Volume {vol['id']} is in maintenance.")


ADMIN = "volume_extension:volume_admin_actions:"
VOLUME_ACTIONS = Actions(CINDER, VOLUMES.get, [
    Action("os-extend", extend, EXTEND, guarded=False),
    Action("os-reset_status", reset_status, rule=ADMIN + "reset_status", guarded=False),
    Action("os-reserve", reserve), Action("os-unreserve", unreserve),
    Action("os-attach", attach, {}), Action("os-detach", detach_action, {}),
    Action("os-begin_detaching", begin_detaching),
    Action("os-roll_detaching", roll_detaching),
    Action("os-set_bootable", set_bootable, {}), Action("os-retype", retype, {}),
    Action("os-force_delete", force_delete, rule=ADMIN + "force_delete"),
    Action("revert", revert, {}, since=(3, 40)), *lifecycle.ACTIONS],
    guard=_maintenance, done=stamp)
"""``POST /volumes/{id}/action``: the attach flow, retype, revert and the rest here,
the operator's and Nova's in :mod:`.lifecycle`."""


def routes() -> list[BaseRoute]:
    return both("/volumes/{id}/action", VOLUME_ACTIONS.endpoint, ["POST"])
