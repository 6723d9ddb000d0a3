"""Placement writes: creating, renaming and deleting resource providers, setting inventory.

As in Placement, every inventory change bumps the provider's ``generation``, and a write
that names a generation other than the current one is a 409 ``placement.concurrent_update``
(the caller read a stale view; it should read again and retry). Providers made here are
stored in table :data:`.core.MANUAL`; inventory written to a hypervisor's provider is
kept on the hypervisor record (``_rp_inventories``) and replaces the derived one. Bodies
are checked against the declared fields (:data:`.core.PROVIDERS`, :data:`.core.INVENTORY`)
in Placement's words (:data:`.core.PLACEMENT`).

Errors carry Placement's ``code`` (microversion 1.23 on) through :func:`coded`.
"""

from __future__ import annotations

import functools
import re
import uuid as uuidlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import MISSING, check_body, default_of
from ...http import ApiError, error_body, json_response, microversion
from ...store import Record, Store
from .consumers import provider_allocations
from .core import (
    INVENTORY,
    MANUAL,
    MAX_VERSION,
    MIN_VERSION,
    PLACEMENT,
    PROVIDERS,
    UNDEFINED,
    Ctx,
    PlacementError,
    generation,
    inventory,
    is_manual,
    known_class,
    rp_name,
    rp_parent,
    rp_root,
    usages,
)

__all__ = ["CONCURRENT_UPDATE", "PlacementError", "checked_inventories", "coded",
           "write_routes"]

CONCURRENT_UPDATE = "placement.concurrent_update"
DUPLICATE_NAME = "placement.duplicate_name"
INVENTORY_INUSE = "placement.inventory.inuse"
PROVIDER_IN_USE = "placement.resource_provider.inuse"
CANNOT_DELETE_PARENT = "placement.resource_provider.cannot_delete_parent"
_RC = re.compile(r"^([A-Z0-9_]+)$")
_GENERATION = "resource_provider_generation"


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


def _check_generation(rp: Record, body: Record, *, required: bool = True) -> None:
    if _GENERATION not in body:
        if required:
            raise PLACEMENT.invalid(_GENERATION, None, "required")
        return
    if body[_GENERATION] != generation(rp):
        raise PlacementError(409, "resource provider generation conflict", CONCURRENT_UPDATE)


def _inventory_record(store: Store, rp: Record, rc: str, data: Any, *,
                      generation_too: bool) -> Record:
    """One inventory from a request, checked against :data:`.core.INVENTORY` and as
    Placement's object checks do."""
    if not isinstance(data, dict):
        raise PLACEMENT.bad(f"JSON does not validate: the inventory of {rc} must be an "
                            "object.")
    values = check_body(PLACEMENT, INVENTORY, data, create=True,
                        extra=(lambda k: k == _GENERATION) if generation_too else None)
    values.pop(_GENERATION, None)
    inv: Record = {k: v for k, f in INVENTORY.items()
                   if (v := values.get(k, default_of(f))) is not MISSING}
    inv["allocation_ratio"] = float(inv["allocation_ratio"])
    if not known_class(store, rc):
        raise PLACEMENT.bad(f"Unknown resource class in inventory for resource provider "
                            f"{rp['id']}: No such resource class {rc}.")
    if (inv["total"] - inv["reserved"]) * inv["allocation_ratio"] < 0:
        raise PLACEMENT.bad(f"Unable to update inventory for resource provider {rp['id']}: "
                            f"Invalid inventory for '{rc}' on resource provider "
                            f"'{rp['id']}'. The reserved value is greater than total.")
    return inv


def checked_inventories(store: Store, rp: Record, data: dict[str, Any]) -> dict[str, Record]:
    """A whole inventory (``{rc: {total, …}}``) checked, not yet stored."""
    return {rc: _inventory_record(store, rp, rc, inv, generation_too=False)
            for rc, inv in data.items()}


