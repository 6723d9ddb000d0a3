"""What the backends hold that Cinder may adopt: ``manageable_volumes`` and
``manageable_snapshots`` of a backend host (admin), and ``POST`` to adopt one (the
volume ``managing``, then ``available``; a reference the backend does not have ends in
``error_managing``, as the driver's check does after the 202).

Each backend has a few volumes Cinder never made (seeded: LUNs and RBD images left from
before the cloud) and whatever was unmanaged (``os-unmanage``, :mod:`.lifecycle`); what
Cinder manages is listed too, not safe to manage ("already managed"). ``os-unmanage`` of
a snapshot (admin) lets go of it the same way; snapshot ``os-reset_status``,
``os-update_snapshot_status`` and ``os-force_delete`` are here too.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Action, Actions, Ctx
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, POOLS, admin_ctx, both, cinder_time, envelope, mv, pending, stamp
from .admin import enforce_quota, services
from .extra import SNAPSHOTS, TYPES, VOLUME_PROJECT, VOLUMES
from .lifecycle import UNMANAGED, pools_of_host
from .volumes import new_snapshot, type_by_name, volume

__all__ = ["routes"]

SEEDED = {"ceph-ssd": [("rbd-import-0042", 10), ("rbd-legacy-jenkins", 40)],
          "netapp-hdd": [("lun_legacy_erp_01", 50), ("lun_scratch", 20)]}
"""Volumes on each backend from before the cloud: (source name, GB)."""


def _unmanaged(store: Store, backend_host: str) -> dict[str, list[Record]]:
    table = store.table(UNMANAGED)
    if backend_host not in table:
        backend = backend_host.split("@")[-1]
        table[backend_host] = {
            "volumes": [{"reference": {"source-name": name}, "size": size, "_project": None,
                         "_at": None} for name, size in SEEDED.get(backend, [])],
            "snapshots": [{"reference": {"source-name": f"{name}@pre-migration"},
                           "source_reference": {"source-name": name}, "size": size}
                          for name, size in SEEDED.get(backend, [])[:1]]}
    return table[backend_host]


def _backend(request: Request, ctx: Ctx) -> str:
    """The backend host a list or a manage names (``host``, or ``cluster`` from 3.17)."""
    q = request.query_params
    host, cluster = q.get("host"), q.get("cluster") if mv(request) >= (3, 17) else None
    if bool(host) == bool(cluster):
        raise CINDER.bad("Invalid input received: One and only one of cluster and host "
                         "must be set." if mv(request) >= (3, 17) else
                         "Invalid input received: Host field is missing.")
    name = str(host or cluster)
    for svc in services(ctx.store):
        if svc["binary"] == "cinder-volume" and name in (svc["host"], svc.get("cluster")):
            return str(svc["host"])
    raise ApiError(404, f"Service {name} could not be found.")


async def manageable(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:list_manageable")
    host = _backend(request, ctx)
    detail = request.url.path.endswith("/detail")
    snapshots = "snapshots" in request.url.path
    out: list[Record] = []
    if snapshots:
        for snap in SNAPSHOTS.records(ctx.store).values():
            vol = VOLUMES.records(ctx.store).get(snap["volume_id"])
            if vol is not None and vol["os-vol-host-attr:host"].startswith(host + "#"):
                out.append({"reference": {"source-name": f"_snapshot-{snap['id']}"},
                            "source_reference": {"source-name": f"volume-{vol['id']}"},
                            "size": snap["size"], "safe_to_manage": False,
                            "reason_not_safe": "already managed", "cinder_id": snap["id"],
                            "extra_info": None})
        items = _unmanaged(ctx.store, host)["snapshots"]
    else:
        for vol in VOLUMES.records(ctx.store).values():
            if vol["os-vol-host-attr:host"].startswith(host + "#"):
                out.append({"reference": {"source-name": f"volume-{vol['id']}"},
                            "size": vol["size"], "safe_to_manage": False,
                            "reason_not_safe": "already managed", "cinder_id": vol["id"],
                            "extra_info": None})
        items = _unmanaged(ctx.store, host)["volumes"]
    out += [{**{k: v for k, v in item.items() if not k.startswith("_")},
             "safe_to_manage": True, "reason_not_safe": None, "cinder_id": None,
             "extra_info": None} for item in items]
    if not detail:
        out = [{k: r[k] for k in ("reference", "size", "safe_to_manage",
                                  "source_reference") if k in r} for r in out]
    key = "manageable-snapshots" if snapshots else "manageable-volumes"
    return http.json_response({key: out})


def _take(items: list[Record], ref: Any) -> Record | None:
    name = ref.get("source-name") if isinstance(ref, dict) else None
    found = next((i for i in items if i["reference"]["source-name"] == name), None)
    if found is not None:
        items.remove(found)
    return found


async def manage_volume(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:volume_manage")
    arg = envelope(await http.json_body(request), "volume")
    if not isinstance(arg.get("ref"), dict):
        raise CINDER.bad("Missing required element 'ref' in request body.")
    target = arg.get("host") or arg.get("cluster")
    if not isinstance(target, str) or not target:
        raise CINDER.bad("Invalid input received: One and only one of cluster and host "
                         "must be set.")
    pools = pools_of_host(target.split("#")[0]) or pools_of_host(target)
    if not pools:
        raise ApiError(404, f"Service {target} could not be found.")
    type_rec = type_by_name(ctx.store, str(arg.get("volume_type") or "__DEFAULT__"))
    if type_rec is None or not TYPES.visible(ctx, type_rec):
        raise ApiError(404, f"Volume type with name {arg.get('volume_type')} could not be "
                            "found.")
    zone = arg.get("availability_zone") or "nova"
    if zone != "nova":
        raise CINDER.bad(f"Invalid input received: Availability zone '{zone}' is invalid.")
    found = _take(_unmanaged(ctx.store, pools[0].split("#")[0])["volumes"], arg["ref"])
    size = found["size"] if found else 0
    project = ctx.token.project_id or ""
    enforce_quota(ctx.store, project, type_rec["name"], volumes=1, gigabytes=size)
    vid = CINDER.new_id()
    rec = VOLUMES.records(ctx.store)[vid] = volume(
        ctx.store, vid, project_id=project, size=size, type_rec=type_rec,
        created=cinder_time(), user_id=ctx.token.user_id, name=str(arg.get("name") or ""),
        description=arg.get("description"), metadata=arg.get("metadata") or {},
        host=pools[0])
    rec["bootable"] = str(bool(arg.get("bootable"))).lower()
    if found is None:
        rec["status"] = "error_managing"  # the driver finds no such volume
    else:
        pending(ctx.store, rec, busy="managing")
    return http.json_response({"volume": VOLUMES.render(ctx, rec)}, 202)


async def manage_snapshot(request: Request) -> Response:
    ctx = admin_ctx(request, "snapshot_extension:snapshot_manage")
    arg = envelope(await http.json_body(request), "snapshot")
    if not isinstance(arg.get("ref"), dict) or not arg.get("volume_id"):
        raise CINDER.bad("Missing required element 'ref' or 'volume_id' in request body.")
    vol = VOLUMES.get(ctx, str(arg["volume_id"]))
    backend = vol["os-vol-host-attr:host"].split("#")[0]
    found = _take(_unmanaged(ctx.store, backend)["snapshots"], arg["ref"])
    enforce_quota(ctx.store, vol[VOLUME_PROJECT], vol["volume_type"], snapshots=1,
                  gigabytes=found["size"] if found else 0)
    snap = new_snapshot(ctx.store, vol, name=str(arg.get("name") or ""),
                        description=arg.get("description"), sid=CINDER.new_id())
    snap.update(metadata=arg.get("metadata") or {}, size=found["size"] if found else 0)
    if found is None:
        snap["status"] = "error"
    else:
        pending(ctx.store, snap)
    return http.json_response({"snapshot": {k: snap[k] for k in (
        "id", "name", "description", "status", "size", "volume_id", "metadata",
        "created_at", "updated_at")}}, 202)


_SNAP_STATES = ("available", "error", "creating", "deleting", "error_deleting")
_UPDATES = {"creating": ("creating", "available", "error"),
            "deleting": ("deleting", "error_deleting")}
"""``os-update_snapshot_status``: the states a snapshot may go to from its own (Nova's
assisted snapshots)."""


def _reset(ctx: Ctx, snap: Record, arg: Any) -> None:
    arg = arg if isinstance(arg, dict) else {}
    if arg.get("status") not in _SNAP_STATES:
        raise CINDER.bad(f"Invalid input for field/attribute status. Value: "
                         f"{arg.get('status')}.")
    snap["status"] = arg["status"]


def _update_status(ctx: Ctx, snap: Record, arg: Any) -> None:
    arg = arg if isinstance(arg, dict) else {}
    status = arg.get("status")
    if status not in _UPDATES.get(snap["status"], ()):
        raise CINDER.bad(f"Invalid input received: Provided snapshot status {status} "
                         f"not allowed for snapshot with status {snap['status']}.")
    snap["status"] = status
    if isinstance(arg.get("progress"), str):
        snap["os-extended-snapshot-attributes:progress"] = arg["progress"]


def _force_delete(ctx: Ctx, snap: Record, arg: Any) -> None:
    SNAPSHOTS.records(ctx.store).pop(snap["id"], None)


def _unmanage(ctx: Ctx, snap: Record, arg: Any) -> None:
    if snap["status"] not in ("available", "error") or snap.get("group_snapshot_id"):
        raise CINDER.bad("Invalid snapshot: Snapshot status must be available or error "
                         "and must not be part of a group snapshot.")
    vol = VOLUMES.records(ctx.store).get(snap["volume_id"]) or {}
    backend = str(vol.get("os-vol-host-attr:host", POOLS[0][0])).split("#")[0]
    _unmanaged(ctx.store, backend)["snapshots"].append({
        "reference": {"source-name": f"snapshot-{snap['id']}"},
        "source_reference": {"source-name": f"volume-{snap['volume_id']}"},
        "size": snap["size"]})
    SNAPSHOTS.records(ctx.store).pop(snap["id"], None)


ADMIN = "volume_extension:snapshot_admin_actions:"
SNAPSHOT_ACTIONS = Actions(CINDER, SNAPSHOTS.get, [
    Action("os-reset_status", _reset, rule=ADMIN + "reset_status"),
    Action("os-update_snapshot_status", _update_status,
           rule="snapshot_extension:snapshot_actions:update_snapshot_status"),
    Action("os-force_delete", _force_delete, rule=ADMIN + "force_delete"),
    Action("os-unmanage", _unmanage, rule="snapshot_extension:snapshot_unmanage")],
    done=stamp)


def routes() -> list[BaseRoute]:
    return [*both("/manageable_volumes", manageable, ["GET"]),
            *both("/manageable_volumes/detail", manageable, ["GET"]),
            *both("/manageable_snapshots", manageable, ["GET"]),
            *both("/manageable_snapshots/detail", manageable, ["GET"]),
            *both("/manageable_volumes", manage_volume, ["POST"]),
            *both("/manageable_snapshots", manage_snapshot, ["POST"]),
            *both("/os-volume-manage", manage_volume, ["POST"]),
            *both("/os-snapshot-manage", manage_snapshot, ["POST"]),
            *both("/snapshots/{id}/action", SNAPSHOT_ACTIONS.endpoint, ["POST"])]

