"""Nova's server moves: resize and its confirm/revert, cold and live migration, evacuate,
shelve, shelve-offload and unshelve.

Each is Nova's state machine (the 409 in the wrong vm_state or task_state, the 403 for a
member on an admin move), leaves an instance action and, for a move between hosts, a
migration record; the hypervisors' counters follow the server, and Placement hears the
allocations change (``allocation.set`` / ``.move`` / ``.delete``, see :mod:`~..world`):

- resize/migrate: the destination is claimed with the new flavor, the source's allocation
  handed to the migration's uuid; RESIZE, then VERIFY_RESIZE on the destination. Confirm
  frees the source; revert frees the destination and puts the server back with its old
  flavor.
- live migration: MIGRATING while the migration runs (``/servers/{id}/migrations`` shows
  it, ``force_complete`` ends it now, ``DELETE`` aborts it), then ACTIVE on the new host.
- evacuate: only off a host whose compute service is down; REBUILD, then on the new host.
- shelve-offload frees the host (SHELVED_OFFLOADED has none); unshelve schedules again.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Action, Field
from ...http import ApiError, json_body
from ...store import Record, Store, new_id
from ...world import (
    ALLOCATION_DELETE,
    ALLOCATION_MOVE,
    ALLOCATION_SET,
    flavor_resources,
    host_index,
)
from . import admin as compute_admin
from . import glue
from ._dialect import NOVA, Ctx
from .common import Server, check_lock, check_state, state
from .migrations import migration_of, new_migration, server_migration_view, set_status
from .servers import (
    FINISHERS,
    ON_REMOVE,
    SERVER_ACTIONS,
    SERVERS,
    finish_later,
    flavor_doc,
    host_id,
    image_ref_id,
    note,
    record_action,
    set_state,
    touch,
    visible_flavor,
)

__all__ = ["SHELVED_OFFLOAD_TIME", "routes"]

SHELVED_OFFLOAD_TIME = "nova_shelved_offload_time"
"""The store's ``meta`` key of Nova's ``shelved_offload_time`` (seconds; 0, the default:
a shelved server is offloaded at once; -1: never)."""
_LIVE = ("queued", "preparing", "running")
_RESIZING = ("pre-migrating", "migrating", "post-migrating")


# -- hosts and allocations --------------------------------------------------------------

def _hyp(store: Store, name: str | None) -> Record | None:
    hid = host_index(store)["by_name"].get(name or "")
    return store.table("hypervisors").get(hid) if hid else None


def _sizes(flavor: dict[str, Any]) -> tuple[int, int, int]:
    return flavor_resources({"flavor": flavor})


def _resources(flavor: dict[str, Any]) -> dict[str, int]:
    vcpus, ram, disk = _sizes(flavor)
    return {"VCPU": vcpus, "MEMORY_MB": ram, "DISK_GB": disk}


def _claim(store: Store, hyp: Record, flavor: dict[str, Any]) -> None:
    vcpus, ram, disk = _sizes(flavor)
    compute_admin.claim(store, hyp, vcpus=vcpus, ram_mb=ram, disk_gb=disk)


def _release(store: Store, hyp: Record | None, flavor: dict[str, Any]) -> None:
    if hyp is not None:
        vcpus, ram, disk = _sizes(flavor)
        compute_admin.release(store, hyp["hypervisor_hostname"], vcpus=vcpus, ram_mb=ram,
                              disk_gb=disk)


def _close(store: Store, m: Record, host: str, flavor: dict[str, Any], status: str) -> None:
    """Migration ``m`` ends in ``status``: the host it names under ``host``
    (``source_compute`` or ``dest_compute``) gives back ``flavor``, and Placement drops
    the allocation the migration held."""
    _release(store, _hyp(store, m[host]), flavor)
    store.publish(ALLOCATION_DELETE, consumer_id=m["uuid"])
    set_status(m, status)


def _allocate(store: Store, server: Server, hyp: Record, flavor: dict[str, Any]) -> None:
    store.publish(ALLOCATION_SET, consumer_id=server["id"], host=hyp["hypervisor_hostname"],
                  resources=_resources(flavor), project_id=server["tenant_id"],
                  user_id=server["user_id"])


def _schedule(store: Store, flavor: dict[str, Any], *, exclude: str | None = None,
              az: str | None = None) -> Record | None:
    """Nova's scheduler for a move: of the usable hosts (in ``az``) with room for
    ``flavor``, other than ``exclude``, the one with the most free RAM."""
    vcpus, ram, disk = _sizes(flavor)
    index = host_index(store)
    table = store.table("hypervisors")
    best: Record | None = None
    for hid in index["by_az"].get(az, []) if az else index["all"]:
        hyp = table[hid]
        if hyp["hypervisor_hostname"] != exclude and compute_admin.usable(hyp) and \
                compute_admin.fits(hyp, vcpus, ram, disk) and \
                (best is None or hyp["free_ram_mb"] > best["free_ram_mb"]):
            best = hyp
    return best


def _named_host(store: Store, host: str, source: str | None, *,
                missing_status: int = 400) -> Record:
    """The hypervisor an admin named as a move's destination, or Nova's 400 (404)."""
    hyp = _hyp(store, host)
    if hyp is None:
        raise ApiError(missing_status, f"Compute host {host} could not be found.")
    if host == source:
        raise NOVA.bad("The target host can't be the same one.")
    if not compute_admin.usable(hyp):
        raise NOVA.bad(f"Compute service of {host} is unavailable at this time.")
    return hyp


def _put_on(store: Store, server: Server, hyp: Record | None) -> None:
    """Move the server's host fields to ``hyp`` (None: no host, shelved offloaded)."""
    name = hyp["hypervisor_hostname"] if hyp is not None else None
    server["OS-EXT-SRV-ATTR:host"] = name
    server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = name
    server["hostId"] = host_id(server["tenant_id"], name)
    server["host_status"] = "" if hyp is None else (
        "UP" if hyp["state"] == "up" and hyp["status"] == "enabled" else
        "DOWN" if hyp["state"] == "down" else "MAINTENANCE")
    if hyp is not None:
        server["OS-EXT-AZ:availability_zone"] = hyp.get("_az") or "nova"
    servers = store.table("servers")
    if servers.get(server["id"]) is server:
        servers[server["id"]] = server  # stored again: the store's indexes by host refile it


