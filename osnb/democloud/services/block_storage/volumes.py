"""Cinder's world: volume, snapshot and backup records, attachments, the seed.

Records in the tables ``volumes``, ``snapshots``, ``backups`` and ``volume_types`` are
kept in the detail shape of the newest microversion; links and the admin-only attributes
are added or dropped when a record is sent (:mod:`.extra` declares the resources). Nova
attaches and detaches through the store's topics (see :func:`.wire`).
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable
from typing import Any

from ...store import Record, Store, now
from . import messages
from ._dialect import DEFAULT_TYPE, POOLS, cinder_time

__all__ = ["ATTACHMENTS_TABLE", "TRANSFERS_TABLE", "TYPES", "attach", "attachment_record",
           "attached_volumes", "detach", "detach_all", "drop_attachments", "image_metadata",
           "new_backup", "new_snapshot", "new_transfer", "new_volume", "seed", "type_by_name", "volume"]

TYPES: list[tuple[str, str, str, dict[str, str]]] = [
    (DEFAULT_TYPE, "Default Volume Type", "netapp-hdd", {}),
    ("ssd", "SSD-backed Ceph RBD volumes", "ceph-ssd", {"volume_backend_name": "ceph-ssd"}),
    ("hdd", "Capacity tier on spinning disks", "netapp-hdd",
     {"volume_backend_name": "netapp-hdd"}),
    ("ssd-replicated", "SSD with cross-site replication", "ceph-ssd",
     {"volume_backend_name": "ceph-ssd", "replication_enabled": "<is> True"}),
]
_DEVICES = [f"/dev/vd{c}" for c in "bcdefghijklmnopqrstuvwxyz"]
ATTACHMENTS_TABLE = "volume_attachments"
"""The attachments API's records (3.27+), by attachment id: every attachment of a volume
(reserved, attaching, attached), whichever way it was made (Nova, the attachments API,
``os-attach``); ``_attachment`` and :func:`detach` keep it beside the volumes'
``attachments`` lists, which show the attached ones only."""
MEMBER_GB_BUDGET = 200
MEMBER_VOLUME_BUDGET = 3
"""What the seeded detached volumes of the member's project may add up to (Cinder's
defaults are 1000 GB and 10 volumes; servers' data volumes come on top)."""
_VOLUME_NAMES = ["data", "db", "logs", "backup", "scratch", "pgdata", "mysql", "elastic",
                 "kafka", "minio", "registry", "home", "archive", "cache", "etcd", "build"]
# --- the world ---------------------------------------------------------------------------

def type_by_name(store: Store, name: str) -> Record | None:
    for rec in store.table("volume_types").values():
        if rec["name"] == name or rec["id"] == name:
            return rec
    return None


def _pool_for_type(store: Store, type_rec: Record | None) -> str:
    backend = (type_rec or {}).get("_backend", POOLS[-1][1])
    for host, name, *_ in POOLS:
        if name == backend:
            return host
    return POOLS[-1][0]


def new_volume(store: Store, *, project_id: str, size: int, attach_to: str | None = None,
               volume_type: str | None = None, created_at: _dt.datetime | None = None,
               **attrs: Any) -> Record:
    """Create a volume of ``volume_type`` (default: the default type) in
    ``store.table("volumes")`` and return it; ``attach_to`` (a server id) makes it
    ``in-use``, attached on the server's next free ``/dev/vdX``."""
    type_rec = type_by_name(store, volume_type or DEFAULT_TYPE)
    rec = volume(store, store.uuid(), project_id=project_id, size=size, type_rec=type_rec,
                 created=cinder_time(created_at), user_id=_project_user(store, project_id),
                 **attrs)
    store.table("volumes")[rec["id"]] = rec
    if attach_to:
        attach(store, rec, attach_to, attached_at=rec["created_at"])
    return rec


