"""A resource of the demo cloud as a declaration: :class:`Collection`.

A collection owns its table in the store, its keys, who sees and who may change its
records, its declared fields (validation and the service's 400 from the same
declaration), its filters and sort keys, and generic list/show/create/update/delete
handlers in its service's :class:`~.dialect.Dialect`. A resource with behaviour of its
own (a lifecycle, a quota, a cascade) subclasses it and overrides a hook
(:meth:`~Collection.candidates`, :meth:`~Collection.shape`, :meth:`~Collection.on_create`,
:meth:`~Collection.on_update`, :meth:`~Collection.on_delete`); a read-only resource is
one declaration::

    AGENTS = Collection("agent", "agents", NEUTRON, fields={...}, visibility="admin",
                        allow_create=False, allow_update=False)
    routes = AGENTS.routes("/v2.0")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..http import ApiError, auth, json_body, json_response, store_of
from ..store import Record, Store, Token
from .dialect import Dialect
from .fields import MISSING, Field, check_body, default_of
from .query import Filter, Query, parse, select

__all__ = ["VISIBILITY", "Collection", "Ctx", "json_patch"]

VISIBILITY = ("owner", "shared", "public", "admin")
"""Who sees a record besides admins: its project (``owner``), its project or everyone
when ``shared`` is true (``shared``), everyone (``public``), nobody (``admin``)."""

JSON_PATCH = "application/openstack-images-v2.1-json-patch"


@dataclass
class Ctx:
    """One request as a handler sees it: the store and the caller's token."""

    request: Request
    store: Store
    token: Token

    @property
    def admin(self) -> bool:
        return self.token.is_admin

    @classmethod
    def of(cls, request: Request) -> Ctx:
        return cls(request, store_of(request), auth(request))


