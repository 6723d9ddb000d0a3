"""An image's data: upload (``PUT /file``), download (``GET /file``), staging
(``PUT /stage``) and the interoperable import (``POST /import``).

Upload takes the bytes at once (queued -> active); staging keeps them aside (queued ->
uploading) for a ``glance-direct`` import; an import makes the image ``importing`` and an
``api_image_import`` task that finishes it (:mod:`.tasks`). A download streams the bytes
kept, in chunks, honouring ``Range``; each full download of an image is counted in the
image cache (``/v2/cache``, as Glance's cache middleware keeps what it served).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ...store import Record
from . import payload
from .formats import GLANCE, admin_only
from .images import IMAGES
from .tasks import fetched, new_task, task_view

__all__ = ["CACHE_MAX", "CHUNK", "IMPORT_METHODS", "cache_clear", "cache_image", "cache_list",
           "cache_prune", "download", "image_tasks", "import_image",
           "stage", "upload"]

IMPORT_METHODS = ("glance-direct", "web-download", "copy-image")
CHUNK = 64 * 1024


def _octets(request: Request) -> None:
    """Glance's deserializer takes only octet-streams (before anything else is looked at)."""
    ctype = request.headers.get("content-type", "application/octet-stream").split(";")[0]
    if ctype != "application/octet-stream":
        raise ApiError(415, f"Unsupported Content-Type: {ctype}")


async def _read(request: Request, image: Record) -> bytes:
    chunks = [chunk async for chunk in request.stream()]
    return b"".join(chunks)


def _writable(ctx: Ctx, request: Request, target: str) -> Record:
    _octets(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    IMAGES.may_change(ctx, image, "upload")
    if image["status"] != "queued":
        raise ApiError(409, f"Image status transition from {image['status']} to {target} "
                            "is not allowed")
    return image


async def upload(request: Request) -> Response:
    """Take the image data: the image becomes ``active`` with its size and hashes."""
    ctx = Ctx.of(request)
    image = _writable(ctx, request, "saving")
    if image["disk_format"] is None or image["container_format"] is None:
        raise GLANCE.bad("Properties disk_format, container_format must be set prior to "
                         "saving data.")
    data = await _read(request, image)
    payload.check_format(image, data)
    payload.keep(ctx.store, image, data)
    return json_response(None, 204)


async def stage(request: Request) -> Response:
    """Keep the data aside for a ``glance-direct`` import: the image is ``uploading``."""
    ctx = Ctx.of(request)
    image = _writable(ctx, request, "uploading")
    data = await _read(request, image)
    payload.blobs(ctx.store, "staging")[image["id"]] = data
    image["status"], image["updated_at"] = "uploading", GLANCE.stamp()
    return json_response(None, 204)


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a ``bytes=`` range, or None for all; 416 when
    it asks for nothing the image has."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first:
            start, end = int(first), (int(last) + 1 if last else size)
        else:
            start, end = max(size - int(last), 0), size
    except ValueError:
        return None
    if start >= size or start >= end:
        raise ApiError(416, "Requested range not satisfiable")
    return start, min(end, size)


async def download(request: Request) -> Response:
    """Stream the image's bytes (a deactivated image's only to an administrator)."""
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    if image["status"] == "deactivated" and not ctx.admin:
        raise ApiError(403, "The requested image has been deactivated. Image data "
                            "download is forbidden.")
    data = payload.blobs(ctx.store, "data").get(image["id"])
    if data is None:
        return Response(status_code=204)
    span = _range(request.headers.get("range"), len(data))
    start, end = span or (0, len(data))
    headers = {"Content-Length": str(end - start)}
    if image.get("checksum"):
        headers["Content-MD5"] = image["checksum"]
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(data)}"
    else:
        _cached(ctx, image)

    async def chunks() -> AsyncIterator[bytes]:
        for at in range(start, end, CHUNK):
            yield data[at:min(at + CHUNK, end)]
    return StreamingResponse(chunks(), status_code=206 if span else 200, headers=headers,
                             media_type="application/octet-stream")


def _cached(ctx: Ctx, image: Record) -> None:
    if image["id"] in _queued(ctx):
        _queued(ctx).remove(image["id"])
    cache = ctx.store.table("image_cache")
    entry = cache.setdefault(image["id"], {"image_id": image["id"], "hits": -1,
                                           "last_modified": time.time(),
                                           "size": image.get("size") or 0})
    entry["hits"] += 1
    entry["last_accessed"] = time.time()


CACHE_MAX = 20 * 1024 ** 3
"""The cache's size beyond which a prune removes the least recently used images."""


def _queued(ctx: Ctx) -> list[str]:
    queue: list[str] = ctx.store.meta.setdefault("_glance_cache_queue", [])
    return queue


async def cache_list(request: Request) -> Response:
    """The images the cache holds and those queued for it (an administrator's view)."""
    ctx = Ctx.of(request)
    admin_only(ctx, "cache_list")
    return json_response({"cached_images": list(ctx.store.table("image_cache").values()),
                          "queued_images": list(_queued(ctx))})