def _flavor_number(store: Store, flavor_id: str) -> int:
    """The integer id Nova's migrations name a flavor by (its row in the flavors table)."""
    for i, fid in enumerate(store.table("flavors"), 1):
        if fid == flavor_id:
            return i
    return 0


# -- resize and cold migration ----------------------------------------------------------

RESIZE = {"flavorRef": Field(type="any", required=True),
          "OS-DCF:diskConfig": Field(choices=("AUTO", "MANUAL"))}


def _start_resize(ctx: Ctx, server: Server, *, kind: str,
                  flavor: Record | None, dest: Record | None) -> None:
    """RESIZE: claim the destination, hand the source's allocation to the migration."""
    store = ctx.store
    source = _hyp(store, server["OS-EXT-SRV-ATTR:hypervisor_hostname"])
    new = flavor_doc(flavor) if flavor is not None else server["flavor"]
    new_id_ = flavor["id"] if flavor is not None else server.flavor_id
    if dest is None:
        dest = _schedule(store, new, exclude=(source or {}).get("hypervisor_hostname"),
                         az=server.get("pinned_availability_zone"))
    if dest is None or source is None:
        raise NOVA.bad("No valid host was found. There are not enough hosts available.")
    vm = server["OS-EXT-STS:vm_state"]
    m = new_migration(store, server, kind, source, dest,
                      _flavor_number(store, server.flavor_id), _flavor_number(store, new_id_),
                      "pre-migrating")
    m.update(_old_flavor=server["flavor"], _old_flavor_id=server.flavor_id, _new_flavor=new,
             _new_flavor_id=new_id_, _old_vm_state=vm)
    _claim(store, dest, new)
    store.publish(ALLOCATION_MOVE, consumer_id=server["id"], to_consumer_id=m["uuid"])
    _allocate(store, server, dest, new)
    set_state(server, vm, "resize_prep")
    note(ctx, server, "resize" if kind == "resize" else "migrate", "compute_prep_resize")
    finish_later(store, server, store.config.build_seconds)


