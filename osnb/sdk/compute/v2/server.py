"""Servers: compute instances (Nova ``/servers``), with their lifecycle actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ...resource import Each, Query, Resource, prop
from .flavor import Flavor

__all__ = ["UNSET", "Server", "ServerFault"]

UNSET: Any = object()
"""No ``availability_zone`` given to unshelve (None unpins the server's zone, 2.91)."""


def _ips(addresses: Any) -> list[Any]:
    """The ``addr`` of each of :func:`_addresses`' rows that has one, without making the
    rows (a frame's ``ip_addresses``: this runs once per server)."""
    if not isinstance(addresses, dict):
        return []
    return [addr for entries in addresses.values() if isinstance(entries, list)
            for entry in entries if isinstance(entry, dict)
            and (addr := entry.get("addr")) is not None]


class ServerFault(Resource):
    """What went wrong with a server: the ``fault`` a server in ERROR carries. A
    server's ``fault`` stays the mapping as sent; this reads one typed."""

    code: int | None = prop("code")
    message: str | None = prop("message")
    details: str | None = prop("details")
    created_at: datetime | None = prop("created")


class Server(Resource):
    """A compute instance. Attribute names follow openstacksdk's ``Server``."""

    resource_key = "server"
    resources_key = "servers"
    base_path = "/servers"
    service = "compute"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.100"  # 2.100: scheduler_hints in the server
    display_columns = ("name", "status", "flavor_name", "project_id",
                       "compute_host", "availability_zone", "created_at")
    query = Query(
        "auto_disk_config", "availability_zone", "created_at", "description", "flavor",
        "hostname", "image", "kernel_id", "key_name", "launch_index", "launched_at",
        "locked_by", "name", "node", "power_state", "progress", "project_id", "ramdisk_id",
        "reservation_id", "root_device_name", "status", "task_state", "terminated_at",
        "user_id", "vm_state", "sort_key", "sort_dir", "pinned_availability_zone", "locked",
        access_ipv4="access_ip_v4", access_ipv6="access_ip_v6", has_config_drive="config_drive",
        deleted_only="deleted", compute_host="host", is_soft_deleted="soft_deleted",
        ipv4_address="ip", ipv6_address="ip6", changes_since="changes-since",
        changes_before="changes-before", id="uuid", all_projects="all_tenants",
        tags="tags", any_tags="tags-any", not_tags="not-tags", not_any_tags="not-tags-any",
    )

    status: str | None = prop("status")
    project_id: str | None = prop("tenant_id")
    user_id: str | None = prop("user_id")
    flavor: Flavor | None = prop("flavor", columns={
        "flavor_name": ("original_name", "name"), "vcpus": "vcpus", "ram_mb": "ram",
        "disk_gb": "disk"})
    image: dict | None = prop("image", columns={"image_id": "id"})
    addresses: dict | None = prop("addresses", columns={"ip_addresses": _ips})
    availability_zone: str | None = prop("OS-EXT-AZ:availability_zone")
    compute_host: str | None = prop("OS-EXT-SRV-ATTR:host")
    hypervisor_hostname: str | None = prop("OS-EXT-SRV-ATTR:hypervisor_hostname")
    instance_name: str | None = prop("OS-EXT-SRV-ATTR:instance_name")
    hostname: str | None = prop("OS-EXT-SRV-ATTR:hostname")
    host_id: str | None = prop("hostId")
    host_status: str | None = prop("host_status")
    vm_state: str | None = prop("OS-EXT-STS:vm_state")
    task_state: str | None = prop("OS-EXT-STS:task_state")
    power_state: int | None = prop("OS-EXT-STS:power_state")
    created_at: datetime | None = prop("created")
    updated_at: datetime | None = prop("updated")
    launched_at: datetime | None = prop("OS-SRV-USG:launched_at")
    terminated_at: datetime | None = prop("OS-SRV-USG:terminated_at")
    key_name: str | None = prop("key_name")
    description: str | None = prop("description")
    metadata: dict | None = prop("metadata")
    tags: list[str] | None = prop("tags")
    is_locked: bool | None = prop("locked")
    locked_reason: str | None = prop("locked_reason")
    security_groups: list | None = prop("security_groups", columns={
        "security_group_names": Each("name")})
    attached_volumes: list | None = prop("os-extended-volumes:volumes_attached", columns={
        "attached_volume_ids": Each("id")})
    fault: dict | None = prop("fault")
    progress: int | None = prop("progress")
    access_ipv4: str | None = prop("accessIPv4")
    access_ipv6: str | None = prop("accessIPv6")
    disk_config: str | None = prop("OS-DCF:diskConfig")
    has_config_drive: Any = prop("config_drive")
    launch_index: int | None = prop("OS-EXT-SRV-ATTR:launch_index")
    reservation_id: str | None = prop("OS-EXT-SRV-ATTR:reservation_id")
    root_device_name: str | None = prop("OS-EXT-SRV-ATTR:root_device_name")
    kernel_id: str | None = prop("OS-EXT-SRV-ATTR:kernel_id")
    ramdisk_id: str | None = prop("OS-EXT-SRV-ATTR:ramdisk_id")
    user_data: str | None = prop("OS-EXT-SRV-ATTR:user_data")
    server_groups: list | None = prop("server_groups")
    pinned_availability_zone: str | None = prop("pinned_availability_zone")
    trusted_image_certificates: list | None = prop("trusted_image_certificates")
    links: list | None = prop("links")
    # Request-only fields of a create (the password is also in a create's response).
    flavor_id: str | None = prop("flavorRef", request_only=True)
    image_id: str | None = prop("imageRef", request_only=True)
    networks: Any = prop("networks", request_only=True)
    block_device_mapping: list | None = prop("block_device_mapping_v2", request_only=True)
    admin_password: str | None = prop("adminPass", secret=True, request_only=True)
    min_count: int | None = prop("min_count", request_only=True)
    max_count: int | None = prop("max_count", request_only=True)
    scheduler_hints: dict | None = prop("scheduler_hints", alias="OS-SCH-HNT:scheduler_hints",
                                        sent_beside="OS-SCH-HNT:scheduler_hints")

    child_frames = {"addresses": lambda record: _addresses(record.get("addresses"))}

    @classmethod
    def _name_filter(cls, name: str) -> str:
        return "^" + re.escape(name) + "$"

    def start(self, session: Any) -> None:
        self._action(session, {"os-start": None})

    def stop(self, session: Any) -> None:
        self._action(session, {"os-stop": None})

    def reboot(self, session: Any, reboot_type: str = "SOFT") -> None:
        self._action(session, {"reboot": {"type": reboot_type}})

    def pause(self, session: Any) -> None:
        self._action(session, {"pause": None})

    def unpause(self, session: Any) -> None:
        self._action(session, {"unpause": None})

    def suspend(self, session: Any) -> None:
        self._action(session, {"suspend": None})

    def resume(self, session: Any) -> None:
        self._action(session, {"resume": None})

    def lock(self, session: Any, locked_reason: str | None = None) -> None:
        body = {"locked_reason": locked_reason} if locked_reason else None
        self._action(session, {"lock": body})

    def unlock(self, session: Any) -> None:
        self._action(session, {"unlock": None})

    # -- moves ----------------------------------------------------------------------------
    def resize(self, session: Any, flavor: Any) -> None:
        self._action(session, {"resize": {"flavorRef": flavor}})

    def confirm_resize(self, session: Any) -> None:
        self._action(session, {"confirmResize": None})

    def revert_resize(self, session: Any) -> None:
        self._action(session, {"revertResize": None})

    def migrate(self, session: Any, *, host: str | None = None) -> None:
        self._action(session, {"migrate": {"host": host} if host else None})

    def live_migrate(self, session: Any, host: str | None, force: bool = False,
                     block_migration: bool | str | None = None,
                     disk_over_commit: bool | None = None) -> None:
        body: dict[str, Any] = {"host": host, "block_migration":
                                "auto" if block_migration is None else block_migration}
        if force:
            body["force"] = True
        if disk_over_commit is not None:
            body["disk_over_commit"] = disk_over_commit
        self._action(session, {"os-migrateLive": body})

    def evacuate(self, session: Any, host: str | None = None, admin_pass: str | None = None,
                 force: bool | None = None, on_shared_storage: bool | None = None) -> None:
        body = _given(host=host, adminPass=admin_pass, force=force,
                      onSharedStorage=on_shared_storage)
        self._action(session, {"evacuate": body})

    def shelve(self, session: Any) -> None:
        self._action(session, {"shelve": None})

    def shelve_offload(self, session: Any) -> None:
        self._action(session, {"shelveOffload": None})

    def unshelve(self, session: Any, availability_zone: Any = UNSET,
                 host: str | None = None) -> None:
        body: dict[str, Any] = {"host": host} if host else {}
        if availability_zone is not UNSET:
            body["availability_zone"] = availability_zone
        self._action(session, {"unshelve": body or None})

    # -- what stays in place ----------------------------------------------------------------
    def rebuild(self, session: Any, image: Any, **attrs: Any) -> Server:
        """Rebuild from ``image``; ``attrs`` by openstacksdk's names (``name``,
        ``admin_password``, ``metadata``, ``key_name``, ``description``…)."""
        body = {"imageRef": getattr(image, "id", image)}
        for name, value in attrs.items():
            body[_REBUILD_KEYS.get(name, name)] = value
        self._absorb(self._action(session, {"rebuild": body}), session)
        return self

    def create_image(self, session: Any, name: str,
                     metadata: dict[str, str] | None = None) -> str | None:
        """Snapshot the server; the new image's id."""
        body = _given(name=name, metadata=metadata)
        return _image_id(self._action(session, {"createImage": body}))

    def backup(self, session: Any, name: str, backup_type: str, rotation: int) -> str | None:
        """Back up into an image, keeping the newest ``rotation`` backups of the type."""
        return _image_id(self._action(session, {"createBackup": {
            "name": name, "backup_type": backup_type, "rotation": rotation}}))

    def rescue(self, session: Any, admin_pass: str | None = None,
               image: Any = None) -> None:
        body = _given(adminPass=admin_pass, rescue_image_ref=getattr(image, "id", image))
        self._action(session, {"rescue": body})

    def unrescue(self, session: Any) -> None:
        self._action(session, {"unrescue": None})

    def force_delete(self, session: Any) -> None:
        self._action(session, {"forceDelete": None})

    def restore(self, session: Any) -> None:
        self._action(session, {"restore": None})

    def change_password(self, session: Any, password: str) -> None:
        self._action(session, {"changePassword": {"adminPass": password}})

    def get_password(self, session: Any) -> str | None:
        """The encrypted password the guest posted ('' when none)."""
        response = self._sub(session, "os-server-password")
        password: str | None = response.json().get("password")
        return password

    def clear_password(self, session: Any) -> None:
        self._sub(session, "os-server-password", "DELETE")

    def reset_state(self, session: Any, state: str) -> None:
        self._action(session, {"os-resetState": {"state": state}})

    def trigger_crash_dump(self, session: Any) -> None:
        self._action(session, {"trigger_crash_dump": None})

    def get_console_output(self, session: Any, length: int | None = None) -> dict[str, Any]:
        output: dict[str, Any] = self._action(
            session, {"os-getConsoleOutput": {"length": length}}).json()
        return output

    def get_console_url(self, session: Any, console_type: str) -> dict[str, Any]:
        """A console URL by the pre-2.6 actions (``novnc``, ``spice-html5``, ``serial``…)."""
        action = CONSOLE_ACTIONS.get(console_type)
        if action is None:
            raise ValueError(f"Unsupported console type {console_type}")
        console: dict[str, Any] = self._action(
            session, {action: {"type": console_type}}).json()["console"]
        return console

    def fetch_topology(self, session: Any) -> dict[str, Any]:
        """The server's NUMA topology (2.78+): ``nodes`` and ``pagesize_kb``."""
        topology: dict[str, Any] = self._sub(session, "topology").json()
        return topology

    def add_security_group(self, session: Any, security_group_name: str) -> None:
        """Add a security group (its name, or id) to every port of the server."""
        self._action(session, {"addSecurityGroup": {"name": security_group_name}})

    def remove_security_group(self, session: Any, security_group_name: str) -> None:
        """Remove a security group (its name, or id) from the server's ports."""
        self._action(session, {"removeSecurityGroup": {"name": security_group_name}})

    def fetch_security_groups(self, session: Any) -> Server:
        """Fill ``security_groups`` with the full groups of the server's ports."""
        groups = self._sub(session, "os-security-groups").json()
        self._body["security_groups"] = groups["security_groups"]
        return self

    def _sub(self, session: Any, path: str, method: str = "GET") -> Any:
        """A bodiless request to the server's sub-resource ``path``."""
        return session.request(f"{self._item_path()}/{path}", method,
                               **self._request_args(session))

_REBUILD_KEYS = {"admin_password": "adminPass", "access_ipv4": "accessIPv4",
                 "access_ipv6": "accessIPv6", "disk_config": "OS-DCF:diskConfig"}
CONSOLE_ACTIONS = {"novnc": "os-getVNCConsole", "xvpvnc": "os-getVNCConsole",
                   "spice-html5": "os-getSPICEConsole", "rdp-html5": "os-getRDPConsole",
                   "serial": "os-getSerialConsole"}
"""The pre-2.6 console action of each console type."""


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _image_id(response: Any) -> str | None:
    """A createImage/createBackup's image: the body's ``image_id`` (2.45+), else the
    last segment of the ``Location`` header."""
    if response.content:
        found: str | None = response.json().get("image_id")
        if found:
            return found
    location = response.headers.get("Location")
    return location.rstrip("/").rsplit("/", 1)[-1] if location else None


def _addresses(addresses: Any) -> Iterator[dict[str, Any]]:
    """One row per network × address of a server's ``addresses``; malformed entries are
    skipped, never fatal (one odd server must not break a whole frame)."""
    if not isinstance(addresses, dict):
        return
    for network, entries in addresses.items():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict):
                yield {"network": network, "addr": entry.get("addr"),
                       "version": entry.get("version"), "type": entry.get("OS-EXT-IPS:type"),
                       "mac_addr": entry.get("OS-EXT-IPS-MAC:mac_addr")}