async def cache_image(request: Request) -> Response:
    """``PUT /v2/cache/{id}`` queues an active image for the prefetcher; ``DELETE`` drops
    it from the cache."""
    ctx = Ctx.of(request)
    admin_only(ctx, "cache_image" if request.method == "PUT" else "cache_delete")
    image = IMAGES.get(ctx, request.path_params["id"])
    if request.method == "DELETE":
        ctx.store.table("image_cache").pop(image["id"], None)
        return json_response(None, 204)
    if image["status"] != "active":
        raise GLANCE.bad("Only images with status active can be targeted for queueing")
    if image["id"] not in _queued(ctx) and image["id"] not in ctx.store.table("image_cache"):
        _queued(ctx).append(image["id"])
    return json_response(None, 202)


async def cache_clear(request: Request) -> Response:
    """``DELETE /v2/cache``: the cache, the queue or both (``x-image-cache-clear-target``)."""
    ctx = Ctx.of(request)
    admin_only(ctx, "cache_delete")
    target = request.headers.get("x-image-cache-clear-target", "both").lower() or "both"
    if target not in ("cache", "queue", "both"):
        raise GLANCE.bad(f"If header 'x-image-cache-clear-target' is provided, it must "
                         f"be 'cache' or 'queue' (got '{target}')")
    if target in ("cache", "both"):
        ctx.store.table("image_cache").clear()
    if target in ("queue", "both"):
        _queued(ctx).clear()
    return json_response(None, 204)


async def cache_prune(request: Request) -> Response:
    """Remove the least recently used images until the cache is within ``CACHE_MAX``."""
    ctx = Ctx.of(request)
    admin_only(ctx, "cache_delete")
    cache = ctx.store.table("image_cache")
    total = sum(e["size"] for e in cache.values())
    files = freed = 0
    for entry in sorted(cache.values(), key=lambda e: e["last_accessed"]):
        if total - freed <= CACHE_MAX:
            break
        cache.pop(entry["image_id"])
        files, freed = files + 1, freed + entry["size"]
    return json_response({"total_files_pruned": files, "total_bytes_pruned": freed})


def _stores(body: dict[str, Any], image: Record) -> list[str]:
    known = [s["id"] for s in payload.STORES]
    if body.get("all_stores"):
        if "stores" in body:
            raise GLANCE.bad("All_stores parameter can't be used with x-image-meta-store "
                             "header or stores parameter")
        return known
    stores = body.get("stores") or [payload.DEFAULT_STORE]
    if not isinstance(stores, list):
        raise GLANCE.bad("Stores must be a list of store ids.")
    for name in stores:
        if name not in known:
            raise GLANCE.bad(f"Unknown scheme '{name}' found in URI")
    return list(dict.fromkeys(stores))


async def import_image(request: Request) -> Response:
    """Start an interoperable import: the image is ``importing`` until its task is done.

    ``glance-direct`` takes the staged data, ``web-download`` the ``uri``'s (the demo
    cloud reaches no network: :func:`.tasks.fetched`), ``copy-image`` an active image's
    data into more stores.
    """
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    body = await json_body(request)
    method = body.get("method") if isinstance(body, dict) else None
    name = method.get("name") if isinstance(method, dict) else None
    if name not in IMPORT_METHODS:
        raise GLANCE.bad(f"Import method {name} is not valid for this cloud; valid "
                         f"methods are {', '.join(IMPORT_METHODS)}")
    stores = _stores(body, image)
    if name == "copy-image":
        admin_only(ctx, "copy_image")
        if image["status"] != "active":
            raise ApiError(409, "Image status must be 'active' to copy it to other stores")
        have = (image.get("stores") or "").split(",")
        stores = [s for s in stores if s not in have]
        work: dict[str, Any] = {"stores": stores}
    else:
        IMAGES.may_change(ctx, image, "upload")
        if image["disk_format"] is None or image["container_format"] is None:
            raise GLANCE.bad("'disk_format' needs to be set before import")
        if name == "glance-direct":
            if image["status"] != "uploading":
                raise ApiError(409, "Image needs to be staged before 'glance-direct' "
                                    "method can be used")
            data = payload.blobs(ctx.store, "staging").get(image["id"], b"")
        else:
            if image["status"] != "queued":
                raise ApiError(409, "Image needs to be in 'queued' state to use "
                                    "'web-download' method")
            uri = method.get("uri") if isinstance(method, dict) else None
            if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
                raise GLANCE.bad("URI for web-download does not pass filtering: "
                                 f"{uri}")
            data = fetched(uri, image["disk_format"])
        payload.check_format(image, data)
        payload.blobs(ctx.store, "staging").pop(image["id"], None)
        work = {"data": data, "stores": stores}
        image["status"] = "importing"
    image["updated_at"] = GLANCE.stamp()
    new_task(ctx.store, owner=image["owner"], kind="api_image_import",
             input={"image_id": image["id"], "import_req": body, "backend": stores},
             image_id=image["id"], user_id=ctx.token.user_id, work=work)
    ctx.store.meta["_glance_busy"] = True
    return json_response(None, 202)


async def image_tasks(request: Request) -> Response:
    """The import tasks of one image, newest first."""
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    tasks = [task_view(t) for t in ctx.store.table("tasks").values()
             if t.get("_image_id") == image["id"] and t["type"] == "api_image_import"]
    tasks.sort(key=lambda t: t["created_at"], reverse=True)
    return json_response({"tasks": tasks})
