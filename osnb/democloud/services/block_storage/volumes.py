"""Cinder (Block Storage v3): volumes, snapshots, backups, types, quotas, pools, services.

Mounted at ``/volume``; every resource is served both at ``/v3/{project_id}/…`` (what the
catalog advertises) and at ``/v3/…``. Records in the tables ``volumes``, ``snapshots``,
``backups`` and ``volume_types`` are kept in the detail shape of the newest microversion;
links and the admin-only attributes are added or dropped when a record is sent. Pool
capacity, quota usage and limits are counted from the tables on each read, so they always
agree with the volumes. Quotas, pools and services live in :mod:`.admin`.
"""

from __future__ import annotations

import ast
import datetime as _dt
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ... import http
from ...http import ApiError
from ...store import Record, Store, now
from ...store import public as _public

__all__ = ["PREFIX", "attach", "attached_volumes", "detach", "detach_all",
           "new_volume", "seed"]

PREFIX = "/volume"

MIN_MV, MAX_MV = "3.0", "3.71"
DEFAULT_TYPE = "__DEFAULT__"
# (pool host, backend name, total GB, thin?, storage protocol, vendor)
POOLS: list[tuple[str, str, int, bool, str, str]] = [
    ("block01@ceph-ssd#ssd", "ceph-ssd", 40960, True, "ceph", "Open Source"),
    ("block02@netapp-hdd#aggr_hdd01", "netapp-hdd", 102400, False, "iSCSI", "NetApp"),
]
TYPES: list[tuple[str, str, str, dict[str, str]]] = [
    (DEFAULT_TYPE, "Default Volume Type", "netapp-hdd", {}),
    ("ssd", "SSD-backed Ceph RBD volumes", "ceph-ssd", {"volume_backend_name": "ceph-ssd"}),
    ("hdd", "Capacity tier on spinning disks", "netapp-hdd",
     {"volume_backend_name": "netapp-hdd"}),
    ("ssd-replicated", "SSD with cross-site replication", "ceph-ssd",
     {"volume_backend_name": "ceph-ssd", "replication_enabled": "<is> True"}),
]
_DEVICES = [f"/dev/vd{c}" for c in "bcdefghijklmnopqrstuvwxyz"]
MEMBER_GB_BUDGET = 200
MEMBER_VOLUME_BUDGET = 3
"""What the seeded detached volumes of the member's project may add up to (Cinder's
defaults are 1000 GB and 10 volumes; servers' data volumes come on top)."""
_VOLUME_NAMES = ["data", "db", "logs", "backup", "scratch", "pgdata", "mysql", "elastic",
                 "kafka", "minio", "registry", "home", "archive", "cache", "etcd", "build"]
_VOLUME_FILTERS = {"name", "status", "bootable", "metadata", "availability_zone",
                   "volume_type", "group_id", "user_id", "project_id", "all_tenants",
                   "name~", "created_at", "updated_at"}
_PAGING = {"limit", "marker", "sort", "sort_key", "sort_dir", "offset", "with_count"}


def cinder_time(value: _dt.datetime | None = None) -> str:
    """Cinder's timestamps: microseconds, no zone suffix (``2026-11-25T13:19:09.123456``)."""
    value = (value or now()).astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


# --- the world ---------------------------------------------------------------------------

def _type_by_name(store: Store, name: str) -> Record | None:
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


