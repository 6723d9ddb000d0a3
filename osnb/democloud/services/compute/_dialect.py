"""How Nova speaks on the collection engine: one :class:`NovaDialect`, one request
context (:class:`Ctx`), one base collection (:class:`NovaCollection`).

Nova's APIs word their 400s two ways, and both come from the one class: the servers API
its JSON-schema reasons (``'x' is not of type 'string'``, the member checked named with
its value), the admin APIs (flavors, keypairs, aggregates, hypervisors, migrations,
quotas) the reasons of the value checks and the schema path ``body``. :data:`NOVA` is the
servers' words, :data:`NOVA_ADMIN` the admin APIs'; the few lists and bodies whose words
differ again take ``dataclasses.replace`` of these (:data:`NOVA_BODY`,
:data:`LIMIT_WORDS`, and a collection's own ``path`` or per-field ``reasons``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Collection, Dialect, Field, check_body
from ...engine import Ctx as EngineCtx
from ...http import (
    ApiError,
    auth,
    json_body,
    json_response,
    microversion,
    microversion_headers,
    store_of,
)
from ...store import Record, new_id
from .common import LEGACY_HEADER, MAX_VERSION, MIN_VERSION, settle

__all__ = ["LIMIT_WORDS", "NOVA", "NOVA_ADMIN", "NOVA_BODY", "Ctx", "NovaCollection",
           "NovaDialect", "next_link"]

_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
               "dict": "object", "list": "array"}

SCHEMA_WHY: Mapping[str, str] = {
    "type": "{value!r} is not of type '{kind}'",
    "null": "None is not of type '{kind}'",
    "max_length": "{value!r} is too long",
    "minimum": "{value!r} is less than the minimum of {limit}",
    "maximum": "{value!r} is greater than the maximum of {limit}",
    "choices": "{value!r} is not one of {choices}",
    "": "{detail}",
}
"""The servers API's reasons, as its JSON schema words them (``kind``: the JSON type)."""

CHECK_WHY: Mapping[str, str] = {
    "type": "{value!r} {detail}",
    "null": "None is not of type '{ftype}'",
    "choices": "{value!r} is not one of {choices}",
    "required": "{value!r} is not valid",
    "read_only": "{value!r} is not valid",
    "": "{value!r} is not valid",
}
"""The admin APIs' reasons: the value check's own (``detail``), the field's type."""


def _unexpected(names: Sequence[str]) -> str:
    return ("Additional properties are not allowed (" + ", ".join(repr(n) for n in names) +
            f" {'was' if len(names) == 1 else 'were'} unexpected)")


