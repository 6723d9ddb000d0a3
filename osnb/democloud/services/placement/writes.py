"""Placement writes: creating, renaming and deleting resource providers, setting inventory.

As in Placement, every inventory change bumps the provider's ``generation``, and a write
that names a generation other than the current one is a 409 ``placement.concurrent_update``
(the caller read a stale view; it should read again and retry). Providers made here are
stored in table :data:`.core.MANUAL`; inventory written to a hypervisor's provider is
kept on the hypervisor record (``_rp_inventories``) and replaces the derived one.

Errors carry Placement's ``code`` (microversion 1.23 on) through :func:`coded`.
"""

from __future__ import annotations

import functools
import re
import uuid as uuidlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...http import ApiError, error_body, json_body, json_response, microversion
from ...store import Record
from .core import (
    MANUAL,
    MAX_VERSION,
    MIN_VERSION,
    STANDARD_CLASSES,
    Ctx,
    _get_provider,
    _inventory,
    _provider,
    _usages,
    is_manual,
    rp_name,
    rp_parent,
    rp_root,
)

__all__ = ["PlacementError", "coded", "write_routes"]

CONCURRENT_UPDATE = "placement.concurrent_update"
DUPLICATE_NAME = "placement.duplicate_name"
INVENTORY_INUSE = "placement.inventory.inuse"
PROVIDER_IN_USE = "placement.resource_provider.inuse"
CANNOT_DELETE_PARENT = "placement.resource_provider.cannot_delete_parent"
UNDEFINED = "placement.undefined_code"

MAX_INT = 2147483647
_RC = re.compile(r"^([A-Z0-9_]+)$")
_INVENTORY_FIELDS = {"total": 1, "reserved": 0, "min_unit": 1, "max_unit": 1,
                     "step_size": 1}
_DEFAULTS: Record = {"reserved": 0, "min_unit": 1, "max_unit": MAX_INT, "step_size": 1,
                     "allocation_ratio": 1.0}


class PlacementError(ApiError):
    """An error with Placement's machine-readable ``code``."""

    def __init__(self, status: int, message: str, code: str = UNDEFINED) -> None:
        super().__init__(status, message)
        self.code = code


def coded(handler: Any) -> Any:
    """``handler`` with its errors rendered as Placement does: ``errors[0].code`` from
    microversion 1.23 (``placement.undefined_code`` when nothing more precise is known).
    401s are left to the app: keystonemiddleware answers those, in Keystone's format."""
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            response: Response = await handler(request)
            return response
        except ApiError as err:
            if err.status == 401:
                raise
            parsed = True
            try:
                mv = microversion(request, "placement", MIN_VERSION, MAX_VERSION)
            except ApiError:
                mv, parsed = (1, 0), False
            rid = str(request.scope.get("state", {}).get("request_id", ""))
            body = error_body("placement", err.status, err.message, request_id=rid)
            if mv >= (1, 23):
                body["errors"][0]["code"] = getattr(err, "code", UNDEFINED)
            if err.status == 406 and not parsed:
                # The version asked for is out of range: say which ones are served.
                body["errors"][0].update(max_version=MAX_VERSION, min_version=MIN_VERSION)
            return json_response(body, err.status, headers=err.headers)
    return wrapped


def _stale() -> PlacementError:
    return PlacementError(409, "resource provider generation conflict", CONCURRENT_UPDATE)


async def _object(request: Request) -> Record:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "JSON does not validate: the body must be an object.")
    return body


def _check_generation(rp: Record, body: Record, *, required: bool = True) -> None:
    if "resource_provider_generation" not in body:
        if required:
            raise ApiError(400, "JSON does not validate: 'resource_provider_generation' is "
                                "a required property")
        return
    if body["resource_provider_generation"] != int(rp.get("_generation", 1)):
        raise _stale()


def _bump(rp: Record) -> None:
    rp["_generation"] = int(rp.get("_generation", 1)) + 1


def _known_class(rc: str) -> bool:
    return rc in STANDARD_CLASSES or rc.startswith("CUSTOM_")


def _inventory_record(rp: Record, rc: str, data: Any, *, allowed: set[str]) -> Record:
    """One inventory from a request, checked as Placement's schema and object checks do."""
    if not isinstance(data, dict):
        raise ApiError(400, f"JSON does not validate: the inventory of {rc} must be an "
                            "object.")
    if "total" not in data:
        raise ApiError(400, "JSON does not validate: 'total' is a required property")
    extra = set(data) - allowed
    if extra:
        raise ApiError(400, "JSON does not validate: Additional properties are not allowed "
                            f"({', '.join(repr(k) for k in sorted(extra))} "
                            f"{'was' if len(extra) == 1 else 'were'} unexpected)")
    inv: Record = {**_DEFAULTS}
    for key, value in data.items():
        if key in _INVENTORY_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int) or \
                    not _INVENTORY_FIELDS[key] <= value <= MAX_INT:
                raise ApiError(400, f"JSON does not validate: {value!r} is not a valid "
                                    f"'{key}' (an integer from {_INVENTORY_FIELDS[key]} "
                                    f"to {MAX_INT})")
            inv[key] = value
        elif key == "allocation_ratio":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ApiError(400, f"JSON does not validate: {value!r} is not of type "
                                    "'number'")
            inv[key] = float(value)
    if not _known_class(rc):
        raise ApiError(400, f"Unknown resource class in inventory for resource provider "
                            f"{rp['id']}: No such resource class {rc}.")
    if (inv["total"] - inv["reserved"]) * inv["allocation_ratio"] < 0:
        raise ApiError(400, f"Unable to update inventory for resource provider {rp['id']}: "
                            f"Invalid inventory for '{rc}' on resource provider "
                            f"'{rp['id']}'. The reserved value is greater than total.")
    return inv


