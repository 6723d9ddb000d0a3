"""What the demo cloud's services know of each other, outside any one service package.

The service packages (:mod:`.services`) never import each other. What one needs of
another is either

- a **fact** read from the store's tables by a function here (the ordinary projects, the
  servers that exist, what a flavor takes on a host, the hypervisor index Nova keeps), or
- a **topic** on the store (:meth:`.Store.subscribe` / :meth:`.Store.publish` /
  :meth:`.Store.ask`): the owner subscribes in its package's ``wire(store)``, the others
  publish. The topics, with their facts and who serves them:

``server.changed`` (``server_id``) — Nova re-derives the server's ``addresses`` and
attached volumes (Neutron and Cinder publish after a port, floating IP or attachment
changed).
``server.deleted`` (``server_id``) — Neutron deletes the server's ports, Cinder detaches
its volumes.
``network.of_project`` (``project_id``) -> network id or None — Neutron (the project's
network, made on first use).
``port.create`` (``project_id``, ``network_id``, ``device_id``, ``device_owner``,
``host``, ``fixed_ips``) -> port — Neutron.
``port.rebound`` (``port``, ``old``) — Neutron re-indexes a port whose device changed.
``port.delete`` (``port_id``) — Neutron.
``port.floating_ips`` () -> floating IP ids by port id — Neutron's index.
``ports.bulk`` () -> :class:`BulkPorts` — Neutron, for world generation.
``volume.attach`` (``volume``, ``server_id``, ``device``) -> attachment — Cinder.
``volume.detach`` (``volume``, ``server_id``) -> bool — Cinder.
``volumes.attached`` (``servers``, ``sizes``, ``names``, ``created``) -> volume ids —
Cinder, for world generation.
``allocation.set`` (``consumer_id``, ``host``, ``resources``, ``project_id``, ``user_id``) —
Placement records the consumer's allocation of ``resources`` (``{"VCPU": 2, …}``) against
the provider of the hypervisor named ``host``, replacing what the consumer held (Nova, when
a server is built, resized, migrated, evacuated or unshelved; a migration's uuid is the
consumer of the source host's allocation while a resize or migration awaits confirmation).
``allocation.move`` (``consumer_id``, ``to_consumer_id``) — Placement moves a consumer's
allocations to another consumer (Nova hands the server's source allocation to the
migration).
``allocation.delete`` (``consumer_id``) — Placement drops the consumer's allocations (Nova,
on confirm, revert, shelve-offload and delete).
A server without an explicit allocation holds, as before, its flavor on its host.
``server.security_group`` (``server_id``, ``project_id``, ``group``, ``add``) -> None or
what went wrong (``not_found``, ``many``, ``no_ports``, ``cannot_apply``,
``not_associated``) — Neutron adds the group (an id, or a name in ``project_id``) to every
port of the server, or removes it (Nova's ``addSecurityGroup``/``removeSecurityGroup``).
``image.snapshot`` (``image_id``, ``name``, ``project_id``, ``server_id``, ``metadata``,
``properties``, ``min_disk``, ``min_ram``, ``backup_type``, ``rotation``) — Glance records
the image Nova uploads from a server (``createImage``, ``createBackup``): private to the
project, ``properties`` (``image_type`` ``snapshot`` or ``backup``, ``instance_uuid``,
``base_image_ref``, and ``backup_type`` for a backup) and ``metadata`` as its properties;
for a backup (``rotation`` not None) it then deletes the oldest of the server's backups of
that ``backup_type`` beyond ``rotation``. The image is ``saving`` until the world's build
time has passed, then ``active``.
``image.of`` (``image_id``) -> the image record or None — Glance (what a server boots
from, to read its ``min_disk`` and properties).
``image.from_volume`` (``volume``, ``name``, ``disk_format``, ``container_format``,
``visibility``, ``protected``, ``project_id``, ``user_id``) -> the image record (``id``,
``status``) or None — the image service makes an image of a volume's data (Cinder's
``os-volume_upload_image``: queued while Cinder uploads, then active).
"""

