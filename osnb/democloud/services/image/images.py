"""Glance (Image v2): images with visibility rules, members, tags, JSON-patch.

Mounted at ``/image``. Records in ``images`` have Glance's flat image shape (custom
properties are top-level string keys, declared in :data:`.formats.FIELDS`);
``image_members`` maps ``image_id:member_id`` to a member record. Listing, sorting and
paging are the engine's in Glance's dialect (:data:`.formats.GLANCE`); what is Glance's own
here is who sees an image (visibility and membership), its JSON-patch and its lifecycle
(upload, deactivate, tags).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
import time
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import MISSING, Collection, Ctx, Filter, Query, check_body, default_of, json_patch
from ...http import ApiError, json_body, json_response, query_bool
from ...store import Record, Store, isotime, now, uuid_text
from . import payload
from .formats import FIELDS, GLANCE, VISIBILITIES, admin_only
from .tasks import settle

__all__ = ["IMAGES", "Images", "add_member", "image_of", "seed", "seed_latest", "snapshot"]

PATCH_TYPES = ("application/openstack-images-v2.1-json-patch",
               "application/openstack-images-v2.0-json-patch")

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


def _links(iid: str) -> Record:
    return {"self": f"/v2/images/{iid}", "file": f"/v2/images/{iid}/file",
            "schema": "/v2/schemas/image"}


def _new(iid: str, stamp: str, **values: Any) -> Record:
    """An image record: the fields' defaults, ``values``, its stamps and links."""
    rec: Record = {"id": iid, **{k: v for k, f in FIELDS.items()
                                 if (v := default_of(f)) is not MISSING}}
    rec.update(values, created_at=stamp, updated_at=stamp, **_links(iid))
    return rec