def _set_inventories(rp: Record, inventories: dict[str, Record]) -> None:
    """Replace ``rp``'s inventory; a class still in use may not go away (409)."""
    used = _usages(rp)
    for rc in _inventory(rp):
        if rc not in inventories and used.get(rc, 0) > 0:
            raise PlacementError(409, f"update conflict: Inventory for '{rc}' on resource "
                                      f"provider '{rp['id']}' in use.", INVENTORY_INUSE)
    rp["_rp_inventories"] = inventories
    _bump(rp)


def _inventory_reply(ctx: Ctx, rp: Record, inv: Record, status: int = 200) -> Response:
    body = {k: inv[k] for k in ("total", "reserved", "min_unit", "max_unit", "step_size",
                                "allocation_ratio")}
    body["resource_provider_generation"] = int(rp.get("_generation", 1))
    return ctx.reply(body, status)


# --- providers -------------------------------------------------------------------------

def _everyone(ctx: Ctx) -> list[Record]:
    return [*ctx.store.table("hypervisors").values(), *ctx.store.table(MANUAL).values()]


def _lookup(ctx: Ctx, uuid: str) -> Record | None:
    return ctx.store.table("hypervisors").get(uuid) or ctx.store.table(MANUAL).get(uuid)


def _parent_ref(ctx: Ctx, body: Record) -> str | None:
    if "parent_provider_uuid" not in body or not ctx.at_least(14):
        return None
    parent = body["parent_provider_uuid"]
    if parent is None:
        return None
    if not isinstance(parent, str) or _lookup(ctx, parent) is None:
        raise ApiError(400, f"parent provider UUID {parent} does not exist.")
    return parent


def _check_name(ctx: Ctx, body: Record, skip: str | None = None) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name or len(name) > 200:
        raise ApiError(400, "JSON does not validate: 'name' is a required property and "
                            "must be a string of 1 to 200 characters")
    if any(rp_name(rp) == name and rp["id"] != skip for rp in _everyone(ctx)):
        raise PlacementError(409, f"Conflicting resource provider name: {name} already "
                                  "exists.", DUPLICATE_NAME)
    return name