def _set_inventories(store: Store, rp: Record, inventories: dict[str, Record]) -> None:
    """Replace ``rp``'s inventory; a class still in use may not go away (409)."""
    used = usages(store, rp)
    for rc in inventory(rp):
        if rc not in inventories and used.get(rc, 0) > 0:
            raise PlacementError(409, f"update conflict: Inventory for '{rc}' on resource "
                                      f"provider '{rp['id']}' in use.", INVENTORY_INUSE)
    rp["_rp_inventories"] = inventories
    rp["_generation"] = generation(rp) + 1


# --- providers -------------------------------------------------------------------------

def _provider_body(ctx: Ctx, body: Record, skip: str | None = None) -> Record:
    """A create or rename body checked: a name of 1 to 200 characters no other provider
    has, a uuid, a parent that exists (from 1.14)."""
    values = check_body(PLACEMENT, PROVIDERS.fields, body, create=True)
    if not ctx.at_least(14):  # a parent is ignored before providers had trees
        values.pop("parent_provider_uuid", None)
    name = values["name"]
    if not name:
        raise PLACEMENT.invalid("name", name, "required")
    if any(rp_name(rp) == name and rp["id"] != skip
           for rp in PROVIDERS.records(ctx.store).values()):
        raise PlacementError(409, f"Conflicting resource provider name: {name} already "
                                  "exists.", DUPLICATE_NAME)
    parent = values.get("parent_provider_uuid")
    if parent is not None and parent not in PROVIDERS.records(ctx.store):
        raise PLACEMENT.bad(f"parent provider UUID {parent} does not exist.")
    return values