def volume(store: Store, vid: str, *, project_id: str, size: int, type_rec: Record | None,
           created: str, user_id: str | None, name: str = "", status: str = "available",
           description: str | None = None, metadata: dict[str, str] | None = None,
           zone: str = "nova", host: str | None = None) -> Record:
    """A volume record (not stored), on its type's pool unless ``host`` names one."""
    return {
        "id": vid, "name": name, "description": description, "status": status,
        "size": int(size), "availability_zone": zone,
        "created_at": created, "updated_at": created, "attachments": [],
        "bootable": "false", "encrypted": False,
        "multiattach": False, "metadata": dict(metadata or {}),
        "snapshot_id": None, "source_volid": None, "consistencygroup_id": None,
        "group_id": None, "replication_status": None, "migration_status": None,
        "user_id": user_id,
        "volume_type": type_rec["name"] if type_rec else DEFAULT_TYPE,
        "volume_type_id": type_rec["id"] if type_rec else None,
        "os-vol-tenant-attr:tenant_id": project_id,
        "os-vol-host-attr:host": host or _pool_for_type(store, type_rec),
        "os-vol-mig-status-attr:migstat": None, "os-vol-mig-status-attr:name_id": None,
        "provider_id": None, "service_uuid": store.meta.get("_cinder_volume_service"),
        "shared_targets": True, "cluster_name": None, "consumes_quota": True,
        "encryption_key_id": None,
    }


def attached_volumes(store: Store, servers: list[Record], sizes: list[int],
                     names: list[str], created: list[str]) -> list[str]:
    """The ids of a new volume of the default type attached to each of ``servers`` (world
    generation; ``created`` are Cinder's timestamp texts): what ``new_volume(…,
    attach_to=server)`` makes, the ids drawn as columns now, the records made when
    ``volumes`` (or the server index) is first read."""
    from ... import columns

    vids = columns.uuid_texts(store.rng, len(servers))
    attachment_ids = columns.uuid_texts(store.rng, len(servers))
    # What the records take from their servers, as the servers are now.
    rows = [(s["id"], s["tenant_id"], s["user_id"], s.get("OS-EXT-AZ:availability_zone")
             or "nova", s.get("OS-EXT-SRV-ATTR:host")) for s in servers]

    def fill() -> None:
        type_rec = type_by_name(store, DEFAULT_TYPE)
        pool = _pool_for_type(store, type_rec)
        volumes = store.table("volumes")
        for (server_id, project_id, user_id, zone, host), vid, attachment_id, size, name, \
                when in zip(rows, vids, attachment_ids, sizes, names, created, strict=True):
            rec = volumes[vid] = volume(
                store, vid, project_id=project_id, size=size, type_rec=type_rec, created=when,
                user_id=user_id, name=name, zone=zone, host=pool)
            _attachment(store, rec, server_id, attachment_id, None, host, when)

    store.defer(fill, "volumes", "_server_volumes", ATTACHMENTS_TABLE)
    return vids


def attach(store: Store, volume: Record, server_id: str, *, device: str | None = None,
           host_name: str | None = None, attached_at: str | None = None) -> Record:
    """Attach ``volume`` to ``server_id`` (status ``in-use``); returns the attachment."""
    if host_name is None:
        server = store.table("servers").get(server_id) or {}
        host_name = server.get("OS-EXT-SRV-ATTR:host")
    return _attachment(store, volume, server_id, store.uuid(), device, host_name,
                       attached_at or cinder_time())


TRANSFERS_TABLE = "volume_transfers"
"""Volume transfers offered and not yet accepted, by id (both transfer APIs)."""


def new_transfer(store: Store, volume: Record, *, name: str | None, created_at: str,
                 no_snapshots: bool = False, tid: str | None = None) -> Record:
    """Offer ``volume`` for transfer (it is ``awaiting-transfer``), stored; the auth key
    is private (``_auth_key``): only the create's answer shows it."""
    tid = tid or store.uuid()
    project = volume["os-vol-tenant-attr:tenant_id"]
    rec: Record = {"id": tid, "name": name, "volume_id": volume["id"],
                   "created_at": created_at, "no_snapshots": no_snapshots,
                   "source_project_id": project, "destination_project_id": None,
                   "accepted": False, "_project_id": project,
                   "_auth_key": store.uuid().replace("-", "")[:16]}
    volume["status"] = "awaiting-transfer"
    store.table(TRANSFERS_TABLE)[tid] = rec
    return rec