def _finish_resize(store: Store, server: Server) -> None:
    """RESIZE -> VERIFY_RESIZE: the server runs on the destination with its new flavor."""
    m = migration_of(store, server["id"], ("resize", "migration"), _RESIZING)
    if m is None:
        set_state(server, server["OS-EXT-STS:vm_state"])
        return
    _put_on(store, server, _hyp(store, m["dest_compute"]))
    server["flavor"] = m["_new_flavor"]
    server.flavor_id = m["_new_flavor_id"]
    set_state(server, "resized", power_state=1 if m["_old_vm_state"] == "active" else 4)
    set_status(m, "finished")


def resize(ctx: Ctx, server: Server, values: dict[str, Any]) -> None:
    flavor = visible_flavor(ctx, image_ref_id(str(values["flavorRef"])))
    if flavor is None:
        raise NOVA.bad("Unable to locate requested flavor.")
    if flavor["id"] == server.flavor_id:
        raise NOVA.bad("When resizing, instances must change flavor!")
    old = server["flavor"]
    if flavor["disk"] < old["disk"] and server.get("image"):
        raise NOVA.bad("Resizing to a smaller disk flavor is not allowed.")
    glue.check_quota(ctx.store, server["tenant_id"], instances=0,
                     cores=max(0, flavor["vcpus"] - old["vcpus"]),
                     ram=max(0, flavor["ram"] - old["ram"]))
    if "OS-DCF:diskConfig" in values:
        server["OS-DCF:diskConfig"] = values["OS-DCF:diskConfig"]
    _start_resize(ctx, server, kind="resize", flavor=flavor, dest=None)


def migrate(ctx: Ctx, server: Server, arg: Any) -> None:
    if ctx.at_least(2, 56) and arg is not None:
        host = NOVA.action_arg("migrate", arg, {"host": Field(nullable=True, max_length=255)}
                             ).get("host")
    else:
        NOVA.action_arg("migrate", arg, {})
        host = None
    check_state(server, "migrate", ("active", "stopped"))
    dest = _named_host(ctx.store, host, server["OS-EXT-SRV-ATTR:host"]) if host else None
    _start_resize(ctx, server, kind="migration", flavor=None, dest=dest)


def _verified(ctx: Ctx, server: Server) -> Record:
    m = migration_of(ctx.store, server["id"], ("resize", "migration"), ("finished",))
    if m is None:
        raise NOVA.bad("Instance has not been resized.")
    return m


def confirm_resize(ctx: Ctx, server: Server, arg: Any) -> Response:
    m = _verified(ctx, server)
    _close(ctx.store, m, "source_compute", m["_old_flavor"], "confirmed")
    set_state(server, "active" if m["_old_vm_state"] == "active" else "stopped")
    note(ctx, server, "confirmResize", "compute_confirm_resize")
    return ctx.reply(None, 204)


def revert_resize(ctx: Ctx, server: Server, arg: Any) -> None:
    m = _verified(ctx, server)
    store = ctx.store
    _release(store, _hyp(store, m["dest_compute"]), m["_new_flavor"])
    source = _hyp(store, m["source_compute"])
    _put_on(store, server, source)
    server["flavor"] = m["_old_flavor"]
    server.flavor_id = m["_old_flavor_id"]
    if source is not None:
        _allocate(store, server, source, m["_old_flavor"])
    store.publish(ALLOCATION_DELETE, consumer_id=m["uuid"])
    set_status(m, "reverted")
    set_state(server, "resized", "resize_reverting")
    note(ctx, server, "revertResize", "compute_revert_resize")
    finish_later(store, server, store.config.build_seconds)


