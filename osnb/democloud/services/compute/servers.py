"""Nova servers: the collection (listing in :mod:`.listing`; show, create, update and
delete here), the power/lock actions, and the instance actions that record them."""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import re
import time
import uuid as _uuid
from collections.abc import Callable
from typing import Any, NoReturn

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Action, ActionHandler, Actions, Field, check_body
from ...http import ApiError, json_body, json_response, raw_json_response
from ...store import STAMPS, Record, Store, epoch_us, isotime, new_id, now, span_us, uuid_text
from ...world import ALLOCATION_DELETE, ALLOCATION_SET, SERVER_DELETED
from . import glue
from ._dialect import NOVA, Ctx
from .common import (
    NO_ITEMS,
    NO_KEYS,
    Server,
    check_lock,
    check_state,
    image_links,
    index_add,
    index_remove,
    invalidate,
    state,
)
from .listing import ServerList, server_list
from .views import server_json, server_links

__all__ = ["FINISHERS", "SERVER_ACTIONS", "RECLAIM", "SERVER_TEMPLATE", "STATUS", "actions_of",
           "failed_reboot", "finish_build", "finish_later", "flavor_doc", "image_doc",
           "image_ref_id", "record_action", "remove_server", "routes", "server_record",
           "set_state", "show_server", "visible_flavor", "visible_image"]

STATUS = {"active": "ACTIVE", "building": "BUILD", "stopped": "SHUTOFF", "paused": "PAUSED",
          "suspended": "SUSPENDED", "error": "ERROR", "rescued": "RESCUE",
          "resized": "VERIFY_RESIZE", "shelved": "SHELVED",
          "shelved_offloaded": "SHELVED_OFFLOADED", "soft-delete": "SOFT_DELETED"}
POWER = {"active": 1, "building": 0, "stopped": 4, "paused": 3, "suspended": 4, "error": 0,
         "rescued": 1, "resized": 1, "shelved": 4, "shelved_offloaded": 4}
_TASK_STATUS = {"rebooting": "REBOOT", "reboot_pending": "REBOOT", "reboot_started": "REBOOT",
                "rebooting_hard": "HARD_REBOOT", "reboot_pending_hard": "HARD_REBOOT",
                "reboot_started_hard": "HARD_REBOOT", "migrating": "MIGRATING",
                "resize_prep": "RESIZE", "resize_migrating": "RESIZE",
                "resize_finish": "RESIZE", "resize_reverting": "REVERT_RESIZE",
                "rebuilding": "REBUILD", "rebuild_spawning": "REBUILD",
                "updating_password": "PASSWORD"}
_PROGRESS_STATUSES = {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}
FINISHERS: dict[str, Callable[[Store, Server], None]] = {}
"""What ends a timed step, by the server's task_state (else its vm_state): a resize's
RESIZE becomes VERIFY_RESIZE, a live migration lands, a soft-deleted server is reclaimed.
A server is put on the timer with :func:`finish_later`."""
ON_REMOVE: list[Callable[[Store, Server], None]] = []
"""What else a deleted server gives back (a resize awaiting confirmation: the source
host's claim)."""
RECLAIM = "nova_reclaim_instance_interval"
"""The store's ``meta`` key of Nova's ``reclaim_instance_interval`` (seconds; 0, the
default: a delete is immediate): a deleted server waits that long, SOFT_DELETED, for a
``restore`` or ``forceDelete``."""
FAULT_NO_HOST = "No valid host was found. There are not enough hosts available."


def nova_time(value: _dt.datetime | None = None) -> str:
    """Timestamps of instance actions and launches: ``2019-04-23T15:19:10.000000``."""
    value = value or now()
    if value.utcoffset():
        return isotime(value, micro=True, zulu=False)
    return value.isoformat(timespec="microseconds")[:26]


def set_state(server: Record, vm_state: str, task_state: str | None = None,
              power_state: int | None = None) -> None:
    server["OS-EXT-STS:vm_state"] = vm_state
    server["OS-EXT-STS:task_state"] = task_state
    server["OS-EXT-STS:power_state"] = POWER.get(vm_state, 0) if power_state is None \
        else power_state
    status = _TASK_STATUS.get(task_state or "", STATUS.get(vm_state, "UNKNOWN"))
    server["status"] = status
    if status in _PROGRESS_STATUSES:
        server.setdefault("progress", 0)
    else:
        server.pop("progress", None)


def host_id(project_id: str, host: str | None) -> str:
    """Nova's ``hostId``: sha224 of project and host, empty without a host."""
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


_HOSTNAMES: dict[str, str] = {}
_NOT_HOSTNAME = re.compile(r"[^a-z0-9.-]+")


