"""Unified limits: ``/v3/registered_limits``, ``/v3/limits`` and ``/v3/limits/model``.

A registered limit is a service's default for one resource (``service_id``, ``region_id``,
``resource_name``; one per triple, 409 otherwise); a limit overrides it for one project or
one domain, and only where a registered limit exists (403, Keystone's
``NoLimitReference``). A registered limit that limits refer to cannot be changed or
deleted (403). Both are created in batches (``{"registered_limits": [...]}``), all or
nothing. Reading is open to every caller (a member lists only its own project's limits);
writing is for admins. The enforcement model is ``flat``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query, check_body
from ...http import ApiError, json_body, json_response
from ...store import Record
from ._common import Resource

__all__ = ["LIMITS", "MODEL", "REGISTERED_LIMITS", "routes"]

MODEL = {"description": "Limit enforcement and validation does not take project hierarchy "
                        "into consideration.", "name": "flat"}
"""Keystone's default enforcement model (``[unified_limit] enforcement_model = flat``)."""

_MAX = 0x7FFFFFFF
"""The largest limit: a signed 32-bit integer (-1 is unlimited)."""
_TRIPLE = ("service_id", "region_id", "resource_name")


def _missing(target: str, attribute: str) -> ApiError:
    """Keystone's ``ValidationError``: a referenced service, region, project or domain
    does not exist."""
    return ApiError(400, f"Expecting to find {attribute} in {target}. The server could not "
                         "comply with the request since it is either malformed or otherwise "
                         "incorrect. The client is assumed to be in error.")


def _check_refs(ctx: Ctx, target: str, record: Mapping[str, Any]) -> None:
    store = ctx.store
    for key, table in (("service_id", "services"), ("region_id", "regions"),
                       ("project_id", "projects"), ("domain_id", "domains")):
        if record.get(key) is not None and record[key] not in store.table(table):
            raise _missing(target, key)


class _Unified(Resource):
    """Batch creates, Keystone's closed schemas (no extra keys), links beside the records."""

    free_form: bool = False

    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        if action in ("list", "show"):
            return
        super().authorize(ctx, action, ident)

    def closed(self, body: Mapping[str, Any], allowed: Iterable[str]) -> None:
        extra = sorted(set(body) - set(allowed))
        if extra:
            raise self.dialect.bad(
                f"Invalid input for field '{self.singular}': Additional properties are not "
                f"allowed ({', '.join(repr(k) for k in extra)} "
                f"{'was' if len(extra) == 1 else 'were'} unexpected).")

    def check_item(self, ctx: Ctx, record: Record, made: list[Record]) -> None:
        """Refuse ``record`` (raise) before any of the batch is stored."""

    async def create(self, request: Request) -> Response:
        ctx = Ctx.of(request)
        self.authorize(ctx, "create")
        try:
            doc = await json_body(request)
        except ApiError as exc:
            raise self.dialect.bad(exc.message) from None
        items = doc.get(self.plural) if isinstance(doc, dict) else None
        if not isinstance(items, list) or not items:
            raise self.dialect.bad(f"Invalid input for field '{self.plural}': a non-empty "
                                   f"array named '{self.plural}' is required.")
        made: list[Record] = []
        for item in items:
            if not isinstance(item, dict):
                raise self.dialect.bad(f"Invalid input for field '{self.plural}': {item!r} "
                                       "is not of type 'object'.")
            self.closed(item, self.fields)
            values = check_body(self.dialect, self.fields, item, create=True)
            record = self.new_record(ctx, values)
            self.check_item(ctx, record, made)
            made.append(record)
        table = self.records(ctx.store)
        for record in made:
            table[record["id"]] = record
        return json_response({self.plural: [self.render(ctx, r) for r in made]}, 201)


