"""How Cinder speaks, once for all its resources: :data:`CINDER` and :class:`Cinder`.

Cinder words its 400s as jsonschema does (``Invalid input for field/attribute size.
Value: 'big'. …``), pages with ``<plural>_links`` (next only, carrying the caller's own
``limit``), sorts newest first with ``sort=key:dir`` and ``sort_key``/``sort_dir``, and
serves every resource both at ``/v3/{project_id}/…`` (what the catalog advertises) and
at ``/v3/…``, echoing the microversion on every answer. Creates and deletes are 202s; a
create's ``creating`` state ends lazily, on the first request after its time has come.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ... import http
from ...engine import Collection, Ctx, Dialect, Field, Filter, check_body, parse, select
from ...http import ApiError
from ...store import Record, Store, now

__all__ = ["CINDER", "admin_ctx", "DEFAULT_TYPE", "FALSE_WORDS", "IGNORED", "MAX_MV", "MIN_MV", "POOLS",
           "PREFIX", "TRUE_WORDS", "Cinder", "both", "cinder_time", "envelope",
           "invalid_volume", "links", "mv", "pending", "served", "specs_answer", "stamp"]

PREFIX = "/volume"
MIN_MV, MAX_MV = "3.0", "3.71"
DEFAULT_TYPE = "__DEFAULT__"
POOLS: list[tuple[str, str, int, bool, str, str]] = [
    ("block01@ceph-ssd#ssd", "ceph-ssd", 40960, True, "ceph", "Open Source"),
    ("block02@netapp-hdd#aggr_hdd01", "netapp-hdd", 102400, False, "iSCSI", "NetApp"),
]
"""(pool host, backend name, total GB, thin?, storage protocol, vendor)"""
_WAITING = "_cinder_pending"
"""The table of records in a timed state (``creating``), by id."""

Handler = Callable[[Request], Awaitable[Response]]
IGNORED = Filter(match=lambda _values: lambda _value: True)
"""A query parameter Cinder accepts and the demo cloud does not filter on."""


def cinder_time(value: _dt.datetime | None = None) -> str:
    """Cinder's timestamps: microseconds, no zone suffix (``2026-11-25T13:19:09.123456``)."""
    value = (value or now()).astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class CinderDialect(Dialect):
    """Cinder's words: jsonschema's 400s, its filter, sort, limit and body errors."""

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        head = f"Invalid input for field/attribute {name}. Value: {value!r}. {value!r}"
        if reason == "choices":
            return self.bad(f"Invalid input for field/attribute {name}. Value: {value}. "
                            f"'{value}' is not one of {sorted(facts['choices'])}")
        if reason == "minimum":
            return self.bad(f"{head} is less than the minimum of {facts['limit']}")
        if isinstance(value, dict) or facts.get("detail") == "is not a dictionary":
            return self.bad(f"{head} is not of type 'object'")
        return self.bad(f"{head} is not valid under any of the given schemas")

    def unknown_filter(self, name: str) -> ApiError:
        return self.bad(f"Invalid filters {name} are found in query options.")

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(f"Invalid input received: Invalid sort key {name}")

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self.bad("Unknown sort direction, must be 'desc' or 'asc'")

    def bad_limit(self, raw: str) -> ApiError:
        return self.bad(f"Invalid value {raw!r} for parameter limit: must be an integer.")

    def body_missing(self, singular: str) -> ApiError:
        return self.bad(f"Missing required element '{singular}' in request body.")

    def action_of(self, body: Any) -> tuple[Any, Any]:
        if not isinstance(body, dict) or len(body) != 1:
            return None, None
        return next(iter(body.items()))

    def no_action(self, name: Any) -> ApiError:
        return self.bad(f"There is no such action: {name}")

    def action_arg(self, name: str, arg: Any, fields: Mapping[str, Field]) -> dict[str, Any]:
        """jsonschema's words: a missing required key first (whatever was sent), then the
        argument as an object; keys no field names are let through."""
        head = f"Invalid input for field/attribute {name}. Value: {arg!r}."
        for key in (k for k, f in fields.items() if f.required):
            if not isinstance(arg, dict) or key not in arg:
                raise self.bad(f"{head} '{key}' is a required property")
        if arg is None:
            return {}
        if not isinstance(arg, dict):
            raise self.bad(f"{head} {arg!r} is not of type 'object'")
        return check_body(self, fields, arg, create=True, extra=lambda _k: True)

    def page_body(self, request: Request, plural: str, items: list[Record],
                  rendered: list[Record], *, limit: int | None, more: bool,
                  reverse: bool = False, path: str | None = None) -> dict[str, Any]:
        """``<plural>_links`` with a next link when records are left; it repeats the
        caller's ``limit`` (none when it gave none)."""
        body: dict[str, Any] = {plural: rendered}
        if more and items:
            body[plural + "_links"] = [{"href": http.url_for(
                request, marker=items[-1]["id"], limit=request.query_params.get("limit")),
                "rel": "next"}]
        return body