def _add(store: Store, *, created_at: _dt.datetime, size: int | None = None,
         properties: dict[str, Any] | None = None, **values: Any) -> Record:
    """Seed one image: the fields' defaults, ``values``, then free ``properties``."""
    iid = store.uuid()
    rec = _new(iid, isotime(created_at), **values, size=size)
    rec.update(properties or {})
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
        _add(store, name=name, owner=admin, visibility="public", status="active",
                  size=mib * 1024 * 1024 + rng.randrange(1024 * 1024), min_disk=disk,
                  min_ram=ram, disk_format="qcow2", container_format="bare",
                  created_at=base + _dt.timedelta(days=20 * i, seconds=rng.randrange(86400)),
                  tags=["official", distro],
                  properties={"os_distro": distro, "os_version": version,
                              "architecture": "x86_64", "hw_qemu_guest_agent": "yes",
                              **extra})
    _add(store, name="centos-7", owner=admin, visibility="public", status="deactivated",
              size=900 * 1024 * 1024, min_disk=10, min_ram=512, disk_format="qcow2",
              container_format="bare", created_at=base - _dt.timedelta(days=300),
              tags=["eol"], properties={"os_distro": "centos", "os_version": "7",
                                        "architecture": "x86_64"})
    _add(store, name="ubuntu-20.04", owner=admin, visibility="public", status="active",
              size=600 * 1024 * 1024, min_disk=10, min_ram=512, disk_format="qcow2",
              container_format="bare", created_at=base - _dt.timedelta(days=200),
              os_hidden=True, properties={"os_distro": "ubuntu", "os_version": "20.04",
                                          "architecture": "x86_64"})
    others = [p for p in projects if p["id"] != admin]
    for i, project in enumerate(others):
        created = base + _dt.timedelta(days=200 + 30 * i)
        if i < 2:
            _add(store, name=f"{project.get('name', 'project')}-community-alpine-3.20",
                      owner=project["id"], visibility="community", status="active",
                      size=60 * 1024 * 1024, min_disk=1, disk_format="raw",
                      container_format="bare", created_at=created,
                      properties={"os_distro": "alpine", "os_version": "3.20"})
        if i < 3 and len(others) > 1:
            shared = _add(store, name=f"{project.get('name', 'project')}-golden-base",
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
            _add(store, name=f"snapshot-{project.get('name', 'project')}-{k + 1}",
                      owner=project["id"], visibility="private", status="active",
                      size=(2 + rng.randrange(40)) * 1024 ** 3, min_disk=20,
                      disk_format="qcow2", container_format="bare", created_at=snap_at,
                      properties={"image_type": "snapshot", "instance_uuid": store.uuid(),
                                  "base_image_ref": next(iter(store.table("images")))})


def seed_latest(store: Store) -> None:
    """The newest image: a project's golden image shared with another, which accepted it
    (from its own random source: the world's ids stay as they were)."""
    rng = random.Random(f"{store.config.seed}:glance-latest")
    skip = {store.meta.get("service_project_id"), store.meta.get("admin_project_id")}
    projects = [p for p in store.table("projects").values()
                if not p.get("is_domain") and p["id"] not in skip]
    if len(projects) < 2:
        return
    owner, member = projects[0], projects[1]
    iid = uuid_text(rng.getrandbits(128))
    newest = max((i["created_at"] for i in store.table("images").values()), default=None)
    at = _dt.datetime.fromisoformat(newest.replace("Z", "+00:00")) if newest else now()
    stamp = isotime(at + _dt.timedelta(hours=6))
    rec = _new(iid, stamp, name=f"{owner.get('name', 'project')}-golden-base-v2",
               owner=owner["id"], visibility="shared", status="active", disk_format="qcow2",
               container_format="bare", min_disk=20, min_ram=1024,
               size=1300 * 1024 * 1024 + rng.randrange(1024 * 1024))
    _set_hashes(rec, rec["size"])
    store.table("images")[iid] = rec
    add_member(store, rec, member["id"], "accepted", at + _dt.timedelta(hours=7))


def snapshot(store: Store, *, image_id: str, name: str, project_id: str, server_id: str,
             metadata: Mapping[str, Any] | None = None,
             properties: Mapping[str, Any] | None = None, min_disk: int = 0, min_ram: int = 0,
             backup_type: str | None = None, rotation: int | None = None,
             size: int | None = None) -> str:
    """A server's image from Nova (the ``image.snapshot`` topic): private, ``saving``
    until the world's build time has passed (:func:`.tasks.settle` finishes it), then
    ``active``, Nova's ``properties`` and the caller's ``metadata`` as its properties. A
    backup (``rotation`` given) then drops the oldest of the server's backups of that
    ``backup_type`` beyond ``rotation``, as Nova's rotation does."""
    stamp = GLANCE.stamp()
    extra = {k: str(v) for k, v in {**(properties or {}), **(metadata or {})}.items()
             if v is not None and k not in FIELDS}
    rec = _new(image_id, stamp, name=name, owner=project_id, visibility="private",
               status="saving", disk_format="qcow2", container_format="bare",
               min_disk=min_disk, min_ram=min_ram)
    rec.update(extra)
    rec["_snapshot_size"] = size if size is not None else 2 * 1024 ** 3
    rec["_due"] = time.monotonic() + store.config.build_seconds
    images = store.table("images")
    images[image_id] = rec
    store.meta["_glance_busy"] = True
    if rotation is not None:
        backups = sorted((i for i in images.values() if i.get("image_type") == "backup"
                          and i.get("instance_uuid") == server_id
                          and i.get("backup_type") == backup_type),
                         key=lambda i: i["created_at"])  # stable: ties keep the order made
        for old in backups[:max(0, len(backups) - rotation)]:
            images.pop(old["id"], None)
    return image_id


def from_volume(store: Store, *, volume: Record, name: str, disk_format: str,
                container_format: str, visibility: str, protected: bool, project_id: str,
                user_id: str) -> Record:
    """An image of a volume's data (the ``image.from_volume`` topic, Cinder's
    ``os-volume_upload_image``): ``saving`` while Cinder uploads, then ``active``, the
    volume's size and the image metadata it was made from (``volume_image_metadata``)."""
    image_id, stamp = GLANCE.new_id(), GLANCE.stamp()
    inherited = {k: str(v) for k, v in (volume.get("volume_image_metadata") or {}).items()
                 if k not in FIELDS and k not in ("image_id", "image_name")}
    rec = _new(image_id, stamp, **inherited, name=name, owner=project_id,
               visibility=visibility, protected=protected, status="saving",
               disk_format=disk_format, container_format=container_format)
    rec["_snapshot_size"] = int(volume.get("size") or 1) * 1024 ** 3
    rec["_due"] = time.monotonic() + store.config.build_seconds
    store.table("images")[image_id] = rec
    store.meta["_glance_busy"] = True
    return rec


def image_of(store: Store, *, image_id: str) -> Record | None:
    """The image record ``image_id`` (the ``image.of`` topic), or None."""
    return store.table("images").get(image_id)


def add_member(store: Store, image: Record, member_id: str, status: str = "pending",
               at: _dt.datetime | None = None) -> Record:
    stamp = isotime(at or now())
    rec: Record = {"image_id": image["id"], "member_id": member_id, "status": status,
                   "created_at": stamp, "updated_at": stamp, "schema": "/v2/schemas/member"}
    store.table("image_members")[f"{image['id']}:{member_id}"] = rec
    return rec


# --- who sees an image ---------------------------------------------------------------

def _member_status(ctx: Ctx, image: Record) -> str | None:
    rec = ctx.store.table("image_members").get(f"{image['id']}:{ctx.token.project_id}")
    return rec["status"] if rec else None


def _visible(ctx: Ctx, image: Record) -> bool:
    """Whether a member may see ``image`` at all (GET by id); admins see all."""
    return image["owner"] == ctx.token.project_id or \
        image["visibility"] in ("public", "community") or \
        (image["visibility"] == "shared" and _member_status(ctx, image) is not None)


def _listed(ctx: Ctx, image: Record, wanted: str | None, member_status: str) -> bool:
    """Whether ``image`` is in the caller's list for ``visibility=wanted``: community
    images only when asked for, shared ones once the membership has ``member_status``."""
    vis = image["visibility"]
    if wanted not in (None, "all") and vis != wanted:
        return False
    if ctx.admin or vis == "public" or image["owner"] == ctx.token.project_id:
        return True
    if vis == "community":
        return wanted in ("community", "all")
    status = _member_status(ctx, image) if vis == "shared" else None
    return status is not None and member_status in ("all", status)


# --- the collection ------------------------------------------------------------------

class Images(Collection):
    """Glance's images: the engine's list, show and delete; Glance's own create (a chosen
    id, the ``Location``), JSON-patch update and who sees what."""

    def visible_records(self, ctx: Ctx, query: Query) -> Iterable[Record]:
        q = ctx.request.query_params
        wanted = q.get("visibility")
        if wanted is not None and wanted not in (*VISIBILITIES, "all"):
            raise GLANCE.bad(f"Invalid visibility value: {wanted}")
        member_status = q.get("member_status", "accepted")
        if member_status not in ("pending", "accepted", "rejected", "all"):
            raise GLANCE.bad(f"Invalid status value: {member_status}")
        hidden = query_bool(ctx.request, "os_hidden")
        settle(ctx.store)
        return (i for i in self.records(ctx.store).values()
                if i["os_hidden"] == hidden and _listed(ctx, i, wanted, member_status))

    def get(self, ctx: Ctx, ident: str) -> Record:
        settle(ctx.store)
        return super().get(ctx, ident)

    @staticmethod
    def finish_new(image: Record) -> None:
        """A new record's links (the engine made its id)."""
        image.update(_links(image["id"]))

    def vet(self, ctx: Ctx, body: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
        """``body``'s attributes checked against the fields, free properties as strings,
        ``owner`` and ``public`` for admins only, tags once each."""
        values = check_body(GLANCE, FIELDS, body, create=create, extra=lambda _k: True)
        for key, value in values.items():
            if key not in FIELDS and not isinstance(value, str):
                raise GLANCE.invalid(key, value, "type", detail="is not a valid string")
        if "owner" in values and not ctx.admin:
            raise ApiError(403, "Attribute 'owner' can only be changed by an administrator.")
        if values.get("visibility") == "public" and not ctx.admin:
            raise ApiError(403, "You are not authorized to complete publicize_image action.")
        if "tags" in values:
            values["tags"] = list(dict.fromkeys(values["tags"]))
        return values

    async def create(self, request: Request) -> Response:
        ctx = Ctx.of(request)
        body = await self.body(request)
        iid = body.pop("id", None)
        if iid is not None and (not isinstance(iid, str) or len(iid) != 36):
            raise GLANCE.bad("Provided object does not match schema 'image': "
                             f"{iid!r} does not match the uuid pattern")
        if iid in self.records(ctx.store):
            raise ApiError(409, f"Image with identifier {iid} already exists!")
        image = self.new_record(ctx, self.vet(ctx, body, create=True))
        image["id"] = iid = iid or image["id"]
        image.update(_links(iid))
        self.records(ctx.store)[iid] = image
        return json_response(self.render(ctx, image), 201, headers={
            "Location": f"{request.base_url}image/v2/images/{iid}"})

    async def update(self, request: Request) -> Response:
        """JSON-patch, one operation after the other: ``replace`` and ``remove`` need the
        key to exist (409), declared keys cannot be removed (403)."""
        ctx = Ctx.of(request)
        image = self.get(ctx, request.path_params["id"])
        ctype = request.headers.get("content-type", "").split(";")[0].strip()
        if ctype not in PATCH_TYPES:
            raise ApiError(415, f"Unsupported Content-Type: {ctype or 'none'}",
                           headers={"Accept-Patch": ", ".join(PATCH_TYPES)})
        self.may_change(ctx, image, "update")
        ops = await json_body(request)
        json_patch(GLANCE, ops)  # the shape of every operation
        staged = dict(image)
        for op in ops:
            key = op["path"][1:]
            if "/" in key:
                raise GLANCE.bad(f"Invalid JSON pointer for this resource: '{op['path']}'")
            if op["op"] != "add" and key not in staged and key not in FIELDS:
                raise ApiError(409, f"Property {key} does not exist.")
            if op["op"] == "remove":
                if key in FIELDS:
                    raise GLANCE.invalid(key, None, "read_only")
                del staged[key]
            else:
                staged.update(self.vet(ctx, {key: op["value"]}, create=False))
        staged["updated_at"] = GLANCE.stamp()
        image.clear()
        image.update(staged)
        return json_response(self.render(ctx, image))

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["protected"]:
            raise ApiError(403, f"Image {record['id']} is protected and cannot be deleted.")
        members = ctx.store.table("image_members")
        for key in [k for k in members if k.startswith(record["id"] + ":")]:
            members.pop(key)
        for kept in ("data", "staging"):
            payload.blobs(ctx.store, kept).pop(record["id"], None)
        ctx.store.table("image_cache").pop(record["id"], None)


IMAGES = Images(
    "image", "images", GLANCE, fields=FIELDS, project_key="owner", visibility=_visible,
    filters={"tag": Filter("all", key="tags"), "size_min": Filter("min", key="size"),
             "size_max": Filter("max", key="size"), "created_at": Filter("range"),
             "updated_at": Filter("range")},
    rules={"update": "modify", "delete": "delete", "upload": "upload data to"},
    free_form=True, update_methods=("PATCH",))


# --- Glance's own endpoints ----------------------------------------------------------

async def image_action(request: Request) -> Response:
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    action = request.path_params["action"]
    if action not in ("deactivate", "reactivate"):
        raise ApiError(404, "The resource could not be found.")
    admin_only(ctx, action)
    if image["status"] not in ("active", "deactivated"):
        raise ApiError(403, f"Not allowed to {action} image in status '{image['status']}'")
    image["status"] = "deactivated" if action == "deactivate" else "active"
    image["updated_at"] = GLANCE.stamp()
    return json_response(None, 204)


async def tag(request: Request) -> Response:
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    IMAGES.may_change(ctx, image, "update")
    value = request.path_params["tag"]
    if request.method == "PUT":
        if len(value) > 255:
            raise GLANCE.bad("Tag is too long (max 255 characters).")
        if value not in image["tags"]:
            image["tags"].append(value)
    elif value in image["tags"]:
        image["tags"].remove(value)
    else:
        raise ApiError(404, f"Tag {value} not found.")
    image["updated_at"] = GLANCE.stamp()
    return json_response(None, 204)