@dataclass(frozen=True)
class NovaDialect(Dialect):
    """Nova's words and paging: ``Invalid input for field/attribute <path>. Value: <v>.
    <reason>``, ``Instance … could not be found.``, newest first, ``<plural>_links``
    whenever a page is full, ``all_tenants`` for admins (the defaults: the servers API)."""

    style: str = "nova"
    pagination: str = "links"
    default_sort: tuple[tuple[str, str], ...] = (("created_at", "desc"),)
    sort_when_paging_only: bool = False
    default_limit: int | None = 1000
    next_when_full: bool = True
    all_projects_param: str | None = "all_tenants"
    unknown_filters_refused: bool = False
    sort_dir_alone: bool = True
    next_repeats_limit: bool = False
    id_follows_last_dir: bool = True
    sort_key_choices: tuple[str, ...] = ()
    """The sort keys a ``bad_sort_key`` names (the servers API lists them)."""
    path: str = ""
    """The schema path of the body member being checked (``flavor``; ``""``: the body's
    top, where a missing or unexpected key's 400 is the bare reason)."""
    value: Any = None
    """That member's value, which the 400s about its keys show."""
    field_words: str = "{name}"
    """The path a field's 400 names (``{path}/{name}``: ``reboot/type``)."""
    about_words: str = "Invalid input for field/attribute {path}. Value: {value}. {why}"
    """A 400 about the member at :attr:`path` (its missing or unexpected keys)."""
    why_words: Mapping[str, str] = field(default_factory=lambda: SCHEMA_WHY)
    """A field's reason by check failed (``""``: any other)."""
    reasons: Mapping[str, str] = field(default_factory=dict)
    """A field's own reason text (``{value}`` formatted in), by field name."""
    strict_envelope: bool = False
    """The document holds the envelope key only (checked with :meth:`check_keys`), rather
    than a missing envelope being ``'<singular>' is a required property``."""
    sort_key_words: str = ("Invalid input for query parameters sort_key. Value: {value}. "
                           "'{value}' is not one of {choices}")
    sort_dir_words: str = ("Invalid input for query parameters sort_dir. Value: {value}. "
                           "'{value}' is not one of ['asc', 'desc']")
    bad_limit_words: str = ("Invalid input for query parameters limit. Value: {value}. "
                            "'{value}' does not match '^[0-9]*$'")
    negative_limit_words: str = ("Invalid input for query parameters limit. Value: {value}. "
                                 "'{value}' does not match '^[0-9]*$'")
    marker_words: str = "marker [{marker}] not found"
    not_found_words: str = "{Singular} {ident} could not be found."

    # -- a body's 400s ---------------------------------------------------------------------

    def within(self, parent: str, value: Any, *, path: bool = False) -> NovaDialect:
        """These words for checking the member ``parent`` (``value``) of a body: Nova names
        it in its missing and unexpected keys' 400s, and with ``path`` in each key's too
        (``reboot/type``)."""
        return dataclasses.replace(self, path=parent, value=value,
                                   field_words="{path}/{name}" if path else "{name}")

    def schema(self, path: str, value: Any, reason: str) -> ApiError:
        """Nova's JSON-schema 400 about ``value`` at ``path`` (for a check no field
        declares)."""
        return self.bad(f"Invalid input for field/attribute {path}. Value: {value}. "
                        f"{reason}")

    def about(self, why: str, path: str | None = None, value: Any = None) -> ApiError:
        """The 400 about the member at ``path`` (default: :attr:`path` and :attr:`value`),
        or the bare reason at the body's top."""
        if path is None:
            path, value = self.path, self.value
        if not path:
            return self.bad(why)
        return self.bad(self.about_words.format(path=path, value=value, why=why))

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        own = self.reasons.get(name)
        words = own if own is not None else self.why_words.get(reason)
        if words is None and reason == "required":
            return self.about(f"'{name}' is a required property")
        if words is None and reason == "read_only":
            return self.about(_unexpected([name]))
        f = facts.get("field")
        why = (words or self.why_words[""]).format(
            value=value, kind=_JSON_TYPES.get(facts.get("expected", ""), "string"),
            ftype=f.type if f is not None else "", detail=facts.get("detail", "is not valid"),
            limit=facts.get("limit"), choices=list(facts.get("choices") or ()))
        return self.schema(self.field_words.format(path=self.path, name=name), value, why)

    def unknown(self, names: Sequence[str]) -> ApiError:
        return self.about(_unexpected(names))

    def unknown_in(self, path: str, body: Any, names: Sequence[str]) -> ApiError:
        """The 400 for ``names`` unexpected in ``body`` at ``path``."""
        return self.about(_unexpected(names), path, body)

    def check_keys(self, doc: Any, allowed: Iterable[str], required: Iterable[str] = ()
                   ) -> dict[str, Any]:
        """``doc`` as a JSON object with no key beyond ``allowed`` and every ``required``
        one, or Nova's 400 (at :attr:`path`)."""
        if not isinstance(doc, dict):
            raise self.schema(self.path, doc, f"{doc!r} is not of type 'object'")
        unknown = sorted(set(doc) - set(allowed))
        if unknown:
            raise self.unknown_in(self.path, doc, unknown)
        for name in required:
            if name not in doc:
                raise self.about(f"'{name}' is a required property", self.path, doc)
        return doc

    def member(self, body: Any, key: str, fields: Mapping[str, Field] | None = None, *,
               path: bool = False) -> dict[str, Any]:
        """The object ``body[key]`` (Nova's 400 when it is not one), checked against
        ``fields`` when given, in Nova's words for that member."""
        if not isinstance(body, dict) or key not in body:
            raise self.body_missing(key)
        value = body[key]
        if not isinstance(value, dict):
            raise self.invalid(key, value, "type", expected="dict")
        if fields is None:
            return value
        return check_body(self.within(key, value, path=path), fields, value, create=True)

    def inner(self, body: Any, key: str) -> dict[str, Any]:
        """The object ``body[key]``, or ``'<key>' is a required property`` (the admin APIs'
        one 400 for a missing, and for a malformed, envelope)."""
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise self.body_missing(key)
        return body[key]

    def action_arg(self, name: str, arg: Any, fields: Mapping[str, Field]) -> dict[str, Any]:
        """An action that declares no fields takes none (null or ``{}``); otherwise its
        object is checked in Nova's words for that member (``reboot/type``)."""
        if not fields:
            if arg is not None and not (isinstance(arg, dict) and not arg):
                raise self.schema(name, arg, f"{arg!r} is not of type 'null'")
            return {}
        return self.member({name: arg}, name, fields, path=True)

    def one_item(self, body: Any, key: str) -> Any:
        """The value of a ``PUT …/{key}`` body, which holds ``key`` alone (metadata items,
        extra specs), or Nova's 400."""
        if not isinstance(body, dict) or len(body) != 1:
            raise self.bad("Request body contains too many items")
        if key not in body:
            raise self.bad("Request body and URI mismatch")
        return body[key]

    def body_missing(self, singular: str) -> ApiError:
        return self.bad(f"'{singular}' is a required property")

    # -- a query's 400s and 404s -----------------------------------------------------------

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(self.sort_key_words.format(value=name,
                                                   choices=sorted(self.sort_key_choices)))

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self.bad(self.sort_dir_words.format(value=direction))

    def bad_limit(self, raw: str) -> ApiError:
        return self.bad(self.bad_limit_words.format(value=raw))

    def negative_limit(self, raw: str) -> ApiError:
        return self.bad(self.negative_limit_words.format(value=raw))

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        return self.bad(self.marker_words.format(marker=marker))

    def not_found(self, singular: str, ident: str) -> ApiError:
        text = "instance" if singular == "server" else singular.replace("_", " ")
        return ApiError(404, self.not_found_words.format(
            Singular=text[:1].upper() + text[1:], ident=ident))

    # -- pages -----------------------------------------------------------------------------

    def page_body(self, request: Request, plural: str, items: list[Record],
                  rendered: list[Record], *, limit: int | None, more: bool,
                  reverse: bool = False, path: str | None = None) -> dict[str, Any]:
        """``rendered`` and, when the page is full, Nova's next link: the request's own
        URL with the last id as ``marker``."""
        full = items and limit and (len(items) >= limit if self.next_when_full else more)
        return {plural: rendered, **(self.next_links(request, plural, items[-1]["id"])
                                     if full else {})}

    def next_links(self, request: Request, plural: str, marker: Any) -> dict[str, Any]:
        """``<plural>_links`` with the next page's link (after ``marker``)."""
        return {plural + "_links": [{"href": next_link(request, marker), "rel": "next"}]}