def attachment_record(volume: Record, attachment_id: str, server_id: str | None, *,
                      status: str, mode: str = "rw", connector: dict[str, Any] | None = None,
                      attached_at: str | None = None) -> Record:
    """A record of the attachments API (not stored), in its detail shape; private keys
    carry the owner's project and the connector."""
    return {"id": attachment_id, "status": status, "instance": server_id,
            "volume_id": volume["id"], "attached_at": attached_at, "detached_at": None,
            "attach_mode": mode, "connection_info": connection_info(volume, connector),
            "_project_id": volume["os-vol-tenant-attr:tenant_id"],
            "_created_at": attached_at or cinder_time(), "_connector": connector}


def connection_info(volume: Record, connector: dict[str, Any] | None) -> dict[str, Any]:
    """What a host needs to connect the volume (empty until a connector is known)."""
    if not connector:
        return {}
    ceph = "ceph" in str(volume.get("os-vol-host-attr:host", ""))
    if ceph:
        return {"driver_volume_type": "rbd", "data": {
            "name": f"volumes/volume-{volume['id']}", "hosts": ["10.0.30.11", "10.0.30.12"],
            "ports": ["6789", "6789"], "auth_enabled": True, "auth_username": "cinder",
            "access_mode": connector.get("mode", "rw")}}
    return {"driver_volume_type": "iscsi", "data": {
        "target_iqn": f"iqn.2010-10.org.openstack:volume-{volume['id']}",
        "target_portal": "10.0.30.21:3260", "target_lun": 0, "volume_id": volume["id"],
        "access_mode": connector.get("mode", "rw")}}


def _attachment(store: Store, volume: Record, server_id: str, attachment_id: str,
                device: str | None, host_name: str | None, attached_at: str) -> Record:
    """Attach on ``device`` (the server's next free one when None); the attachments API's
    record (made here unless one was reserved) becomes ``attached``."""
    index: Record = store.table("_server_volumes").setdefault(server_id, {"volume_ids": []}) \
        if server_id else {"volume_ids": []}
    if device is None:
        used = {a["device"] for vid in index["volume_ids"]
                for a in store.table("volumes").get(vid, {}).get("attachments", [])
                if a["server_id"] == server_id}
        device = next((d for d in _DEVICES if d not in used), "/dev/vdz")
    attachment = {"id": volume["id"], "attachment_id": attachment_id,
                  "volume_id": volume["id"], "server_id": server_id, "host_name": host_name,
                  "device": device, "attached_at": attached_at}
    volume["attachments"].append(attachment)
    volume["status"] = "in-use"
    index["volume_ids"].append(volume["id"])
    records = store.table(ATTACHMENTS_TABLE)
    record = records.get(attachment_id)
    if record is None:
        record = records[attachment_id] = attachment_record(
            volume, attachment_id, server_id, status="attached", attached_at=attached_at)
    record.update(status="attached", instance=server_id, attached_at=attached_at)
    return attachment


def detach(store: Store, volume: Record, server_id: str) -> bool:
    """Detach ``volume`` from ``server_id`` (``available`` once nothing holds it); whether
    it was attached there."""
    before = len(volume["attachments"])
    records = store.table(ATTACHMENTS_TABLE)
    for gone in [a for a in volume["attachments"] if a["server_id"] == server_id]:
        records.pop(gone["attachment_id"], None)
    volume["attachments"] = [a for a in volume["attachments"] if a["server_id"] != server_id]
    index = store.table("_server_volumes").get(server_id)
    if index is not None and volume["id"] in index["volume_ids"]:
        index["volume_ids"].remove(volume["id"])
    if len(volume["attachments"]) == before:
        return False
    if not volume["attachments"] and volume["status"] in ("in-use", "detaching", "attaching"):
        volume["status"] = "available"
    volume["updated_at"] = cinder_time()
    return True