def new_volume(store: Store, *, project_id: str, size: int, name: str = "",
               availability_zone: str = "nova", status: str = "available",
               attach_to: str | None = None, host: str | None = None,
               bootable: bool = False, volume_type: str | None = None,
               created_at: _dt.datetime | str | None = None, device: str | None = None,
               attach_host: str | None = None, image_id: str | None = None,
               user_id: str | None = None, description: str | None = None,
               metadata: dict[str, str] | None = None) -> Record:
    """Create a volume record in ``store.table("volumes")`` and return it.

    ``attach_to`` (a server id) makes it ``in-use`` with one attachment on ``device``
    (the server's next free ``/dev/vdX`` unless given) and ``attach_host`` (else the
    server's compute host if the server record exists already). ``host`` is the Cinder
    pool (``host@backend#pool``); by default the volume type's backend.
    """
    type_rec = _type_by_name(store, volume_type or DEFAULT_TYPE)
    if isinstance(created_at, _dt.datetime):
        created = cinder_time(created_at)
    elif created_at:
        created = created_at.rstrip("Z") + ("" if "." in created_at else ".000000")
    else:
        created = cinder_time()
    rec = _volume_record(
        store, store.uuid(), project_id, user_id or _project_user(store, project_id), name,
        size, availability_zone, created, type_rec, volume_type,
        host or _pool_for_type(store, type_rec), status=status, bootable=bootable,
        description=description, metadata=metadata)
    if image_id:
        image = store.table("images").get(image_id, {})
        rec["volume_image_metadata"] = {
            "image_id": image_id, "image_name": image.get("name", ""),
            "checksum": image.get("checksum"), "container_format": "bare",
            "disk_format": image.get("disk_format", "qcow2"),
            "min_disk": str(image.get("min_disk", 0)), "min_ram": str(image.get("min_ram", 0)),
            "size": str(image.get("size") or 0)}
        rec["bootable"] = "true"
    store.table("volumes")[rec["id"]] = rec
    if attach_to:
        attach(store, rec, attach_to, device=device, host_name=attach_host,
               attached_at=created)
    return rec


