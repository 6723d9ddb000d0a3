"""Placement's vocabularies and what providers carry of them: resource classes, traits,
provider traits and provider aggregates.

The standard classes and traits always exist and cannot change; custom ones
(``CUSTOM_*``) are made and removed through the API (tables :data:`.core.CLASSES` and
:data:`.core.TRAITS`), and a class an inventory uses or a trait a provider carries
cannot go (409). Setting a provider's traits or aggregates names the provider's
generation (409 ``placement.concurrent_update`` when stale) and makes a new one.
A hypervisor's provider keeps what is set in ``_rp_traits``/``_rp_aggregates``, which
replace the traits and aggregates derived from Nova.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Collection, Field, check_body
from ...http import ApiError
from ...store import Record
from .core import (
    CLASSES,
    PLACEMENT,
    PREFIX,
    PROVIDERS,
    STANDARD_CLASSES,
    STANDARD_TRAITS,
    TRAITS,
    Ctx,
    aggregates_of,
    all_traits,
    generation,
    inventory,
    is_manual,
    is_uuid,
    traits_of,
)
from .writes import CONCURRENT_UPDATE, PlacementError

__all__ = ["RESOURCE_CLASSES", "routes"]

_CUSTOM = re.compile(r"^CUSTOM_[A-Z0-9_]+$")

RESOURCE_CLASSES = Collection(
    "resource_class", "resource_classes", PLACEMENT, table=CLASSES, project_key=None,
    timestamps=None, visibility="admin", write="admin",
    fields={"name": Field(required=True, max_length=255)})
"""A custom resource class is its name (the body of ``POST``, and of ``PUT`` before
1.7)."""


def _class_view(rc: str) -> Record:
    return {"name": rc, "links": [{"rel": "self", "href": f"{PREFIX}/resource_classes/{rc}"}]}


def _classes(ctx: Ctx) -> list[str]:
    return [*STANDARD_CLASSES, *ctx.store.table(CLASSES)]


def _custom_name(name: Any) -> str:
    if not isinstance(name, str) or not _CUSTOM.match(name) or len(name) > 255:
        raise PLACEMENT.bad(f"JSON does not validate: {name!r} does not match "
                            "'^CUSTOM_[A-Z0-9_]+$'")
    return name


async def list_classes(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:list")
    return ctx.reply({"resource_classes": [_class_view(rc) for rc in _classes(ctx)]})


async def show_class(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:show", since=2)
    rc = request.path_params["name"]
    if rc not in _classes(ctx):
        raise ApiError(404, f"No such resource class {rc}.")
    return ctx.reply(_class_view(rc))


def _created(ctx: Ctx, rc: str) -> Response:
    ctx.store.table(CLASSES)[rc] = {"id": rc, "name": rc}
    return Response(status_code=201,
                    headers=ctx.location(f"/resource_classes/{rc}"))


async def create_class(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:create", since=2)
    values = check_body(PLACEMENT, RESOURCE_CLASSES.fields,
                        await RESOURCE_CLASSES.body(request), create=True)
    rc = _custom_name(values["name"])
    if rc in ctx.store.table(CLASSES):
        raise ApiError(409, f"Conflicting resource class already exists: {rc}")
    return _created(ctx, rc)


async def put_class(request: Request) -> Response:
    """From 1.7: make custom class ``name`` (201) or confirm it exists (204); 1.2 to 1.6:
    rename it to the body's ``name``."""
    ctx = Ctx.of(request, "resource_classes:update", since=2)
    rc = request.path_params["name"]
    table = ctx.store.table(CLASSES)
    if ctx.at_least(7):
        _custom_name(rc)
        return Response(status_code=204) if rc in table else _created(ctx, rc)
    values = check_body(PLACEMENT, RESOURCE_CLASSES.fields,
                        await RESOURCE_CLASSES.body(request), create=True)
    new = _custom_name(values["name"])
    if rc in STANDARD_CLASSES:
        raise ApiError(400, f"Cannot update standard resource class {rc}")
    if rc not in table:
        raise ApiError(404, f"No such resource class {rc}.")
    if new in table:
        raise ApiError(409, f"Resource class already exists: {new}")
    table[new] = {"id": new, "name": new}
    del table[rc]
    for rp in PROVIDERS.records(ctx.store).values():
        invs = rp.get("_rp_inventories")
        if invs and rc in invs:
            invs[new] = invs.pop(rc)
    return ctx.reply(_class_view(new))


