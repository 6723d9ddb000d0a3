"""Placement's allocations: ``/allocations/{consumer}``, ``POST /allocations``, ``/usages``,
``/reshaper``, and Nova's ``allocation.*`` topics.

A write replaces what each named consumer holds, all or nothing, after Placement's
checks in Placement's order: the body against the microversion's schema, each consumer's
generation (from 1.28: a stale one, or any for a consumer that does not exist yet, is a
409 ``placement.concurrent_update``), the providers (a 400 for one that does not exist),
the resource classes (400), then every provider's inventory: a class it has no inventory
of, an amount outside ``min_unit``/``max_unit``/``step_size``, or more than its capacity
after the other consumers' usage is a 409 (a change that leaves an over-committed
provider no worse is let through, as Placement does). Each provider written to gets a new
generation, each consumer too; a consumer left with nothing ends. The records live in
:mod:`.consumers`, which every usage read sums.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...http import ApiError
from ...store import Record, Store
from ...world import ALLOCATION_DELETE, ALLOCATION_MOVE, ALLOCATION_SET, host_index
from . import consumers
from .core import (
    PLACEMENT,
    PROVIDERS,
    Ctx,
    capacity,
    generation,
    inventory,
    known_class,
)
from .writes import CONCURRENT_UPDATE, PlacementError, checked_inventories

__all__ = ["routes", "wire"]

_UUID = re.compile(r"^[0-9a-fA-F-]{36}$")
_NAME = re.compile(r"^[A-Z0-9_]+$")
Spec = dict[str, Any]
"""One consumer's part of a write: ``allocations`` ({rp: {rc: n}}), ``project_id``,
``user_id``, ``consumer_generation`` (absent before 1.28), ``consumer_type``."""


def _invalid(why: str) -> ApiError:
    return PLACEMENT.bad(f"JSON does not validate: {why}")


def _resources(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not value:
        raise _invalid(f"{value!r} does not have enough properties")
    for rc, amount in value.items():
        if not _NAME.match(rc):
            raise _invalid(f"Additional properties are not allowed ({rc!r} was unexpected)")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise _invalid(f"{amount!r} is not a valid amount of {rc} (an integer from 1)")
    return dict(value)


_SPEC_KEYS = ((0, "allocations", True), (8, "project_id", True), (8, "user_id", True),
              (28, "consumer_generation", True), (34, "mappings", False),
              (38, "consumer_type", True))
"""A consumer's keys: the microversion that added each, and whether it is required."""


def read_spec(ctx: Ctx, body: Any, *, deletable: bool) -> Spec:
    """One consumer's body checked against the microversion's schema."""
    if not isinstance(body, dict):
        raise _invalid(f"{body!r} is not of type 'object'")
    keys = {key: required for minor, key, required in _SPEC_KEYS if ctx.at_least(minor)}
    extra = sorted(k for k in body if k not in keys)
    if extra:
        raise PLACEMENT.unknown(extra)
    for key in (k for k, required in keys.items() if required):
        if key not in body:
            raise _invalid(f"'{key}' is a required property")
    raw = body["allocations"]
    allocations: dict[str, dict[str, int]] = {}
    if not ctx.at_least(12):
        if not isinstance(raw, list) or not raw:
            raise _invalid(f"{raw!r} is not a non-empty 'array'")
        for item in raw:
            rp = (item.get("resource_provider") or {}).get("uuid") \
                if isinstance(item, dict) else None
            if not isinstance(rp, str) or not _UUID.match(rp):
                raise _invalid(f"{item!r}: 'resource_provider' with a 'uuid' is required")
            allocations[rp] = _resources(item.get("resources"))
    else:
        if not isinstance(raw, dict) or (not raw and not deletable):
            raise _invalid(f"{raw!r} does not have enough properties")
        for rp, part in raw.items():
            if not _UUID.match(rp):
                raise _invalid(f"Additional properties are not allowed ({rp!r} was "
                               "unexpected)")
            if not isinstance(part, dict) or "resources" not in part:
                raise _invalid("'resources' is a required property")
            if set(part) - {"resources", "generation"}:
                raise PLACEMENT.unknown(sorted(set(part) - {"resources", "generation"}))
            allocations[rp] = _resources(part["resources"])
    for key in ("project_id", "user_id"):
        value = body.get(key)
        if key in body and not (isinstance(value, str) and 1 <= len(value) <= 255):
            raise _invalid(f"{value!r} is not a valid '{key}' (a string of 1 to 255 "
                           "characters)")
    gen = body.get("consumer_generation")
    if gen is not None and (isinstance(gen, bool) or not isinstance(gen, int)):
        raise _invalid(f"{gen!r} is not of type 'integer', 'null'")
    ctype = body.get("consumer_type")
    if "consumer_type" in body and not (isinstance(ctype, str) and _NAME.match(ctype)):
        raise _invalid(f"{ctype!r} does not match '^[A-Z0-9_]+$'")
    spec: Spec = {"allocations": allocations, "project_id": body.get("project_id"),
                  "user_id": body.get("user_id"), "consumer_type": ctype}
    if ctx.at_least(28):
        spec["consumer_generation"] = gen
    return spec


