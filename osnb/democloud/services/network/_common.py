"""What every Neutron collection shares on the engine: the standard attributes, every
attribute a filter and a sort key, ``.json`` URLs, the owner a create names, the keys
only an admin may set, tags, and ``updated_at``/``revision_number`` on every change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Collection, Ctx, Dialect, Field, Filter, check_body
from ...http import ApiError, json_body
from ...store import Record, Store, Token
from . import model
from ._dialect import NEUTRON

__all__ = ["BOOL", "DICTS", "NULLABLE", "ONCE", "RO", "STR", "STRS", "TAGGABLE", "InUse",
           "NeutronCollection", "admin_ctx", "bad", "body_of", "common", "conflict", "document",
           "matching", "owner_of", "require_owner", "required", "strip_json"]

STR = Field(max_length=255)
NULLABLE = Field(max_length=255, nullable=True)
BOOL = Field(type="bool", lenient=True)
RO = Field(read_only=True)
ONCE = Field(max_length=255, create_only=True)
STRS = Field(type="list", items="str", item_max_length=255)
TAGS = Field(type="list", items="str", item_max_length=60)
DICTS = Field(type="list", items="dict")


def common(fields: Mapping[str, Field], *, drop: Iterable[str] = ()) -> dict[str, Field]:
    """Neutron's standard attributes (less ``drop``), then the resource's ``fields``."""
    standard = {"id": RO, "name": STR, "description": STR, "tenant_id": ONCE,
                "project_id": ONCE, "tags": TAGS, "created_at": RO, "updated_at": RO,
                "revision_number": RO}
    for key in drop:
        del standard[key]
    return {**standard, **fields}


def strip_json(text: str) -> str:
    """A path parameter without the ``.json`` suffix Neutron's URLs may carry."""
    return text[:-5] if text.endswith(".json") else text


async def body_of(request: Request, key: str) -> dict[str, Any]:
    """The ``{key: {...}}`` document of a create or update, or Neutron's 400."""
    try:
        doc = await json_body(request)
    except ApiError:
        raise NEUTRON.bad("Malformed request body") from None
    if not isinstance(doc, dict) or key not in doc:
        raise NEUTRON.body_missing(key)
    if not isinstance(doc[key], dict):
        raise NEUTRON.bad(f"Invalid input for {key}. Reason: Resource body required.")
    return doc[key]


bad = NEUTRON.bad


async def document(request: Request) -> Any:
    """An action's JSON document, or Neutron's 400 ``Malformed request body``."""
    try:
        return await json_body(request)
    except ApiError:
        raise bad("Malformed request body") from None


async def required(request: Request, key: str, kind: type | tuple[type, ...] = object, *,
                   reason: str = "is required", type_: str = "InvalidInput") -> Any:
    """``key`` of an action's JSON object, a ``kind``; otherwise Neutron's 400
    ``Invalid input for operation: <key> <reason>.``"""
    doc = await document(request)
    if not isinstance(doc, dict) or key not in doc or not isinstance(doc[key], kind):
        raise bad(f"Invalid input for operation: {key} {reason}.", type=type_)
    return doc[key]


def matching(request: Request, items: Iterable[Record], keys: Iterable[str]) -> list[Record]:
    """``items`` whose value of each of ``keys`` is one the query asks for (a key asked
    more than once: any of them): the filters of Neutron's lists that are no collection."""
    out = list(items)
    for key in keys:
        wanted = request.query_params.getlist(key)
        if wanted:
            out = [item for item in out if item[key] in wanted]
    return out


def admin_ctx(request: Request, rule: str) -> Ctx:
    """The request of an admin-only call, or Neutron's 403 naming ``rule``."""
    ctx = Ctx.of(request)
    if not ctx.admin:
        raise NEUTRON.forbidden(rule)
    return ctx


def conflict(message: str, type_: str) -> ApiError:
    """Neutron's 409 ``type_``."""
    return ApiError(409, message, type=type_)


def require_owner(ctx: Ctx, record: Record, rule: str) -> None:
    """Neutron's 403 unless the caller is an admin or ``record``'s project's member."""
    if not ctx.admin and record.get("project_id") != ctx.token.project_id:
        raise NEUTRON.forbidden(rule)


def owner_of(token: Token, attrs: dict[str, Any]) -> str:
    """The project a new object belongs to (another project's only for admins); pops
    ``project_id`` and ``tenant_id`` from ``attrs``."""
    pid, tid = attrs.pop("project_id", None), attrs.pop("tenant_id", None)
    if pid and tid and pid != tid:
        raise NEUTRON.bad("'project_id' and 'tenant_id' do not match")
    want = pid or tid or token.project_id or ""
    if want != token.project_id and not token.is_admin:
        raise NEUTRON.bad("Specifying 'project_id' or 'tenant_id' other than the "
                          "authenticated project in request requires admin privileges")
    return str(want)


@dataclass(frozen=True)
class InUse:
    """What a delete refuses (Neutron's 409 ``type``) while a record of ``table`` refers
    to the one deleted under one of ``keys`` (as the id, or in a list of ids);
    ``message`` names the record as ``{id}`` and the first referrer as ``{user}``
    (``but``: a referrer that does not count, the one being made or changed)."""

    table: str
    keys: tuple[str, ...]
    message: str
    type: str

    def check(self, store: Store, record: Record, but: str = "") -> None:
        ident = record["id"]
        for other in store.table(self.table).values():
            if other["id"] == but:
                continue
            for key in self.keys:
                value = other.get(key)
                if value == ident or (isinstance(value, list) and ident in value):
                    raise conflict(self.message.format(id=ident, user=other["id"]),
                                   self.type)