class _RegisteredLimits(_Unified):
    def check_item(self, ctx: Ctx, record: Record, made: list[Record]) -> None:
        _check_refs(ctx, "registered_limit", record)
        self.unique_triple(ctx, record, made)

    def unique_triple(self, ctx: Ctx, record: Record, made: Iterable[Record] = ()) -> None:
        key = tuple(record.get(k) for k in _TRIPLE)
        for other in [*self.records(ctx.store).values(), *made]:
            if other["id"] != record["id"] and tuple(other.get(k) for k in _TRIPLE) == key:
                raise self.dialect.conflict("registered_limit", "Duplicate entry")

    def referenced(self, ctx: Ctx, record: Record) -> None:
        if any(lim["_registered_limit_id"] == record["id"]
               for lim in LIMITS.records(ctx.store).values()):
            raise ApiError(403, f"Unable to update or delete registered limit "
                                f"{record['id']} because there are project limits "
                                "associated with it.")

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self.closed(changes, self.fields)
        _check_refs(ctx, "registered_limit", changes)
        self.referenced(ctx, record)
        self.unique_triple(ctx, {**record, **changes})

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        self.referenced(ctx, record)


REGISTERED_LIMITS = _RegisteredLimits("registered_limit", "registered_limits", fields={
    "service_id": Field(required=True, filter="exact"),
    "region_id": Field(nullable=True, default=None, filter="exact"),
    "resource_name": Field(required=True, max_length=255, filter="exact"),
    "default_limit": Field(type="int", required=True, minimum=-1, maximum=_MAX),
    "description": Field(nullable=True, default=None),
})


class _Limits(_Unified):
    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        """A caller who is not an admin lists its own project's limits (Keystone adds the
        ``project_id`` filter of its token)."""
        if ctx.admin:
            return None
        pid = ctx.token.project_id
        return [r for r in self.records(ctx.store).values() if pid and r["project_id"] == pid]

    def get(self, ctx: Ctx, ident: str) -> Record:
        record = super().get(ctx, ident)
        if ctx.request.method == "GET" and not ctx.admin and \
                record["project_id"] != ctx.token.project_id:
            raise self.dialect.forbidden("get_limit")
        return record

    def check_item(self, ctx: Ctx, record: Record, made: list[Record]) -> None:
        if (record.get("project_id") is None) == (record.get("domain_id") is None):
            raise self.dialect.bad("Invalid input for field 'limits': a limit names exactly "
                                   "one of 'project_id' and 'domain_id'.")
        _check_refs(ctx, "limit", record)
        project = ctx.store.table("projects").get(record.get("project_id") or "")
        if project is not None and project.get("is_domain"):
            record["domain_id"], record["project_id"] = record["project_id"], None
        key = tuple(record.get(k) for k in _TRIPLE)
        registered = next((r for r in REGISTERED_LIMITS.records(ctx.store).values()
                           if tuple(r.get(k) for k in _TRIPLE) == key), None)
        if registered is None:
            raise ApiError(403, "Unable to create a limit that has no corresponding "
                                "registered limit.")
        record["_registered_limit_id"] = registered["id"]
        owner = ("project_id", record["project_id"]) if record["project_id"] else \
            ("domain_id", record["domain_id"])
        for other in [*self.records(ctx.store).values(), *made]:
            if other["_registered_limit_id"] == registered["id"] and \
                    other.get(owner[0]) == owner[1]:
                raise self.dialect.conflict("limit", "Duplicate entry")

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self.closed(changes, ("resource_limit", "description"))


LIMITS = _Limits("limit", "limits", fields={
    "service_id": Field(required=True, filter="exact"),
    "region_id": Field(nullable=True, default=None, filter="exact"),
    "resource_name": Field(required=True, max_length=255, filter="exact"),
    "project_id": Field(nullable=True, default=None, filter="exact"),
    "domain_id": Field(nullable=True, default=None, filter="exact"),
    "resource_limit": Field(type="int", required=True, minimum=-1, maximum=_MAX),
    "description": Field(nullable=True, default=None),
})


async def limit_model(request: Request) -> Response:
    """``GET /v3/limits/model``: any authenticated caller."""
    Ctx.of(request)
    return json_response({"model": dict(MODEL)})


def routes() -> list[BaseRoute]:
    return [Route("/v3/limits/model", limit_model, methods=["GET"]),
            *REGISTERED_LIMITS.routes("/v3"), *LIMITS.routes("/v3")]