def hostname_of(name: str) -> str:
    """Nova's sanitized hostname for a server name (cached: names repeat a lot)."""
    found = _HOSTNAMES.get(name)
    if found is None:
        found = _NOT_HOSTNAME.sub("-", name.lower()).strip("-.")[:63] or "server"
        if len(_HOSTNAMES) < 100_000:
            _HOSTNAMES[name] = found
    return found


def image_doc(image: Record | None, base: str = "") -> Any:
    """A server's ``image``: its id, the bookmark link Nova gives at every microversion, and
    (2.98) its properties; "" for a server booted from a volume."""
    if image is None:
        return ""
    return {"id": image["id"], "links": image_links(base, image["id"]),
            "properties": glue.image_properties(image)}



def flavor_doc(flavor: Record) -> dict[str, Any]:
    return {"vcpus": flavor["vcpus"], "ram": flavor["ram"], "disk": flavor["disk"],
            "ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"], "swap": flavor["swap"] or 0,
            "original_name": flavor["name"],
            "extra_specs": dict(flavor.get("extra_specs") or {})}


# A server document's keys in Nova's order, with the values every new server starts from;
# server_record copies it and fills in the rest (faster than a 45-key literal, and the
# one place the shape is written down).
SERVER_TEMPLATE: dict[str, Any] = {
    "id": "", "links": None, "name": "", "status": "BUILD", "tenant_id": "", "user_id": "",
    "metadata": NO_KEYS, "hostId": "", "image": "", "flavor": None, "created": "",
    "updated": "", "addresses": NO_KEYS, "accessIPv4": "", "accessIPv6": "",
    "OS-DCF:diskConfig": "MANUAL", "progress": 0, "OS-EXT-AZ:availability_zone": "nova",
    "config_drive": "", "key_name": None, "OS-SRV-USG:launched_at": None,
    "OS-SRV-USG:terminated_at": None, "OS-EXT-SRV-ATTR:host": None,
    "OS-EXT-SRV-ATTR:instance_name": "", "OS-EXT-SRV-ATTR:hypervisor_hostname": None,
    "OS-EXT-SRV-ATTR:reservation_id": "", "OS-EXT-SRV-ATTR:launch_index": 0,
    "OS-EXT-SRV-ATTR:hostname": "", "OS-EXT-SRV-ATTR:kernel_id": "",
    "OS-EXT-SRV-ATTR:ramdisk_id": "", "OS-EXT-SRV-ATTR:root_device_name": None,
    "OS-EXT-SRV-ATTR:user_data": None, "OS-EXT-STS:task_state": "spawning",
    "OS-EXT-STS:vm_state": "building", "OS-EXT-STS:power_state": 0,
    "os-extended-volumes:volumes_attached": NO_ITEMS, "locked": False, "locked_reason": None,
    "description": None, "tags": NO_ITEMS, "trusted_image_certificates": None,
    "host_status": "", "security_groups": None, "pinned_availability_zone": None,
    "scheduler_hints": NO_KEYS,
}


def server_record(sid: str, base: str, name: str, project_id: str, user_id: str,
                  image: Any, flavor: dict[str, Any], flavor_id: str, created: str,
                  instance_number: int, security_groups: list[dict[str, str]], *,
                  template: dict[str, Any] | None = None) -> Server:
    """A new server's record in the 2.100 admin shape (BUILD/spawning, no host yet), its
    ``links`` pointing at ``base``: what every server has, for callers to add the rest.
    ``image`` and ``flavor`` are the embedded documents (:func:`image_doc`,
    :func:`flavor_doc`); world generation gives one object to many servers, so handlers
    only ever replace these values, never change them in place. ``template`` (by default
    :data:`SERVER_TEMPLATE`) gives the other keys their values; its empty ``metadata``,
    ``addresses``, ``tags``, attached volumes and scheduler hints are shared, and refuse
    changes in place (:class:`~.common.SharedList`)."""
    rec = Server(SERVER_TEMPLATE if template is None else template)
    rec["id"] = sid
    rec["links"] = server_links(base, sid)
    rec["name"] = name
    rec["tenant_id"] = project_id
    rec["user_id"] = user_id
    rec["image"] = image
    rec["flavor"] = flavor
    rec["created"] = rec["updated"] = created
    rec["OS-EXT-SRV-ATTR:instance_name"] = f"instance-{instance_number:08x}"
    rec["OS-EXT-SRV-ATTR:hostname"] = hostname_of(name)
    rec["security_groups"] = security_groups
    return rec.init_private(flavor_id)


def _action_record(server_id: str, project_id: str, host: str, host_id: str, action: str,
                   request_id: str, user_id: str, begin_us: int, event: str | None,
                   result: str, message: str | None, traceback: str | None,
                   duration_s: float) -> Record:
    started = STAMPS.micro(begin_us)
    events: list[dict[str, Any]] = []
    if event:
        finished = STAMPS.micro(begin_us + span_us(duration_s))
        events.append({"event": event, "start_time": started, "finish_time": finished,
                       "result": result, "traceback": traceback, "host": host,
                       "hostId": host_id,
                       "details": message if result == "Error" else None})
    return {"action": action, "instance_uuid": server_id, "message": message,
            "project_id": project_id, "request_id": request_id, "start_time": started,
            "updated_at": started, "user_id": user_id, "events": events}


