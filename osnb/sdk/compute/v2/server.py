"""Servers: compute instances (Nova ``/servers``), with their lifecycle actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop
from .flavor import Flavor

__all__ = ["Server", "ServerFault"]


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
    addresses: dict | None = prop("addresses", columns={"ip_addresses": lambda v: [
        a["addr"] for a in _addresses(v) if a["addr"] is not None]})
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
    security_groups: list | None = prop("security_groups")
    attached_volumes: list | None = prop("os-extended-volumes:volumes_attached")
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