TAGGABLE: dict[str, NeutronCollection] = {}
"""The collections with tags, by their path (``networks``, ``qos/policies``): what
``/v2.0/{resource}/{id}/tags`` reaches."""


@dataclass(eq=False)
class NeutronCollection(Collection):
    """A Neutron resource: made by its :meth:`make` (a factory of :mod:`.model`, which
    keeps the indexes), changed through :meth:`change`."""

    dialect: Dialect = NEUTRON
    project_aliases: tuple[str, ...] = ("tenant_id",)
    tags: bool = True
    timestamps: tuple[str, str] | None = None  # model.stamp keeps them, to the second
    in_use: tuple[InUse, ...] = ()
    """What refuses a delete while another record refers to this one."""

    private: ClassVar[bool] = False
    """Whether records carry private ``_`` keys (a subnet's address pools)."""
    admin_attrs: ClassVar[tuple[str, ...]] = ()
    """Keys only an admin may set to a true value (the 403 names ``<rule>:<key>``)."""
    stamped: ClassVar[bool] = True

    def __post_init__(self) -> None:
        super().__post_init__()
        self.sort_keys = frozenset(self.fields) | {"id"}
        self.all_filters = {**{name: Filter() for name in self.fields}, **self.filters}
        if self.tags and "tags" in self.fields and "{" not in self.path:
            TAGGABLE.setdefault(self.path, self)

    def get(self, ctx: Ctx, ident: str) -> Record:
        return super().get(ctx, strip_json(ident))

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """The engine's, without a copy of a record with nothing to hide (a list of all
        ports is tens of thousands of them)."""
        if self.private or fields:
            return super().render(ctx, record, fields)
        if ctx.admin or not self.admin_fields:
            return record
        return {k: v for k, v in record.items() if k not in self.admin_fields}

    async def index(self, request: Request) -> Response:
        """The engine's list, refusing what Neutron refuses beyond it: a ``page_reverse``
        that is not a boolean, ``sort`` (a filter it does not know), ``sort_key=a,b``."""
        q = request.query_params
        if "page_reverse" in q:
            check_body(self.dialect, {"page_reverse": BOOL},
                       {"page_reverse": q["page_reverse"]}, create=True)
        if "sort" in q:
            raise self.dialect.unknown_filter("sort")
        for key in q.getlist("sort_key"):
            if "," in key:
                raise self.dialect.bad_sort_key(key)
        return await super().index(request)

    async def body(self, request: Request) -> dict[str, Any]:
        return await body_of(request, self.singular)

    async def create(self, request: Request) -> Response:
        """One record (``{singular: {...}}``), or Neutron's bulk create (``{plural:
        [{...}, ...]}``): every record made, or none (those made are undone)."""
        try:
            doc = await json_body(request)
        except ApiError:
            raise bad("Malformed request body") from None
        if not (isinstance(doc, dict) and self.plural in doc and self.singular not in doc):
            return await super().create(request)
        ctx = self.context(request)
        self.may_change(ctx, None, "create")
        items = doc[self.plural]
        if not isinstance(items, list) or not items:
            raise bad("Resources required")
        made: list[Record] = []
        table = self.records(ctx.store)
        try:
            for raw in items:
                if not isinstance(raw, dict):
                    raise bad(f"Invalid input for {self.plural}. Reason: Resource body "
                              "required.")
                values = check_body(self.dialect, self.fields, raw, create=True)
                record = self.new_record(ctx, values)
                self.on_create(ctx, record, raw)
                table[self.key_of(record)] = record
                made.append(record)
        except ApiError:
            for record in reversed(made):
                self.on_delete(ctx, record)
                table.pop(self.key_of(record), None)
            raise
        return self.respond(ctx, {self.plural: [self.render(ctx, r) for r in made]}, 201)

    def routes(self, prefix: str = "/v2.0") -> list[BaseRoute]:
        out = super().routes(prefix)
        many = out[0]
        assert isinstance(many, Route) and many.methods
        return [*out, Route(f"{prefix}/{self.path}.json", many.endpoint,
                            methods=sorted(many.methods - {"HEAD"}))]

    def _checked(self, ctx: Ctx, values: dict[str, Any], action: str) -> None:
        if not ctx.admin:
            for key in self.admin_attrs:
                if values.get(key) not in (False, None, ""):
                    raise self.dialect.forbidden(f"{self.rule(action)}:{key}")
        if "tags" in values:
            values["tags"] = list(dict.fromkeys(values["tags"]))

    def new_record(self, ctx: Ctx, values: Mapping[str, Any]) -> Record:
        attrs = dict(values)
        self._checked(ctx, attrs, "create")
        record = self.make(ctx, owner_of(ctx.token, attrs), attrs)
        if attrs.get("tags"):
            record["tags"] = attrs["tags"]
        return record

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        """Check a create further, charge the quota and make (and store) the record."""
        raise NotImplementedError

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self._checked(ctx, changes, "update")
        self.change(ctx, record, changes)
        if self.stamped:
            model.stamp(record)

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        """Check an update further, or apply (and pop) what it does beyond setting keys."""

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        """Refuse while the record is in use (:attr:`in_use`); a resource that cascades
        or refuses more overrides it (and calls it)."""
        self.refuse_used(ctx.store, record)

    def refuse_used(self, store: Store, record: Record, but: str = "") -> None:
        """Neutron's 409 while another record (not ``but``) refers to ``record``
        (:attr:`in_use`)."""
        for use in self.in_use:
            use.check(store, record, but)
