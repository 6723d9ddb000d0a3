"""Cinder's volume actions beyond ``os-extend`` and ``os-reset_status`` (:mod:`.extra`).

The legacy attach flow walks the volume's states as Cinder does: ``os-reserve``
(available → ``attaching``), ``os-attach`` (→ ``in-use``, the server shows the volume),
``os-begin_detaching`` (in-use → ``detaching``), ``os-roll_detaching`` (back),
``os-detach`` (→ ``available`` once nothing holds it), ``os-unreserve``. ``os-retype``
moves a volume to another type (within the new type's quota; a change of backend needs
``migration_policy: on-demand`` and is a migration: ``migration_status`` ``migrating``,
then ``success`` on the new type's pool), ``os-set_bootable`` sets the
flag, ``os-force_delete`` (admin) deletes in any state but attached, ``revert`` (3.40)
puts a volume back to its latest snapshot. A volume in the wrong state is Cinder's 400
(``Invalid volume: …``), a revert's a 409, as the API answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx
from ...http import ApiError
from ...store import Record
from ...world import SERVER_CHANGED
from . import lifecycle
from ._dialect import CINDER, FALSE_WORDS, TRUE_WORDS, action_body, both, cinder_time, mv, pending
from ._dialect import invalid_volume as _invalid
from .admin import enforce_quota
from .extra import VOLUME_PROJECT, VOLUMES
from .extra import volume_action as extend_or_reset
from .volumes import _attachment, _pool_for_type, detach, drop_attachments, type_by_name

__all__ = ["ACTIONS", "routes", "volume_action"]

Action = Callable[[Ctx, Record, Any], Awaitable[Response | None]]
def _bool(value: Any, name: str) -> bool:
    text = str(value).strip().lower()
    if isinstance(value, bool):
        return value
    if text in TRUE_WORDS or text in FALSE_WORDS:
        return text in TRUE_WORDS
    raise CINDER.bad(f"Invalid input for field/attribute {name}. Value: {value}. "
                     f"{value!r} is not valid under any of the given schemas")


async def reserve(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] != "available" and not (vol["status"] == "in-use"
                                             and vol["multiattach"]):
        raise _invalid(f"Volume status must be available to reserve, but the status "
                            f"is {vol['status']}.")
    vol["status"] = "attaching"


async def unreserve(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] == "attaching":
        vol["status"] = "in-use" if vol["attachments"] else "available"


async def attach(ctx: Ctx, vol: Record, arg: Any) -> None:
    body = action_body(arg, "os-attach")
    server, host = body.get("instance_uuid"), body.get("host_name")
    if not server and not host:
        raise CINDER.bad("Invalid request to attach volume to an invalid target")
    if body.get("mode", "rw") not in ("rw", "ro"):
        raise CINDER.bad("Invalid request to attach volume with an invalid mode. Attaching "
                         "mode should be 'rw' or 'ro'")
    if vol.get("_readonly") and body.get("mode", "rw") != "ro":
        raise CINDER.bad(f"Invalid attaching mode 'rw' for volume {vol['id']}: it is "
                         "read-only, attach it 'ro'.")
    if "mountpoint" not in body:
        raise CINDER.bad("Must specify 'mountpoint'")
    if vol["status"] not in ("available", "attaching", "reserved") and not (
            vol["status"] == "in-use" and vol["multiattach"]):
        raise _invalid(f"Volume {vol['id']} status must be available or attaching to "
                            f"attach, but current status is: {vol['status']}.")
    if server and any(a["server_id"] == server for a in vol["attachments"]):
        raise _invalid(f"Volume {vol['id']} is already attached to {server}.")
    _attachment(ctx.store, vol, str(server or ""), ctx.store.uuid(), body["mountpoint"],
                host, cinder_time())
    if server:
        ctx.store.publish(SERVER_CHANGED, server_id=str(server))


async def detach_action(ctx: Ctx, vol: Record, arg: Any) -> None:
    body = action_body(arg, "os-detach")
    if vol["status"] not in ("in-use", "detaching") or not vol["attachments"]:
        raise _invalid("Volume must be attached in order to detach.")
    wanted = body.get("attachment_id")
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


async def begin_detaching(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] != "in-use" or not vol["attachments"]:
        raise _invalid("Unable to detach volume. Volume status must be 'in-use' and "
                            "attach_status must be 'attached' to detach.")
    vol["status"] = "detaching"


async def roll_detaching(ctx: Ctx, vol: Record, arg: Any) -> None:
    if vol["status"] == "detaching":
        vol["status"] = "in-use"


async def set_bootable(ctx: Ctx, vol: Record, arg: Any) -> None:
    body = action_body(arg, "os-set_bootable")
    if "bootable" not in body:
        raise CINDER.bad("Must specify bootable in request.")
    vol["bootable"] = str(_bool(body["bootable"], "bootable")).lower()


async def retype(ctx: Ctx, vol: Record, arg: Any) -> None:
    body = action_body(arg, "os-retype")
    if not body.get("new_type"):
        raise CINDER.bad("New volume type must be specified.")
    new = type_by_name(ctx.store, str(body["new_type"]))
    if new is None or not (ctx.admin or new["is_public"]):
        raise ApiError(404, f"Volume type with name {body['new_type']} could not be found.")
    policy = body.get("migration_policy", "never")
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


async def force_delete(ctx: Ctx, vol: Record, arg: Any) -> Response:
    http.require_admin(ctx.token, "volume_extension:volume_admin_actions:force_delete")
    snaps = [s for s in ctx.store.table("snapshots").values() if s["volume_id"] == vol["id"]]
    if vol["attachments"] or snaps:
        raise _invalid("Volume must not be migrating, attached, belong to a group, "
                            "have snapshots, awaiting a transfer, or be disassociated from "
                            "snapshots after volume transfer.")
    VOLUMES.records(ctx.store).pop(vol["id"], None)
    drop_attachments(ctx.store, vol["id"])
    return http.json_response(None, 202)


async def revert(ctx: Ctx, vol: Record, arg: Any) -> None:
    if mv(ctx.request) < (3, 40):
        raise CINDER.bad("There is no such action: revert")
    body = action_body(arg, "revert")
    snaps = sorted((s for s in ctx.store.table("snapshots").values()
                    if s["volume_id"] == vol["id"]), key=lambda s: s["created_at"])
    wanted = body.get("snapshot_id")
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


ACTIONS: dict[str, Action] = {
    "os-reserve": reserve, "os-unreserve": unreserve, "os-attach": attach,
    "os-detach": detach_action, "os-begin_detaching": begin_detaching,
    "os-roll_detaching": roll_detaching, "os-set_bootable": set_bootable,
    "os-retype": retype, "os-force_delete": force_delete, "revert": revert,
    **lifecycle.ACTIONS}


async def volume_action(request: Request) -> Response:
    """The action named by the body's one key; ``os-extend`` and ``os-reset_status`` as
    :mod:`.extra` answers them."""
    raw = await http.json_body(request)
    action = next(iter(raw), None) if isinstance(raw, dict) and len(raw) == 1 else None
    if action not in ACTIONS:
        return await extend_or_reset(request)
    ctx = Ctx.of(request)
    vol = VOLUMES.get(ctx, request.path_params["id"])
    if vol["status"] == "maintenance" and not ctx.admin:
        raise _invalid(f"Volume {vol['id']} is in maintenance.")
    answer = await ACTIONS[action](ctx, vol, raw[action])
    if answer is not None:
        return answer
    vol["updated_at"] = cinder_time()
    return http.json_response(None, 202)


def routes() -> list[BaseRoute]:
    return both("/volumes/{id}/action", volume_action, ["POST"])