def record_action(store: Store, server: Record, action: str, *, request_id: str,
                  user_id: str, start: _dt.datetime | None = None,
                  event: str | None = None, result: str = "Success",
                  message: str | None = None, traceback: str | None = None,
                  duration_s: float = 2.0) -> Record:
    """An instance action (and its one compute event) in ``instance_actions``."""
    sid = server["id"]
    rids = actions_of(store, sid)
    rec = _action_record(sid, server["tenant_id"], server.get("OS-EXT-SRV-ATTR:host") or "",
                         server.get("hostId", ""), action, request_id, user_id,
                         epoch_us(start or now()), event, result, message, traceback,
                         duration_s)
    store.table("instance_actions")[request_id] = rec
    rids.append(request_id)
    return rec


def actions_of(store: Store, server_id: str) -> list[str]:
    """The request ids of the server's instance actions, oldest first (the live list,
    after the seeded actions are made into records)."""
    st = state(store)
    rids = st.actions.get(server_id)
    if rids is None:
        rids = st.actions[server_id] = []
    seeded = st.seeded_actions.pop(server_id, None)
    if seeded:
        table = store.table("instance_actions")
        made: list[str] = []
        for args in seeded:
            if isinstance(args[4], int):  # the request id's bits (world generation)
                args = (*args[:4], "req-" + uuid_text(args[4]), *args[5:])
            rec = _action_record(server_id, *args)
            table[rec["request_id"]] = rec
            made.append(rec["request_id"])
        rids[:0] = made
    return rids


def _failed_build_traceback(message: str) -> str:
    return ("Traceback (most recent call last):\n"
            '  File "/usr/lib/python3/dist-packages/nova/conductor/manager.py", line 1654, '
            "in schedule_and_build_instances\n"
            "    host_lists = self._schedule_instances(context, request_specs[0],\n"
            '  File "/usr/lib/python3/dist-packages/nova/scheduler/client/query.py", '
            "line 41, in select_destinations\n"
            "    return self.scheduler_rpcapi.select_destinations(context, spec_obj,\n"
            f"nova.exception.NoValidHost: {message}\n")


def failed_reboot(server_id: str) -> tuple[str, str]:
    """The (message, traceback) of a hard reboot that libvirt could not complete: the
    server is left in ERROR on its host (its disk no longer readable by QEMU)."""
    message = (f"internal error: process exited while connecting to monitor: "
               f"qemu-system-x86_64: Could not open '/var/lib/nova/instances/{server_id}/"
               f"disk': Permission denied")
    return message, (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 4028, '
        "in reboot_instance\n"
        "    self.driver.reboot(context, instance,\n"
        '  File "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py", line 4080, '
        "in _hard_reboot\n"
        "    self._create_guest_with_network(\n"
        '  File "/usr/lib/python3/dist-packages/libvirt.py", line 1409, in createWithFlags\n'
        "    raise libvirtError('virDomainCreateWithFlags() failed')\n"
        f"libvirt.libvirtError: {message}\n")


def fail(server: Record, message: str, *, when: str, details: str) -> None:
    set_state(server, "error")
    server["fault"] = {"code": 500, "created": when, "message": message, "details": details}


def touch(store: Store, server: Record) -> None:
    """A server changed: stamp its ``updated`` and drop its cached JSON."""
    server["updated"] = isotime(now())
    invalidate(store, server["id"])


def note(ctx: Ctx, server: Server, name: str, event: str | None, **more: Any) -> None:
    """The caller's instance action ``name``, its one event lasting a build (``more``:
    :func:`record_action`'s other facts)."""
    more.setdefault("duration_s", ctx.store.config.build_seconds)
    record_action(ctx.store, server, name, request_id=ctx.request_id,
                  user_id=ctx.token.user_id, event=event, **more)


def finish_later(store: Store, server: Server, seconds: float) -> None:
    """End the server's current step (see :data:`FINISHERS`) after ``seconds``."""
    state(store).pending[server["id"]] = time.monotonic() + seconds


def finish_build(store: Store, server: Server) -> None:
    """End a BUILD: ACTIVE on its host, or ERROR when no host could take it (or end
    another timed step, by :data:`FINISHERS`)."""
    finisher = FINISHERS.get(server["OS-EXT-STS:task_state"] or "") or \
        FINISHERS.get(server["OS-EXT-STS:vm_state"])
    if finisher is not None:
        finisher(store, server)
        touch(store, server)
        return
    stamp = isotime(now())
    server["updated"] = stamp
    if server.no_host:
        server.no_host = False
        fail(server, FAULT_NO_HOST, when=stamp, details=_failed_build_traceback(FAULT_NO_HOST))
        for rid in reversed(actions_of(store, server["id"])):
            act = store.table("instance_actions").get(rid)
            if act and act["action"] == "create":
                act["message"] = "Error"
                for ev in act["events"]:
                    ev.update(result="Error", details=FAULT_NO_HOST,
                              traceback=server["fault"]["details"])
                break
    else:
        set_state(server, "active")
        server["OS-SRV-USG:launched_at"] = nova_time()
    invalidate(store, server["id"])