@dataclass(eq=False)
class Collection:
    """One resource of a service: declaration plus generic behaviour (see the module)."""

    singular: str
    plural: str
    dialect: Dialect
    fields: Mapping[str, Field] = field(default_factory=dict)
    table: str = ""
    """The store table (default: ``plural``)."""
    path: str = ""
    """The URL segment (default: ``plural``)."""
    project_key: str | None = "project_id"
    project_aliases: tuple[str, ...] = ()
    """More keys set to the owner's project on create (Neutron's ``tenant_id``)."""
    visibility: str | Callable[[Ctx, Record], bool] = "owner"
    write: str = "member"
    """Who may create, change and delete: ``member`` (its own project's records) or
    ``admin``."""
    filters: Mapping[str, Filter] = field(default_factory=dict)
    """Filters beyond the fields' own (``Field(filter=…)``)."""
    tags: bool = False
    """Whether ``tags``, ``tags-any``, ``not-tags``, ``not-tags-any`` filter on ``tags``."""
    strict_filters: bool = True
    """An admin's unknown filter is refused too (otherwise ignored for admins)."""
    default_sort_keys: tuple[tuple[str, str], ...] = ()
    """The order without a ``sort``; default: the dialect's."""
    sort_by: Mapping[str, str | Callable[[Record], Any]] = field(default_factory=dict)
    """Sort keys beyond the fields' own, by name: the record key or a function of the
    record they order by (Nova's ``display_name`` orders by ``name``, a flavor's
    ``memory_mb`` by ``ram``)."""
    rules: Mapping[str, str] = field(default_factory=dict)
    """Policy names by action (``list``, ``show``, ``create``, ``update``, ``delete``) for
    403 texts; default ``<action>_<singular>``."""
    timestamps: tuple[str, str] | None = ("created_at", "updated_at")
    revision: str | None = None
    """A counter key raised on every change (Neutron's ``revision_number``)."""
    free_form: bool = False
    """Bodies may carry keys no field declares (image properties, metadata)."""
    update_methods: tuple[str, ...] = ("PUT",)
    allow_list: bool = True
    allow_show: bool = True
    allow_create: bool = True
    allow_update: bool = True
    allow_delete: bool = True
    policy_first: bool = False
    """An admin-only change is refused (403) before the record is looked up (Nova),
    rather than after (a 404 for what the caller may not see)."""
    create_status: int = 201
    """The status of a create's answer (Nova answers most creates 200, Nova and Cinder
    some 202: the work goes on)."""
    delete_status: int = 204
    """The status of a delete's answer (Nova's flavors 202, its aggregates 200)."""
    tie_break: str | None = "id"
    """The key appended to a sort to make it total; None: records that sort equal keep
    the table's order, and a marker must be one of the records listed."""
    brief: tuple[str, ...] = ()
    """With keys, the list is served twice (Nova's and Cinder's): ``/<path>/detail`` lists
    the records as shown, ``/<path>`` only these keys of each (that it has)."""

    def __post_init__(self) -> None:
        self.table = self.table or self.plural
        self.path = self.path or self.plural
        self.all_filters: dict[str, Filter] = {
            name: Filter(kind=f.filter, admin_only=f.admin_only)
            for name, f in self.fields.items() if f.filter}
        self.all_filters.update(self.filters)
        self.sort_keys = frozenset(
            {name for name, f in self.fields.items() if f.sort} | {"id"} | set(self.sort_by))
        self.default_sort = self.default_sort_keys or self.dialect.default_sort
        self.admin_fields = frozenset(n for n, f in self.fields.items() if f.admin_only)

    # -- hooks: override where the resource has behaviour of its own -------------------

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        """Records to filter instead of the whole table (an index), or None."""
        return None

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """The record as sent (after private ``_`` keys are dropped)."""
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        """Check or complete a new record before it is stored (raise to refuse)."""

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        """Check or complete ``changes`` before they are applied (raise to refuse)."""

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        """Refuse (raise) or cascade before ``record`` is removed."""

    def context(self, request: Request) -> Ctx:
        """The request as the hooks see it (a service's own :class:`Ctx` subclass, with
        what it reads per request, such as Nova's microversion)."""
        return Ctx.of(request)

    def respond(self, ctx: Ctx, body: Any, status: int = 200) -> Response:
        """The answer's response (a service adds its own headers)."""
        return json_response(body, status)

    # -- policy ----------------------------------------------------------------------------

    def rule(self, action: str) -> str:
        return self.rules.get(action, f"{action}_{self.singular}")

    def visible(self, ctx: Ctx, record: Record) -> bool:
        """Whether the caller may see ``record``."""
        if ctx.admin:
            return True
        how = self.visibility
        if callable(how):
            return how(ctx, record)
        if how == "public":
            return True
        if how == "admin":
            return False
        mine = self.project_key is not None and \
            record.get(self.project_key) == ctx.token.project_id
        return mine or (how == "shared" and bool(record.get("shared")))

    def may_change(self, ctx: Ctx, record: Record | None, action: str) -> None:
        """Raise the 403 when the caller may not ``action`` (``record``: None on create)."""
        if ctx.admin:
            return
        if self.write == "admin" or self.visibility == "admin" or (
                record is not None and self.project_key is not None and
                record.get(self.project_key) != ctx.token.project_id):
            raise self.dialect.forbidden(self.rule(action))

    # -- records ---------------------------------------------------------------------------

    def records(self, store: Store) -> dict[str, Record]:
        return store.table(self.table)

    def key_of(self, record: Record) -> str:
        """The record's key in its table (its id; Nova keeps integer ids under their
        text)."""
        return str(record["id"])

    def get(self, ctx: Ctx, ident: str) -> Record:
        """The record ``ident`` if the caller may see it, else the service's 404."""
        record = self.records(ctx.store).get(ident)
        if record is None or not self.visible(ctx, record):
            raise self.dialect.not_found(self.singular, ident)
        return record

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """``record`` as the caller is shown it: no private or admin-only keys for a
        member, only ``fields`` when asked."""
        out = self.shape(ctx, {k: v for k, v in record.items() if k[:1] != "_"})
        if self.admin_fields and not ctx.admin:
            out = {k: v for k, v in out.items() if k not in self.admin_fields}
        wanted = list(fields)
        if wanted:
            out = {k: out[k] for k in wanted if k in out}
        return out

    def visible_records(self, ctx: Ctx, query: Query) -> Iterable[Record]:
        """The records a list may hold before filters: the caller's (all for an admin,
        or with the dialect's all-projects parameter)."""
        source = self.candidates(ctx, query)
        records = self.records(ctx.store).values() if source is None else source
        param = self.dialect.all_projects_param
        if param and self.project_key is not None:
            if query.all_projects and not ctx.admin:
                raise self.dialect.forbidden(self.rule("list") + f" with {param}")
            if not query.all_projects:
                project, key = ctx.token.project_id, self.project_key
                return (r for r in records if r.get(key) == project)
            return records
        if ctx.admin:
            return records
        if self.visibility == "admin":
            raise self.dialect.forbidden(self.rule("list"))
        return (r for r in records if self.visible(ctx, r))

    def new_record(self, ctx: Ctx, values: Mapping[str, Any]) -> Record:
        """A record from checked ``values``, the fields' defaults, an id, the owner's
        project and timestamps."""
        record: Record = {"id": self.dialect.new_id()}
        for name, f in self.fields.items():
            if name in values:
                record[name] = values[name]
            elif (value := default_of(f)) is not MISSING:
                record[name] = value
        for name, value in values.items():
            record.setdefault(name, value)
        if self.project_key is not None:
            owner = record.get(self.project_key) if ctx.admin else None
            owner = owner or ctx.token.project_id
            for key in (self.project_key, *self.project_aliases):
                record[key] = owner
        if self.timestamps:
            stamp = self.dialect.stamp()
            record[self.timestamps[0]] = stamp
            record[self.timestamps[1]] = stamp
        if self.revision:
            record[self.revision] = 0
        return record

    # -- handlers --------------------------------------------------------------------------

    async def body(self, request: Request) -> dict[str, Any]:
        """The attributes a create or update sends (inside the envelope, if any)."""
        try:
            doc = await json_body(request)
        except ApiError as exc:
            raise self.dialect.bad(exc.message) from None
        if self.dialect.envelope:
            if not isinstance(doc, dict) or not isinstance(doc.get(self.singular), dict):
                raise self.dialect.body_missing(self.singular)
            doc = doc[self.singular]
        if not isinstance(doc, dict):
            raise self.dialect.bad("The request body must be a JSON object.")
        return doc

    def wrap(self, record: Record) -> Any:
        return {self.singular: record} if self.dialect.envelope else record

    async def index(self, request: Request) -> Response:
        ctx = self.context(request)
        query = parse(request, self, ctx.admin)
        table = self.records(ctx.store)
        marker = table.get(query.marker) if query.marker is not None else None
        if marker is not None and not self.visible(ctx, marker):
            # Another project's id pages nothing: it is as unknown as a made-up one.
            raise self.dialect.bad_marker(self.singular, str(query.marker))
        items, more = select(self, query, self.visible_records(ctx, query), table)
        rendered = [self.render(ctx, r, query.fields) for r in items]
        if self.brief and not request.url.path.endswith("/detail"):
            rendered = [{k: r[k] for k in self.brief if k in r} for r in rendered]
        return self.respond(ctx, self.dialect.page_body(
            request, self.plural, items, rendered, limit=query.limit, more=more,
            reverse=query.reverse))

    async def show(self, request: Request) -> Response:
        ctx = self.context(request)
        fields = [] if "fields" in self.dialect.ignored_params else [
            f.strip() for v in request.query_params.getlist("fields")
            for f in v.split(",") if f.strip()]
        record = self.get(ctx, request.path_params["id"])
        return self.respond(ctx, self.wrap(self.render(ctx, record, fields)))

    async def create(self, request: Request) -> Response:
        ctx = self.context(request)
        self.may_change(ctx, None, "create")
        raw = await self.body(request)
        values = check_body(self.dialect, self.fields, raw, create=True,
                            extra=(lambda _k: True) if self.free_form else None)
        record = self.new_record(ctx, values)
        self.on_create(ctx, record, raw)
        self.records(ctx.store)[self.key_of(record)] = record
        return self.respond(ctx, self.wrap(self.render(ctx, record)), self.create_status)

    async def update(self, request: Request) -> Response:
        ctx = self.context(request)
        if self.policy_first:
            self.may_change(ctx, None, "update")
        record = self.get(ctx, request.path_params["id"])
        self.may_change(ctx, record, "update")
        if request.headers.get("content-type", "").startswith(JSON_PATCH):
            ops = await json_body(request)
            raw, removed = json_patch(self.dialect, ops)
        else:
            raw, removed = await self.body(request), []
        changes = check_body(self.dialect, self.fields, raw, create=False,
                             extra=(lambda _k: True) if self.free_form else None)
        self.on_update(ctx, record, changes)
        record.update(changes)
        for key in removed:
            record.pop(key, None)
        if self.timestamps:
            record[self.timestamps[1]] = self.dialect.stamp()
        if self.revision:
            record[self.revision] = record.get(self.revision, 0) + 1
        return self.respond(ctx, self.wrap(self.render(ctx, record)))

    async def delete(self, request: Request) -> Response:
        ctx = self.context(request)
        if self.policy_first:
            self.may_change(ctx, None, "delete")
        record = self.get(ctx, request.path_params["id"])
        self.may_change(ctx, record, "delete")
        self.on_delete(ctx, record)
        self.records(ctx.store).pop(self.key_of(record), None)
        return self.respond(ctx, None, self.delete_status)

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        """The collection's routes under ``prefix``: only the allowed methods."""
        base = f"{prefix}/{self.path}"
        out: list[BaseRoute] = []
        if self.brief and self.allow_list:  # before ``{id}``, which would take it
            out.append(Route(base + "/detail", self.index, methods=["GET"]))
        many = [(self.allow_list, "GET", self.index), (self.allow_create, "POST", self.create)]
        one = [(self.allow_show, "GET", self.show), (self.allow_delete, "DELETE", self.delete)]
        one += [(self.allow_update, m, self.update) for m in self.update_methods]
        for path, handlers in ((base, many), (base + "/{id}", one)):
            allowed = [(m, h) for ok, m, h in handlers if ok]
            if allowed:
                out.append(Route(path, _dispatch(dict(allowed)),
                                 methods=[m for m, _ in allowed]))
        return out

    def routes_under(self, *prefixes: str) -> list[BaseRoute]:
        """:meth:`routes` under each of ``prefixes`` (Cinder serves ``/v3`` and
        ``/v3/{project_id}`` alike)."""
        return [route for prefix in prefixes for route in self.routes(prefix)]


def _dispatch(handlers: dict[str, Callable[[Request], Any]]) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        response: Response = await handlers[request.method](request)
        return response
    return endpoint


def json_patch(dialect: Dialect, ops: Any) -> tuple[dict[str, Any], list[str]]:
    """Glance's JSON-patch (``add``, ``replace``, ``remove`` on top-level ``/key`` paths)
    as the changes it makes and the keys it removes."""
    if not isinstance(ops, list):
        raise dialect.bad("Expected a list of JSON-patch operations.")
    changes: dict[str, Any] = {}
    removed: list[str] = []
    for op in ops:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove") \
                or not str(op.get("path", "")).startswith("/"):
            raise dialect.bad(f"Unable to find '{op}' in JSON Schema change")
        key = str(op["path"])[1:].replace("~1", "/").replace("~0", "~")
        if op["op"] == "remove":
            removed.append(key)
            changes.pop(key, None)
        else:
            if "value" not in op:
                raise dialect.bad(f"Operation objects must contain exactly one member "
                                  f"named \"value\": {op}")
            changes[key] = op["value"]
    return changes, removed
