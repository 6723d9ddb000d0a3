"""Volume and snapshot metadata (``/volumes/{id}/metadata``, ``/snapshots/{id}/metadata``)
and the volumes' summary (3.12).

Metadata is the record's own ``metadata``: what a show and the ``metadata={…}`` filter
read. ``POST`` merges, ``PUT`` replaces, ``PUT …/{key}`` sets one key (the body names it,
alone), ``DELETE …/{key}`` removes one. The owner (or an admin) may change it, not while
a volume is in ``maintenance``. The summary counts the
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
from ._dialect import CINDER, Cinder, Handler, both, cinder_time, mv
from .extra import SNAPSHOTS, VOLUMES

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


def _writable(ctx: Ctx, coll: Cinder, vol: Record) -> None:
    coll.may_change(ctx, vol, "update")
    if vol["status"] == "maintenance":
        raise CINDER.bad(f"Invalid volume: Volume {vol['id']} is in maintenance; its "
                         "metadata cannot be changed.")


def _missing(word: str, vol: Record, key: str) -> ApiError:
    return ApiError(404, f"{word} {vol['id']} has no metadata with key {key}.")


def _endpoints(coll: Cinder, word: str) -> tuple[Handler, Handler]:
    """The metadata handlers of ``coll``'s records (``word`` names them in errors)."""
    async def many(request: Request) -> Response:
        return await metadata(request, coll)

    async def one(request: Request) -> Response:
        return await metadata_item(request, coll, word)
    return many, one


async def metadata(request: Request, coll: Cinder) -> Response:
    """``GET`` (read), ``POST`` (merge), ``PUT`` (replace) the metadata."""
    ctx = Ctx.of(request)
    vol = coll.get(ctx, request.path_params["id"])
    if request.method == "GET":
        return http.json_response({"metadata": dict(vol["metadata"])})
    _writable(ctx, coll, vol)
    pairs = _pairs(await http.json_body(request), "metadata")
    if request.method == "PUT":
        vol["metadata"] = dict(pairs)
    else:
        vol["metadata"].update(pairs)
    vol["updated_at"] = cinder_time()
    return http.json_response({"metadata": dict(vol["metadata"])})


async def metadata_item(request: Request, coll: Cinder, word: str) -> Response:
    """``GET``, ``PUT`` and ``DELETE`` one key."""
    ctx = Ctx.of(request)
    vol = coll.get(ctx, request.path_params["id"])
    key = request.path_params["key"]
    if request.method == "GET":
        if key not in vol["metadata"]:
            raise _missing(word, vol, key)
        return http.json_response({"meta": {key: vol["metadata"][key]}})
    _writable(ctx, coll, vol)
    if request.method == "DELETE":
        if key not in vol["metadata"]:
            raise _missing(word, vol, key)
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
    out = both("/volumes/summary", summary, ["GET"])
    for coll, word in ((VOLUMES, "Volume"), (SNAPSHOTS, "Snapshot")):
        many, one = _endpoints(coll, word)
        out += both(f"/{coll.path}/{{id}}/metadata", many, ["GET", "POST", "PUT"])
        out += both(f"/{coll.path}/{{id}}/metadata/{{key}}", one, ["GET", "PUT", "DELETE"])
    return out
