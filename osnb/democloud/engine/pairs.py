"""What a record holds that is served under it: its map of texts (:class:`Pairs`) and
its tags (:class:`Tags`).

Nova's server metadata and flavor extra specs, Cinder's volume and snapshot metadata and
its types' extra specs are one shape: ``GET /<plural>/{id}/<key>`` reads the map, ``POST``
merges into it, ``PUT`` replaces it; ``GET``, ``PUT`` and ``DELETE`` ``…/<key>/{key}`` read,
set and remove one key. The services differ in their words and policy, which a subclass
overrides (:meth:`Pairs.values`, :meth:`Pairs.allow`, :meth:`Pairs.missing`,
:meth:`Pairs.save`)::

    SPECS = Pairs(FLAVOR, "extra_specs", segment="os-extra_specs", item_key=None)
    routes = SPECS.routes("/v2.1")

Tags are one shape too (Nova's servers, Neutron's resources, Keystone's projects):
``GET``, ``PUT`` (replace) and ``DELETE`` ``…/tags``; ``GET`` (204 or 404), ``PUT`` (add)
and ``DELETE`` ``…/tags/{tag}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..http import ApiError, json_body
from ..store import Record
from .collection import Collection, Ctx

__all__ = ["Pairs", "Tags"]


@dataclass(eq=False)
class Pairs:
    """The map under ``key`` of ``owner``'s records as a sub-resource (see the module)."""

    owner: Collection
    key: str
    """The record's key that holds the map, and the body's envelope for the whole map."""
    segment: str = ""
    """The URL segment (default: :attr:`key`)."""
    item_key: str | None = "meta"
    """The envelope of one key's body and answer (``{"meta": {k: v}}``); None: bare."""
    methods: tuple[str, ...] = ("GET", "POST", "PUT")
    """What the whole map answers (Nova's extra specs are never replaced: no ``PUT``)."""
    echo: bool = False
    """A merge answers with the pairs it was sent (Nova's extra specs), not the whole map."""
    delete_status: int = 200

    # -- hooks: override where the service's words or policy differ -------------------

    def values(self, ctx: Ctx, doc: Any, envelope: str | None) -> dict[str, Any]:
        """The pairs a body sends (under ``envelope``, or the body itself), or the
        service's 400: texts of 1 to 255 characters, as Cinder has them."""
        pairs = doc.get(envelope) if isinstance(doc, dict) and envelope else doc
        if not isinstance(pairs, dict):
            raise self.owner.dialect.bad("Malformed request body")
        for name, value in pairs.items():
            if not isinstance(value, str) or not name or len(name) > 255 or len(value) > 255:
                raise self.owner.dialect.bad(
                    f"Invalid input for field/attribute {envelope}. Value: {pairs!r}. "
                    f"{value!r} is not of type 'string' or is longer than 255")
        return pairs

    def one(self, ctx: Ctx, doc: Any, key: str) -> Any:
        """The value a ``PUT …/{key}`` body sets: the body holds that key alone."""
        pairs = self.values(ctx, doc, self.item_key)
        if len(pairs) > 1:
            raise self.owner.dialect.bad("Request body contains too many items")
        if key not in pairs:
            raise self.owner.dialect.bad("Request body and URI mismatch")
        return pairs[key]

    def allow(self, ctx: Ctx, record: Record, method: str) -> None:
        """Refuse (raise) a change the caller may not make (``method``: ``POST`` or
        ``PUT`` of the map or one key, ``DELETE`` of one key)."""
        self.owner.may_change(ctx, record, "update")

    def missing(self, record: Record, key: str) -> ApiError:
        """The 404 for a key the map does not hold."""
        return ApiError(404, f"{self.owner.singular.replace('_', ' ').capitalize()} "
                             f"{record['id']} has no {self.key.replace('_', ' ')} with key "
                             f"{key}.")

    def save(self, ctx: Ctx, record: Record, pairs: Mapping[str, Any]) -> None:
        """Give the record its new map (a new object: seeded records may share theirs)."""
        record[self.key] = dict(pairs)
        if self.owner.timestamps:
            record[self.owner.timestamps[1]] = self.owner.dialect.stamp()

    # -- handlers ----------------------------------------------------------------------

    def target(self, request: Request) -> tuple[Ctx, Record]:
        ctx = self.owner.context(request)
        return ctx, self.owner.get(ctx, request.path_params["id"])

    def item(self, key: str, value: Any) -> dict[str, Any]:
        return {key: value} if self.item_key is None else {self.item_key: {key: value}}

    async def many(self, request: Request) -> Response:
        ctx, record = self.target(request)
        if request.method == "GET":
            return self.owner.respond(ctx, {self.key: record[self.key]})
        pairs = self.values(ctx, await json_body(request), self.key)
        self.allow(ctx, record, request.method)
        self.save(ctx, record, pairs if request.method == "PUT" else {**record[self.key],
                                                                       **pairs})
        return self.owner.respond(ctx, {self.key: pairs if self.echo else record[self.key]})

    async def single(self, request: Request) -> Response:
        ctx, record = self.target(request)
        key, pairs = request.path_params["key"], record[self.key]
        if request.method == "PUT":
            self.allow(ctx, record, "PUT")
            value = self.one(ctx, await json_body(request), key)
            self.save(ctx, record, {**pairs, key: value})
            return self.owner.respond(ctx, self.item(key, value))
        if request.method == "DELETE":
            self.allow(ctx, record, "DELETE")
        if key not in pairs:
            raise self.missing(record, key)
        if request.method == "GET":
            return self.owner.respond(ctx, self.item(key, pairs[key]))
        self.save(ctx, record, {k: v for k, v in pairs.items() if k != key})
        return self.owner.respond(ctx, None, self.delete_status)

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        base = f"{prefix}/{self.owner.path}/{{id}}/{self.segment or self.key}"
        return [Route(base, self.many, methods=list(self.methods)),
                Route(base + "/{key}", self.single, methods=["GET", "PUT", "DELETE"])]