async def create_provider(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:create")
    body = await _object(request)
    name = _check_name(ctx, body)
    raw = body.get("uuid")
    try:
        uuid = str(uuidlib.UUID(raw)) if raw else str(uuidlib.uuid4())
    except (ValueError, TypeError, AttributeError):
        raise ApiError(400, f"JSON does not validate: {raw!r} is not a 'uuid'") from None
    if _lookup(ctx, uuid) is not None:
        raise PlacementError(409, f"Conflicting resource provider uuid: {uuid} already "
                                  "exists.", DUPLICATE_NAME)
    parent = _parent_ref(ctx, body)
    above = _lookup(ctx, parent) if parent else None
    root = rp_root(above) if above is not None else uuid
    rp: Record = {"id": uuid, "name": name, "_generation": 0, "_parent": parent,
                  "_root": root, "_rp_inventories": {}, "_traits": [], "_aggregates": []}
    ctx.store.table(MANUAL)[uuid] = rp
    location = {"Location": f"/placement/resource_providers/{uuid}"}
    if not ctx.at_least(20):
        return Response(status_code=201, headers=location)
    response = ctx.reply(_provider(ctx, rp))
    response.headers.update(location)
    return response


async def update_provider(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:update")
    rp = _get_provider(ctx)
    body = await _object(request)
    name = _check_name(ctx, body, skip=rp["id"])
    if ctx.at_least(14) and "parent_provider_uuid" in body and \
            body["parent_provider_uuid"] != rp_parent(rp):
        if rp_parent(rp) is not None or not is_manual(rp):
            raise ApiError(400, f"Unable to save resource provider {rp['id']}: Object "
                                "action update failed because: re-parenting a provider is "
                                "not currently allowed.")
        parent = _parent_ref(ctx, body)
        if parent is not None and rp_root(_lookup(ctx, parent) or {"id": parent}) == rp["id"]:
            raise ApiError(400, f"Unable to save resource provider {rp['id']}: Object "
                                "action update failed because: creating loop in the "
                                "provider tree is not allowed.")
        rp["_parent"] = parent
        above = _lookup(ctx, parent) if parent else None
        new_root = rp_root(above) if above is not None else rp["id"]
        for other in ctx.store.table(MANUAL).values():
            if rp_root(other) == rp["id"]:
                other["_root"] = new_root
    if is_manual(rp):
        rp["name"] = name
    else:
        rp["_rp_name"] = name
    return ctx.reply(_provider(ctx, rp))


async def delete_provider(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:delete")
    uuid = request.path_params["uuid"]
    rp = _lookup(ctx, uuid)
    if rp is None:
        raise ApiError(404, f"No resource provider with uuid {uuid} found for delete")
    if any(rp_parent(other) == uuid for other in _everyone(ctx)):
        raise PlacementError(409, f"Unable to delete parent resource provider {uuid}: It "
                                  "has child resource providers.", CANNOT_DELETE_PARENT)
    if not is_manual(rp):
        # A compute node's provider: it holds its servers' allocations, and Nova's
        # resource tracker would only make it again.
        raise PlacementError(409, f"Unable to delete resource provider {uuid}: Resource "
                                  f"provider has allocations.", PROVIDER_IN_USE)
    del ctx.store.table(MANUAL)[uuid]
    return Response(status_code=204)


# --- inventories ------------------------------------------------------------------------

async def create_inventory(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:create")
    rp = _get_provider(ctx)
    body = await _object(request)
    rc = body.get("resource_class")
    if not isinstance(rc, str) or not _RC.match(rc):
        raise ApiError(400, "JSON does not validate: 'resource_class' is a required "
                            "property matching '^[A-Z0-9_]+$'")
    _check_generation(rp, body, required=False)
    data = {k: v for k, v in body.items() if k != "resource_class"}
    inv = _inventory_record(rp, rc, data, allowed=set(_DEFAULTS) | {
        "total", "resource_provider_generation"})
    current = dict(_inventory(rp))
    if rc in current:
        raise PlacementError(409, f"Update conflict: Inventory for {rc} on resource provider "
                                  f"{rp['id']} already exists.", CONCURRENT_UPDATE)
    current[rc] = inv
    _set_inventories(rp, current)
    response = _inventory_reply(ctx, rp, inv, 201)
    response.headers["Location"] = \
        f"/placement/resource_providers/{rp['id']}/inventories/{rc}"
    return response


async def set_inventories(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:update")
    rp = _get_provider(ctx)
    body = await _object(request)
    if not isinstance(body.get("inventories"), dict):
        raise ApiError(400, "JSON does not validate: 'inventories' is a required property")
    _check_generation(rp, body)
    new = {rc: _inventory_record(rp, rc, data, allowed=set(_DEFAULTS) | {"total"})
           for rc, data in body["inventories"].items()}
    _set_inventories(rp, new)
    return ctx.reply({"inventories": new,
                      "resource_provider_generation": int(rp["_generation"])})


async def delete_inventories(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:delete")
    if not ctx.at_least(5):
        raise ApiError(405, "The method is not allowed for the requested URL.")
    rp = _get_provider(ctx)
    _set_inventories(rp, {})
    return Response(status_code=204)


async def update_inventory(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:update")
    rp = _get_provider(ctx)
    rc = request.path_params["resource_class"]
    body = await _object(request)
    _check_generation(rp, body)
    inv = _inventory_record(rp, rc, body, allowed=set(_DEFAULTS) | {
        "total", "resource_provider_generation"})
    current = dict(_inventory(rp))
    if rc not in current:
        raise ApiError(400, f"No inventory record with resource class for resource provider "
                            f"{rp['id']}: No inventory of class {rc} found.")
    current[rc] = inv
    _set_inventories(rp, current)
    return _inventory_reply(ctx, rp, inv)


async def delete_inventory(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:delete")
    rp = _get_provider(ctx)
    rc = request.path_params["resource_class"]
    current = dict(_inventory(rp))
    if rc not in current:
        raise ApiError(404, f"No inventory of class {rc} found for delete: No inventory of "
                            f"class {rc} found.")
    del current[rc]
    try:
        _set_inventories(rp, current)
    except PlacementError as err:
        raise PlacementError(409, f"Unable to delete inventory of class {rc}: "
                                  f"{err.message.removeprefix('update conflict: ')}",
                             INVENTORY_INUSE) from None
    return Response(status_code=204)


def write_routes() -> list[tuple[str, Any, str]]:
    """``(path, handler, method)`` of every write, relative to the placement prefix."""
    rp = "/resource_providers/{uuid}"
    return [
        ("/resource_providers", create_provider, "POST"),
        (rp, update_provider, "PUT"),
        (rp, delete_provider, "DELETE"),
        (rp + "/inventories", create_inventory, "POST"),
        (rp + "/inventories", set_inventories, "PUT"),
        (rp + "/inventories", delete_inventories, "DELETE"),
        (rp + "/inventories/{resource_class}", update_inventory, "PUT"),
        (rp + "/inventories/{resource_class}", delete_inventory, "DELETE"),
    ]