def _finish_revert(store: Store, server: Server) -> None:
    m = migration_of(store, server["id"], ("resize", "migration"), ("reverted",))
    vm = (m or {}).get("_old_vm_state", "active")
    set_state(server, vm, power_state=1 if vm == "active" else 4)


def _abandon(store: Store, server: Server) -> None:
    """A server deleted mid-move gives back the other host's claim too (its own host's
    is given back by the delete)."""
    m = migration_of(store, server["id"], ("resize", "migration"), ("finished",))
    if m is not None:  # on the destination: the source still holds the old flavor
        _close(store, m, "source_compute", m["_old_flavor"], "confirmed")
    m = migration_of(store, server["id"], ("resize", "migration"), _RESIZING)
    if m is not None:  # still on the source: the destination holds the new flavor
        _close(store, m, "dest_compute", m["_new_flavor"], "error")
    m = migration_of(store, server["id"], ("live-migration", "evacuation"),
                     (*_LIVE, "accepted"))
    if m is not None:
        _close(store, m, "dest_compute", server["flavor"], "error")


# -- live migration -----------------------------------------------------------------------

def _live_fields(ctx: Ctx) -> dict[str, Field]:
    fields = {"host": Field(type="any", required=True, nullable=True),
              "block_migration": Field(type="any", required=True)}
    if not ctx.at_least(2, 25):
        fields["disk_over_commit"] = Field(type="bool", required=True)
    if ctx.at_least(2, 30) and not ctx.at_least(2, 68):
        fields["force"] = Field(type="bool")
    return fields


def live_migrate(ctx: Ctx, server: Server, values: dict[str, Any]) -> None:
    block = values["block_migration"]
    allowed: tuple[Any, ...] = (True, False, "auto") if ctx.at_least(2, 25) else (True, False)
    if block not in allowed and str(block).lower() not in ("true", "false"):
        raise NOVA.schema("os-migrateLive/block_migration", block,
                          f"{block!r} is not one of {list(allowed)}")
    host = values["host"]
    if host is not None and not isinstance(host, str):
        raise NOVA.schema("os-migrateLive/host", host, f"{host!r} is not of type 'string', "
                                                       "'null'")
    check_state(server, "live-migration", ("active", "paused"))
    store = ctx.store
    source = _hyp(store, server["OS-EXT-SRV-ATTR:hypervisor_hostname"])
    dest = _named_host(store, host, server["OS-EXT-SRV-ATTR:host"]) if host else \
        _schedule(store, server["flavor"], exclude=(source or {}).get("hypervisor_hostname"),
                  az=server.get("pinned_availability_zone"))
    if source is None:
        raise ApiError(409, f"Instance {server['id']} is not ready")
    if dest is None:
        note(ctx, server, "live-migration", "conductor_live_migrate_instance",
             result="Error", message="Error")
        return
    vcpus, ram, disk = _sizes(server["flavor"])
    m = new_migration(store, server, "live-migration", source, dest,
                      _flavor_number(store, server.flavor_id),
                      _flavor_number(store, server.flavor_id), "running")
    m.update(_memory_mb=ram, _disk_gb=disk if block in (True, "auto", "true") else 0,
             _started=time.monotonic(), _seconds=10 * store.config.build_seconds)
    _claim(store, dest, server["flavor"])
    store.publish(ALLOCATION_MOVE, consumer_id=server["id"], to_consumer_id=m["uuid"])
    _allocate(store, server, dest, server["flavor"])
    set_state(server, server["OS-EXT-STS:vm_state"], "migrating")
    note(ctx, server, "live-migration", "compute_live_migration")
    finish_later(store, server, m["_seconds"])