# -- the collection: show, create, update, delete ---------------------------------------

def _since(fields: dict[str, Field], since: dict[str, tuple[int, int]],
           ctx: Ctx) -> dict[str, Field]:
    """The fields the request's microversion knows."""
    return {k: f for k, f in fields.items() if k not in since or ctx.at_least(*since[k])}


ANY = Field(type="any")
NAME = Field(required=True, max_length=255)
DESCRIPTION = Field(nullable=True, max_length=255)
DISK_CONFIG = Field(choices=("AUTO", "MANUAL"))
COUNT = Field(type="int", minimum=1, lenient=True)
CREATE_FIELDS: dict[str, Field] = {
    "name": NAME, "flavorRef": Field(type="any", required=True), "imageRef": Field(),
    "metadata": Field(type="dict"), "networks": ANY, "OS-DCF:diskConfig": DISK_CONFIG,
    "accessIPv4": ANY, "accessIPv6": ANY, "key_name": Field(nullable=True),
    "availability_zone": Field(nullable=True), "user_data": Field(nullable=True),
    "min_count": COUNT, "max_count": COUNT, "description": DESCRIPTION,
    "tags": Field(type="list", items="str"), **{k: ANY for k in (
        "adminPass", "personality", "block_device_mapping", "block_device_mapping_v2",
        "config_drive", "security_groups", "return_reservation_id",
        "trusted_image_certificates", "host", "hypervisor_hostname", "hostname")}}
CREATE_SINCE = {"description": (2, 19), "tags": (2, 52)}
UPDATE_FIELDS: dict[str, Field] = {
    "name": Field(max_length=255), "description": DESCRIPTION, "hostname": Field(),
    "accessIPv4": Field(nullable=True), "accessIPv6": Field(nullable=True),
    "OS-DCF:diskConfig": DISK_CONFIG}
UPDATE_SINCE = {"description": (2, 19), "hostname": (2, 90)}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}$")


def image_ref_id(value: str) -> str:
    """A flavorRef/imageRef may be an id or a URL ending in one."""
    return value.rstrip("/").rsplit("/", 1)[-1]


def _name(value: str) -> str:
    if not value.strip():
        raise NOVA.schema("name", value, f"{value!r} does not match "
                               r"'^(?![\ ]).*(?<![\ ])$' or is too long")
    return value