def next_link(request: Request, marker: Any) -> str:
    """The request's URL with ``marker`` (last) in place of its own."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
    base = store_of(request).base_url or str(request.base_url).rstrip("/")
    return f"{base}{request.url.path}?{urlencode([*params, ('marker', marker)])}"


NOVA = NovaDialect(versions=("compute", MIN_VERSION, MAX_VERSION),
                  legacy_header=LEGACY_HEADER)
"""The servers API's words."""
NOVA_ADMIN = dataclasses.replace(
    NOVA, path="body", field_words="{path}/{name}", why_words=CHECK_WHY,
    sort_key_words="Invalid input for query parameters sort_key. Value: {value}.",
    sort_dir_words="Invalid input for query parameters sort_dir. Value: {value}.",
    bad_limit_words="Invalid input for query parameters limit. Value: {value}.",
    negative_limit_words="Invalid input for query parameters limit. Value: {value}.",
    default_limit=None, all_projects_param=None, id_follows_last_dir=False,
    zero_limit_empty=True, ignored_params=frozenset({"fields", "page_reverse"}))
"""The admin APIs' words: a body's keys checked at ``body``, reasons from the checks."""
NOVA_BODY = dataclasses.replace(
    NOVA_ADMIN, field_words="{name}", strict_envelope=True, stamp_style="micro",
    about_words="Invalid input for field/attribute {path}. {why}")