CINDER = CinderDialect(
    versions=("volume", MIN_MV, MAX_MV), style="nova", pagination="links", default_sort=(("created_at", "desc"),),
    sort_param=True, id_follows_last_dir=True, sort_when_paging_only=False,
    default_limit=1000, all_projects_param="all_tenants", stamp_style="micro")


def mv(request: Request) -> tuple[int, int]:
    """The microversion asked for (406 out of range)."""
    return CINDER.version(request) or (3, 0)


def pending(store: Store, record: Record, *, busy: str = "creating", done: str = "available",
            release: Sequence[tuple[Record, str, str]] = (), key: str = "status",
            then: Mapping[str, Any] | None = None) -> None:
    """Put ``record``'s ``key`` in ``busy`` for the world's build time, ``done`` after (and
    ``then`` applied); each of ``release`` (another record, the status it is held in
    meanwhile, the one it returns to) is held as long (a volume ``backing-up`` while its
    backup is ``creating``)."""
    record[key] = busy
    record["_ready_at"] = time.time() + store.config.build_seconds
    record["_done"] = (key, busy, done, list(release), dict(then or {}))
    for other, held, _back in release:
        other["status"] = held
    store.table(_WAITING)[f"{record['id']}:{key}:{busy}"] = record


def _finish_due(store: Store) -> None:
    clock, waiting = time.time(), store.table(_WAITING)
    for name, rec in list(waiting.items()):
        if rec.get("_ready_at", 0) <= clock:
            del waiting[name]
            rec.pop("_ready_at", None)
            key, busy, done, release, then = rec.pop(
                "_done", ("status", "creating", "available", [], {}))
            if rec.get(key) == busy:
                rec[key], rec["updated_at"] = done, cinder_time()
                rec.update(then)
            for other, held, back in release:
                if other.get("status") == held:
                    other["status"], other["updated_at"] = back, cinder_time()


def admin_ctx(request: Request, rule: str) -> Ctx:
    """The caller's context, or Cinder's 403 naming ``rule`` unless an admin."""
    ctx = Ctx.of(request)
    http.require_admin(ctx.token, rule)
    return ctx


def links(request: Request, tail: str) -> list[dict[str, str]]:
    """A record's ``self`` and ``bookmark`` links (``tail``: ``{project}/{path}/{id}``)."""
    base = str(request.base_url).rstrip("/") + PREFIX
    return [{"href": f"{base}/v3/{tail}", "rel": "self"}, {"href": f"{base}/{tail}",
                                                           "rel": "bookmark"}]


def served(handler: Handler) -> Handler:
    """``handler`` as Cinder serves it: the caller authenticated, the microversion and the
    URL's project checked, timed states finished, the microversion echoed."""
    async def endpoint(request: Request) -> Response:
        token = http.auth(request)
        version = mv(request)
        url_project = request.path_params.get("project_id")
        if url_project and url_project != token.project_id and not token.is_admin:
            raise ApiError(400, f"Malformed request url: project_id '{url_project}' does not "
                                f"match the context's project_id '{token.project_id}'.")
        _finish_due(http.store_of(request))
        response = await handler(request)
        response.headers.update(http.microversion_headers("volume", version))
        return response
    return endpoint


async def specs_answer(request: Request, token: Any, specs: dict[str, str], field: str,
                       rule: str, missing: Callable[[str | None], ApiError]) -> Response:
    """A type's specs (a volume type's ``extra_specs``, a group type's ``group_specs``):
    read by whoever sees the type, set (POST all, PUT one) and unset by admins."""
    key = request.path_params.get("key")
    if request.method == "GET":
        if key is None:
            return http.json_response({field: dict(specs)})
        if key not in specs:
            raise missing(key)
        return http.json_response({key: specs[key]})
    http.require_admin(token, rule)
    if request.method == "DELETE":
        if key not in specs:
            raise missing(key)
        del specs[key]
        return http.json_response(None, 202)
    raw = await http.json_body(request)
    new = raw.get(field) if isinstance(raw, dict) and key is None else raw
    if key is not None and isinstance(new, dict) and list(new) != [key]:
        raise CINDER.bad("Request body and URI mismatch")
    if not isinstance(new, dict) or not all(isinstance(v, str) for v in new.values()):
        raise CINDER.bad(f"Invalid input for field/attribute {field}. Value: {raw!r}. "
                         f"{raw!r} is not of type 'object'")
    specs.update(new)
    return http.json_response(new if key is not None else {field: new})