def check_metadata(field_name: str, value: dict[str, Any]) -> dict[str, str]:
    """Nova's metadata rules: keys and values are texts of at most 255 characters."""
    for k in value:
        if not 1 <= len(k) <= 255 or not k.strip():
            raise NOVA.schema(field_name, value, f"{k!r} does not match any of the "
                                   "regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
    return check_body(NOVA.within(field_name, value, path=True),
                      {k: META_VALUE for k in value}, value, create=False)


def check_tags(field_name: str, value: Any) -> list[str]:
    """Nova's tag rules: at most 50 texts of 1-60 characters, without ``/`` or ``,``."""
    tags = check_body(NOVA, {field_name: TAGS}, {field_name: value}, create=False)[field_name]
    if len(tags) > 50:
        raise NOVA.invalid(field_name, value, "max_length")
    for tag in tags:
        if not tag or len(tag) > 60 or "/" in tag or "," in tag:
            raise NOVA.schema(field_name, value, f"{tag!r} does not match '^[^,/]*$' "
                                   "or has a bad length")
    return list(dict.fromkeys(tags))


TAGS = Field(type="list", items="str")
META_VALUE = Field(max_length=255)


def _show(ctx: Ctx, server: Server, status: int = 200) -> Response:
    data = server_json(ctx.store, ctx.base, server, ctx.mv, ctx.admin, show=True)
    return raw_json_response(b'{"server":' + data + b"}", status, headers=ctx.headers)


def show_server(ctx: Ctx, server: Server, status: int = 200, *,
                admin_pass: str | None = None) -> Response:
    """The server as ``GET /servers/{id}`` shows it to the caller (a rebuild's answer,
    with the ``adminPass`` it set)."""
    if admin_pass is None:
        return _show(ctx, server, status)
    invalidate(ctx.store, server["id"])
    doc = orjson.loads(server_json(ctx.store, ctx.base, server, ctx.mv, ctx.admin, show=True))
    doc["adminPass"] = admin_pass
    return ctx.reply({"server": doc}, status)


def visible_flavor(ctx: Ctx, flavor_id: str) -> Record | None:
    flavor = ctx.store.table("flavors").get(flavor_id)
    if flavor is None:
        return None
    if ctx.admin or flavor["os-flavor-access:is_public"]:
        return flavor
    if ctx.token.project_id in (flavor.get("_access") or ()):
        return flavor
    return None


def visible_image(ctx: Ctx, image_id: str) -> Record | None:
    image = ctx.store.table("images").get(image_id)
    if image is None:
        return None
    if ctx.admin or image.get("visibility", "public") in ("public", "community", "shared"):
        return image
    if image.get("owner") == ctx.token.project_id:
        return image
    return None


NETWORK = {k: ANY for k in ("uuid", "port", "fixed_ip", "tag")}


def free_port(ctx: Ctx, port_id: Any) -> None:
    """Nova's 404 unless the caller sees the port, its 409 when the port is bound."""
    port = ctx.store.table("ports").get(str(port_id))
    if port is None or (not ctx.admin and port["project_id"] != ctx.token.project_id):
        raise ApiError(404, f"Port id {port_id} could not be found.")
    if port.get("device_id"):
        raise ApiError(409, f"Port {port_id} is still in use.")


def _networks(ctx: Ctx, server: dict[str, Any]) -> list[dict[str, Any]] | str | None:
    if "networks" not in server:
        if ctx.at_least(2, 37):
            raise NOVA.within("server", server).invalid("networks", None, "required")
        return None
    nets = server["networks"]
    if isinstance(nets, str):
        if not ctx.at_least(2, 37) or nets not in ("auto", "none"):
            raise NOVA.schema("networks", nets, f"{nets!r} is not of type 'array'")
        return nets
    if not isinstance(nets, list):
        raise NOVA.schema("networks", nets, f"{nets!r} is not of type 'array'")
    out: list[dict[str, Any]] = []
    for item in nets:
        if not isinstance(item, dict):
            raise NOVA.schema("networks", nets, f"{item!r} is not of type 'object'")
        check_body(NOVA.within("networks", nets), NETWORK, item, create=True)
        port_id = item.get("port")
        net_id = item.get("uuid")
        if port_id is not None:
            free_port(ctx, port_id)
        elif net_id is not None:
            if not isinstance(net_id, str) or not _UUID.match(net_id):
                raise NOVA.bad(f"Bad networks format: network uuid is not in proper "
                               f"format ({net_id})")
            net = ctx.store.table("networks").get(net_id)
            if net is None or not (ctx.admin or net.get("shared") or
                                   net.get("project_id") == ctx.token.project_id):
                raise NOVA.bad(f"Network {net_id} could not be found.")
        else:
            raise NOVA.bad("Bad network format: missing 'uuid'")
        out.append(item)
    return out


class Servers(ServerList):
    """Nova's servers: the engine's listing (:class:`~.listing.ServerList`) and lookups,
    with Nova's own show, create (a boot), update and delete."""

    def target(self, request: Request, param: str = "server_id") -> tuple[Ctx, Server]:
        """The request's context and the server its path names (Nova's 404 otherwise)."""
        ctx = Ctx.of(request)
        return ctx, self.get(ctx, request.path_params[param])  # type: ignore[return-value]

    async def show(self, request: Request) -> Response:
        return _show(*self.target(request, "id"))

    async def create(self, request: Request) -> Response:
        ctx = Ctx.of(request)
        store = ctx.store
        body = await json_body(request)
        if not isinstance(body, dict):
            raise NOVA.invalid("body", body, "type", expected="dict")
        server = NOVA.member(body, "server")
        extra = set(body) - {"server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"}
        if extra:
            raise NOVA.unknown(sorted(extra))
        values = check_body(NOVA.within("server", server),
                            _since(CREATE_FIELDS, CREATE_SINCE, ctx), server, create=True)
        name = _name(values["name"])
        flavor_ref = values["flavorRef"]
        if not isinstance(flavor_ref, (str, int)) or isinstance(flavor_ref, bool) or \
                str(flavor_ref) == "":
            raise NOVA.schema("flavorRef", flavor_ref, f"{flavor_ref!r} is not of "
                                   "type 'string', 'integer'")
        networks = _networks(ctx, server)
        image_ref = values.get("imageRef", "")
        metadata = check_metadata("metadata", values.get("metadata", {}))
        tags = check_tags("tags", values["tags"]) if "tags" in values else []
        counts = {k: values.get(k, 1) for k in ("min_count", "max_count")}
        if counts["min_count"] > counts["max_count"]:
            raise NOVA.bad("min_count must be <= max_count")
        key_name = values.get("key_name")
        if key_name is not None and f"{ctx.token.user_id}/{key_name}" not in \
                store.table("keypairs"):
            raise NOVA.bad("Invalid key_name provided.")
        user_data = values.get("user_data")
        if user_data is not None:
            try:
                base64.b64decode(user_data, validate=True)
            except (ValueError, TypeError):
                raise NOVA.bad("User data needs to be valid base 64.") from None
        az = values.get("availability_zone")
        if az is not None:
            from . import admin as compute_admin

            az = az.split(":", 1)[0]
            if az not in compute_admin.host_index(store)["by_az"]:
                raise NOVA.bad("The requested availability zone is not available")
        flavor = visible_flavor(ctx, image_ref_id(str(flavor_ref)))
        if flavor is None:
            raise NOVA.bad("Invalid flavorRef provided.")
        bdm = server.get("block_device_mapping_v2") or []
        image: Record | None = None
        if image_ref:
            image = visible_image(ctx, image_ref_id(image_ref))
            if image is None:
                raise NOVA.bad(f"Image {image_ref_id(image_ref)} could not be found.")
            if image.get("status", "active") != "active":
                raise NOVA.bad(f"Image {image['id']} is not active.")
            if flavor["disk"] and image.get("min_disk", 0) > flavor["disk"]:
                raise NOVA.bad("Flavor's disk is too small for requested image. Flavor "
                               f"disk is {flavor['disk'] * 1024 ** 3} bytes, minimum "
                               f"requested disk is {image['min_disk'] * 1024 ** 3} bytes.")
            if image.get("min_ram", 0) > flavor["ram"]:
                raise NOVA.bad("Flavor's memory is too small for requested image.")
        elif not bdm:
            raise NOVA.bad("Block Device Mapping is Invalid: You specified more local "
                           "devices than the limit allows")
        hints = body.get("os:scheduler_hints") or body.get("OS-SCH-HNT:scheduler_hints") \
            or {}
        if not isinstance(hints, dict):
            raise NOVA.schema("os:scheduler_hints", hints, "is not of type 'object'")
        group = None
        if hints.get("group"):
            group = store.table("server_groups").get(str(hints["group"]))
            if group is None or (not ctx.admin and
                                 group["project_id"] != ctx.token.project_id):
                raise NOVA.bad(f"Invalid server group {hints['group']}")
        n = counts["max_count"]
        glue.check_quota(store, ctx.token.project_id or "", instances=n,
                         cores=flavor["vcpus"] * n, ram=flavor["ram"] * n)
        reservation = "r-" + new_id().replace("-", "")[:8]
        rid = ctx.request_id
        created: list[Server] = []
        for i in range(n):
            created.append(_boot(
                ctx, values, name=name if n == 1 else f"{name}-{i + 1}", flavor=flavor,
                image=image, az=az, networks=networks, metadata=metadata, tags=tags,
                hints=hints, group=group, reservation=reservation, launch_index=i,
                request_id=rid if i == 0 else "req-" + new_id()))
        if server.get("return_reservation_id"):
            return ctx.reply({"reservation_id": reservation}, 202)
        first = created[0]
        doc: dict[str, Any] = {
            "id": first["id"], "links": server_links(ctx.base, first["id"]),
            "OS-DCF:diskConfig": first["OS-DCF:diskConfig"],
            "security_groups": first["security_groups"],
            "adminPass": server.get("adminPass") or new_id()[:12]}
        headers = dict(ctx.headers)
        headers["Location"] = f"{ctx.base}/compute/v2.1/servers/{first['id']}"
        return json_response({"server": doc}, 202, headers=headers)

    async def update(self, request: Request) -> Response:
        ctx, server = self.target(request, "id")
        body = await json_body(request)
        asked = NOVA.member(body, "server")
        if set(body) - {"server"}:
            raise NOVA.unknown(sorted(set(body) - {"server"}))
        changes = check_body(NOVA.within("server", asked),
                             _since(UPDATE_FIELDS, UPDATE_SINCE, ctx), asked, create=False)
        if "name" in changes:
            _name(changes["name"])
        if "hostname" in changes:
            changes["OS-EXT-SRV-ATTR:hostname"] = hostname_of(changes.pop("hostname"))
        for k in ("accessIPv4", "accessIPv6"):
            if k in changes:
                changes[k] = changes[k] or ""
        server.update(changes)
        touch(ctx.store, server)
        return _show(ctx, server)

    async def delete(self, request: Request) -> Response:
        """Delete, or soft-delete when the cloud reclaims deleted servers later
        (:data:`RECLAIM`): the server stays SOFT_DELETED, on its host, until then."""
        ctx, server = self.target(request, "id")
        check_lock(ctx, server)
        interval = float(ctx.store.meta.get(RECLAIM) or 0)
        if interval > 0 and server["OS-EXT-STS:vm_state"] != "soft-delete":
            set_state(server, "soft-delete", power_state=4)
            record_action(ctx.store, server, "delete", request_id=ctx.request_id,
                          user_id=ctx.token.user_id, event="compute_soft_delete_instance")
            finish_later(ctx.store, server, interval)
            touch(ctx.store, server)
        else:
            remove_server(ctx.store, server)
        return ctx.reply(None, 204)


SERVERS = server_list(Servers)


def _boot(ctx: Ctx, values: dict[str, Any], *, name: str, flavor: Record,
          image: Record | None, az: str | None, networks: list[dict[str, Any]] | str | None,
          metadata: dict[str, str], tags: list[str], hints: dict[str, Any],
          group: Record | None, reservation: str, launch_index: int,
          request_id: str) -> Server:
    """One server of a create (``values``: its checked body), in BUILD: placed on a host
    (or marked to fail for want of one), plugged, recorded."""
    from . import admin as compute_admin

    store = ctx.store
    _, _, disk = compute_admin.flavor_resources({"flavor": {
        "vcpus": flavor["vcpus"], "ram": flavor["ram"], "disk": flavor["disk"],
        "ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"], "swap": flavor["swap"] or 0}})
    hyp = compute_admin.place(store, vcpus=flavor["vcpus"], ram_mb=flavor["ram"],
                              disk_gb=disk, availability_zone=az)
    number = store.meta["_nova_instance_number"] = \
        store.meta.get("_nova_instance_number", 0) + 1
    sid = str(_uuid.uuid4())
    project = ctx.token.project_id or ""
    rec = server_record(sid, ctx.base, name, project, ctx.token.user_id,
                        image_doc(image, ctx.base),
                        flavor_doc(flavor), flavor["id"], isotime(now()), number,
                        [{"name": "default"}])
    if metadata:
        rec["metadata"] = dict(metadata)
    if values.get("accessIPv4") or values.get("accessIPv6"):
        rec["accessIPv4"] = values.get("accessIPv4", "")
        rec["accessIPv6"] = values.get("accessIPv6", "")
    rec["OS-DCF:diskConfig"] = values.get("OS-DCF:diskConfig", "MANUAL")
    rec["key_name"] = values.get("key_name")
    rec["OS-EXT-SRV-ATTR:reservation_id"] = reservation
    rec["OS-EXT-SRV-ATTR:launch_index"] = launch_index
    rec["OS-EXT-SRV-ATTR:user_data"] = values.get("user_data")
    if hyp is None:
        rec.no_host = True
    else:
        store.publish(ALLOCATION_SET, consumer_id=sid, host=hyp["hypervisor_hostname"],
                      resources={"VCPU": flavor["vcpus"], "MEMORY_MB": flavor["ram"],
                                 "DISK_GB": disk},
                      project_id=project, user_id=ctx.token.user_id)
        host = hyp["service"]["host"]
        rec["hostId"] = host_id(project, host)
        rec["OS-EXT-SRV-ATTR:host"] = host
        rec["OS-EXT-SRV-ATTR:hypervisor_hostname"] = hyp["hypervisor_hostname"]
        if host:
            rec["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda"
            rec["host_status"] = "UP"
    rec["OS-EXT-AZ:availability_zone"] = az or (hyp or {}).get("_az") or "nova"
    rec["description"] = values.get("description")
    if tags:
        rec["tags"] = list(tags)
    rec["pinned_availability_zone"] = az
    if hints:
        rec["scheduler_hints"] = dict(hints)
    if hyp is not None:
        if networks is None or networks == "auto":
            glue.plug(store, rec)
        elif isinstance(networks, list):
            for item in networks:
                glue.plug(store, rec, network_id=item.get("uuid"), port_id=item.get("port"),
                          fixed_ip=item.get("fixed_ip"))
        rec["addresses"] = glue.addresses(store, rec)
    if group is not None:
        group["members"].append(sid)
        rec.server_groups = [group["id"]]
    store.table("servers")[sid] = rec
    index_add(store, rec)
    state(store).pending[sid] = time.monotonic() + store.config.build_seconds
    record_action(store, rec, "create", request_id=request_id, user_id=ctx.token.user_id,
                  event="compute__do_build_and_run_instance",
                  duration_s=store.config.build_seconds)
    return rec


# -- delete -----------------------------------------------------------------------------

def remove_server(store: Store, server: Server) -> None:
    """Delete a server and give back what it held (host, ports, volumes, group seat)."""
    from . import admin as compute_admin

    for cleanup in ON_REMOVE:
        cleanup(store, server)
    host = server.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
    if host:
        vcpus, ram, disk = compute_admin.flavor_resources(server)
        compute_admin.release(store, host, vcpus=vcpus, ram_mb=ram, disk_gb=disk)
        store.publish(ALLOCATION_DELETE, consumer_id=server["id"])
    store.publish(SERVER_DELETED, server_id=server["id"])
    groups = store.table("server_groups")
    for gid in server.server_groups:
        group = groups.get(gid)
        if group and server["id"] in group["members"]:
            group["members"].remove(server["id"])
    store.table("servers").pop(server["id"], None)
    index_remove(store, server["id"])
    actions = store.table("instance_actions")
    state(store).seeded_actions.pop(server["id"], None)
    for rid in state(store).actions.pop(server["id"], []):
        actions.pop(rid, None)


# -- actions ------------------------------------------------------------------------------

def _power(vm_state: str, name: str, event: str) -> ActionHandler:
    """A power action: the server in ``vm_state``, and its instance action."""
    def handler(ctx: Ctx, server: Server, arg: Any) -> None:
        set_state(server, vm_state)
        record_action(ctx.store, server, name, request_id=ctx.request_id,
                      user_id=ctx.token.user_id, event=event)
    return handler


# action -> (allowed vm_states, new vm_state, event)
_POWER_ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "os-start": (("stopped",), "active", "compute_start_instance"),
    "os-stop": (("active", "error"), "stopped", "compute_stop_instance"),
    "pause": (("active",), "paused", "compute_pause_instance"),
    "unpause": (("paused",), "active", "compute_unpause_instance"),
    "suspend": (("active",), "suspended", "compute_suspend_instance"),
    "resume": (("suspended",), "active", "compute_resume_instance"),
}
_HARD_REBOOT_STATES = ("active", "stopped", "paused", "suspended", "error")