def check_consumer(ctx: Ctx, consumer_id: str, spec: Spec) -> None:
    """From 1.28 the consumer's generation must be the current one (null: a new one)."""
    if "consumer_generation" not in spec:
        return
    current = consumers.consumer(ctx.store, consumer_id)
    given = spec["consumer_generation"]
    if current is not None and current["generation"] != given:
        raise PlacementError(409, f"consumer generation conflict - expected "
                                  f"{current['generation']} but got {given}",
                             CONCURRENT_UPDATE)
    if current is None and given is not None:
        raise PlacementError(409, f"consumer generation conflict - expected null but got "
                                  f"{given}", CONCURRENT_UPDATE)


def _check_providers(ctx: Ctx, specs: dict[str, Spec], no_class: str) -> None:
    providers = PROVIDERS.records(ctx.store)
    for spec in specs.values():
        for rp, resources in spec["allocations"].items():
            if rp not in providers:
                raise ApiError(400, f"Allocation for resource provider '{rp}' that does not "
                                    "exist.")
            for rc in resources:
                if not known_class(ctx.store, rc):
                    raise ApiError(400, f"{no_class}No such resource class {rc}.")


def check_capacity(store: Store, specs: dict[str, Spec],
                   inventories: dict[str, dict[str, Record]] | None = None) -> None:
    """Every provider can hold what ``specs`` give it beside the other consumers'
    (``inventories``: the providers' inventories as a reshape will leave them)."""
    providers = PROVIDERS.records(store)
    touched = {rp for spec in specs.values() for rp in spec["allocations"]}
    others = consumers.usage_on(store, touched, without=frozenset(specs))
    before = consumers.usage_on(store, touched)
    asked: dict[tuple[str, str], int] = {}
    for spec in specs.values():
        for rp, resources in spec["allocations"].items():
            for rc, amount in resources.items():
                asked[(rp, rc)] = asked.get((rp, rc), 0) + amount
    for spec in specs.values():
        for rp, resources in spec["allocations"].items():
            invs = (inventories or {}).get(rp)
            invs = inventory(providers[rp]) if invs is None else invs
            for rc, amount in resources.items():
                inv = invs.get(rc)
                if inv is None:
                    raise PlacementError(409, f"Unable to allocate inventory: Inventory for "
                                              f"'{rc}' on resource provider '{rp}' invalid.")
                if not inv["min_unit"] <= amount <= inv["max_unit"] or \
                        amount % inv["step_size"]:
                    raise PlacementError(409, f"Unable to allocate inventory: Unable to create "
                                              f"allocation for '{rc}' on resource provider "
                                              f"'{rp}'. The requested amount would violate "
                                              "inventory constraints.")
                after = others.get(rp, {}).get(rc, 0) + asked[(rp, rc)]
                if after > capacity(inv) and after > before.get(rp, {}).get(rc, after - 1):
                    raise PlacementError(409, f"Unable to allocate inventory: Unable to create "
                                              f"allocation for '{rc}' on resource provider "
                                              f"'{rp}'. The requested amount would exceed "
                                              "the capacity.")