def _volume_record(store: Store, vid: str, project_id: str, user_id: str | None, name: str,
                   size: int, availability_zone: str, created: str, type_rec: Record | None,
                   volume_type: str | None, host: str, *, status: str = "available",
                   bootable: bool = False, description: str | None = None,
                   metadata: dict[str, str] | None = None) -> Record:
    return {
        "id": vid, "name": name, "description": description, "status": status,
        "size": int(size), "availability_zone": availability_zone,
        "created_at": created, "updated_at": created, "attachments": [],
        "bootable": "true" if bootable else "false", "encrypted": False,
        "multiattach": False, "metadata": dict(metadata or {}),
        "snapshot_id": None, "source_volid": None, "consistencygroup_id": None,
        "group_id": None, "replication_status": None, "migration_status": None,
        "user_id": user_id,
        "volume_type": type_rec["name"] if type_rec else (volume_type or DEFAULT_TYPE),
        "volume_type_id": type_rec["id"] if type_rec else None,
        "os-vol-tenant-attr:tenant_id": project_id,
        "os-vol-host-attr:host": host,
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
        type_rec = _type_by_name(store, DEFAULT_TYPE)
        pool = _pool_for_type(store, type_rec)
        volumes = store.table("volumes")
        for (server_id, project_id, user_id, zone, host), vid, attachment_id, size, name, \
                when in zip(rows, vids, attachment_ids, sizes, names, created, strict=True):
            rec = volumes[vid] = _volume_record(store, vid, project_id, user_id, name, size,
                                                zone, when, type_rec, None, pool)
            _attachment(store, rec, server_id, attachment_id, None, host, when)

    store.defer(fill, "volumes", "_server_volumes")
    return vids


def attach(store: Store, volume: Record, server_id: str, *, device: str | None = None,
           host_name: str | None = None, attached_at: str | None = None) -> Record:
    """Attach ``volume`` to ``server_id`` (status ``in-use``); returns the attachment."""
    if host_name is None:
        server = store.table("servers").get(server_id) or {}
        host_name = server.get("OS-EXT-SRV-ATTR:host")
    return _attachment(store, volume, server_id, store.uuid(), device, host_name,
                       attached_at or cinder_time())


def _attachment(store: Store, volume: Record, server_id: str, attachment_id: str,
                device: str | None, host_name: str | None, attached_at: str) -> Record:
    """Attach on ``device`` (the server's next free one when None)."""
    index = store.table("_server_volumes").setdefault(server_id, {"volume_ids": []})
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
    return attachment


def detach(store: Store, volume: Record, server_id: str) -> bool:
    """Detach ``volume`` from ``server_id`` (``available`` once nothing holds it); whether
    it was attached there."""
    before = len(volume["attachments"])
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


def detach_all(store: Store, server_id: str) -> None:
    """Detach every volume from a deleted server (they become ``available``)."""
    index = store.table("_server_volumes").pop(server_id, None)
    for vid in (index or {}).get("volume_ids", []):
        vol = store.table("volumes").get(vid)
        if vol is None:
            continue
        vol["attachments"] = [a for a in vol["attachments"] if a["server_id"] != server_id]
        if not vol["attachments"] and vol["status"] in ("in-use", "detaching", "attaching"):
            vol["status"] = "available"
        vol["updated_at"] = cinder_time()


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


def seed(store: Store) -> None:
    """Volume types and services now; detached volumes, snapshots and backups for every
    project when one of those tables is first read (from a random stream of their own, so
    they are the same whenever that happens)."""
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
    store.defer(lambda: _seed_volumes(store, projects, rng, now() - _dt.timedelta(days=400)),
                "volumes", "snapshots", "backups")


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
    from .extra import new_backup, new_snapshot

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


# --- request plumbing --------------------------------------------------------------------

Handler = Callable[[Request], Awaitable[Response]]


def mv(request: Request) -> tuple[int, int]:
    return http.microversion(request, "volume", MIN_MV, MAX_MV)


def respond(request: Request, body: Any, status: int = 200) -> Response:
    headers = http.microversion_headers("volume", mv(request))
    return http.json_response(body, status, headers=headers)


def context(request: Request) -> tuple[Store, Any, str]:
    """The store, the caller's token and the project it acts in (400 on a foreign URL)."""
    token = http.auth(request)
    mv(request)
    url_project = request.path_params.get("project_id")
    if url_project and url_project != token.project_id and not token.is_admin:
        raise ApiError(400, f"Malformed request url: project_id '{url_project}' does not "
                            f"match the context's project_id '{token.project_id}'.")
    return http.store_of(request), token, token.project_id or ""


def refresh(store: Store, rec: Record) -> Record:
    """Finish a ``creating`` state whose time has come (evaluated lazily)."""
    ready = rec.get("_ready_at")
    if ready is not None and time.time() >= ready:
        rec.pop("_ready_at")
        if rec["status"] in ("creating", "restoring-backup"):
            rec["status"] = rec.pop("_next_status", "available")
            rec["updated_at"] = cinder_time()
    return rec


def _link(request: Request, project: str, kind: str, oid: str) -> list[dict[str, str]]:
    base = str(request.base_url).rstrip("/") + PREFIX
    return [{"href": f"{base}/v3/{project}/{kind}/{oid}", "rel": "self"},
            {"href": f"{base}/{project}/{kind}/{oid}", "rel": "bookmark"}]


def body_of(raw: Any, key: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or key not in raw:
        raise ApiError(400, f"Missing required element '{key}' in request body.")
    if not isinstance(raw[key], dict):
        raise ApiError(400, f"Invalid input for field/attribute {key}. Value: {raw[key]!r}. "
                            f"{raw[key]!r} is not of type 'object'")
    value: dict[str, Any] = raw[key]
    return value


def check_fields(obj: dict[str, Any], key: str, allowed: Iterable[str]) -> None:
    extra = sorted(set(obj) - set(allowed))
    if extra:
        raise ApiError(400, f"Invalid input for field/attribute {key}. Value: {obj!r}. "
                            f"Additional properties are not allowed ({extra[0]!r} was "
                            "unexpected)")


def check_str(obj: dict[str, Any], field: str, *, nullable: bool = True) -> str | None:
    value = obj.get(field)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or len(value) > 255:
        raise ApiError(400, f"Invalid input for field/attribute {field}. Value: {value!r}. "
                            f"{value!r} is not valid under any of the given schemas")
    return value


def check_int(value: Any, field: str, minimum: int = 1) -> int:
    try:
        if isinstance(value, bool) or isinstance(value, float):
            raise ValueError
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Invalid input for field/attribute {field}. Value: {value!r}. "
                            f"{value!r} is not valid under any of the given schemas") from None
    if number < minimum:
        raise ApiError(400, f"Invalid input for field/attribute {field}. Value: {value!r}. "
                            f"{value!r} is less than the minimum of {minimum}")
    return number


def check_metadata(obj: dict[str, Any]) -> dict[str, str]:
    meta = obj.get("metadata") or {}
    if not isinstance(meta, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise ApiError(400, f"Invalid input for field/attribute metadata. Value: {meta!r}. "
                            f"{meta!r} is not of type 'object'")
    return dict(meta)


def sort_and_page(request: Request, items: list[Record],
                  default: str = "created_at") -> tuple[list[Record], str | None]:
    """Apply ``sort`` / ``sort_key``+``sort_dir`` then ``marker``/``limit`` as Cinder does."""
    q = request.query_params
    keys: list[tuple[str, str]] = []
    if q.get("sort"):
        if q.get("sort_key") or q.get("sort_dir"):
            raise ApiError(400, "The 'sort_key' and 'sort_dir' parameters are deprecated "
                                "and cannot be used with the 'sort' parameter.")
        for part in q["sort"].split(","):
            name, _, direction = part.strip().partition(":")
            keys.append((name, direction or "desc"))
    elif q.get("sort_key"):
        keys = [(k, q.get("sort_dir", "desc")) for k in q["sort_key"].split(",")]
    keys = keys or [(default, "desc")]
    if not any(k == "id" for k, _ in keys):
        keys.append(("id", keys[-1][1]))
    for name, direction in reversed(keys):
        if direction.lower() not in ("asc", "desc"):
            raise ApiError(400, "Unknown sort direction, must be 'desc' or 'asc'")
        if items and name not in items[0] and name not in ("project_id",):
            raise ApiError(400, f"Invalid input received: Invalid sort key {name}")
        items.sort(key=lambda r: sort_value(r.get(name)), reverse=direction.lower() == "desc")
    limit = http.query_int(request, "limit")
    chunk, nxt = http.page(items, q.get("marker"), limit)
    return list(chunk), nxt


def sort_value(value: Any) -> tuple[int, Any]:
    """A sort key that orders numbers as numbers, everything else as text, None first."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


def links_for(request: Request, key: str, nxt: str | None, limit: int | None) -> dict[str, Any]:
    if nxt is None:
        return {}
    return {key: [{"href": http.url_for(request, marker=nxt, limit=limit), "rel": "next"}]}


def check_filters(request: Request, token: Any, allowed: set[str]) -> None:
    """Reject unknown filters for non-admins, as Cinder's resource_filters do."""
    if token.is_admin:
        return
    bad = [k for k in request.query_params if k not in allowed and k not in _PAGING]
    if bad:
        raise ApiError(400, f"Invalid filters {', '.join(sorted(bad))} are found in query "
                            "options.")


def scoped(request: Request, token: Any, table: Iterable[Record], project_key: str,
           project: str) -> list[Record]:
    """Records the caller may list: its project, or with ``all_tenants`` (admin) all."""
    if http.query_bool(request, "all_tenants"):
        http.require_admin(token, "volume:get_all with all_tenants")
        wanted = request.query_params.get("project_id")
        return [r for r in table if wanted is None or r[project_key] == wanted]
    return [r for r in table if r[project_key] == project]


def find(store: Store, token: Any, table: str, oid: str, project_key: str,
         what: str) -> Record:
    rec = store.table(table).get(oid)
    if rec is None or (not token.is_admin and rec[project_key] != token.project_id):
        raise ApiError(404, f"{what} {oid} could not be found.")
    return refresh(store, rec)


def both(path: str, endpoint: Handler, methods: list[str]) -> list[BaseRoute]:
    """The route with and without the project id in the URL."""
    return [Route("/v3" + path, endpoint, methods=methods),
            Route("/v3/{project_id}" + path, endpoint, methods=methods)]


# --- volumes -----------------------------------------------------------------------------

def _show_volume(request: Request, token: Any, rec: Record) -> Record:
    out = _public(rec)
    out["links"] = _link(request, rec["os-vol-tenant-attr:tenant_id"], "volumes", rec["id"])
    if not token.is_admin:
        for key in ("os-vol-host-attr:host", "os-vol-mig-status-attr:migstat",
                    "os-vol-mig-status-attr:name_id", "provider_id", "cluster_name",
                    "service_uuid", "shared_targets"):
            out.pop(key, None)
    if "volume_image_metadata" not in out:
        out.pop("volume_image_metadata", None)
    return out


def _match_volume(rec: Record, q: Any) -> bool:
    if "name" in q and rec["name"] != q["name"]:
        return False
    if "name~" in q and q["name~"].lower() not in (rec["name"] or "").lower():
        return False
    for key in ("status", "availability_zone", "user_id", "group_id"):
        if key in q and rec[key] != q[key]:
            return False
    if "volume_type" in q and q["volume_type"] not in (rec["volume_type"],
                                                       rec["volume_type_id"]):
        return False
    if "bootable" in q and rec["bootable"] != str(q["bootable"].lower() in
                                                  ("1", "true", "t", "yes")).lower():
        return False
    return True


def _metadata_filter(q: Any) -> dict[str, str]:
    raw = q.get("metadata")
    if raw is None:
        return {}
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = None
    if not isinstance(value, dict):
        raise ApiError(400, f"Invalid input received: Invalid metadata filter {raw!r}.")
    return {str(k): str(v) for k, v in value.items()}


async def list_volumes(request: Request, detail: bool) -> Response:
    store, token, project = context(request)
    check_filters(request, token, _VOLUME_FILTERS)
    q = request.query_params
    meta = _metadata_filter(q)
    items = [refresh(store, r) for r in scoped(request, token, store.table("volumes").values(),
                                                "os-vol-tenant-attr:tenant_id", project)]
    items = [r for r in items if _match_volume(r, q)
             and all(r["metadata"].get(k) == v for k, v in meta.items())]
    chunk, nxt = sort_and_page(request, items)
    if detail:
        shown = [_show_volume(request, token, r) for r in chunk]
    else:
        shown = [{"id": r["id"], "name": r["name"], "links": _link(
            request, r["os-vol-tenant-attr:tenant_id"], "volumes", r["id"])} for r in chunk]
    body: dict[str, Any] = {"volumes": shown}
    body.update(links_for(request, "volumes_links", nxt, http.query_int(request, "limit")))
    if http.query_bool(request, "with_count") and mv(request) >= (3, 45):
        body["count"] = len(items)
    return respond(request, body)


async def volumes_index(request: Request) -> Response:
    return await list_volumes(request, False)


async def volumes_detail(request: Request) -> Response:
    return await list_volumes(request, True)


async def volume_show(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "volumes", request.path_params["volume_id"],
               "os-vol-tenant-attr:tenant_id", "Volume")
    return respond(request, {"volume": _show_volume(request, token, rec)})


_CREATE_FIELDS = {"size", "name", "description", "display_name", "display_description",
                  "volume_type", "availability_zone", "metadata", "snapshot_id",
                  "source_volid", "imageRef", "image_id", "backup_id", "multiattach",
                  "consistencygroup_id", "group_id", "bootable", "scheduler_hints"}


async def volume_create(request: Request) -> Response:
    from .admin import enforce_quota

    store, token, project = context(request)
    obj = body_of(await http.json_body(request), "volume")
    check_fields(obj, "volume", _CREATE_FIELDS)
    name = check_str(obj, "name") or check_str(obj, "display_name") or ""
    desc = check_str(obj, "description") or check_str(obj, "display_description")
    meta = check_metadata(obj)
    source: Record | None = None
    if obj.get("snapshot_id"):
        source = find(store, token, "snapshots", str(obj["snapshot_id"]),
                      "os-extended-snapshot-attributes:project_id", "Snapshot")
    elif obj.get("source_volid"):
        source = find(store, token, "volumes", str(obj["source_volid"]),
                      "os-vol-tenant-attr:tenant_id", "Volume")
    if obj.get("size") is None and source is None:
        raise ApiError(400, "Invalid input for field/attribute volume. Value: "
                            f"{obj!r}. 'size' is a required property")
    size = check_int(obj["size"], "size") if obj.get("size") is not None else source["size"]  # type: ignore[index]
    if source is not None and size < source["size"]:
        raise ApiError(400, f"Invalid input received: Volume size '{size}'GB cannot be "
                            f"smaller than the source size {source['size']}GB.")
    image_id = obj.get("imageRef") or obj.get("image_id")
    if image_id is not None:
        image = store.table("images").get(str(image_id))
        if image is None or image.get("status") != "active":
            raise ApiError(400, "Invalid image identifier or unable to access requested "
                                "image.")
    type_name = obj.get("volume_type") or DEFAULT_TYPE
    type_rec = _type_by_name(store, str(type_name))
    if type_rec is None:
        raise ApiError(404, f"Volume type with name {type_name} could not be found.")
    az = obj.get("availability_zone") or "nova"
    if az != "nova":
        raise ApiError(400, f"Invalid input received: Availability zone '{az}' is invalid.")
    enforce_quota(store, project, type_rec["name"], volumes=1, gigabytes=size)
    rec = new_volume(store, project_id=project, size=size, name=name, status="creating",
                     volume_type=type_rec["name"], image_id=str(image_id) if image_id else None,
                     user_id=token.user_id, description=desc, metadata=meta)
    if obj.get("snapshot_id"):
        rec["snapshot_id"] = obj["snapshot_id"]
    if obj.get("source_volid"):
        rec["source_volid"] = obj["source_volid"]
    rec["multiattach"] = bool(obj.get("multiattach", False))
    rec["_ready_at"] = time.time() + store.config.build_seconds
    return respond(request, {"volume": _show_volume(request, token, rec)}, 202)


async def volume_update(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "volumes", request.path_params["volume_id"],
               "os-vol-tenant-attr:tenant_id", "Volume")
    obj = body_of(await http.json_body(request), "volume")
    check_fields(obj, "volume", {"name", "description", "display_name",
                                 "display_description", "metadata"})
    if not obj:
        raise ApiError(400, "Invalid input for field/attribute volume. Value: {}. {} does "
                            "not have enough properties")
    for key, target in (("name", "name"), ("display_name", "name"),
                        ("description", "description"), ("display_description",
                                                         "description")):
        if key in obj:
            rec[target] = check_str(obj, key)
    if "metadata" in obj:
        rec["metadata"] = check_metadata(obj)
    rec["updated_at"] = cinder_time()
    return respond(request, {"volume": _show_volume(request, token, rec)})


async def volume_delete(request: Request) -> Response:
    store, token, _ = context(request)
    rec = find(store, token, "volumes", request.path_params["volume_id"],
               "os-vol-tenant-attr:tenant_id", "Volume")
    cascade = http.query_bool(request, "cascade")
    snaps = [s for s in store.table("snapshots").values() if s["volume_id"] == rec["id"]]
    if (rec["status"] not in ("available", "error", "error_restoring", "error_extending",
                              "error_managing") or rec["attachments"]
            or (snaps and not cascade)):
        raise ApiError(400, "Invalid volume: Volume status must be available or error or "
                            "error_restoring or error_extending or error_managing and must "
                            "not be migrating, attached, belong to a group, have snapshots, "
                            "awaiting a transfer, or be disassociated from snapshots after "
                            "volume transfer.")
    for snap in snaps:
        store.table("snapshots").pop(snap["id"], None)
    store.table("volumes").pop(rec["id"], None)
    return respond(request, None, 202)

