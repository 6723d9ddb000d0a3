"""Nova's server actions that keep the server where it is: rebuild, createImage and
createBackup (the image itself is Glance's: ``image.snapshot``), rescue/unrescue,
forceDelete/restore of soft-deleted servers, changePassword, os-resetState,
trigger_crash_dump and os-getConsoleOutput.

Each checks Nova's vm_state (its 409), the lock, and policy (os-resetState is the
admin's), and leaves an instance action.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.responses import Response

from ...engine import Action, Field
from ...http import ApiError, json_response
from ...store import Store, isotime, new_id, now
from ...world import IMAGE_SNAPSHOT
from ._dialect import NOVA, Ctx
from .common import Server, check_lock, check_state, state
from .servers import (
    FINISHERS,
    SERVER_ACTIONS,
    check_metadata,
    finish_later,
    hostname_of,
    image_doc,
    image_ref_id,
    note,
    remove_server,
    set_state,
    show_server,
    visible_image,
)

__all__ = ["console_log"]

_SNAPSHOT_STATES = ("active", "stopped", "paused", "suspended")
"""Where Nova snapshots (createImage, createBackup)."""


# -- rebuild -------------------------------------------------------------------------------

def _rebuild_fields(ctx: Ctx) -> dict[str, Field]:
    fields = {"imageRef": Field(required=True), "name": Field(max_length=255),
              "adminPass": Field(), "metadata": Field(type="dict"),
              "accessIPv4": Field(nullable=True), "accessIPv6": Field(nullable=True),
              "OS-DCF:diskConfig": Field(choices=("AUTO", "MANUAL")),
              "preserve_ephemeral": Field(type="bool"), "personality": Field(type="list")}
    for key, since, field in (
            ("description", (2, 19), Field(nullable=True, max_length=255)),
            ("key_name", (2, 54), Field(nullable=True, max_length=255)),
            ("user_data", (2, 57), Field(nullable=True)),
            ("trusted_image_certificates", (2, 63), Field(type="list", nullable=True)),
            ("hostname", (2, 90), Field(max_length=255))):
        if ctx.at_least(*since):
            fields[key] = field
    if ctx.at_least(2, 57):
        fields.pop("personality")
    return fields


def rebuild(ctx: Ctx, server: Server, values: dict[str, Any]) -> Response:
    image = visible_image(ctx, image_ref_id(values["imageRef"]))
    if image is None:
        raise NOVA.bad("Cannot find requested image")
    if image.get("status", "active") != "active":
        raise NOVA.bad(f"Image {image['id']} is not active.")
    flavor = server["flavor"]
    if flavor["disk"] and int(image.get("min_disk") or 0) > flavor["disk"]:
        raise NOVA.bad("Flavor's disk is too small for requested image.")
    key_name = values.get("key_name")
    if key_name and f"{ctx.token.user_id}/{key_name}" not in ctx.store.table("keypairs"):
        raise NOVA.bad("Invalid key_name provided.")
    server["image"] = image_doc(image, ctx.base)
    if "name" in values:
        server["name"] = values["name"]
        if not ctx.at_least(2, 90):
            server["OS-EXT-SRV-ATTR:hostname"] = hostname_of(values["name"])
    if "hostname" in values:
        server["OS-EXT-SRV-ATTR:hostname"] = hostname_of(values["hostname"])
    if "metadata" in values:
        server["metadata"] = check_metadata("metadata", values["metadata"])
    for key in ("accessIPv4", "accessIPv6"):
        if key in values:
            server[key] = values[key] or ""
    for key, target in (("OS-DCF:diskConfig", "OS-DCF:diskConfig"),
                        ("description", "description"), ("key_name", "key_name"),
                        ("user_data", "OS-EXT-SRV-ATTR:user_data"),
                        ("trusted_image_certificates", "trusted_image_certificates")):
        if key in values:
            server[target] = values[key]
    vm = server["OS-EXT-STS:vm_state"]
    set_state(server, "active" if vm == "error" else vm, "rebuilding",
              power_state=4 if vm == "stopped" else None)
    server.pop("fault", None)
    note(ctx, server, "rebuild", "compute_rebuild_instance")
    finish_later(ctx.store, server, ctx.store.config.build_seconds)
    server["updated"] = isotime(now())
    return show_server(ctx, server, 202, admin_pass=values.get("adminPass") or new_id()[:12])


# -- images --------------------------------------------------------------------------------

def _snapshot(ctx: Ctx, server: Server, name: str, metadata: dict[str, str], *,
              backup_type: str | None = None, rotation: int | None = None) -> str:
    """Ask Glance for the server's image (``image.snapshot``); the new image's id."""
    image_id = ctx.store.uuid()
    base = server["image"]["id"] if isinstance(server.get("image"), dict) else ""
    properties = {"image_type": "backup" if rotation is not None else "snapshot",
                  "instance_uuid": server["id"], "base_image_ref": base,
                  "owner_project_name": None, "user_id": ctx.token.user_id}
    if backup_type is not None:
        properties["backup_type"] = backup_type
    ctx.store.publish(IMAGE_SNAPSHOT, image_id=image_id, name=name,
                      project_id=server["tenant_id"], server_id=server["id"],
                      metadata=dict(metadata), properties=properties,
                      min_disk=server["flavor"]["disk"], min_ram=0,
                      backup_type=backup_type, rotation=rotation)
    return image_id


def _image_answer(ctx: Ctx, image_id: str | None) -> Response:
    """2.45+: ``{"image_id": …}``; before, an empty 202 with the image's Location."""
    if ctx.at_least(2, 45):
        return ctx.reply({"image_id": image_id}, 202)
    headers = dict(ctx.headers)
    if image_id is not None:
        headers["Location"] = f"{ctx.base}/image/v2/images/{image_id}"
    return json_response(None, 202, headers=headers)