def both(path: str, endpoint: Handler, methods: Sequence[str]) -> list[BaseRoute]:
    """The served route with and without the project id in the URL."""
    return [Route(base + path, served(endpoint), methods=list(methods))
            for base in ("/v3", "/v3/{project_id}")]


TRUE_WORDS = ("true", "1", "t", "yes", "y", "on")
FALSE_WORDS = ("false", "0", "f", "no", "n", "off")
"""What Cinder's ``strutils.bool_from_string`` reads as true, and as false."""


def stamp(ctx: Ctx, record: Record, answer: Response | None) -> None:
    """What an action that answers no body leaves on its record: ``updated_at``."""
    if answer is None:
        record["updated_at"] = cinder_time()


def invalid_volume(why: str) -> ApiError:
    return CINDER.bad(f"Invalid volume: {why}")


def envelope(doc: Any, key: str) -> dict[str, Any]:
    """The object under ``key`` of a request body (Cinder's 400s otherwise)."""
    if not isinstance(doc, dict) or key not in doc:
        raise CINDER.body_missing(key)
    obj = doc[key]
    if not isinstance(obj, dict):
        raise CINDER.bad(f"Invalid input for field/attribute {key}. Value: {obj!r}. "
                         f"{obj!r} is not of type 'object'")
    return obj


@dataclass(eq=False)
class Cinder(Collection):
    """A Cinder resource: its bodies checked in Cinder's words, its list at ``/<plural>``
    (``summary`` of each record) and ``/<plural>/detail``, every route :func:`served`."""

    dialect: Dialect = CINDER
    summary: Callable[[Record], Record] | None = None
    """The brief form of ``GET /<plural>`` (None: no ``/detail`` list)."""
    counted: bool = False
    """``with_count`` adds ``count`` from microversion 3.45."""
    linked: bool = False
    """Records carry their ``self`` and ``bookmark`` links."""
    strict_filters: bool = False
    create_status: int = 202
    delete_status: int = 202
    since: tuple[int, int] = (3, 0)
    """The microversion the resource's routes start at (404 before, as Cinder answers)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.sort_keys = frozenset(self.fields) | {"id", "project_id"}
        for name in ("offset", "with_count"):
            self.all_filters.setdefault(name, IGNORED)

    def shape(self, ctx: Ctx, record: Record) -> Record:
        if self.linked:
            record["links"] = links(
                ctx.request, f"{record[self.project_key or 'id']}/{self.path}/{record['id']}")
        return record

    async def body(self, request: Request) -> dict[str, Any]:
        """The envelope's content: an object, with only the keys this method accepts and
        the required ones (jsonschema's words, which quote the whole object)."""
        key = self.singular
        obj = envelope(await http.json_body(request), key)
        head = f"Invalid input for field/attribute {key}. Value: {obj!r}."
        create = request.method == "POST"
        extra = sorted(k for k in obj if (f := self.fields.get(k)) is None or f.read_only
                       or (f.create_only and not create))
        if extra:
            raise self.dialect.bad(f"{head} Additional properties are not allowed "
                                   f"({extra[0]!r} was unexpected)")
        missing = [n for n, f in self.fields.items() if f.required and not obj.get(n)]
        if create and missing:
            raise self.dialect.bad(f"{head} '{missing[0]}' is a required property")
        return obj

    async def index(self, request: Request) -> Response:
        ctx = Ctx.of(request)
        query = parse(request, self, ctx.admin)
        query.limit = query.limit or self.dialect.max_limit  # limit=0: a full page, as Cinder
        records: Iterable[Record] = self.visible_records(ctx, query)
        count = None
        if self.counted and http.query_bool(request, "with_count") and mv(request) >= (3, 45):
            records = list(records)
            count = sum(all(p(r) for p in query.predicates) for r in records)
        items, more = select(self, query, records, self.records(ctx.store))
        rendered = [self.render(ctx, r, query.fields) for r in items]
        if self.summary is not None and not request.url.path.endswith("/detail"):
            rendered = [self.summary(r) for r in rendered]
        body = self.dialect.page_body(request, self.plural, items, rendered,
                                      limit=query.limit, more=more)
        if count is not None:
            body["count"] = count
        return http.json_response(body)

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        out: list[BaseRoute] = []
        for base in ("/v3", "/v3/{project_id}"):
            if self.summary is not None:
                out.append(Route(f"{base}/{self.path}/detail", self.index, methods=["GET"]))
            out += super().routes(base)
        return [Route(r.path, served(self.gated(r.endpoint)), methods=sorted(r.methods or ()))
                for r in out if isinstance(r, Route)]

    def gated(self, endpoint: Handler) -> Handler:
        """``endpoint`` behind the resource's first microversion."""
        if self.since <= (3, 0):
            return endpoint

        async def gated(request: Request) -> Response:
            CINDER.gate(request, self.since)
            return await endpoint(request)
        return gated