def apply(store: Store, specs: dict[str, Spec]) -> None:
    """Write checked ``specs``: each consumer replaced, each provider written to (and
    each one a consumer leaves by ``allocations: {}``) a generation newer."""
    providers = PROVIDERS.records(store)
    touched: set[str] = set()
    for cid, spec in specs.items():
        current = consumers.consumer(store, cid)
        touched |= set(spec["allocations"]) or set((current or {}).get("allocations", {}))
        ctype = spec.get("consumer_type") or (current or {}).get("consumer_type")
        consumers.set_allocations(store, cid, spec["allocations"],
                                  project_id=spec.get("project_id"),
                                  user_id=spec.get("user_id"), consumer_type=ctype)
    for rp in touched:
        if rp in providers:
            providers[rp]["_generation"] = generation(providers[rp]) + 1


# --- handlers --------------------------------------------------------------------------

def _consumer_view(ctx: Ctx, record: Record | None) -> Record:
    if record is None:
        return {"allocations": {}}
    providers = PROVIDERS.records(ctx.store)
    body: Record = {"allocations": {
        rp: {"generation": generation(providers[rp]) if rp in providers else None,
             "resources": dict(res)} for rp, res in record["allocations"].items()}}
    if ctx.at_least(12):
        body["project_id"] = record["project_id"]
        body["user_id"] = record["user_id"]
    if ctx.at_least(28):
        body["consumer_generation"] = record["generation"]
    if ctx.at_least(38):
        body["consumer_type"] = record["consumer_type"] or "unknown"
    return body


async def show(request: Request) -> Response:
    ctx = Ctx.of(request, "allocations:list")
    return ctx.reply(_consumer_view(ctx, consumers.consumer(
        ctx.store, request.path_params["consumer_uuid"])))


async def put(request: Request) -> Response:
    ctx = Ctx.of(request, "allocations:update")
    cid = request.path_params["consumer_uuid"]
    if not _UUID.match(cid):
        raise ApiError(400, f"Malformed consumer_uuid: {cid}")
    spec = read_spec(ctx, await PROVIDERS.body(request), deletable=ctx.at_least(28))
    check_consumer(ctx, cid, spec)
    _check_providers(ctx, {cid: spec}, f"Unable to allocate inventory for consumer {cid}: ")
    check_capacity(ctx.store, {cid: spec})
    apply(ctx.store, {cid: spec})
    return Response(status_code=204)


async def post(request: Request) -> Response:
    ctx = Ctx.of(request, "allocations:manage", since=13)
    body = await PROVIDERS.body(request)
    if not body:
        raise _invalid("{} does not have enough properties")
    specs: dict[str, Spec] = {}
    for cid, part in body.items():
        if not _UUID.match(cid):
            raise _invalid(f"Additional properties are not allowed ({cid!r} was unexpected)")
        specs[cid] = read_spec(ctx, part, deletable=True)
    for cid, spec in specs.items():
        check_consumer(ctx, cid, spec)
    _check_providers(ctx, specs, "Unable to allocate inventory ")
    check_capacity(ctx.store, specs)
    apply(ctx.store, specs)
    return Response(status_code=204)