CREATE_IMAGE = {"name": Field(required=True, max_length=255), "metadata": Field(type="dict")}
BACKUP = {"name": Field(required=True, max_length=255), "backup_type": Field(required=True),
          "rotation": Field(type="any", required=True), "metadata": Field(type="dict")}


def create_image(ctx: Ctx, server: Server, values: dict[str, Any]) -> Response:
    if not values["name"].strip():
        raise NOVA.schema("createImage/name", values["name"], "is not a valid name")
    metadata = check_metadata("metadata", values.get("metadata") or {})
    check_state(server, "createImage", _SNAPSHOT_STATES)
    image_id = _snapshot(ctx, server, values["name"], metadata)
    note(ctx, server, "createImage", "compute_snapshot_instance")
    return _image_answer(ctx, image_id)


def create_backup(ctx: Ctx, server: Server, values: dict[str, Any]) -> Response:
    rotation = values["rotation"]
    try:
        rotation = int(rotation)
    except (TypeError, ValueError):
        raise NOVA.schema("createBackup/rotation", rotation,
                          f"{rotation!r} is not of type 'integer', 'string'") from None
    if rotation < 0:
        raise NOVA.schema("createBackup/rotation", rotation,
                          f"{rotation} is less than the minimum of 0")
    metadata = check_metadata("metadata", values.get("metadata") or {})
    check_state(server, "createBackup", _SNAPSHOT_STATES)
    image_id = _snapshot(ctx, server, values["name"], metadata,
                         backup_type=values["backup_type"], rotation=rotation)
    note(ctx, server, "createBackup", "compute_backup_instance")
    if not ctx.at_least(2, 45) and rotation == 0:
        return _image_answer(ctx, None)
    return _image_answer(ctx, image_id)


# -- rescue ----------------------------------------------------------------------------------

RESCUE = {"adminPass": Field(max_length=255), "rescue_image_ref": Field()}


def rescue(ctx: Ctx, server: Server, arg: Any) -> Response:
    values = NOVA.action_arg("rescue", arg, RESCUE) if arg is not None else {}
    check_lock(ctx, server)
    check_state(server, "rescue", ("active", "stopped", "error"))
    if not server.get("image") and not ctx.at_least(2, 87):
        raise NOVA.bad(f"Instance {server['id']} cannot be rescued: Cannot rescue a "
                       "volume-backed instance")
    ref = values.get("rescue_image_ref")
    if ref and visible_image(ctx, image_ref_id(ref)) is None:
        raise NOVA.bad(f"Image {ref} could not be found.")
    set_state(server, "rescued")
    note(ctx, server, "rescue", "compute_rescue_instance")
    return ctx.reply({"adminPass": values.get("adminPass") or new_id()[:12]})


def unrescue(ctx: Ctx, server: Server, arg: Any) -> None:
    set_state(server, "active")
    note(ctx, server, "unrescue", "compute_unrescue_instance")


# -- soft delete -------------------------------------------------------------------------

def force_delete(ctx: Ctx, server: Server, arg: Any) -> None:
    remove_server(ctx.store, server)


def restore(ctx: Ctx, server: Server, arg: Any) -> None:
    state(ctx.store).pending.pop(server["id"], None)
    set_state(server, "active")
    note(ctx, server, "restore", "compute_restore_instance")


def _reclaim(store: Store, server: Server) -> None:
    """The reclaim interval passed: the soft-deleted server is deleted for good."""
    if server["OS-EXT-STS:vm_state"] == "soft-delete":
        remove_server(store, server)


# -- the rest --------------------------------------------------------------------------------

def change_password(ctx: Ctx, server: Server, values: dict[str, Any]) -> None:
    if not values["adminPass"]:
        raise NOVA.bad("Unable to set password on instance")
    note(ctx, server, "changePassword", "compute_set_admin_password")


