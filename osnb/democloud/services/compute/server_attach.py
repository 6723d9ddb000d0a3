"""Attaching to a running server: ports (``os-interface``) and volumes
(``os-volume_attachments``), through the network and block storage modules' factories.

As in Nova, a port Nova made for ``net_id`` is deleted on detach, while a port the caller
brought (``port_id``) is only unbound and kept. Each change records an instance action and
re-derives what the server shows (``addresses``, attached volumes) via ``sync_server``,
which also drops the server's cached JSON.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Field
from ...http import ApiError, json_body
from ...store import Record
from ...world import PORT_DELETE, PORT_REBOUND, VOLUME_ATTACH, VOLUME_DETACH
from . import glue
from ._dialect import NOVA, Ctx
from .common import check_lock, check_state
from .servers import SERVERS, free_port, record_action

__all__ = ["attach_interface", "attach_volume", "detach_interface", "detach_volume",
           "limited"]

# vm_states Nova's compute API accepts for each (``check_instance_state``).
_INTERFACE_STATES = ("active", "paused", "stopped")
_VOLUME_STATES = ("active", "paused", "stopped", "resized", "soft-delete", "shelved",
                  "shelved_offloaded")


INTERFACE = {"port_id": Field(type="any"), "net_id": Field(type="any"),
             "fixed_ips": Field(type="list"), "tag": Field(nullable=True)}
VOLUME = {"volumeId": Field(required=True), "device": Field(nullable=True),
          "tag": Field(nullable=True), "delete_on_termination": Field(type="bool")}


def _record(ctx: Ctx, server: Record, action: str, event: str) -> None:
    record_action(ctx.store, server, action, request_id=ctx.request_id,
                  user_id=ctx.token.user_id, event=event)


def limited(request: Request, items: list[Any], max_limit: int = 1000) -> list[Any]:
    """``items[offset:offset + limit]`` as Nova's ``common.limited`` cuts a list (a
    ``limit`` of 0 means the maximum)."""
    values: dict[str, int] = {}
    for name in ("limit", "offset"):
        raw = request.query_params.get(name)
        if raw is None:
            continue
        try:
            values[name] = int(raw)
        except ValueError:
            raise NOVA.bad(f"Invalid input received: {name} must be an integer") from None
        if values[name] < 0:
            raise NOVA.bad(f"Invalid input received: {name} must be >= 0")
    offset = values.get("offset", 0)
    limit = min(max_limit, values.get("limit") or max_limit)
    return items[offset:offset + limit]


# -- interfaces ---------------------------------------------------------------------------

async def attach_interface(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    want = NOVA.member(await json_body(request), "interfaceAttachment", INTERFACE)
    port_id, net_id = want.get("port_id"), want.get("net_id")
    fixed = want.get("fixed_ips") or []
    if port_id and net_id:
        raise NOVA.bad("Must not input both network_id and port_id")
    if fixed and not net_id:
        raise NOVA.bad("Must input network_id when request IP address")
    check_lock(ctx, server)
    check_state(server, "attach_interface", _INTERFACE_STATES)
    store = ctx.store
    if port_id:
        free_port(ctx, port_id)
    elif net_id:
        network = store.table("networks").get(str(net_id))
        if network is None or (not ctx.admin and not network.get("shared") and
                               network["project_id"] != server["tenant_id"]):
            raise ApiError(404, f"Network {net_id} could not be found.")
    ip = fixed[0].get("ip_address") if fixed and isinstance(fixed[0], dict) else None
    attached = glue.plug(store, server, network_id=str(net_id) if net_id else None,
                         port_id=str(port_id) if port_id else None, fixed_ip=ip)
    if attached is None:
        raise ApiError(400, "Failed to allocate the network(s), not rescheduling.")
    if port_id:
        server.preserve_ports = [*server.preserve_ports, attached["id"]]
    _record(ctx, server, "attach_interface", "compute_attach_interface")
    glue.sync_server(store, server["id"])
    row = next(r for r in glue.interfaces(store, server) if r["port_id"] == attached["id"])
    if ctx.at_least(2, 70):
        row["tag"] = want.get("tag")
    else:
        row.pop("tag", None)
    return ctx.reply({"interfaceAttachment": row})


async def detach_interface(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    port_id = request.path_params["port_id"]
    check_lock(ctx, server)
    check_state(server, "detach_interface", _INTERFACE_STATES)
    store = ctx.store
    if port_id not in server.port_ids:
        raise ApiError(404, f"Port {port_id} is not attached")
    server.port_ids = [p for p in server.port_ids if p != port_id]
    port = store.table("ports").get(port_id)
    if port is not None and port_id in server.preserve_ports:
        server.preserve_ports = [p for p in server.preserve_ports if p != port_id]
        old = dict(port)
        port.update(device_id="", device_owner="", **{"binding:host_id": ""})
        store.publish(PORT_REBOUND, port=port, old=old)
    elif port is not None:
        store.publish(PORT_DELETE, port_id=port_id)
    _record(ctx, server, "detach_interface", "compute_detach_interface")
    glue.sync_server(store, server["id"])
    return ctx.reply(None, 202)


# -- volumes ------------------------------------------------------------------------------

def _visible_volume(ctx: Ctx, volume_id: str) -> Record:
    volume = ctx.store.table("volumes").get(volume_id)
    if volume is None or (not ctx.admin and
                          volume["os-vol-tenant-attr:tenant_id"] != ctx.token.project_id):
        raise ApiError(404, f"Volume {volume_id} could not be found.")
    return volume


async def attach_volume(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    fields = VOLUME if ctx.at_least(2, 79) else {
        k: f for k, f in VOLUME.items() if k != "delete_on_termination"}
    want = NOVA.member(await json_body(request), "volumeAttachment", fields)
    volume_id = want["volumeId"]
    if not volume_id:
        raise NOVA.within("volumeAttachment", want).invalid("volumeId", None, "required")
    delete_flag = want.get("delete_on_termination", False)
    check_lock(ctx, server)
    check_state(server, "attach_volume", _VOLUME_STATES)
    volume = _visible_volume(ctx, volume_id)
    store = ctx.store
    if any(a["server_id"] == server["id"] for a in volume["attachments"]):
        raise ApiError(409, f"Invalid volume: volume {volume_id} already attached to "
                            f"instance {server['id']}")
    if volume["status"] != "available" and not volume.get("multiattach"):
        raise ApiError(400, f"Invalid volume: Volume {volume_id} status must be available "
                            f"or downloading to reserve, but the current status is "
                            f"{volume['status']}.")
    device = want.get("device")
    attachment = store.ask(VOLUME_ATTACH, volume=volume, server_id=server["id"],
                           device=device if isinstance(device, str) and device else None)
    _record(ctx, server, "attach_volume", "compute_attach_volume")
    glue.sync_server(store, server["id"])
    for entry in server["os-extended-volumes:volumes_attached"]:
        if entry["id"] == volume_id:
            entry["delete_on_termination"] = delete_flag
    row: dict[str, Any] = {"device": attachment["device"], "id": volume_id,
                           "serverId": server["id"], "volumeId": volume_id}
    if ctx.at_least(2, 70):
        row["tag"] = want.get("tag")
    if ctx.at_least(2, 79):
        row["delete_on_termination"] = delete_flag
    return ctx.reply({"volumeAttachment": row})


async def detach_volume(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    volume_id = request.path_params["volume_id"]
    check_lock(ctx, server)
    check_state(server, "detach_volume", _VOLUME_STATES)
    volume = _visible_volume(ctx, volume_id)
    attached = [a["id"] for a in server["os-extended-volumes:volumes_attached"]]
    if volume_id not in attached:
        raise ApiError(404, f"Instance {server['id']} is not attached to volume "
                            f"{volume_id}.")
    if volume_id == (attached[0] if not server.get("image") else None):
        raise NOVA.bad("Cannot detach a root device volume")
    ctx.store.publish(VOLUME_DETACH, volume=volume, server_id=server["id"])
    _record(ctx, server, "detach_volume", "compute_detach_volume")
    glue.sync_server(ctx.store, server["id"])
    return ctx.reply(None, 202)