async def delete(request: Request) -> Response:
    ctx = Ctx.of(request, "allocations:delete")
    cid = request.path_params["consumer_uuid"]
    current = consumers.consumer(ctx.store, cid)
    if current is None:
        raise ApiError(404, f"No allocations for consumer '{cid}'")
    consumers.set_allocations(ctx.store, cid, {}, project_id=current["project_id"],
                              user_id=current["user_id"],
                              consumer_type=current["consumer_type"])
    return Response(status_code=204)


async def usages(request: Request) -> Response:
    """``GET /usages?project_id=&user_id=`` (1.9), by consumer type from 1.38."""
    ctx = Ctx.of(request, "usages", since=9,
                 project=request.query_params.get("project_id"))
    q = request.query_params
    known = {"project_id", "user_id"} | ({"consumer_type"} if ctx.at_least(38) else set())
    extra = [k for k in q if k not in known]
    if extra:
        raise ApiError(400, "Invalid query string parameters: " +
                       PLACEMENT.unknown(extra).message.split(": ", 1)[1])
    project = q.get("project_id")
    if not project:
        raise ApiError(400, "Invalid query string parameters: 'project_id' is a required "
                            "property")
    user, wanted = q.get("user_id"), q.get("consumer_type")
    if wanted is not None and not (_NAME.match(wanted) or wanted in ("all", "unknown")):
        raise ApiError(400, f"Invalid query string parameters: '{wanted}' does not match "
                            "'^[A-Z0-9_]+$|^all|^unknown$'")
    groups: dict[str, dict[str, int]] = {}
    for record in consumers.project_consumers(ctx.store, project):
        if record["project_id"] != project or (user and record["user_id"] != user):
            continue
        ctype = record["consumer_type"] or "unknown"
        if wanted not in (None, "all") and ctype != wanted:
            continue
        group = groups.setdefault(wanted if wanted == "all" else ctype, {"consumer_count": 0})
        group["consumer_count"] += 1
        for res in record["allocations"].values():
            for rc, amount in res.items():
                group[rc] = group.get(rc, 0) + amount
    if ctx.at_least(38):
        return ctx.reply({"usages": groups})
    totals: dict[str, int] = {}
    for group in groups.values():
        for rc, amount in group.items():
            if rc != "consumer_count":
                totals[rc] = totals.get(rc, 0) + amount
    return ctx.reply({"usages": totals})


async def reshape(request: Request) -> Response:
    """``POST /reshaper`` (1.30): providers' inventories and consumers' allocations in one
    step, so a class can move from a provider to its child with the allocations on it."""
    ctx = Ctx.of(request, "reshaper:reshape", since=30, service_only=True)
    body = await PROVIDERS.body(request)
    extra = sorted(set(body) - {"inventories", "allocations"})
    if extra:
        raise PLACEMENT.unknown(extra)
    for key in ("inventories", "allocations"):
        if not isinstance(body.get(key), dict):
            raise _invalid(f"'{key}' is a required property")
    providers = PROVIDERS.records(ctx.store)
    planned: dict[str, dict[str, Record]] = {}
    for rp_id, part in body["inventories"].items():
        if not isinstance(part, dict) or not isinstance(part.get("inventories"), dict) \
                or "resource_provider_generation" not in part:
            raise _invalid("'inventories' and 'resource_provider_generation' are required "
                           "properties")
        rp = providers.get(rp_id)
        if rp is None:
            raise PlacementError(400, f"Resource provider {rp_id} in inventories not found: "
                                      f"No resource provider with uuid {rp_id} found",
                                 "placement.resource_provider.not_found")
        if part["resource_provider_generation"] != generation(rp):
            raise PlacementError(409, f"resource provider generation conflict for provider "
                                      f"{rp_id}: actual: {generation(rp)}, given: "
                                      f"{part['resource_provider_generation']}",
                                 CONCURRENT_UPDATE)
        planned[rp_id] = checked_inventories(ctx.store, rp, part["inventories"])
    specs = {cid: read_spec(ctx, part, deletable=True)
             for cid, part in body["allocations"].items()}
    for cid, spec in specs.items():
        check_consumer(ctx, cid, spec)
    _check_providers(ctx, specs, "malformed reshaper data: ")
    # As Placement: an interim inventory (the old one with the new over it) takes the
    # allocations, then the new one replaces it, which every class still held must be in.
    interim = {rp_id: {**inventory(providers[rp_id]), **invs} for rp_id, invs in planned.items()}
    check_capacity(ctx.store, specs, interim)
    after = consumers.usage_on(ctx.store, planned, without=frozenset(specs))
    for spec in specs.values():
        for rp_id, res in spec["allocations"].items():
            for rc, amount in res.items():
                after.setdefault(rp_id, {})[rc] = after.get(rp_id, {}).get(rc, 0) + amount
    for rp_id, invs in planned.items():
        busy = sorted(rc for rc, n in after.get(rp_id, {}).items() if n and rc not in invs)
        if busy:
            raise PlacementError(409, f"update conflict: Inventory for '{', '.join(busy)}' on "
                                      f"resource provider '{rp_id}' in use.",
                                 "placement.inventory.inuse")
    for rp_id, invs in planned.items():
        # one generation for the interim inventory (when there is one), one for the last
        providers[rp_id]["_rp_inventories"] = invs
        providers[rp_id]["_generation"] = generation(providers[rp_id]) + (2 if invs else 1)
    apply(ctx.store, specs)
    return Response(status_code=204)


