"""A volume's metadata (``/volumes/{id}/metadata``) and the volumes' summary (3.12).

Metadata is the volume record's own ``metadata``: what a volume show and the
``metadata={…}`` filter read. ``POST`` merges, ``PUT`` replaces, ``PUT …/{key}`` sets one
key (the body names it, alone), ``DELETE …/{key}`` removes one. The volume's owner (or an
admin) may change it, not while the volume is in ``maintenance``. The summary counts the
caller's volumes (every project's with ``all_tenants`` for an admin) and, from 3.36, the
values each metadata key takes.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, both, cinder_time, mv
from .extra import VOLUMES

__all__ = ["routes"]


def _pairs(doc: Any, key: str) -> dict[str, str]:
    """The ``metadata`` (or ``meta``) mapping of a body: texts of 1–255 characters."""
    if not isinstance(doc, dict) or not isinstance(doc.get(key), dict):
        raise CINDER.bad("Malformed request body")
    pairs: dict[str, str] = doc[key]
    for name, value in pairs.items():
        if not isinstance(value, str) or not name or len(name) > 255 or len(value) > 255:
            raise CINDER.bad(f"Invalid input for field/attribute {key}. Value: {pairs!r}. "
                             f"{value!r} is not of type 'string' or is longer than 255")
    return pairs


def _writable(ctx: Ctx, vol: Record) -> None:
    VOLUMES.may_change(ctx, vol, "update")
    if vol["status"] == "maintenance":
        raise CINDER.bad(f"Invalid volume: Volume {vol['id']} is in maintenance; its "
                         "metadata cannot be changed.")


def _missing(vol: Record, key: str) -> ApiError:
    return ApiError(404, f"Volume {vol['id']} has no metadata with key {key}.")


async def metadata(request: Request) -> Response:
    """``GET`` (read), ``POST`` (merge), ``PUT`` (replace) a volume's metadata."""
    ctx = Ctx.of(request)
    vol = VOLUMES.get(ctx, request.path_params["id"])
    if request.method == "GET":
        return http.json_response({"metadata": dict(vol["metadata"])})
    _writable(ctx, vol)
    pairs = _pairs(await http.json_body(request), "metadata")
    if request.method == "PUT":
        vol["metadata"] = dict(pairs)
    else:
        vol["metadata"].update(pairs)
    vol["updated_at"] = cinder_time()
    return http.json_response({"metadata": dict(vol["metadata"])})


async def metadata_item(request: Request) -> Response:
    """``GET``, ``PUT`` and ``DELETE`` one key."""
    ctx = Ctx.of(request)
    vol = VOLUMES.get(ctx, request.path_params["id"])
    key = request.path_params["key"]
    if request.method == "GET":
        if key not in vol["metadata"]:
            raise _missing(vol, key)
        return http.json_response({"meta": {key: vol["metadata"][key]}})
    _writable(ctx, vol)
    if request.method == "DELETE":
        if key not in vol["metadata"]:
            raise _missing(vol, key)
        del vol["metadata"][key]
        vol["updated_at"] = cinder_time()
        return http.json_response(None, 200)
    pairs = _pairs(await http.json_body(request), "meta")
    if len(pairs) > 1:
        raise CINDER.bad("Request body contains too many items")
    if key not in pairs:
        raise CINDER.bad("Request body and URI mismatch")
    vol["metadata"][key] = pairs[key]
    vol["updated_at"] = cinder_time()
    return http.json_response({"meta": {key: pairs[key]}})


async def summary(request: Request) -> Response:
    """Count and size of the caller's volumes; the values of their metadata (3.36)."""
    version = mv(request)
    if version < (3, 12):
        raise ApiError(404, "Volume summary could not be found.")
    ctx = Ctx.of(request)
    wanted = http.query_bool(request, "all_tenants")
    if wanted and not ctx.admin:
        raise CINDER.forbidden("volume:get_volume_summary with all_tenants")
    project = ctx.token.project_id
    volumes = [v for v in VOLUMES.records(ctx.store).values()
               if wanted or v["os-vol-tenant-attr:tenant_id"] == project]
    body: dict[str, Any] = {"total_size": sum(v["size"] for v in volumes),
                            "total_count": len(volumes)}
    if version >= (3, 36):
        values: dict[str, set[str]] = {}
        for vol in volumes:
            for key, value in (vol.get("metadata") or {}).items():
                values.setdefault(key, set()).add(value)
        body["metadata"] = {k: sorted(v) for k, v in sorted(values.items())}
    return http.json_response({"volume-summary": body})


def routes() -> list[BaseRoute]:
    return [*both("/volumes/summary", summary, ["GET"]),
            *both("/volumes/{id}/metadata", metadata, ["GET", "POST", "PUT"]),
            *both("/volumes/{id}/metadata/{key}", metadata_item, ["GET", "PUT", "DELETE"])]