@dataclass(eq=False)
class Tags:
    """The list of texts under ``key`` of ``owner``'s records as a sub-resource (see the
    module); a subclass words its checks (:meth:`sent`, :meth:`one`) and its policy
    (:meth:`allow`)."""

    owner: Collection
    key: str = "tags"
    present_status: int = 204
    """The answer to adding a tag the record has (Neutron: 201 as for a new one)."""
    located: bool = True
    """An added tag's answer gives its URL as ``Location`` (Nova, Keystone)."""

    def allow(self, ctx: Ctx, record: Record, method: str) -> None:
        """Refuse (raise) what the caller may not do, reads (``GET``) included."""
        if method != "GET":
            self.owner.may_change(ctx, record, "update")

    def sent(self, ctx: Ctx, doc: Any) -> list[str]:
        """The tags a ``PUT …/tags`` body sets (each once), or the service's 400."""
        tags = doc.get(self.key) if isinstance(doc, dict) else None
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            raise self.owner.dialect.bad(f"Invalid input: {self.key} must be a list of "
                                         "texts.")
        return list(dict.fromkeys(tags))

    def one(self, ctx: Ctx, record: Record, tag: str) -> str:
        """The tag a ``PUT …/tags/{tag}`` adds (the 400 for a bad or one too many)."""
        return self.sent(ctx, {self.key: [tag]})[0]

    def missing(self, tag: str) -> ApiError:
        return ApiError(404, f"Tag {tag} could not be found.")

    def save(self, ctx: Ctx, record: Record, tags: list[str]) -> None:
        """Give the record its new list (a new object: seeded records may share theirs)."""
        record[self.key] = tags
        if self.owner.timestamps:
            record[self.owner.timestamps[1]] = self.owner.dialect.stamp()

    def target(self, request: Request) -> tuple[Ctx, Record]:
        ctx = self.owner.context(request)
        record = self.owner.get(ctx, request.path_params["id"])
        self.allow(ctx, record, request.method)
        return ctx, record

    async def many(self, request: Request) -> Response:
        ctx, record = self.target(request)
        if request.method == "PUT":
            self.save(ctx, record, self.sent(ctx, await json_body(request)))
        elif request.method == "DELETE":
            self.save(ctx, record, [])
            return self.owner.respond(ctx, None, 204)
        return self.owner.respond(ctx, {self.key: record[self.key]})

    async def single(self, request: Request) -> Response:
        ctx, record = self.target(request)
        tag, tags = request.path_params["tag"], record[self.key]
        if request.method == "PUT":
            tag = self.one(ctx, record, tag)
            if tag in tags:
                return self.owner.respond(ctx, None, self.present_status)
            self.save(ctx, record, [*tags, tag])
            response = self.owner.respond(ctx, None, 201)
            if self.located:
                base = ctx.store.base_url or str(request.base_url).rstrip("/")
                response.headers["Location"] = base + request.url.path
            return response
        if tag not in tags:
            raise self.missing(tag)
        if request.method == "DELETE":
            self.save(ctx, record, [t for t in tags if t != tag])
        return self.owner.respond(ctx, None, 204)

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        base = f"{prefix}/{self.owner.path}/{{id}}/{self.key}"
        methods = ["GET", "PUT", "DELETE"]
        return [Route(base, self.many, methods=methods),
                Route(base + "/{tag}", self.single, methods=methods)]