def reset_state(ctx: Ctx, server: Server, values: dict[str, Any]) -> None:
    set_state(server, values["state"])
    state(ctx.store).pending.pop(server["id"], None)
    note(ctx, server, "resetState", None)


def trigger_crash_dump(ctx: Ctx, server: Server, arg: Any) -> None:
    if server["OS-EXT-STS:power_state"] != 1:
        raise ApiError(409, f"Instance {server['id']} is not ready")
    note(ctx, server, "trigger_crash_dump", "compute_trigger_crash_dump")


def console_log(server: Server) -> list[str]:
    """The serial console's lines of a booted server: the kernel, cloud-init, login."""
    seed = int(hashlib.sha1(server["id"].encode()).hexdigest()[:8], 16)
    host = server.get("OS-EXT-SRV-ATTR:hostname") or "server"
    addrs = [a["addr"] for nets in (server.get("addresses") or {}).values() for a in nets]
    lines = [
        f"[    0.000000] Linux version 6.8.0-{40 + seed % 20}-generic (buildd@lcy02-amd64) "
        "(x86_64-linux-gnu-gcc-13) #1 SMP PREEMPT_DYNAMIC",
        "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=LABEL=cloudimg-rootfs ro "
        "console=tty1 console=ttyS0",
        f"[    0.000000] Memory: {server['flavor']['ram'] * 1024}K available",
        f"[    0.{seed % 900000 + 100000:06d}] smpboot: Allowing {server['flavor']['vcpus']} "
        "CPUs, 0 hotplug CPUs",
        "[    2.114830] EXT4-fs (vda1): mounted filesystem with ordered data mode.",
        f"[    6.{seed % 899999:06d}] cloud-init[612]: Cloud-init v. 24.1 running 'init' "
        "at boot.",
    ]
    for i, addr in enumerate(addrs):
        lines.append(f"ci-info: |  ens{3 + i}  | True | {addr} | . | global |")
    lines += [f"[   11.{seed % 799999:06d}] cloud-init[880]: Cloud-init v. 24.1 finished. "
              "Datasource DataSourceOpenStackLocal.", "",
              f"Ubuntu 24.04 LTS {host} ttyS0", "", f"{host} login: "]
    return lines


def console_output(ctx: Ctx, server: Server, values: dict[str, Any]) -> Response:
    length = values.get("length")
    if length is not None:
        try:
            length = int(length)
        except (TypeError, ValueError):
            raise NOVA.schema("os-getConsoleOutput/length", length,
                              f"{length!r} is not of type 'integer', 'string', 'null'"
                              ) from None
        if length < -1:
            raise NOVA.schema("os-getConsoleOutput/length", length,
                              f"{length} is less than the minimum of -1")
    if not server.get("OS-EXT-SRV-ATTR:host") or server["OS-EXT-STS:vm_state"] in (
            "building", "shelved_offloaded", "soft-delete"):
        raise ApiError(409, f"Instance {server['id']} is not ready")
    lines = console_log(server)
    if length is not None and length >= 0:
        lines = lines[-length:] if length else []
    return ctx.reply({"output": "\n".join(lines)})


def inject_network_info(ctx: Ctx, server: Server, arg: Any) -> None:
    """Admin only; libvirt has nothing to inject into (Nova's virt support matrix): the
    compute host is asked, nothing on the server changes."""


def reset_network(ctx: Ctx, server: Server, arg: Any) -> None:
    """Removed in Wallaby (it was XenAPI's): Nova answers 410 Gone."""
    raise ApiError(410, "This resource is no longer available.  No forwarding address is "
                        "given.")


ADMIN = "os_compute_api:os-admin-actions:"
SERVER_ACTIONS.add(
    Action("injectNetworkInfo", inject_network_info, {}, rule=ADMIN + "inject_network_info"),
    Action("resetNetwork", reset_network, guarded=False),
    Action("rebuild", rebuild, _rebuild_fields, states=("active", "stopped", "error")),
    Action("createImage", create_image, CREATE_IMAGE, guarded=False),
    Action("createBackup", create_backup, BACKUP, guarded=False),
    Action("rescue", rescue, guarded=False),
    Action("unrescue", unrescue, {}, states=("rescued",)),
    Action("forceDelete", force_delete, {}),
    Action("restore", restore, {}, states=("soft-delete",), guarded=False),
    Action("changePassword", change_password, {"adminPass": Field(required=True)},
           states=("active",)),
    Action("os-resetState", reset_state, {"state": Field(required=True,
                                                         choices=("active", "error"))},
           rule=ADMIN + "reset_state", guarded=False),
    Action("trigger_crash_dump", trigger_crash_dump, {}, since=(2, 17),
           states=("active", "paused", "rescued", "resized", "error")),
    Action("os-getConsoleOutput", console_output, {"length": Field(type="any",
                                                                   nullable=True)},
           guarded=False))
FINISHERS["soft-delete"] = _reclaim