from __future__ import annotations

from typing import Any, Protocol

from .store import Record, Store

__all__ = ["ALLOCATION_DELETE", "ALLOCATION_MOVE", "ALLOCATION_SET", "IMAGE_FROM_VOLUME",
           "IMAGE_OF", "IMAGE_SNAPSHOT", "NETWORK_OF_PROJECT", "PORTS_BULK", "PORT_CREATE",
           "PORT_DELETE", "PORT_FLOATING_IPS",
           "PORT_REBOUND", "RESERVED_HOST_MEMORY_MB", "SERVER_CHANGED", "SERVER_DELETED",
           "SERVER_SECURITY_GROUP",
           "VOLUMES_ATTACHED", "VOLUME_ATTACH", "VOLUME_DETACH", "BulkPorts",
           "flavor_resources", "host_index", "live_servers", "project_ids"]

SERVER_CHANGED = "server.changed"
SERVER_DELETED = "server.deleted"
NETWORK_OF_PROJECT = "network.of_project"
PORT_CREATE = "port.create"
PORT_REBOUND = "port.rebound"
PORT_DELETE = "port.delete"
PORT_FLOATING_IPS = "port.floating_ips"
PORTS_BULK = "ports.bulk"
VOLUME_ATTACH = "volume.attach"
VOLUME_DETACH = "volume.detach"
VOLUMES_ATTACHED = "volumes.attached"
ALLOCATION_SET = "allocation.set"
ALLOCATION_MOVE = "allocation.move"
ALLOCATION_DELETE = "allocation.delete"
SERVER_SECURITY_GROUP = "server.security_group"
IMAGE_SNAPSHOT = "image.snapshot"
IMAGE_OF = "image.of"
IMAGE_FROM_VOLUME = "image.from_volume"

RESERVED_HOST_MEMORY_MB = 512
"""What every hypervisor keeps for itself (Nova's ``reserved_host_memory_mb``); Placement
subtracts it as Nova reports it."""


def project_ids(store: Store) -> list[str]:
    """The ordinary projects (not ``admin`` or ``service``) that own the world's resources."""
    return [p["id"] for p in store.table("projects").values() if not p.get("_system")]


def live_servers(store: Store) -> list[Record]:
    """Servers that exist (not soft- or hard-deleted)."""
    return [s for s in store.table("servers").values()
            if s["status"] not in ("DELETED", "SOFT_DELETED")]


def flavor_resources(server: Record) -> tuple[int, int, int]:
    """(vcpus, ram MB, disk GB) a server takes on its host: root + ephemeral + swap."""
    flavor = server.get("flavor") or {}
    swap = int(flavor.get("swap") or 0)
    return (int(flavor.get("vcpus") or 0), int(flavor.get("ram") or 0),
            int(flavor.get("disk") or 0) + int(flavor.get("ephemeral") or 0)
            + -(-swap // 1024))


def host_index(store: Store) -> dict[str, Any]:
    """Nova's lookup state for its hypervisors, kept in the store: hypervisor id by host
    name (``by_name``), ids per AZ (``by_az``), all ids, the next integer ids."""
    index: dict[str, Any] | None = store.meta.get("_compute_hosts")
    if index is None:
        index = store.meta.setdefault("_compute_hosts", {
            "by_name": {}, "by_az": {}, "all": [], "next_hyp_id": 1, "next_svc_id": 1,
            "next_agg_id": 1})
    return index


class BulkPorts(Protocol):
    """Ports and floating IPs for servers booted in bulk (world generation), as Neutron
    makes them (``ports.bulk``)."""

    def plug_many(self, project_ids: list[str], device_ids: list[str],
                  device_owners: list[str], hosts: list[str | None],
                  ) -> list[tuple[str, str, str | None]]: ...

    def network_name(self, project_id: str) -> str: ...

    def floating_ips(self, project_ids: list[str], port_ids: list[str], macs: list[str],
                     fixed_ips: list[str | None], device_ids: list[str],
                     device_owners: list[str]) -> list[str | None]: ...

    def finish(self) -> None: ...