def drop_attachments(store: Store, volume_id: str) -> None:
    """Forget every record of the attachments API that holds ``volume_id``."""
    records = store.table(ATTACHMENTS_TABLE)
    for key in [k for k, a in records.items() if a["volume_id"] == volume_id]:
        del records[key]


def image_metadata(image: Record) -> dict[str, Any]:
    """``volume_image_metadata`` of a volume written from ``image`` (Cinder's strings)."""
    return {"image_id": image["id"], "image_name": image.get("name", ""),
            "checksum": image.get("checksum"), "container_format": "bare",
            "disk_format": image.get("disk_format", "qcow2"),
            "min_disk": str(image.get("min_disk", 0)), "min_ram": str(image.get("min_ram", 0)),
            "size": str(image.get("size") or 0)}


def detach_all(store: Store, server_id: str) -> None:
    """Detach every volume from a deleted server (they become ``available``)."""
    index = store.table("_server_volumes").pop(server_id, None)
    for vid in (index or {}).get("volume_ids", []):
        if (vol := store.table("volumes").get(vid)) is not None:
            detach(store, vol, server_id)


def _projects(store: Store) -> list[Record]:
    skip = store.meta.get("service_project_id")
    return [p for p in store.table("projects").values()
            if not p.get("is_domain") and p["id"] != skip]


def _project_user(store: Store, project_id: str) -> str | None:
    users: dict[str, str] = store.meta.setdefault("_cinder_users", {})
    if not users:
        for user in store.table("users").values():
            if user.get("default_project_id"):
                users.setdefault(user["default_project_id"], user["id"])
    return users.get(project_id) or store.meta.get("admin_user_id")


def seed(store: Store, *, then: Callable[[Store], None] | None = None,
         also: tuple[str, ...] = ()) -> None:
    """Volume types and services now; detached volumes, snapshots and backups for every
    project when one of those tables is first read (from a random stream of their own, so
    they are the same whenever that happens); ``then`` completes the tables ``also`` from
    the volumes, in the same fill."""
    store.meta["_cinder_volume_service"] = store.uuid()
    types = store.table("volume_types")
    for name, desc, backend, specs in TYPES:
        tid = store.uuid()
        types[tid] = {"id": tid, "name": name, "description": desc, "is_public": True,
                      "os-volume-type-access:is_public": True, "qos_specs_id": None,
                      "extra_specs": dict(specs), "_backend": backend}
    projects = _projects(store)
    if not projects:
        return
    mine = (store.meta.get("admin_project_id"), store.meta.get("member_project_id"))
    others = [p["id"] for p in projects if p["id"] not in mine]
    store.meta["_cinder_tight_projects"] = others[:2]
    rng = random.Random(f"{store.config.seed}:volumes")
    def fill() -> None:
        _seed_volumes(store, projects, rng, now() - _dt.timedelta(days=400))
        if then is not None:
            then(store)

    store.defer(fill, "volumes", "snapshots", "backups", TRANSFERS_TABLE, messages.TABLE,
                *also)


def _seed_volumes(store: Store, projects: list[Record], rng: random.Random,
                  base: _dt.datetime) -> None:
    # The records' ids come from store.uuid(): drawn from this fill's stream too.
    saved, store.rng = store.rng, rng
    try:
        _draw_volumes(store, projects, rng, base)
    finally:
        store.rng = saved