# --- Nova's topics ---------------------------------------------------------------------

def _kind(store: Store, consumer_id: str) -> str:
    return "INSTANCE" if consumer_id in store.table("servers") else "MIGRATION"


def _on_set(store: Store, *, consumer_id: str, host: str, resources: dict[str, int],
            project_id: Any = None, user_id: Any = None, **_: Any) -> None:
    """Nova placed ``consumer_id`` on ``host``: it holds ``resources`` there, only."""
    rp = host_index(store)["by_name"].get(host)
    held = {rc: n for rc, n in resources.items() if n}
    spec: Spec = {"allocations": {rp: held} if rp and held else {}, "project_id": project_id,
                  "user_id": user_id, "consumer_type": _kind(store, consumer_id)}
    apply(store, {consumer_id: spec})


def _on_move(store: Store, *, consumer_id: str, to_consumer_id: str, **_: Any) -> None:
    """Nova hands what ``consumer_id`` holds to ``to_consumer_id`` (a migration)."""
    current = consumers.consumer(store, consumer_id)
    if current is None:
        return
    moved: Spec = {"allocations": current["allocations"], "project_id": current["project_id"],
                   "user_id": current["user_id"], "consumer_type": _kind(store, to_consumer_id)}
    gone: Spec = {**moved, "allocations": {}, "consumer_type": current["consumer_type"]}
    apply(store, {consumer_id: gone, to_consumer_id: moved})


def _on_delete(store: Store, *, consumer_id: str, **_: Any) -> None:
    current = consumers.consumer(store, consumer_id)
    if current is not None:
        consumers.set_allocations(store, consumer_id, {}, project_id=current["project_id"],
                                  user_id=current["user_id"],
                                  consumer_type=current["consumer_type"])


def wire(store: Store) -> None:
    """Serve Nova's allocation topics (:mod:`...world`)."""
    store.subscribe(ALLOCATION_SET, _on_set)
    store.subscribe(ALLOCATION_MOVE, _on_move)
    store.subscribe(ALLOCATION_DELETE, _on_delete)


def routes() -> list[tuple[str, Any, str]]:
    """``(path, handler, method)``, relative to the placement prefix."""
    return [("/allocations/{consumer_uuid}", show, "GET"),
            ("/allocations/{consumer_uuid}", put, "PUT"),
            ("/allocations/{consumer_uuid}", delete, "DELETE"),
            ("/allocations", post, "POST"),
            ("/usages", usages, "GET"),
            ("/reshaper", reshape, "POST")]