async def delete_class(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:delete", since=2)
    rc = request.path_params["name"]
    if rc in STANDARD_CLASSES:
        raise ApiError(400, f"Error in delete resource class: Cannot delete standard "
                            f"resource class {rc}.")
    if rc not in ctx.store.table(CLASSES):
        raise ApiError(404, f"No such resource class {rc}.")
    if any(rc in inventory(rp) for rp in PROVIDERS.records(ctx.store).values()):
        raise ApiError(409, f"Error in delete resource class: Cannot delete resource class "
                            f"{rc}. Class is in use in inventory.")
    del ctx.store.table(CLASSES)[rc]
    return Response(status_code=204)


# --- traits ----------------------------------------------------------------------------

def _carried(ctx: Ctx) -> set[str]:
    return {t for rp in PROVIDERS.records(ctx.store).values() for t in traits_of(rp)}


async def list_traits(request: Request) -> Response:
    """``name=in:A,B`` or ``name=startswith:CUSTOM_``; ``associated=true|false``: carried
    by some provider or by none."""
    ctx = Ctx.of(request, "traits:list", since=6)
    names = all_traits(ctx.store)
    spec = request.query_params.get("name")
    if spec:
        if spec.startswith("startswith:"):
            names = [n for n in names if n.startswith(spec[len("startswith:"):])]
        elif spec.startswith("in:"):
            wanted = set(spec[3:].split(","))
            names = [n for n in names if n in wanted]
        else:
            raise ApiError(400, f"Badly formatted name parameter. Expected name query string "
                                f"parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. "
                                f"Got: \"{spec}\"")
    associated = request.query_params.get("associated")
    if associated is not None:
        if associated.lower() not in ("true", "false"):
            raise ApiError(400, f"Invalid query string parameters: '{associated}' is not one "
                                "of ['true', 'false']")
        carried = _carried(ctx)
        names = [n for n in names if (n in carried) == (associated.lower() == "true")]
    return ctx.reply({"traits": names})


async def show_trait(request: Request) -> Response:
    ctx = Ctx.of(request, "traits:show", since=6)
    name = request.path_params["name"]
    if name not in all_traits(ctx.store):
        raise ApiError(404, f"No such trait(s): {name}.")
    return Response(status_code=204)


async def put_trait(request: Request) -> Response:
    ctx = Ctx.of(request, "traits:update", since=6)
    name = request.path_params["name"]
    if not _CUSTOM.match(name) or len(name) > 255:
        raise ApiError(400, 'The trait is invalid. A valid trait must be no longer than 255 '
                            'characters, start with the prefix "CUSTOM_" and use following '
                            'characters: "A"-"Z", "0"-"9" and "_"')
    table = ctx.store.table(TRAITS)
    status = 204 if name in table else 201
    table.setdefault(name, {"id": name, "name": name})
    return Response(status_code=status, headers=ctx.location(f"/traits/{name}"))


async def delete_trait(request: Request) -> Response:
    ctx = Ctx.of(request, "traits:delete", since=6)
    name = request.path_params["name"]
    if name in STANDARD_TRAITS:
        raise ApiError(400, f"Cannot delete standard trait {name}.")
    if name not in ctx.store.table(TRAITS):
        raise ApiError(404, f"No such trait(s): {name}.")
    if name in _carried(ctx):
        raise ApiError(409, f"The trait {name} is in use by a resource provider.")
    del ctx.store.table(TRAITS)[name]
    return Response(status_code=204)


# --- what a provider carries -----------------------------------------------------------

def _stale(rp: Record, given: Any) -> None:
    if given != generation(rp):
        raise PlacementError(409, "Resource provider's generation already changed. Please "
                                  "update the generation and try again.", CONCURRENT_UPDATE)


def _store_set(rp: Record, kind: str, values: list[str]) -> None:
    rp[f"_{kind}" if is_manual(rp) else f"_rp_{kind}"] = values
    rp["_generation"] = generation(rp) + 1


async def put_provider_traits(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:traits:update", since=6)
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    body = await PROVIDERS.body(request)
    extra = sorted(set(body) - {"traits", "resource_provider_generation"})
    if extra:
        raise PLACEMENT.unknown(extra)
    traits = body.get("traits")
    if not isinstance(traits, list) or not all(isinstance(t, str) for t in traits):
        raise PLACEMENT.bad("JSON does not validate: 'traits' is a required property (an "
                            "array of trait names)")
    if "resource_provider_generation" not in body:
        raise PLACEMENT.invalid("resource_provider_generation", None, "required")
    _stale(rp, body["resource_provider_generation"])
    unknown = sorted(set(traits) - set(all_traits(ctx.store)))
    if unknown:
        raise ApiError(400, f"No such trait {', '.join(unknown)}")
    _store_set(rp, "traits", sorted(set(traits)))
    return ctx.reply({"traits": traits_of(rp), "resource_provider_generation": generation(rp)})


async def delete_provider_traits(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:traits:delete", since=6)
    _store_set(PROVIDERS.get(ctx, request.path_params["id"]), "traits", [])
    return Response(status_code=204)


async def put_provider_aggregates(request: Request) -> Response:
    """1.1 to 1.18: the body is the list of aggregate uuids; from 1.19 ``aggregates`` and
    the provider's generation, which the change raises."""
    ctx = Ctx.of(request, "resource_providers:aggregates:update", since=1)
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    try:
        body = await request.json()
    except ValueError:
        raise PLACEMENT.bad("Malformed JSON") from None
    if ctx.at_least(19):
        if not isinstance(body, dict):
            raise PLACEMENT.bad(f"JSON does not validate: {body!r} is not of type 'object'")
        extra = sorted(set(body) - {"aggregates", "resource_provider_generation"})
        if extra:
            raise PLACEMENT.unknown(extra)
        for key in ("aggregates", "resource_provider_generation"):
            if key not in body:
                raise PLACEMENT.invalid(key, None, "required")
        aggregates = body["aggregates"]
    else:
        aggregates = body
    if not isinstance(aggregates, list) or not all(
            isinstance(a, str) and is_uuid(a) for a in aggregates):
        raise PLACEMENT.bad(f"JSON does not validate: {aggregates!r} is not an array of "
                            "'uuid'")
    if len(set(aggregates)) != len(aggregates):
        raise PLACEMENT.bad(f"JSON does not validate: {aggregates!r} has non-unique elements")
    if ctx.at_least(19):
        _stale(rp, body["resource_provider_generation"])
        _store_set(rp, "aggregates", list(aggregates))
        return ctx.reply({"aggregates": aggregates_of(ctx.store, rp),
                          "resource_provider_generation": generation(rp)})
    rp["_aggregates" if is_manual(rp) else "_rp_aggregates"] = list(aggregates)
    return ctx.reply({"aggregates": aggregates_of(ctx.store, rp)})


def routes() -> list[tuple[str, Any, str]]:
    """``(path, handler, method)``, relative to the placement prefix."""
    rp = "/resource_providers/{id}"
    return [("/resource_classes", list_classes, "GET"),
            ("/resource_classes", create_class, "POST"),
            ("/resource_classes/{name}", show_class, "GET"),
            ("/resource_classes/{name}", put_class, "PUT"),
            ("/resource_classes/{name}", delete_class, "DELETE"),
            ("/traits", list_traits, "GET"),
            ("/traits/{name}", show_trait, "GET"),
            ("/traits/{name}", put_trait, "PUT"),
            ("/traits/{name}", delete_trait, "DELETE"),
            (rp + "/traits", put_provider_traits, "PUT"),
            (rp + "/traits", delete_provider_traits, "DELETE"),
            (rp + "/aggregates", put_provider_aggregates, "PUT")]
