"""How Nova speaks on the collection engine: its 400s (JSON-schema wording), its next
links, and the microversion it reads from every request and echoes on every answer.

:data:`NOVA` is the service's :class:`NovaDialect`; a collection that words its body 400s
with its own schema path or reasons takes ``dataclasses.replace(NOVA, path=…,
reasons=…)``. :class:`NovaCollection` is the engine's :class:`Collection` with Nova's
request context (:class:`NovaCtx`: the engine's and Nova's at once) and headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Collection, Ctx, Dialect
from ...http import ApiError, json_body, json_response, store_of
from ...store import Record
from . import common

__all__ = ["LIMIT_WORDS", "NOVA", "NOVA_BODY", "NovaCollection", "NovaCtx", "NovaDialect",
           "next_link"]


@dataclass(frozen=True)
class NovaDialect(Dialect):
    """Nova's words: ``Invalid input for field/attribute <path>. Value: <v>. <reason>``."""

    path: str = "body"
    """The schema path a body's 400 names (``flavor``)."""
    field_words: str = "{path}/{name}"
    """The path a field's 400 names."""
    unknown_words: str = ("Invalid input for field/attribute {path}. Value: {value}. "
                          "Additional properties are not allowed ({names} {verb} unexpected)")
    required_words: str = ("Invalid input for field/attribute {path}. Value: {value}. "
                           "'{name}' is a required property")
    strict_envelope: bool = False
    """The document holds the envelope key only (checked with the words above), rather
    than a missing envelope being ``'<singular>' is a required property``."""
    reasons: Mapping[str, str] = field(default_factory=dict)
    """A field's own reason text (``{value!r}`` formatted in), by field name."""
    bad_limit_words: str = "Invalid input for query parameters limit. Value: {raw}."
    marker_words: str = "marker [{marker}] not found"
    not_found_words: str = "{Singular} {ident} could not be found."
    negative_limit_words: str = "Invalid input for query parameters limit. Value: {raw}."

    def schema(self, path: str, value: Any, reason: str) -> ApiError:
        """Nova's JSON-schema 400."""
        return ApiError(400, f"Invalid input for field/attribute {path}. Value: {value}. "
                             f"{reason}")

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        words = self.reasons.get(name)
        why = words.format(value=value) if words is not None else {
            "type": f"{value!r} {facts.get('detail', 'is not valid')}",
            "choices": f"{value!r} is not one of {list(facts.get('choices') or ())}",
            "null": f"None is not of type '{facts['field'].type}'" if "field" in facts
            else "None is not allowed"}.get(reason, f"{value!r} is not valid")
        return self.schema(self.field_words.format(path=self.path, name=name), value, why)

    def unknown_in(self, path: str, body: Any, names: Sequence[str]) -> ApiError:
        return self.bad(self.unknown_words.format(
            path=path, value=body, names=", ".join(repr(n) for n in names),
            verb="was" if len(names) == 1 else "were"))

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
                raise self.bad(self.required_words.format(path=self.path, value=doc,
                                                          name=name))
        return doc

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(f"Invalid input for query parameters sort_key. Value: {name}.")

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self.bad(f"Invalid input for query parameters sort_dir. Value: {direction}.")

    def bad_limit(self, raw: str) -> ApiError:
        return self.bad(self.bad_limit_words.format(raw=raw))

    def not_found(self, singular: str, ident: str) -> ApiError:
        text = singular.replace("_", " ")
        return ApiError(404, self.not_found_words.format(
            Singular=text[:1].upper() + text[1:], ident=ident))

    def negative_limit(self, raw: str) -> ApiError:
        return self.bad(self.negative_limit_words.format(raw=raw))

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        return self.bad(self.marker_words.format(marker=marker))

    def page_body(self, request: Request, plural: str, items: list[Record],
                  rendered: list[Record], *, limit: int | None, more: bool,
                  reverse: bool = False, path: str | None = None) -> dict[str, Any]:
        """``rendered`` and, when the page is full, Nova's next link: the request's own
        URL with the last id as ``marker``."""
        body: dict[str, Any] = {plural: rendered}
        if items and limit and (len(items) >= limit if self.next_when_full else more):
            body[plural + "_links"] = [{"href": next_link(request, items[-1]["id"]),
                                        "rel": "next"}]
        return body


def next_link(request: Request, marker: Any) -> str:
    """The request's URL with ``marker`` (last) in place of its own."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
    base = store_of(request).base_url or str(request.base_url).rstrip("/")
    return f"{base}{request.url.path}?{urlencode([*params, ('marker', marker)])}"


NOVA = NovaDialect(style="nova", pagination="links", next_when_full=True,
                   default_sort=(("created_at", "desc"),), sort_when_paging_only=False,
                   unknown_filters_refused=False, sort_dir_alone=True, zero_limit_empty=True,
                   ignored_params=frozenset({"fields", "page_reverse"}))
NOVA_BODY = replace(
    NOVA, field_words="{name}", strict_envelope=True, stamp_style="micro",
    unknown_words="Invalid input for field/attribute {path}. Additional properties are "
                  "not allowed ({names} {verb} unexpected)",
    required_words="Invalid input for field/attribute {path}. '{name}' is a required property")
"""The admin APIs' words: a body's keys checked at ``body``, a field's 400 at its name."""
LIMIT_WORDS = replace(
    NOVA, bad_limit_words="Invalid value '{raw}' for parameter limit: must be an integer.",
    negative_limit_words="Invalid value '{raw}' for parameter limit: must be >= 0.",
    ignored_params=frozenset({"fields", "page_reverse", "sort_key", "sort_dir"}))
"""Lists whose ``limit`` is read as a plain integer and that take no sort (hypervisors,
migrations)."""


@dataclass
class NovaCtx(common.Ctx, Ctx):
    """One Nova request: the engine's context with Nova's microversion and helpers."""

    @classmethod
    def of(cls, request: Request) -> NovaCtx:
        c = common.context(request)
        return cls(c.request, c.store, c.token, c.mv)


class NovaCollection(Collection):
    """A Nova resource: Nova's context, microversion headers, and body envelope."""

    dialect: NovaDialect

    def context(self, request: Request) -> NovaCtx:
        return NovaCtx.of(request)

    def respond(self, ctx: Ctx, body: Any, status: int = 200) -> Response:
        assert isinstance(ctx, NovaCtx)
        return json_response(body, status, headers=ctx.headers)

    async def body(self, request: Request) -> dict[str, Any]:
        """The ``{"<singular>": {...}}`` document's inside, its keys checked against the
        declaration as Nova's schema does (unknown ones, then required ones)."""
        d, doc = self.dialect, await json_body(request)
        if d.strict_envelope:
            d.check_keys(doc, [self.singular], [self.singular])
        elif not isinstance(doc, dict) or not isinstance(doc.get(self.singular), dict):
            raise d.bad(f"'{self.singular}' is a required property")
        required = [n for n, f in self.fields.items() if f.required and
                    request.method == "POST"]
        return d.check_keys(doc[self.singular], [n for n, f in self.fields.items()
                                                 if not f.read_only], required)