def _finish_live(store: Store, server: Server) -> None:
    """MIGRATING -> the server runs on the destination; the source is freed."""
    m = migration_of(store, server["id"], ("live-migration",), _LIVE)
    if m is not None:
        _close(store, m, "source_compute", server["flavor"], "completed")
        _put_on(store, server, _hyp(store, m["dest_compute"]))
    set_state(server, server["OS-EXT-STS:vm_state"])


def _in_progress(ctx: Ctx, server: Server, verb: str, *, before: tuple[int, int]
                 ) -> Record:
    """The live migration ``migration_id`` names, running, or Nova's 404/409/400."""
    NOVA.gate(ctx.request, before)
    mid = ctx.request.path_params["migration_id"]
    m = next((m for m in ctx.store.table("migrations").values()
              if str(m["id"]) == mid and m["instance_uuid"] == server["id"]), None)
    if server["OS-EXT-STS:task_state"] != "migrating":
        raise ApiError(409, f"Cannot '{verb}' instance {server['id']} while it is in "
                            f"task_state {server['OS-EXT-STS:task_state']}")
    if m is None:
        raise ApiError(404, f"Migration {mid} not found for instance {server['id']}.")
    statuses = _LIVE if verb == "abort_live_migration" and ctx.at_least(2, 65) else \
        ("running",)
    if m["migration_type"] != "live-migration" or m["status"] not in statuses:
        raise NOVA.bad(f"Migration {mid} state of instance {server['id']} is {m['status']}. "
                       f"Cannot {verb} while the migration is in this state.")
    return m