REBOOT = {"type": Field(required=True,
                        choices=("HARD", "Hard", "hard", "SOFT", "Soft", "soft"))}
LOCK = {"locked_reason": Field(max_length=255)}


def _reboot(ctx: Ctx, server: Server, arg: dict[str, Any]) -> None:
    soft = arg["type"].upper() == "SOFT"
    check_state(server, "reboot", ("active",) if soft else _HARD_REBOOT_STATES)
    set_state(server, "active")
    record_action(ctx.store, server, "reboot", request_id=ctx.request_id,
                  user_id=ctx.token.user_id, event="compute_reboot_instance")


def _lock(ctx: Ctx, server: Server, arg: Any) -> None:
    if arg is not None and not isinstance(arg, dict):
        raise NOVA.schema("lock", arg, f"{arg!r} is not of type 'null', 'object'")
    fields = LOCK if ctx.at_least(2, 73) else {}
    server["locked"] = True
    server["locked_reason"] = check_body(NOVA.within("lock", arg, path=True), fields,
                                         arg or {}, create=False).get("locked_reason")
    server.locked_by = "owner" if ctx.token.project_id == server["tenant_id"] else "admin"
    record_action(ctx.store, server, "lock", request_id=ctx.request_id,
                  user_id=ctx.token.user_id)


