"""Glance (Image v2): images with visibility rules, members, tags, JSON-patch, schemas.

Mounted at ``/image``. Records in ``images`` have Glance's flat image shape (custom
properties are top-level string keys); ``image_members`` maps ``image_id:member_id`` to a
member record. Paging follows Glance: default ``limit`` 25, a *relative* ``next`` link
present whenever a page is full, plus ``first`` and ``schema``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ... import http
from ...http import ApiError
from ...store import Record, Store, isotime, new_id, now
from ...store import public as _public
from .formats import CONTAINER_FORMATS, DISK_FORMATS, READ_ONLY, VISIBILITIES

__all__ = ["new_image", "seed", "visible"]

DEFAULT_LIMIT, MAX_LIMIT = 25, 1000
RESERVED = ("deleted", "deleted_at", "location")
BASE_KEYS = ("id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
             "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "min_ram",
             "min_disk", "disk_format", "container_format", "created_at", "updated_at",
             "tags", "self", "file", "schema")

# (name, os_distro, os_version, size MiB, min_disk GB, min_ram MB, extra properties)
_PUBLIC: list[tuple[str, str, str, int, int, int, dict[str, str]]] = [
    ("cirros-0.6.2-x86_64-disk", "cirros", "0.6.2", 21, 1, 64, {}),
    ("ubuntu-22.04", "ubuntu", "22.04", 640, 10, 512, {"hw_disk_bus": "virtio"}),
    ("ubuntu-24.04", "ubuntu", "24.04", 580, 10, 512, {"hw_disk_bus": "virtio"}),
    ("debian-12", "debian", "12", 420, 8, 512, {}),
    ("rocky-9", "rocky", "9.4", 980, 10, 1024, {}),
    ("fedora-40", "fedora", "40", 560, 10, 1024, {}),
    ("windows-server-2022", "windows", "2022", 9800, 40, 4096,
     {"os_type": "windows", "hw_firmware_type": "uefi", "hw_machine_type": "q35"}),
]


def _stamp(value: _dt.datetime) -> str:
    return isotime(value)


def new_image(store: Store, *, name: str | None, owner: str | None, visibility: str = "shared",
              status: str = "queued", size: int | None = None, min_disk: int = 0,
              min_ram: int = 0, disk_format: str | None = None,
              container_format: str | None = None, created_at: _dt.datetime | None = None,
              image_id: str | None = None, tags: list[str] | None = None,
              protected: bool = False, os_hidden: bool = False,
              properties: dict[str, Any] | None = None) -> Record:
    """Add an image record to ``store.table("images")`` and return it."""
    iid = image_id or store.uuid()
    stamp = _stamp(created_at or now())
    rec: Record = {
        "id": iid, "name": name, "status": status, "visibility": visibility,
        "protected": protected, "os_hidden": os_hidden, "checksum": None,
        "os_hash_algo": None, "os_hash_value": None, "owner": owner, "size": size,
        "virtual_size": None, "min_ram": min_ram, "min_disk": min_disk,
        "disk_format": disk_format, "container_format": container_format,
        "created_at": stamp, "updated_at": stamp, "tags": list(tags or []),
        "self": f"/v2/images/{iid}", "file": f"/v2/images/{iid}/file",
        "schema": "/v2/schemas/image", **(properties or {})}
    if size is not None:
        _set_hashes(rec, size)
    store.table("images")[iid] = rec
    return rec


def _set_hashes(rec: Record, size: int) -> None:
    seed = f"{rec['id']}:{size}".encode()
    rec["checksum"] = hashlib.md5(seed, usedforsecurity=False).hexdigest()
    rec["os_hash_algo"] = "sha512"
    rec["os_hash_value"] = hashlib.sha512(seed).hexdigest()
    if rec.get("disk_format") == "qcow2":
        rec["virtual_size"] = max(size, rec.get("min_disk", 0) * 1024 ** 3)


def seed(store: Store) -> None:
    """Public distro images, a deactivated one, community/shared images, snapshots."""
    rng = store.rng
    skip = store.meta.get("service_project_id")
    projects = [p for p in store.table("projects").values()
                if not p.get("is_domain") and p["id"] != skip]
    admin = store.meta.get("admin_project_id") or (projects[0]["id"] if projects else None)
    base = now() - _dt.timedelta(days=500)
    for i, (name, distro, version, mib, disk, ram, extra) in enumerate(_PUBLIC):
        new_image(store, name=name, owner=admin, visibility="public", status="active",
                  size=mib * 1024 * 1024 + rng.randrange(1024 * 1024), min_disk=disk,
                  min_ram=ram, disk_format="qcow2", container_format="bare",
                  created_at=base + _dt.timedelta(days=20 * i, seconds=rng.randrange(86400)),
                  tags=["official", distro],
                  properties={"os_distro": distro, "os_version": version,
                              "architecture": "x86_64", "hw_qemu_guest_agent": "yes",
                              **extra})
    new_image(store, name="centos-7", owner=admin, visibility="public", status="deactivated",
              size=900 * 1024 * 1024, min_disk=10, min_ram=512, disk_format="qcow2",
              container_format="bare", created_at=base - _dt.timedelta(days=300),
              tags=["eol"], properties={"os_distro": "centos", "os_version": "7",
                                        "architecture": "x86_64"})
    new_image(store, name="ubuntu-20.04", owner=admin, visibility="public", status="active",
              size=600 * 1024 * 1024, min_disk=10, min_ram=512, disk_format="qcow2",
              container_format="bare", created_at=base - _dt.timedelta(days=200),
              os_hidden=True, properties={"os_distro": "ubuntu", "os_version": "20.04",
                                          "architecture": "x86_64"})
    others = [p for p in projects if p["id"] != admin]
    for i, project in enumerate(others):
        created = base + _dt.timedelta(days=200 + 30 * i)
        if i < 2:
            new_image(store, name=f"{project.get('name', 'project')}-community-alpine-3.20",
                      owner=project["id"], visibility="community", status="active",
                      size=60 * 1024 * 1024, min_disk=1, disk_format="raw",
                      container_format="bare", created_at=created,
                      properties={"os_distro": "alpine", "os_version": "3.20"})
        if i < 3 and len(others) > 1:
            shared = new_image(store, name=f"{project.get('name', 'project')}-golden-base",
                               owner=project["id"], visibility="shared", status="active",
                               size=1200 * 1024 * 1024, min_disk=20, min_ram=1024,
                               disk_format="qcow2", container_format="bare",
                               created_at=created, tags=["golden"])
            for j, status in ((1, "accepted"), (2, "pending")):
                target = others[(i + j) % len(others)]
                if target["id"] == project["id"]:
                    continue
                add_member(store, shared, target["id"], status, created)
        for k in range(1 + rng.randrange(3)):
            snap_at = created + _dt.timedelta(days=rng.randrange(1, 200))
            new_image(store, name=f"snapshot-{project.get('name', 'project')}-{k + 1}",
                      owner=project["id"], visibility="private", status="active",
                      size=(2 + rng.randrange(40)) * 1024 ** 3, min_disk=20,
                      disk_format="qcow2", container_format="bare", created_at=snap_at,
                      properties={"image_type": "snapshot", "instance_uuid": store.uuid(),
                                  "base_image_ref": next(iter(store.table("images")))})


def add_member(store: Store, image: Record, member_id: str, status: str = "pending",
               at: _dt.datetime | None = None) -> Record:
    stamp = _stamp(at or now())
    rec: Record = {"image_id": image["id"], "member_id": member_id, "status": status,
                   "created_at": stamp, "updated_at": stamp, "schema": "/v2/schemas/member"}
    store.table("image_members")[f"{image['id']}:{member_id}"] = rec
    return rec


# --- visibility --------------------------------------------------------------------------

def _member_status(store: Store, image_id: str, project: str | None) -> str | None:
    rec = store.table("image_members").get(f"{image_id}:{project}")
    return rec["status"] if rec else None


def visible(store: Store, token: Any, image: Record) -> bool:
    """Whether the caller may see ``image`` at all (GET by id)."""
    if token.is_admin or image["owner"] == token.project_id:
        return True
    if image["visibility"] in ("public", "community"):
        return True
    return (image["visibility"] == "shared"
            and _member_status(store, image["id"], token.project_id) is not None)


def _find(request: Request, store: Store, token: Any) -> Record:
    iid = request.path_params["image_id"]
    image = store.table("images").get(iid)
    if image is None or not visible(store, token, image):
        raise ApiError(404, f"No image found with ID {iid}")
    return image


def _show(image: Record) -> Record:
    return _public(image)


# --- listing -----------------------------------------------------------------------------

_OPS = {"eq": lambda a, b: a == b, "neq": lambda a, b: a != b, "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}


def _time_filter(name: str, raw: str) -> tuple[str, str]:
    op, sep, value = raw.partition(":")
    if not sep or op not in _OPS:
        op, value = "eq", raw
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"Invalid value {raw!r} for parameter {name}: expected an "
                            "ISO 8601 time, optionally after an operator such as "
                            "'gte:'.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return op, isotime(when)


def _listed(store: Store, token: Any, image: Record, visibility: str | None,
            member_status: str) -> bool:
    owner_is_me = image["owner"] == token.project_id
    vis = image["visibility"]
    if visibility not in (None, "all") and vis != visibility:
        return False
    if token.is_admin:
        return True
    if vis == "public" or owner_is_me:
        return True
    if vis == "community":
        return visibility in ("community", "all")
    if vis == "shared":
        status = _member_status(store, image["id"], token.project_id)
        return status is not None and (member_status == "all" or status == member_status)
    return False


def _sort_keys(request: Request) -> list[tuple[str, str]]:
    q = request.query_params
    if "sort" in q:
        if "sort_key" in q or "sort_dir" in q:
            raise ApiError(400, "The sort parameter cannot be combined with sort_key or "
                                "sort_dir.")
        keys = []
        for part in q["sort"].split(","):
            key, _, direction = part.strip().partition(":")
            keys.append((key, direction or "desc"))
    else:
        names = q.getlist("sort_key") or ["created_at"]
        dirs = q.getlist("sort_dir") or ["desc"]
        if len(dirs) not in (1, len(names)):
            raise ApiError(400, "Number of sort dirs does not match the number of sort keys")
        keys = [(n, dirs[i] if len(dirs) > 1 else dirs[0]) for i, n in enumerate(names)]
    allowed = set(BASE_KEYS) - {"self", "file", "schema", "tags"}
    for key, direction in keys:
        if key not in allowed:
            raise ApiError(400, f"Invalid sort key: {key}. It should be one of the "
                                f"following: {', '.join(sorted(allowed))}.")
        if direction not in ("asc", "desc"):
            raise ApiError(400, f"Invalid sort direction: {direction}")
    if all(k != "id" for k, _ in keys):
        keys.append(("id", keys[-1][1]))
    return keys


def _sort_value(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


async def list_images(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    q = request.query_params
    visibility = q.get("visibility")
    if visibility is not None and visibility not in (*VISIBILITIES, "all"):
        raise ApiError(400, f"Invalid visibility value: {visibility}")
    member_status = q.get("member_status", "accepted")
    if member_status not in ("pending", "accepted", "rejected", "all"):
        raise ApiError(400, f"Invalid status value: {member_status}")
    limit = http.query_int(request, "limit", DEFAULT_LIMIT)
    assert limit is not None
    limit = min(limit, MAX_LIMIT)
    hidden = http.query_bool(request, "os_hidden")
    size_min = http.query_int(request, "size_min")
    size_max = http.query_int(request, "size_max")
    tags = q.getlist("tag")
    times = [(k, *_time_filter(k, q[k])) for k in ("created_at", "updated_at") if k in q]
    exact = {k: q[k] for k in ("name", "owner", "status", "container_format",
                               "disk_format") if k in q}
    if "protected" in q:
        exact_protected: bool | None = http.query_bool(request, "protected")
    else:
        exact_protected = None
    ids: set[str] | None = None
    if "id" in q:
        raw = q["id"][3:] if q["id"].startswith("in:") else q["id"]
        ids = set(raw.split(","))
    items = []
    for image in store.table("images").values():
        if image["os_hidden"] != hidden and "os_hidden" in q or (
                image["os_hidden"] and "os_hidden" not in q):
            continue
        if not _listed(store, token, image, visibility, member_status):
            continue
        if any(image.get(k) != v for k, v in exact.items()):
            continue
        if ids is not None and image["id"] not in ids:
            continue
        if exact_protected is not None and image["protected"] != exact_protected:
            continue
        if tags and not set(tags) <= set(image["tags"]):
            continue
        size = image.get("size")
        if size_min is not None and (size is None or size < size_min):
            continue
        if size_max is not None and (size is None or size > size_max):
            continue
        if any(not _OPS[op](image[k], v) for k, op, v in times):
            continue
        items.append(image)
    for key, direction in reversed(_sort_keys(request)):
        items.sort(key=lambda r: _sort_value(r.get(key)), reverse=direction == "desc")
    marker = q.get("marker")
    start = 0
    if marker is not None:
        for i, image in enumerate(items):
            if image["id"] == marker:
                start = i + 1
                break
        else:
            raise ApiError(400, f"marker {marker} could not be found.")
    chunk = items[start:start + limit]
    params = [(k, v) for k, v in q.multi_items() if k != "marker"]
    body: dict[str, Any] = {"images": [_show(r) for r in chunk],
                            "first": "/v2/images" + ("?" + urlencode(params) if params else ""),
                            "schema": "/v2/schemas/images"}
    if chunk and len(chunk) == limit:
        body["next"] = "/v2/images?" + urlencode(params + [("marker", chunk[-1]["id"])])
    return http.json_response(body)


# --- single images -----------------------------------------------------------------------

def _bad_schema(detail: str) -> ApiError:
    return ApiError(400, f"Provided object does not match schema 'image': {detail}")


def _check_value(key: str, value: Any) -> Any:
    """Validate one writable image attribute as Glance's schema does."""
    if key == "visibility":
        if value not in VISIBILITIES:
            raise _bad_schema(f"{value!r} is not one of {list(VISIBILITIES)}")
    elif key == "disk_format":
        if value is not None and value not in DISK_FORMATS:
            raise _bad_schema(f"{value!r} is not one of {list(DISK_FORMATS)}")
    elif key == "container_format":
        if value is not None and value not in CONTAINER_FORMATS:
            raise _bad_schema(f"{value!r} is not one of {list(CONTAINER_FORMATS)}")
    elif key in ("min_disk", "min_ram"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _bad_schema(f"{value!r} is not of type 'integer' or is less than 0")
    elif key in ("protected", "os_hidden"):
        if not isinstance(value, bool):
            raise _bad_schema(f"{value!r} is not of type 'boolean'")
    elif key == "tags":
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise _bad_schema(f"{value!r} is not of type 'array'")
        value = list(dict.fromkeys(value))
    elif key == "name":
        if value is not None and (not isinstance(value, str) or len(value) > 255):
            raise _bad_schema(f"{value!r} is not of type 'string'")
    elif key == "owner":
        if value is not None and not isinstance(value, str):
            raise _bad_schema(f"{value!r} is not of type 'string'")
    elif not isinstance(value, str):
        raise _bad_schema(f"{value!r} is not of type 'string'")
    return value


def _check_writable(key: str, token: Any) -> None:
    if key in READ_ONLY:
        raise ApiError(403, f"Attribute '{key}' is read-only.")
    if key in RESERVED:
        raise ApiError(403, f"Attribute '{key}' is reserved.")
    if key == "owner" and not token.is_admin:
        raise ApiError(403, "Attribute 'owner' can only be changed by an administrator.")


def _check_publicize(token: Any, visibility: str) -> None:
    if visibility == "public" and not token.is_admin:
        raise ApiError(403, "You are not authorized to complete publicize_image action.")


async def create_image(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    body = await http.json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Body expected in request.")
    fields: dict[str, Any] = {}
    for key, value in body.items():
        if key == "id":
            if not isinstance(value, str) or len(value) != 36:
                raise _bad_schema(f"{value!r} does not match the uuid pattern")
            if value in store.table("images"):
                raise ApiError(409, f"Image with identifier {value} already exists!")
            continue
        _check_writable(key, token)
        fields[key] = _check_value(key, value)
    visibility = fields.pop("visibility", "shared")
    _check_publicize(token, visibility)
    core = {k: fields.pop(k) for k in ("name", "min_disk", "min_ram", "disk_format",
                                       "container_format", "tags", "protected",
                                       "os_hidden") if k in fields}
    owner = fields.pop("owner", token.project_id)
    image = new_image(store, name=core.get("name"), owner=owner, visibility=visibility,
                      min_disk=core.get("min_disk", 0), min_ram=core.get("min_ram", 0),
                      disk_format=core.get("disk_format"),
                      container_format=core.get("container_format"),
                      tags=core.get("tags"), protected=core.get("protected", False),
                      os_hidden=core.get("os_hidden", False), properties=fields,
                      image_id=body.get("id") or new_id())
    return http.json_response(_show(image), 201,
                              headers={"Location": f"{request.base_url}image/v2/images/"
                                                   f"{image['id']}"})


async def show_image(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    return http.json_response(_show(_find(request, store, token)))


def _owner_only(token: Any, image: Record, action: str) -> None:
    if not token.is_admin and image["owner"] != token.project_id:
        raise ApiError(403, f"You are not permitted to {action} this image.")


async def update_image(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    ctype = request.headers.get("content-type", "").split(";")[0].strip()
    if ctype not in ("application/openstack-images-v2.1-json-patch",
                     "application/openstack-images-v2.0-json-patch"):
        raise ApiError(415, f"Unsupported Content-Type: {ctype or 'none'}",
                       headers={"Accept-Patch": "application/openstack-images-v2.1-json-"
                                                "patch, application/openstack-images-v2.0-"
                                                "json-patch"})
    _owner_only(token, image, "modify")
    ops = await http.json_body(request)
    if not isinstance(ops, list):
        raise ApiError(400, "Request body must be a JSON array of operation objects.")
    staged = dict(image)
    for op in ops:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise ApiError(400, "Operation objects must contain exactly one member named "
                                "\"add\", \"remove\", or \"replace\".")
        path = op.get("path")
        if not isinstance(path, str) or not path.startswith("/") or path.count("/") != 1:
            raise ApiError(400, f"Invalid JSON pointer for this resource: '{path}'")
        key = path[1:]
        _check_writable(key, token)
        if op["op"] == "remove":
            if key in BASE_KEYS:
                raise ApiError(403, f"Attribute '{key}' is read-only.")
            if key not in staged:
                raise ApiError(409, f"Property {key} does not exist.")
            del staged[key]
            continue
        if "value" not in op:
            raise ApiError(400, f"Operation \"{op['op']}\" requires a member named "
                                "\"value\".")
        if op["op"] == "replace" and key not in staged:
            raise ApiError(409, f"Property {key} does not exist.")
        value = _check_value(key, op["value"])
        if key == "visibility":
            _check_publicize(token, value)
        staged[key] = value
    staged["updated_at"] = _stamp(now())
    image.clear()
    image.update(staged)
    return http.json_response(_show(image))


async def delete_image(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    _owner_only(token, image, "delete")
    if image["protected"]:
        raise ApiError(403, f"Image {image['id']} is protected and cannot be deleted.")
    store.table("images").pop(image["id"], None)
    for key in [k for k in store.table("image_members") if k.startswith(image["id"] + ":")]:
        store.table("image_members").pop(key)
    return http.json_response(None, 204)


async def image_action(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    action = request.path_params["action"]
    if action not in ("deactivate", "reactivate"):
        raise ApiError(404, "The resource could not be found.")
    if not token.is_admin:
        raise ApiError(403, f"You are not authorized to complete {action} action.")
    if action == "deactivate":
        if image["status"] not in ("active", "deactivated"):
            raise ApiError(403, f"Not allowed to deactivate image in status "
                                f"'{image['status']}'")
        image["status"] = "deactivated"
    else:
        if image["status"] not in ("active", "deactivated"):
            raise ApiError(403, f"Not allowed to reactivate image in status "
                                f"'{image['status']}'")
        image["status"] = "active"
    image["updated_at"] = _stamp(now())
    return http.json_response(None, 204)


async def upload(request: Request) -> Response:
    """Take the image data (not kept: only its size and hashes) and make it ``active``."""
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    _owner_only(token, image, "upload data to")
    ctype = request.headers.get("content-type", "application/octet-stream").split(";")[0]
    if ctype != "application/octet-stream":
        raise ApiError(415, f"Unsupported Content-Type: {ctype}")
    if image["status"] != "queued":
        raise ApiError(409, f"Image status transition from {image['status']} to saving is "
                            "not allowed")
    for key in ("disk_format", "container_format"):
        if image[key] is None:
            raise ApiError(400, "Properties disk_format, container_format must be set prior "
                                "to saving data.")
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    image["size"] = size
    _set_hashes(image, size)
    image["status"] = "active"
    image["updated_at"] = _stamp(now())
    return http.json_response(None, 204)


async def tag(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    _owner_only(token, image, "modify")
    value = request.path_params["tag"]
    if request.method == "PUT":
        if len(value) > 255:
            raise ApiError(400, "Tag is too long (max 255 characters).")
        if value not in image["tags"]:
            image["tags"].append(value)
    elif value in image["tags"]:
        image["tags"].remove(value)
    else:
        raise ApiError(404, f"Tag {value} not found.")
    image["updated_at"] = _stamp(now())
    return http.json_response(None, 204)


async def list_members(request: Request) -> Response:
    token = http.auth(request)
    store = http.store_of(request)
    image = _find(request, store, token)
    if image["visibility"] != "shared":
        raise ApiError(403, "Only shared images have members.")
    members = [m for k, m in store.table("image_members").items()
               if k.startswith(image["id"] + ":") and (
                   token.is_admin or image["owner"] == token.project_id
                   or m["member_id"] == token.project_id)]
    return http.json_response({"members": members, "schema": "/v2/schemas/members"})

