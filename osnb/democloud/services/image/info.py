"""Glance's discovery (``/v2/info/…``), an image's locations and the store of one image
(``DELETE /v2/stores/{store}/{image}``).

Usage counts the caller's project's images against Glance's unified limits: the limits
are the demo's (``IMAGE_LIMITS``), the usage what the project owns and stages.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from . import payload
from .data import IMPORT_METHODS
from .formats import GLANCE, admin_only
from .images import IMAGES

__all__ = ["IMAGE_LIMITS", "add_location", "delete_from_store", "import_info",
           "list_locations", "stores", "stores_detail", "usage"]

IMAGE_LIMITS = {"image_size_total": 1000 * 1024, "image_count_total": 100,
                "image_stage_total": 10 * 1024, "image_count_uploading": 10}
"""The unified limits of every project (sizes in MiB, as Glance counts them)."""


async def import_info(request: Request) -> Response:
    Ctx.of(request)
    return json_response({"import-methods": {"description": "Import methods available.",
                                             "type": "array",
                                             "value": list(IMPORT_METHODS)}})


async def stores(request: Request) -> Response:
    Ctx.of(request)
    keep = ("id", "description", "default")
    return json_response({"stores": [{k: s[k] for k in keep if k in s}
                                     for s in payload.STORES]})


async def stores_detail(request: Request) -> Response:
    ctx = Ctx.of(request)
    admin_only(ctx, "stores_info_detail")
    return json_response({"stores": payload.STORES})


async def usage(request: Request) -> Response:
    ctx = Ctx.of(request)
    project = ctx.token.project_id
    mine = [i for i in ctx.store.table("images").values() if i["owner"] == project]
    staged = payload.blobs(ctx.store, "staging")
    mib = 1024 * 1024
    used = {"image_size_total": sum(i.get("size") or 0 for i in mine) // mib,
            "image_count_total": len(mine),
            "image_stage_total": sum(len(staged[i["id"]]) for i in mine
                                     if i["id"] in staged) // mib,
            "image_count_uploading": sum(i["status"] in ("uploading", "importing")
                                         for i in mine)}
    return json_response({"usage": {k: {"limit": IMAGE_LIMITS[k], "usage": used[k]}
                                    for k in IMAGE_LIMITS}})


def _location(store_id: str, image_id: str) -> dict[str, object]:
    kind = next((s["type"] for s in payload.STORES if s["id"] == store_id), "file")
    url = f"rbd://images/{image_id}/snap" if kind == "rbd" else \
        f"file:///var/lib/glance/images/{image_id}"
    return {"url": url, "metadata": {"store": store_id}}


async def list_locations(request: Request) -> Response:
    """Where the image's data is (the service user's, or an administrator's, view)."""
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    admin_only(ctx, "fetch_image_location")
    kept = [s for s in (image.get("stores") or "").split(",") if s]
    if not kept and image["status"] == "active" and "_locations" not in image:
        kept = [payload.DEFAULT_STORE]
    return json_response(list(image.get("_locations", [])) +
                         [_location(s, image["id"]) for s in kept])


async def add_location(request: Request) -> Response:
    """Give a queued image its data's location (a service's call: Nova, Cinder)."""
    ctx = Ctx.of(request)
    image = IMAGES.get(ctx, request.path_params["id"])
    IMAGES.may_change(ctx, image, "update")
    body = await json_body(request)
    url = body.get("url") if isinstance(body, dict) else None
    if not isinstance(url, str) or "://" not in url:
        raise GLANCE.bad("Location URL is required")
    if image["status"] != "queued":
        raise ApiError(409, "The add location API only allows image status queued")
    check = body.get("validation_data") or {}
    image["status"] = "active"
    image["_locations"] = [{"url": url, "metadata": {}}]
    for key in ("os_hash_algo", "os_hash_value", "checksum"):
        if key in check:
            image[key] = check[key]
    image["updated_at"] = GLANCE.stamp()
    return json_response(None, 202)


async def delete_from_store(request: Request) -> Response:
    """Remove an image's data from one of its stores (an administrator's)."""
    ctx = Ctx.of(request)
    admin_only(ctx, "delete_image_location")
    image = IMAGES.get(ctx, request.path_params["id"])
    store_id = request.path_params["store_id"]
    kept = [s for s in (image.get("stores") or "").split(",") if s]
    if store_id not in kept:
        raise ApiError(404, f"Image {image['id']} is not present in store {store_id}")
    if len(kept) == 1:
        raise ApiError(409, "It's not allowed to remove image data from store if it is "
                            "the only store.")
    image["stores"] = ",".join(s for s in kept if s != store_id)
    image["updated_at"] = GLANCE.stamp()
    return json_response(None, 204)