def _draw_volumes(store: Store, projects: list[Record], rng: random.Random,
                  base: _dt.datetime) -> None:
    count = max(2 * len(projects), store.config.servers // 5)
    type_names = [t[0] for t in TYPES]
    # The demo member works in its project: keep it well inside Cinder's default quota
    # (even after a quota revert), so creating a volume as the member just works. The
    # "near or over quota" role goes to other projects (``_cinder_tight_projects``).
    member = store.meta.get("member_project_id")
    member_gb = member_volumes = 0
    for i in range(count):
        project = projects[rng.randrange(len(projects))]
        created = base + _dt.timedelta(seconds=rng.randrange(400 * 86400))
        status = rng.choices(["available", "error", "available"], weights=[90, 3, 7])[0]
        size = rng.choice([1, 5, 10, 20, 50, 100, 200, 500])
        if project["id"] == member and len(projects) > 1:
            if member_gb + size > MEMBER_GB_BUDGET or member_volumes >= MEMBER_VOLUME_BUDGET:
                project = projects[(projects.index(project) + 1) % len(projects)]
            else:
                member_gb, member_volumes = member_gb + size, member_volumes + 1
        vol = new_volume(
            store, project_id=project["id"], size=size,
            name=f"{rng.choice(_VOLUME_NAMES)}-{i:04d}", status=status,
            volume_type=rng.choices(type_names, weights=[40, 30, 20, 10])[0],
            created_at=created, metadata={"team": rng.choice(["web", "data", "ops", "ml"])}
            if rng.random() < 0.4 else None)
        if rng.random() < 0.3:
            new_snapshot(store, vol, name=f"{vol['name']}-snap", created_at=created
                         + _dt.timedelta(days=rng.randrange(1, 30)))
        if rng.random() < 0.2:
            new_backup(store, vol, name=f"{vol['name']}-backup", created_at=created
                       + _dt.timedelta(days=rng.randrange(1, 30)))
    # Transfers offered and never accepted, their volumes in awaiting-transfer: one the
    # admin offered a project last week, one weeks old in another project.
    admin = store.meta.get("admin_project_id")
    idle = [v for v in store.table("volumes").values() if v["status"] == "available"]
    for owned, days in ((lambda p: p == admin, (2, 8)),
                        (lambda p: p not in (admin, member), (20, 90))):
        mine = [v for v in idle if owned(v["os-vol-tenant-attr:tenant_id"])]
        if mine:
            vol = mine[rng.randrange(len(mine))]
            new_transfer(store, vol, name=f"handover {vol['name']}", created_at=cinder_time(
                now() - _dt.timedelta(days=rng.randrange(*days))))
    messages.seed_for_errors(store)


def new_snapshot(store: Store, volume: Record, *, name: str, description: str | None = None,
                 created_at: _dt.datetime | None = None, status: str = "available",
                 sid: str | None = None) -> Record:
    """A snapshot of ``volume``, stored."""
    sid = sid or store.uuid()
    created = cinder_time(created_at)
    rec: Record = {
        "id": sid, "name": name, "description": description, "status": status,
        "size": volume["size"], "volume_id": volume["id"], "metadata": {},
        "created_at": created, "updated_at": created, "user_id": volume["user_id"],
        "os-extended-snapshot-attributes:project_id":
            volume["os-vol-tenant-attr:tenant_id"],
        "os-extended-snapshot-attributes:progress": "100%", "group_snapshot_id": None,
        "consumes_quota": True, "_volume_type": volume["volume_type"]}
    store.table("snapshots")[sid] = rec
    return rec


def new_backup(store: Store, volume: Record, *, name: str, description: str | None = None,
               created_at: _dt.datetime | None = None, status: str = "available",
               incremental: bool = False, bid: str | None = None) -> Record:
    """A backup of ``volume``, stored."""
    bid = bid or store.uuid()
    created = cinder_time(created_at)
    rec: Record = {
        "id": bid, "name": name, "description": description, "status": status,
        "size": volume["size"], "object_count": max(1, volume["size"] // 2),
        "container": "volumebackups", "availability_zone": volume["availability_zone"],
        "volume_id": volume["id"], "snapshot_id": None, "fail_reason": None,
        "is_incremental": incremental, "has_dependent_backups": False,
        "created_at": created, "updated_at": created, "data_timestamp": created,
        "user_id": volume["user_id"], "metadata": {}, "encryption_key_id": None,
        "os-backup-project-attr:project_id": volume["os-vol-tenant-attr:tenant_id"]}
    store.table("backups")[bid] = rec
    return rec