async def list_server_migrations(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    NOVA.gate(ctx.request, (2, 23))
    ctx.require_admin("os_compute_api:servers:migrations:index")
    clock = time.monotonic()
    rows = [server_migration_view(ctx, m, _progress(m, clock)) for m in sorted(
        (m for m in ctx.store.table("migrations").values()
         if m["instance_uuid"] == server["id"] and m["migration_type"] == "live-migration"
         and m["status"] in _LIVE), key=lambda m: -m["id"])]
    return ctx.reply({"migrations": rows})


def _progress(m: Record, clock: float) -> float:
    seconds = m.get("_seconds") or 1.0
    return max(0.0, min(1.0, (clock - m.get("_started", clock)) / seconds))


async def server_migration(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    mid = request.path_params["migration_id"]
    if request.method == "GET":
        NOVA.gate(ctx.request, (2, 23))
        ctx.require_admin("os_compute_api:servers:migrations:show")
        m = next((m for m in ctx.store.table("migrations").values()
                  if str(m["id"]) == mid and m["instance_uuid"] == server["id"]), None)
        if m is None:
            raise ApiError(404, f"Migration {mid} for instance {server['id']} could not be "
                                "found")
        if m["migration_type"] != "live-migration" or m["status"] not in _LIVE:
            raise ApiError(404, f"In-progress live migration {mid} is not found for server "
                                f"{server['id']}.")
        return ctx.reply({"migration": server_migration_view(ctx, m, _progress(
            m, time.monotonic()))})
    ctx.require_admin("os_compute_api:servers:migrations:delete")
    m = _in_progress(ctx, server, "abort_live_migration", before=(2, 24))
    store = ctx.store
    _release(store, _hyp(store, m["dest_compute"]), server["flavor"])
    source = _hyp(store, m["source_compute"])
    if source is not None:
        _allocate(store, server, source, server["flavor"])
    store.publish(ALLOCATION_DELETE, consumer_id=m["uuid"])
    set_status(m, "cancelled")
    state(store).pending.pop(server["id"], None)
    set_state(server, server["OS-EXT-STS:vm_state"])
    touch(store, server)
    return ctx.reply(None, 202)


async def force_complete(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    action, arg = NOVA.action_of(await json_body(request))
    if action != "force_complete":
        raise NOVA.unknown([action])
    NOVA.action_arg("force_complete", arg, {})
    ctx.require_admin("os_compute_api:servers:migrations:force_complete")
    _in_progress(ctx, server, "force_complete", before=(2, 22))
    state(ctx.store).pending.pop(server["id"], None)
    _finish_live(ctx.store, server)
    record_action(ctx.store, server, "live_migration_force_complete",
                  request_id="req-" + new_id(), user_id=ctx.token.user_id)
    touch(ctx.store, server)
    return ctx.reply(None, 202)


# -- evacuate -------------------------------------------------------------------------------

def _evacuate_fields(ctx: Ctx) -> dict[str, Field]:
    fields = {"host": Field(max_length=255), "adminPass": Field(max_length=255)}
    if not ctx.at_least(2, 14):
        fields["onSharedStorage"] = Field(type="any", required=True)
    if ctx.at_least(2, 29) and not ctx.at_least(2, 68):
        fields["force"] = Field(type="bool")
    return fields


def evacuate(ctx: Ctx, server: Server, values: dict[str, Any]) -> Response:
    store = ctx.store
    source_name = server["OS-EXT-SRV-ATTR:host"]
    service = next((s for s in store.table("compute_services").values()
                    if s["host"] == source_name and s["binary"] == "nova-compute"), None)
    if service is not None and service["state"] == "up" and not service["forced_down"]:
        raise NOVA.bad(f"Compute service of {source_name} is still in use.")
    host = values.get("host")
    if host:
        if _hyp(store, host) is None:
            raise ApiError(404, f"Compute host {host} not found.")
        dest: Record | None = _named_host(store, host, source_name)
    else:
        dest = _schedule(store, server["flavor"], exclude=source_name,
                         az=server.get("pinned_availability_zone"))
    if dest is None:
        raise NOVA.bad("No valid host was found. There are not enough hosts available.")
    source = _hyp(store, source_name)
    vm = server["OS-EXT-STS:vm_state"]
    m = new_migration(store, server, "evacuation", source or dest, dest,
                      _flavor_number(store, server.flavor_id),
                      _flavor_number(store, server.flavor_id), "accepted")
    m["_old_vm_state"] = "stopped" if vm == "stopped" or ctx.at_least(2, 95) else "active"
    _claim(store, dest, server["flavor"])
    _allocate(store, server, dest, server["flavor"])
    set_state(server, vm, "rebuilding")
    note(ctx, server, "evacuate", "compute_rebuild_instance")
    finish_later(store, server, store.config.build_seconds)
    password = values.get("adminPass") or new_id()[:12]
    return ctx.reply({"adminPass": password} if not ctx.at_least(2, 14) else None, 200)


def _finish_rebuild(store: Store, server: Server) -> None:
    """REBUILD ends: an evacuation lands on its destination (the source is freed); a
    rebuild (:mod:`.server_ops`) is back in its state."""
    m = migration_of(store, server["id"], ("evacuation",), ("accepted",))
    if m is None:
        vm = server["OS-EXT-STS:vm_state"]
        set_state(server, vm, power_state=4 if vm == "stopped" else None)
        return
    _release(store, _hyp(store, m["source_compute"]), server["flavor"])
    _put_on(store, server, _hyp(store, m["dest_compute"]))
    set_status(m, "done")
    set_state(server, m["_old_vm_state"])


# -- shelve ---------------------------------------------------------------------------------

def shelve(ctx: Ctx, server: Server, arg: Any) -> None:
    set_state(server, server["OS-EXT-STS:vm_state"], "shelving")
    note(ctx, server, "shelve", "compute_shelve_instance")
    finish_later(ctx.store, server, ctx.store.config.build_seconds)


def _finish_shelve(store: Store, server: Server) -> None:
    set_state(server, "shelved", power_state=4)
    if int(store.meta.get(SHELVED_OFFLOAD_TIME) or 0) == 0:
        _offload(store, server)


def _offload(store: Store, server: Server) -> None:
    """SHELVED -> SHELVED_OFFLOADED: the host's capacity and allocation are freed."""
    _release(store, _hyp(store, server["OS-EXT-SRV-ATTR:hypervisor_hostname"]),
             server["flavor"])
    store.publish(ALLOCATION_DELETE, consumer_id=server["id"])
    _put_on(store, server, None)
    set_state(server, "shelved_offloaded", power_state=4)


def shelve_offload(ctx: Ctx, server: Server, arg: Any) -> None:
    _offload(ctx.store, server)
    note(ctx, server, "shelveOffload", "compute_shelve_offload_instance")


def unshelve(ctx: Ctx, server: Server, arg: Any) -> None:
    values: dict[str, Any] = {}
    if arg is not None and ctx.at_least(2, 77):
        fields = {"availability_zone": Field(nullable=ctx.at_least(2, 91), max_length=255)}
        if ctx.at_least(2, 91):
            fields["host"] = Field(max_length=255)
        values = NOVA.action_arg("unshelve", arg, fields)
    else:
        NOVA.action_arg("unshelve", arg, {})
    check_lock(ctx, server)
    if "host" in values:
        ctx.require_admin("os_compute_api:os-shelve:unshelve_to_host")
    check_state(server, "unshelve", ("shelved", "shelved_offloaded"))
    store = ctx.store
    if server["OS-EXT-STS:vm_state"] == "shelved":
        if values:
            raise ApiError(409, "The availability_zone and host parameters are only allowed "
                                f"for a SHELVED_OFFLOADED server; {server['id']} is "
                                "SHELVED.")
    else:
        az = values.get("availability_zone", server.get("pinned_availability_zone"))
        if "availability_zone" in values:
            if az is not None and az not in host_index(store)["by_az"]:
                raise NOVA.bad(f"The requested availability zone is not available: {az}")
            server["pinned_availability_zone"] = az
        if values.get("host"):
            dest: Record | None = _named_host(store, values["host"], None)
        else:
            dest = _schedule(store, server["flavor"], az=az)
        if dest is None:
            note(ctx, server, "unshelve", "compute_unshelve_instance",
                 result="Error", message="Error")
            return
        _claim(store, dest, server["flavor"])
        _allocate(store, server, dest, server["flavor"])
        _put_on(store, server, dest)
    set_state(server, server["OS-EXT-STS:vm_state"], "unshelving")
    note(ctx, server, "unshelve", "compute_unshelve_instance")
    finish_later(store, server, store.config.build_seconds)


def _finish_unshelve(store: Store, server: Server) -> None:
    set_state(server, "active")


MIGRATE = "os_compute_api:os-migrate-server:"
SERVER_ACTIONS.add(
    Action("resize", resize, RESIZE, states=("active", "stopped")),
    Action("confirmResize", confirm_resize, {}, states=("resized",), guarded=False),
    Action("revertResize", revert_resize, {}, states=("resized",), guarded=False),
    Action("migrate", migrate, rule=MIGRATE + "migrate", guarded=False),
    Action("os-migrateLive", live_migrate, _live_fields, rule=MIGRATE + "migrate_live",
           guarded=False),
    Action("evacuate", evacuate, _evacuate_fields, rule="os_compute_api:os-evacuate",
           states=("active", "stopped", "error"), guarded=False),
    Action("shelve", shelve, {}, states=("active", "stopped", "paused", "suspended")),
    Action("shelveOffload", shelve_offload, {}, rule="os_compute_api:os-shelve:shelve_offload",
           states=("shelved",), guarded=False),
    Action("unshelve", unshelve, guarded=False))
FINISHERS.update({
    "resize_prep": _finish_resize, "resize_reverting": _finish_revert,
    "migrating": _finish_live, "rebuilding": _finish_rebuild, "shelving": _finish_shelve,
    "unshelving": _finish_unshelve})
ON_REMOVE.append(_abandon)


def routes() -> list[BaseRoute]:
    s = "/v2.1/servers/{server_id}/migrations"
    return [
        Route(s, list_server_migrations, methods=["GET"]),
        Route(s + "/{migration_id}", server_migration, methods=["GET", "DELETE"]),
        Route(s + "/{migration_id}/action", force_complete, methods=["POST"]),
    ]