def _unlock(ctx: Ctx, server: Server, arg: Any) -> None:
    if server.locked_by == "admin" and not ctx.admin:
        raise NOVA.forbidden("os_compute_api:os-lock-server:unlock:unlock_override")
    server["locked"] = False
    server["locked_reason"] = None
    server.locked_by = None
    record_action(ctx.store, server, "unlock", request_id=ctx.request_id,
                  user_id=ctx.token.user_id)


def _idle_state(server: Record) -> str | None:
    """The vm_state an action may start from: none while a task runs."""
    return server["OS-EXT-STS:vm_state"] if server["OS-EXT-STS:task_state"] is None \
        else None


def _conflict(ctx: Ctx, server: Record, action: Action) -> NoReturn:
    """Nova's 409: ``Cannot '<action>' instance … while it is in vm_state …`` (or
    ``task_state``)."""
    check_state(server, action.name.removeprefix("os-"), action.states or ())
    raise AssertionError(f"{action.name}: {server['id']} is in an allowed state")


SERVER_ACTIONS = Actions(
    NOVA, SERVERS.get, [
        *(Action(name, _power(target, name.removeprefix("os-"), event), {}, states=allowed)
          for name, (allowed, target, event) in _POWER_ACTIONS.items()),
        Action("reboot", _reboot, REBOOT), Action("lock", _lock, guarded=False),
        Action("unlock", _unlock, guarded=False)],
    param="server_id", context=Ctx.of, guard=lambda ctx, server, _: check_lock(ctx, server),
    state_of=_idle_state,
    refuse=_conflict, done=lambda ctx, server, _answer: touch(ctx.store, server),
    respond=lambda ctx, body, status: ctx.reply(body, status))
"""``POST /servers/{id}/action``: the power actions, reboot and the lock here; moves in
:mod:`.server_moves`, the rest in :mod:`.server_ops`, :mod:`.server_network` and
:mod:`.consoles` (each adds its own). Every action checks its argument, then the lock
(for a member), then the vm_state and task_state, and touches the server."""


def routes() -> list[BaseRoute]:
    return [
        *SERVERS.routes("/v2.1"),
        Route("/v2.1/servers/{server_id}/action", SERVER_ACTIONS.endpoint, methods=["POST"]),
    ]