"""Bodies that hold the envelope only: a field's 400 at its name, no value shown."""
LIMIT_WORDS = dataclasses.replace(
    NOVA_ADMIN, bad_limit_words="Invalid value '{value}' for parameter limit: must be an "
                                "integer.",
    negative_limit_words="Invalid value '{value}' for parameter limit: must be >= 0.",
    ignored_params=frozenset({"fields", "page_reverse", "sort_key", "sort_dir"}))
"""Lists whose ``limit`` is read as a plain integer and that take no sort (hypervisors,
migrations)."""


@dataclass
class Ctx(EngineCtx):
    """One Nova request: the world, the caller and the microversion asked for."""

    mv: tuple[int, int] = (2, 1)

    @classmethod
    def of(cls, request: Request) -> Ctx:
        """Validate the token and the microversion; settle finished builds."""
        token = auth(request)
        mv = microversion(request, "compute", MIN_VERSION, MAX_VERSION, LEGACY_HEADER)
        store = store_of(request)
        settle(store)
        return cls(request, store, token, mv)

    def at_least(self, major: int, minor: int) -> bool:
        return self.mv >= (major, minor)

    @functools.cached_property
    def request_id(self) -> str:
        """The request's id (what its instance actions are filed under)."""
        rid = self.request.scope.get("state", {}).get("request_id")
        return str(rid) if rid else "req-" + new_id()

    @property
    def headers(self) -> dict[str, str]:
        return microversion_headers("compute", self.mv, LEGACY_HEADER)

    @property
    def base(self) -> str:
        return self.store.base_url or str(self.request.base_url).rstrip("/")

    def require_admin(self, rule: str) -> None:
        if not self.admin:
            raise NOVA.forbidden(rule)

    def reply(self, body: Any, status: int = 200) -> Response:
        """``body`` as JSON with Nova's microversion headers."""
        return json_response(body, status, headers=self.headers)


class NovaCollection(Collection):
    """A Nova resource: Nova's context, microversion headers, and body envelope."""

    dialect: NovaDialect

    def context(self, request: Request) -> Ctx:
        return Ctx.of(request)

    def respond(self, ctx: EngineCtx, body: Any, status: int = 200) -> Response:
        assert isinstance(ctx, Ctx)
        return ctx.reply(body, status)

    async def body(self, request: Request) -> dict[str, Any]:
        """The ``{"<singular>": {...}}`` document's inside, its keys checked against the
        declaration as Nova's schema does (unknown ones, then required ones)."""
        d, doc = self.dialect, await json_body(request)
        if d.strict_envelope:
            d.check_keys(doc, [self.singular], [self.singular])
        else:
            d.inner(doc, self.singular)
        required = [n for n, f in self.fields.items() if f.required and
                    request.method == "POST"]
        return d.check_keys(doc[self.singular], [n for n, f in self.fields.items()
                                                 if not f.read_only], required)