async def create_provider(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:create")
    values = _provider_body(ctx, await PROVIDERS.body(request))
    uuid = values.get("uuid") or str(uuidlib.uuid4())
    providers = PROVIDERS.records(ctx.store)
    if uuid in providers:
        raise PlacementError(409, f"Conflicting resource provider uuid: {uuid} already "
                                  "exists.", DUPLICATE_NAME)
    parent = values.get("parent_provider_uuid")
    rp: Record = {"id": uuid, "name": values["name"], "_generation": 0, "_parent": parent,
                  "_root": rp_root(providers[parent]) if parent else uuid,
                  "_rp_inventories": {}, "_traits": [], "_aggregates": []}
    ctx.store.table(MANUAL)[uuid] = rp
    location = ctx.location(f"/resource_providers/{uuid}")
    if not ctx.at_least(20):
        return Response(status_code=201, headers=location)
    response = ctx.reply(PROVIDERS.render(ctx, rp))
    response.headers.update(location)
    return response


async def update_provider(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:update")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    values = _provider_body(ctx, await PROVIDERS.body(request), skip=rp["id"])
    if "parent_provider_uuid" in values and values["parent_provider_uuid"] != rp_parent(rp):
        parent = values["parent_provider_uuid"]
        failed = f"Unable to save resource provider {rp['id']}: Object action update " \
                 "failed because: "
        if rp_parent(rp) is not None or not is_manual(rp):
            raise PLACEMENT.bad(failed + "re-parenting a provider is not currently allowed.")
        above = PROVIDERS.records(ctx.store).get(parent) if parent else None
        if above is not None and rp_root(above) == rp["id"]:
            raise PLACEMENT.bad(failed + "creating loop in the provider tree is not allowed.")
        rp["_parent"] = parent
        new_root = rp_root(above) if above is not None else rp["id"]
        for other in ctx.store.table(MANUAL).values():
            if rp_root(other) == rp["id"]:
                other["_root"] = new_root
    rp["name" if is_manual(rp) else "_rp_name"] = values["name"]
    return ctx.reply(PROVIDERS.render(ctx, rp))


async def delete_provider(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:delete")
    uuid = request.path_params["id"]
    providers = PROVIDERS.records(ctx.store)
    rp = providers.get(uuid)
    if rp is None:
        raise ApiError(404, f"No resource provider with uuid {uuid} found for delete")
    if any(rp_parent(other) == uuid for other in providers.values()):
        raise PlacementError(409, f"Unable to delete parent resource provider {uuid}: It "
                                  "has child resource providers.", CANNOT_DELETE_PARENT)
    if not is_manual(rp) or provider_allocations(ctx.store, uuid):
        # A compute node's provider holds its servers' allocations (and Nova's resource
        # tracker would only make it again); any provider with allocations stays.
        raise PlacementError(409, f"Unable to delete resource provider {uuid}: Resource "
                                  f"provider has allocations.", PROVIDER_IN_USE)
    del ctx.store.table(MANUAL)[uuid]
    return Response(status_code=204)


# --- inventories ------------------------------------------------------------------------

def _inventory_reply(ctx: Ctx, rp: Record, inv: Record, status: int = 200) -> Response:
    return ctx.reply({**inv, _GENERATION: generation(rp)}, status)


async def create_inventory(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:create")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    body = await PROVIDERS.body(request)
    rc = body.pop("resource_class", None)
    if not isinstance(rc, str) or not _RC.match(rc):
        raise PLACEMENT.bad("JSON does not validate: 'resource_class' is a required "
                            "property matching '^[A-Z0-9_]+$'")
    _check_generation(rp, body, required=False)
    inv = _inventory_record(ctx.store, rp, rc, body, generation_too=True)
    current = dict(inventory(rp))
    if rc in current:
        raise PlacementError(409, f"Update conflict: Inventory for {rc} on resource provider "
                                  f"{rp['id']} already exists.", CONCURRENT_UPDATE)
    _set_inventories(ctx.store, rp, {**current, rc: inv})
    response = _inventory_reply(ctx, rp, inv, 201)
    response.headers.update(ctx.location(f"/resource_providers/{rp['id']}/inventories/{rc}"))
    return response


async def set_inventories(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:update")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    body = await PROVIDERS.body(request)
    if not isinstance(body.get("inventories"), dict):
        raise PLACEMENT.invalid("inventories", None, "required")
    _check_generation(rp, body)
    new = {rc: _inventory_record(ctx.store, rp, rc, data, generation_too=False)
           for rc, data in body["inventories"].items()}
    _set_inventories(ctx.store, rp, new)
    return ctx.reply({"inventories": new, _GENERATION: generation(rp)})


async def delete_inventories(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:delete")
    if not ctx.at_least(5):
        raise ApiError(405, "The method is not allowed for the requested URL.")
    _set_inventories(ctx.store, PROVIDERS.get(ctx, request.path_params["id"]), {})
    return Response(status_code=204)


async def update_inventory(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:update")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    rc = request.path_params["resource_class"]
    body = await PROVIDERS.body(request)
    _check_generation(rp, body)
    inv = _inventory_record(ctx.store, rp, rc, body, generation_too=True)
    current = dict(inventory(rp))
    if rc not in current:
        raise PLACEMENT.bad(f"No inventory record with resource class for resource provider "
                            f"{rp['id']}: No inventory of class {rc} found.")
    _set_inventories(ctx.store, rp, {**current, rc: inv})
    return _inventory_reply(ctx, rp, inv)


async def delete_inventory(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:delete")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    rc = request.path_params["resource_class"]
    current = dict(inventory(rp))
    if current.pop(rc, None) is None:
        raise ApiError(404, f"No inventory of class {rc} found for delete: No inventory of "
                            f"class {rc} found.")
    try:
        _set_inventories(ctx.store, rp, current)
    except PlacementError as err:
        # Placement words a class in use here as a concurrent update, not "inuse".
        raise PlacementError(409, f"Unable to delete inventory of class {rc}: "
                                  f"{err.message.removeprefix('update conflict: ')}",
                             CONCURRENT_UPDATE) from None
    return Response(status_code=204)


def write_routes() -> list[tuple[str, Any, str]]:
    """``(path, handler, method)`` of every write, relative to the placement prefix."""
    rp = "/resource_providers/{id}"
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
