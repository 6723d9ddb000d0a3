"""Resources: declarations of an API object, and the request logic they all share.

A resource class is keys, a ``base_path``, ``allow_*`` flags, a :class:`Query` and
:func:`prop` declarations; the logic to create, get, update, delete, head, list (with
every pagination style the core services use) and find lives here once::

    class Flavor(Resource):
        resource_key, resources_key, base_path = "flavor", "flavors", "/flavors"
        service = "compute"
        allow_list = allow_retrieve = True
        query = Query("is_public", min_ram="minRam")

        vcpus: int = prop("vcpus")
        is_public = prop("os-flavor-access:is_public", type=bool)

A resource keeps the server's body as sent (:attr:`Resource.raw`), so keys it does not
declare are never lost; props convert leniently when read and strictly when written.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import orjson

from . import exceptions as exc
from . import hooks
from ._types import Conversion, ConversionError, conversion_for

if TYPE_CHECKING:
    from keystoneauth1.adapter import Adapter

__all__ = ["Each", "Query", "Resource", "prop", "uri"]

R = TypeVar("R", bound="Resource")
Records = list[dict[str, Any]]  # spelled once: Resource.list shadows ``list`` in its body
_MISSING: Any = object()
SECRET_MASK = "***"
NOT_AN_OBJECT = "(not an object)"

class Each:
    """A frame column of one key of each entry of a list of dicts: ``Each("name")`` reads
    ``[{"name": "default"}, {"name": "web"}]`` as ``["default", "web"]``. Entries that are
    not dicts, or lack the key, are left out; a value that is not a list gives ``[]``.
    What a function would do, but a frame reads a whole column of it in one
    comprehension, without two calls per row."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, entries: Any) -> list[Any]:
        key = self.key
        if entries.__class__ is not list:
            return []
        return [value for entry in entries if entry.__class__ is dict
                and (value := entry.get(key)) is not None]

    def __repr__(self) -> str:
        return f"Each({self.key!r})"


ColumnPath = str | tuple[str, ...] | Each | Callable[[Any], Any]
"""Where a frame column reads inside a nested value: a key, keys tried in turn (the first
present wins), one key of each entry of a list (:class:`Each`), or a function of the
whole value."""


class _Prop:
    """A declared attribute: its PEP-8 name, its wire key and its conversion."""

    in_uri = False

    def __init__(self, server_key: str, type: Any = None, default: Any = None, *,
                 alternate_id: bool = False, secret: bool = False,
                 alias: str | None = None, request_only: bool = False,
                 columns: Mapping[str, ColumnPath] | None = None,
                 sent_beside: str | None = None) -> None:
        self.server_key = server_key
        self.alias = alias
        self.sent_beside = sent_beside
        self.type = type
        self.default = default
        self.alternate_id = alternate_id
        self.secret = secret
        self.request_only = request_only
        self.columns: dict[str, ColumnPath] = dict(columns or {})
        self.name = server_key
        self.conversion: Conversion = conversion_for(type)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Resource | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return obj._read(self)

    def __set__(self, obj: Resource, value: Any) -> None:
        obj._write(self, value)

    def __repr__(self) -> str:
        return f"prop({self.server_key!r}, name={self.name!r})"


class _URIProp(_Prop):
    """An attribute that lives in the URL (``%(server_id)s`` in ``base_path``)."""

    in_uri = True


def prop(server_key: str, type: Any = None, default: Any = None, *,
         alternate_id: bool = False, secret: bool = False, alias: str | None = None,
         request_only: bool = False, columns: Mapping[str, ColumnPath] | None = None,
         sent_beside: str | None = None) -> Any:
    """Declare an attribute sent and received as ``server_key``.

    ``type`` (or the annotation) drives conversion: bool, int, float, str, list (or
    ``list[X]``), dict, ``datetime.datetime`` (ISO-8601, tz-aware) or a nested Resource.
    ``alternate_id`` marks the key that identifies objects without an ``id`` (keypairs).
    ``secret`` values are masked in reprs and ``to_dict()``. ``alias`` is another server
    key read when ``server_key`` is absent (a service's ``name`` is its ``binary``).
    ``request_only`` marks what a request sends but no response carries (a server's
    ``flavorRef``): it stays out of DataFrames and tables, where it would be always empty.
    ``columns`` turns a nested value into flat columns in DataFrames and tables, so an
    analyst can group by them: ``{"flavor_name": ("original_name", "name"), "vcpus":
    "vcpus"}`` (see :data:`ColumnPath`); the attribute itself stays the whole value.
    ``sent_beside`` names the key a request carries this value under *beside* the
    ``resource_key`` envelope rather than inside it (a create's scheduler hints go as
    ``{"server": {…}, "OS-SCH-HNT:scheduler_hints": {…}}``, while responses carry them
    inside the server as ``server_key``).
    """
    return _Prop(server_key, type, default, alternate_id=alternate_id, secret=secret,
                 alias=alias, request_only=request_only, columns=columns,
                 sent_beside=sent_beside)


def uri(name: str, type: Any = str) -> Any:
    """Declare an attribute filled into ``base_path`` as ``%(name)s``."""
    return _URIProp(name, type)


class Query:
    """The query parameters a resource's list accepts: PEP-8 name → server name.

    ``Query("name", "status", all_projects="all_tenants")``; ``limit`` and ``marker``
    are always accepted.
    """

    def __init__(self, *names: str, **mapped: str) -> None:
        self.mapping: dict[str, str] = {"limit": "limit", "marker": "marker"}
        self.mapping.update({n: n for n in names})
        self.mapping.update(mapped)

    def __contains__(self, name: object) -> bool:
        return name in self.mapping

    def transpose(self, owner: type, params: Mapping[str, Any]) -> dict[str, Any]:
        """Server-side parameters for ``params``; an unknown name is an InvalidQuery."""
        out: dict[str, Any] = {}
        server_names = set(self.mapping.values())
        for key, value in params.items():
            if value is None:
                continue
            if key in self.mapping:
                wire = self.mapping[key]
            elif key in server_names:
                wire = key
            else:
                known = ", ".join(sorted(self.mapping))
                raise exc.InvalidQuery(
                    f"{owner.__name__} cannot be listed by {key!r}; accepted: {known}")
            out[wire] = _query_value(value)
        return out


def _query_value(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))  # Cinder reads dict filters so
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Resource):
        return value.id
    return value


class Resource:
    """Base of every API object. Subclasses declare; this class does the requests."""

    resource_key: ClassVar[str | None] = None
    resources_key: ClassVar[str | None] = None
    base_path: ClassVar[str] = ""
    service: ClassVar[str] = ""
    allow_create: ClassVar[bool] = False
    allow_retrieve: ClassVar[bool] = False
    allow_update: ClassVar[bool] = False
    allow_delete: ClassVar[bool] = False
    allow_head: ClassVar[bool] = False
    allow_list: ClassVar[bool] = False
    create_method: ClassVar[str] = "POST"
    commit_method: ClassVar[str] = "PUT"
    commit_patch_type: ClassVar[str | None] = None
    """When set, an update sends RFC 6902 operations with this Content-Type (Glance)."""
    requires_id: ClassVar[bool] = True
    """False for a singleton addressed by ``base_path`` alone (``/limits``)."""
    free_form: ClassVar[bool] = False
    """True: keyword attributes the class does not declare are sent under their own names
    (Glance's image properties are free-form); they read back from ``extra``."""
    commit_sends_all: ClassVar[bool] = False
    """True: an update sends every attribute known of the object with the changes over
    them, because the API's PUT replaces the whole object (placement inventories): an
    update of ``total`` alone must not reset ``allocation_ratio`` to its default."""
    wrap_requests: ClassVar[bool] = True
    """False: request bodies go unwrapped though responses come under ``resource_key``
    (Nova's ``PUT /os-services/{id}``)."""
    wrapped_items: ClassVar[bool] = False
    """True: list items come each under ``resource_key`` (Nova's keypairs)."""
    query: ClassVar[Query] = Query()
    min_microversion: ClassVar[str | None] = None
    """The oldest microversion whose response shape this class reads; None: unversioned."""
    max_microversion: ClassVar[str | None] = None
    """The newest microversion this class understands; the proxy negotiates up to it."""
    mapping_key: ClassVar[str] = "name"
    """Where a list sent as a mapping (placement inventories) puts each key."""
    mapping_value_key: ClassVar[str] = "value"
    """Where such a list puts a value that is not an object (placement usages)."""
    shared_keys: ClassVar[tuple[str, ...]] = ()
    """Top-level keys of a list response copied into every record
    (placement's ``resource_provider_generation``)."""
    display_columns: ClassVar[tuple[str, ...]] = ()
    """Columns a list table shows (dotted paths reach into dicts); empty: chosen from data."""
    child_frames: ClassVar[Mapping[str, Callable[[dict[str, Any]], Iterator[dict[str, Any]]]]] = {}
    """Tidy frames of a nested collection: name → rows of one record (a server's
    addresses, one row per network × address). ``ResourceList.child_frame(name)`` (or
    ``servers.addresses()``) stacks them, each row led by its parent's id and name."""

    _props: ClassVar[dict[str, _Prop]] = {}
    _by_key: ClassVar[dict[str, _Prop]] = {}
    _id_prop: ClassVar[_Prop | None] = None

    id: str | None = prop("id", type=str)
    name: str | None = prop("name", type=str)

    __slots__ = ("_body", "_changes", "_uri", "_headers", "_proxy")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        props: dict[str, _Prop] = {}
        for base in reversed(cls.__mro__[1:]):
            props.update(getattr(base, "_props", {}))
        hints = _annotations(cls)
        for name, value in cls.__dict__.items():
            if isinstance(value, _Prop):
                if value.type is None and name in hints:
                    value.type = hints[name]
                    value.conversion = conversion_for(hints[name])
                props.pop(name, None)
                props[name] = value
        cls._props = props
        cls._by_key = {p.server_key: p for p in props.values() if not p.in_uri}
        alt = [p for p in props.values() if p.alternate_id]
        cls._id_prop = alt[0] if alt else None

    def __init__(self, _body: Mapping[str, Any] | None = None, **attrs: Any) -> None:
        self._body: dict[str, Any] = dict(_body) if _body else {}
        self._changes: dict[str, Any] = {}
        self._uri: dict[str, Any] = {}
        self._headers: Mapping[str, str] = {}
        self._proxy: Any = None
        self._set(attrs)

    def _set(self, attrs: Mapping[str, Any]) -> None:
        """Set attributes by PEP-8 name or wire key; an unknown name is refused, unless the
        class is ``free_form`` (then it is sent as a key of its own)."""
        for key, value in attrs.items():
            p = self._props.get(key) or self._by_key.get(key)
            if p is not None:
                p.__set__(self, value)
            elif self.free_form and isinstance(key, str) and key and key not in self._uri:
                self._changes[key] = value
            else:
                known = ", ".join(n for n in self._props)
                raise exc.InvalidRequest(
                    f"{type(self).__name__} has no attribute {key!r}; known: {known}")

    @classmethod
    def _from_body(cls: type[R], body: dict[str, Any], uri: Mapping[str, Any] | None = None,
                   proxy: Any = None) -> R:
        """Wrap a server body without copying or converting it (the fast path).

        A body that is not a JSON object (a broken listing's ``null`` or ``7``) is kept
        under the key ``"(not an object)"``, where ``extra`` shows it: one odd item must
        not break the list it came in."""
        obj = cls.__new__(cls)
        obj._body = body if isinstance(body, dict) else {NOT_AN_OBJECT: body}
        obj._changes = {}
        obj._uri = dict(uri) if uri else {}
        obj._headers = {}
        obj._proxy = proxy
        return obj

    # -- attribute access -------------------------------------------------------------
    def _read(self, p: _Prop) -> Any:
        if p.in_uri:
            value = self._uri.get(p.name, _MISSING)
            if value is _MISSING:
                value = self._body.get(p.server_key, p.default)
            return value
        id_prop = type(self)._id_prop  # on an instance, the descriptor would read its value
        if p.name == "id" and id_prop is not None and id_prop is not p:
            return self._read(id_prop)
        source = self._changes if p.server_key in self._changes else self._body
        value = source.get(p.server_key, _MISSING)
        if value is _MISSING and p.alias is not None:
            value = self._body.get(p.alias, _MISSING)
        if value is _MISSING:
            return p.default
        return p.conversion.from_wire(value)

    def _write(self, p: _Prop, value: Any) -> None:
        try:
            wire = p.conversion.to_wire(value)
        except ConversionError as err:
            shown = SECRET_MASK if p.secret else repr(value)
            raise exc.InvalidValue(
                f"{type(self).__name__}.{p.name} cannot be set to {shown}: {err}") from None
        if p.in_uri:
            self._uri[p.name] = wire
        else:
            self._changes[p.server_key] = wire

    @property
    def raw(self) -> dict[str, Any]:
        """The body as the server sent it, with pending changes applied."""
        return {**self._body, **self._changes}

    @property
    def extra(self) -> dict[str, Any]:
        """Server keys this class does not declare (extensions, newer fields)."""
        return {k: v for k, v in self.raw.items() if k not in self._by_key}

    @property
    def headers(self) -> Mapping[str, str]:
        """Headers of the last response that filled this object."""
        return self._headers

    def to_dict(self, *, reveal_secrets: bool = False) -> dict[str, Any]:
        """Declared attributes under their PEP-8 names, in declaration order."""
        out: dict[str, Any] = {}
        for name, p in self._props.items():
            value = self._read(p)
            if p.secret and value is not None and not reveal_secrets:
                value = SECRET_MASK
            elif isinstance(value, Resource):
                value = value.to_dict(reveal_secrets=reveal_secrets)
            out[name] = value
        return out

    def _wire_body(self) -> dict[str, Any]:
        return self.raw

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Resource) or type(other) is not type(self):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return bool(self.id == other.id)

    def __hash__(self) -> int:
        return hash((type(self), self.id)) if self.id is not None else id(self)

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}"]
        if "name" in self._props and self.name is not None:
            parts.append(f"name={self.name!r}")
        if "status" in self._props:
            status = self._read(self._props["status"])
            if status is not None:
                parts.append(f"status={status!r}")
        return f"<{type(self).__name__} {' '.join(parts)}>"

    # -- notebook reprs: through the display door (osnb.sdk.hooks), plain without it ----
    def _repr_html_(self) -> str:
        render = hooks.lookup("resource_html")
        return hooks.plain_html(self) if render is None else str(render(self))

    def __rich__(self) -> Any:
        render = hooks.lookup("resource_rich")
        return repr(self) if render is None else render(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        render = hooks.lookup("resource_pretty")
        lines = [repr(self)] if cycle or render is None else render(self)
        for i, line in enumerate(lines):
            if i:
                printer.break_()
            printer.text(line)

    def widget(self) -> Any:
        """An ipywidgets view of this object (and, for servers, its related objects)."""
        return hooks.require("resource_widget", "Resource.widget()")(self)

    # -- requests ---------------------------------------------------------------------
    @classmethod
    def _path(cls, uri_values: Mapping[str, Any], base_path: str | None = None) -> str:
        template = base_path or cls.base_path
        try:
            return template % {k: quote(str(v), safe="") for k, v in uri_values.items()}
        except KeyError as missing:
            raise exc.InvalidRequest(
                f"{cls.__name__} needs {missing.args[0]!r} to build its URL "
                f"({template})") from None

    def _item_path(self, base_path: str | None = None) -> str:
        path = self._path(self._uri_values(), base_path)
        if not self.requires_id:
            return path
        ident = self.id
        if ident is None:
            raise exc.InvalidRequest(f"{type(self).__name__} has no id to address it by")
        return path + "/" + quote(str(ident), safe="")

    def _uri_values(self) -> dict[str, Any]:
        values = {p.name: self._read(p) for p in self._props.values() if p.in_uri}
        return {k: v for k, v in values.items() if v is not None}

    @classmethod
    def _require(cls, flag: str, method: str) -> None:
        if not getattr(cls, flag):
            raise exc.MethodNotSupported(cls, method)

    @classmethod
    def _request_args(cls, session: Adapter) -> dict[str, Any]:
        negotiate = getattr(session, "microversion_for", None)
        version = negotiate(cls) if negotiate is not None else None
        return {"microversion": version} if version else {}

    def _absorb(self, response: Any, session: Any = None) -> None:
        self._headers = response.headers
        self._proxy = session
        if not response.content:
            self._body.update(self._changes)
            self._changes = {}
            return
        body = _json(response)
        if self.resource_key and isinstance(body, dict) and self.resource_key in body:
            body = body[self.resource_key]
        if isinstance(body, dict):
            merged = {**self._body, **self._changes, **body}
            for key, value in self._changes.items():
                if value is None and key not in body:
                    del merged[key]  # removed (a JSON-patch "remove"), and the answer agrees
            self._body = merged
            self._changes = {}

    def _envelope(self, payload: dict[str, Any]) -> dict[str, Any]:
        beside = {p.sent_beside: payload.pop(p.server_key) for p in self._props.values()
                  if p.sent_beside and p.server_key in payload}
        if self.resource_key and self.wrap_requests:
            return {self.resource_key: payload, **beside}
        return {**payload, **beside}

    def create(self: R, session: Adapter, *, base_path: str | None = None) -> R:
        """POST (or PUT, per ``create_method``) this object's attributes."""
        self._require("allow_create", "create")
        url = self._path(self._uri_values(), base_path)
        if self.create_method == "PUT":
            url = self._item_path()
        body = self._envelope(dict(self._changes))
        response = session.request(url, self.create_method, json=body,
                                   **self._request_args(session))
        self._absorb(response, session)
        return self

    def get(self: R, session: Adapter, *, base_path: str | None = None, **params: Any) -> R:
        """GET this object, replacing what is known of it; ``params`` are its query,
        named as in :attr:`query` (``usage=True``)."""
        self._require("allow_retrieve", "get")
        wire = type(self).query.transpose(type(self), params)
        response = session.get(self._item_path(base_path), params=wire or None,
                               **self._request_args(session))
        id_prop = type(self)._id_prop
        key = id_prop.server_key if id_prop is not None else "id"
        raw = self.raw
        self._changes = {}
        self._body = {key: raw[key]} if key in raw else {}  # kept if the body omits it
        self._absorb(response, session)
        return self

    fetch = get

    def update(self: R, session: Adapter) -> R:
        """Send only the attributes changed since the last response; no change, no call."""
        self._require("allow_update", "update")
        if not self._changes:
            return self
        payload = dict(self._changes)
        if self.commit_sends_all:
            known = {p.server_key for p in self._props.values()
                     if not (p.in_uri or p.alternate_id or p.request_only)} - {"id"}
            payload = {**{k: v for k, v in self._body.items() if k in known}, **payload}
        body: Any = self._envelope(payload)
        args = self._request_args(session)
        if self.commit_patch_type:
            body = self._json_patch()
            args["headers"] = {"Content-Type": self.commit_patch_type}
        response = session.request(self._item_path(), self.commit_method, json=body, **args)
        self._absorb(response, session)
        return self

    commit = update

    def _json_patch(self) -> list[dict[str, Any]]:
        """The pending changes as RFC 6902 operations; None removes a key."""
        ops: list[dict[str, Any]] = []
        for key, value in self._changes.items():
            path = "/" + key.replace("~", "~0").replace("/", "~1")
            if value is None:
                ops.append({"op": "remove", "path": path})
            else:
                op = "replace" if key in self._body else "add"
                ops.append({"op": op, "path": path, "value": value})
        return ops

    def delete(self: R, session: Adapter) -> R:
        self._require("allow_delete", "delete")
        response = session.delete(self._item_path(), **self._request_args(session))
        self._headers = response.headers
        return self

    def head(self: R, session: Adapter) -> R:
        self._require("allow_head", "head")
        response = session.head(self._item_path(), **self._request_args(session))
        self._headers = response.headers
        return self

    def _action(self, session: Adapter, body: dict[str, Any], *, path: str = "action",
                method: str = "POST") -> Any:
        """POST (or ``method``) ``body`` to ``<item>/<path>``; returns the response."""
        return session.request(f"{self._item_path()}/{path}", method, json=body,
                               **self._request_args(session))

    @classmethod
    def list(cls: type[R], session: Adapter, *, base_path: str | None = None,
             **params: Any) -> Iterator[R]:
        """Every object matching ``params``, following pages to the end."""
        uri_values, _ = cls._split_params(params)
        for records in cls.list_pages(session, base_path=base_path, **params):
            for record in records:
                yield cls._from_body(record, uri_values, session)

    @classmethod
    def _split_params(cls, params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        uri_values: dict[str, Any] = {}
        query: dict[str, Any] = {}
        for key, value in params.items():
            p = cls._props.get(key)
            if p is not None and p.in_uri:
                uri_values[key] = value.id if isinstance(value, Resource) else value
            else:
                query[key] = value
        return uri_values, query

    @classmethod
    def list_pages(cls, session: Adapter, *, base_path: str | None = None,
                   **params: Any) -> Iterator[Records]:
        """The raw records, page by page: the fast path for DataFrames.

        Follows Nova/Neutron/Cinder ``<key>_links`` (rel=next), Glance ``next``,
        Keystone ``links.next`` and plain marker/limit, and refuses a link or a page seen
        before anywhere in the listing (not only the previous one: links alternating
        A, B, A… stop too), or a link to another host (the token would go with it).

        **Fetched ahead**: as soon as a page's bytes arrive, its next link is read from
        the end of the body (where Nova, Neutron, Cinder and Glance put it) and that page
        is requested on a second thread while this one decodes the first and the caller
        works on it; one page at most is in flight ahead. The guess is checked against
        the link the decoded page gives (:meth:`_next_page`, as without fetching ahead)
        and a wrong one is discarded, so results, errors, retries and the loop guards are
        those of a sequential listing; a request the guard would refuse is never sent
        ahead. Closing the generator (its caller gone, Ctrl-C) starts nothing more. A
        proxy with ``fetch_ahead = False`` (``with_options(fetch_ahead=False)``) fetches
        one page after another.
        """
        for records, _ in cls._responses(session, base_path=base_path, **params):
            yield records

    @classmethod
    def _responses(cls, session: Adapter, *, base_path: str | None = None,
                   **params: Any) -> Iterator[tuple[Records, Any]]:
        """:meth:`list_pages` with each page's response: its bytes are what a listing
        keeps when a frame took its records (:class:`~osnb.sdk.resource_list.ResourceList`)."""
        cls._require("allow_list", "list")
        uri_values, query = cls._split_params(params)
        url: str | None = cls._path(uri_values, base_path)
        wire = cls.query.transpose(cls, query)
        limit = wire.get("limit")
        args = cls._request_args(session)
        endpoint = _endpoint(session)
        ahead_allowed = bool(getattr(session, "fetch_ahead", False))
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        pages: set[int] = set()
        ahead: _Ahead | None = None
        try:
            while url is not None:
                key = _request_key(url, wire)
                if key in seen:
                    raise exc.InvalidResponse(
                        f"{cls.__name__} listing loops: {url} was already fetched")
                seen.add(key)
                if ahead is not None and ahead.key == key:
                    waited = ahead.running
                    response = ahead.result()
                else:
                    response = _get_page(session, url, params=wire, **args)
                    elapsed = getattr(response, "elapsed", None)
                    waited = elapsed is not None and elapsed.total_seconds() >= WAITED_FOR
                # What a listing keeping this page's bytes reads: packing them costs
                # nothing where it waits on the network (resource_list.WAITED_PACK_LEVEL).
                response.osnb_waited = waited
                ahead = None
                if ahead_allowed:
                    guess = cls._guess_next(response, endpoint)
                    if guess is not None and _request_key(guess, {}) not in seen:
                        ahead = _Ahead(_request_key(guess, {}), _get_page, session, guess,
                                       params={}, **args)
                with collector_paused():  # not across the yield: the caller's code is its own
                    body = _json(response)
                    records = cls._records(body, response)
                    if records:
                        page = _page_signature(records)
                        if page in pages:
                            raise exc.InvalidResponse(
                                f"{cls.__name__} listing loops: the server sent a page it "
                                f"had sent before ({response.url})")
                        pages.add(page)
                yield records, response
                if not records:
                    return
                url, wire = cls._next_page(body, records, wire, limit, endpoint,
                                           response.url)
        finally:
            if ahead is not None:
                ahead.abandon()

    @classmethod
    def _guess_next(cls, response: Any, endpoint: str | None) -> str | None:
        """The next page's URL read from the raw end of ``response``'s body, before it is
        decoded: the ``<key>_links`` or ``next`` member parsed from its last occurrence to
        the end (the top-level one, which the services send last). None when there is no
        such member, it does not parse, or it names another host; a guess is only a
        guess (a metadata key could spell the same), which :meth:`list_pages` checks."""
        content = response.content
        current = response.url
        if not content or not current or cls.resources_key is None:
            return None
        for member in (f'"{cls.resources_key}_links"'.encode(), b'"next"'):
            at = content.rfind(member)
            if at < 0:
                continue
            try:
                tail = orjson.loads(b"{" + content[at:])
            except orjson.JSONDecodeError:
                continue
            try:
                link = cls._link(tail, endpoint, current)
            except exc.InvalidResponse:
                return None
            if link is not None:
                return link
        return None

    @classmethod
    def _records(cls, body: Any, response: Any) -> Records:
        if cls.resources_key is None:
            if isinstance(body, list):
                return body
            raise exc.InvalidResponse(f"{cls.__name__} list expected a JSON list from "
                                      f"{response.url}")
        if not isinstance(body, dict) or cls.resources_key not in body:
            raise exc.InvalidResponse(
                f"{cls.__name__} list: the response from {response.url} has no "
                f"{cls.resources_key!r} key")
        records = body[cls.resources_key]
        if cls.wrapped_items and isinstance(records, list):
            records = [r[cls.resource_key] if isinstance(r, dict) and cls.resource_key in r
                       else r for r in records]
        if isinstance(records, dict):  # e.g. placement's mapping keyed by resource class
            shared = {k: body[k] for k in cls.shared_keys if k in body}
            key, value_key = cls.mapping_key, cls.mapping_value_key
            records = [{key: k, **shared, **v} if isinstance(v, dict)
                       else {key: k, value_key: v, **shared} for k, v in records.items()]
        if not isinstance(records, list):
            raise exc.InvalidResponse(f"{cls.__name__} list: {cls.resources_key!r} in "
                                      f"{response.url} is not a list")
        return records

    @classmethod
    def _link(cls, body: Any, endpoint: str | None, current: str) -> str | None:
        """The absolute URL of the next page a body links to, or None; a link to another
        host is an InvalidResponse."""
        link: str | None = None
        if isinstance(body, dict):
            links = body.get(f"{cls.resources_key}_links")
            if isinstance(links, list):
                for item in links:
                    if isinstance(item, dict) and item.get("rel") == "next":
                        link = item.get("href")
            if link is None and isinstance(body.get("next"), str):
                link = _join_relative(endpoint or current, body["next"])
            meta = body.get("links")
            if link is None and isinstance(meta, dict) and isinstance(meta.get("next"), str):
                link = meta["next"]
        if not link:
            return None
        absolute = urljoin(current, link)
        _check_same_host(cls, absolute, endpoint or current)
        return absolute

    @classmethod
    def _next_page(cls, body: Any, records: Records, wire: dict[str, Any],
                   limit: Any, endpoint: str | None, current: str
                   ) -> tuple[str | None, dict[str, Any]]:
        link = cls._link(body, endpoint, current)
        if link:
            return link, {}
        if limit is not None and len(records) >= int(limit):
            last = records[-1]
            marker = last.get("id") if isinstance(last, dict) else None
            if cls._id_prop is not None and marker is None:
                marker = last.get(cls._id_prop.server_key)
            if marker is not None:
                return current.split("?")[0], {**wire, "marker": marker}
        return None, {}

    @classmethod
    def _name_filter(cls, name: str) -> str:
        """The ``name`` query value that selects exactly ``name`` (Nova's is a regex)."""
        return name

    @classmethod
    def find(cls: type[R], session: Adapter, name_or_id: str, *,
             ignore_missing: bool = False, base_path: str | None = None,
             **params: Any) -> R | None:
        """By id first, then by exact name; several by name is a DuplicateResource."""
        uri_values, query = cls._split_params(params)
        if cls.allow_retrieve:
            candidate = cls._from_body({"id": name_or_id}, uri_values)
            if cls._id_prop is not None:
                candidate._body = {cls._id_prop.server_key: name_or_id}
            try:
                return candidate.get(session)
            except (exc.NotFound, exc.BadRequest):
                pass
        if cls.allow_list:
            if "name" in cls.query:
                query = {**query, "name": cls._name_filter(name_or_id)}
            matches = [r for r in cls.list(session, base_path=base_path, **uri_values, **query)
                       if r.name == name_or_id or r.id == name_or_id]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                ids = ", ".join(str(m.id) for m in matches)
                raise exc.DuplicateResource(
                    f"{len(matches)} {cls.__name__}s are named {name_or_id!r} ({ids}); "
                    "use an id")
        if ignore_missing:
            return None
        raise exc.NotFound(f"no {cls.__name__} with id or name {name_or_id!r}",
                           status_code=404)


Resource._props = {n: v for n, v in vars(Resource).items() if isinstance(v, _Prop)}
Resource._by_key = {p.server_key: p for p in Resource._props.values()}


def _annotations(cls: type) -> dict[str, Any]:
    """Resolved annotations of ``cls`` itself; unresolved ones are left out."""
    raw = cls.__dict__.get("__annotations__", {})
    if not raw:
        return {}
    module = sys.modules.get(cls.__module__)
    namespace = {**(vars(module) if module else {}), cls.__name__: cls}
    out: dict[str, Any] = {}
    for name, ann in raw.items():
        if isinstance(ann, str):
            try:
                ann = eval(ann, namespace)  # noqa: S307 - annotations of our own classes
            except Exception:  # noqa: BLE001 - an unresolvable hint just means no type
                continue
        if typing.get_origin(ann) is ClassVar:
            continue
        out[name] = ann
    return out


_BEFORE_NUMBER = frozenset(b":,[ \t\r\n")
"""What may come right before a JSON number (or its minus)."""

_EIGHT_DIGITS = int.from_bytes(b"\x01" * 8, "little")
"""Eight bytes of a boolean array, all true, read as one unsigned integer."""

SCAN_FROM = 32768
"""Bodies of this many bytes or more are scanned for long numbers with numpy (its
fixed cost, about 40 µs, is the mapping's for 32 KiB)."""

_NUMBER_SHAPE = bytes(0x30 if 0x30 <= b <= 0x39 else 0x2D if b == 0x2D
                      else 0x3A if b in _BEFORE_NUMBER else 0x78 for b in range(256))
"""Digits as ``0``, a minus as ``-``, what else may come right before a JSON number
(``:``, ``,``, ``[``, whitespace) as ``:``, anything else as ``x``: a number literal of 20
digits then reads ``:`` and twenty ``0``, a negative one of 19 ``-`` and nineteen, while
digits inside a string (a hex ``hostId``) follow an ``x`` or a quote."""
_LONG_NUMBERS = (b":" + b"0" * 20,  # 2**64 has 20 digits: a shorter integer is exact
                 b"-" + b"0" * 19)  # -2**63 has 19: below it orjson reads a float too


def _long_number(content: bytes) -> bool:
    """Whether ``content`` may hold an integer literal orjson would read as a float: 20
    digits or more (2**64 has 20), or a minus and 19 (-2**63 has 19).

    A body under :data:`SCAN_FROM` bytes is mapped by :data:`_NUMBER_SHAPE` and searched
    (about a microsecond a kilobyte). A larger one (a page of a listing) is read with
    numpy, eight bytes at a time: a run of 19 digits or more holds eight at an offset
    that is a multiple of eight, and each run so found is read. A run inside a string (a
    hex ``hostId`` often has one) follows neither a minus nor what comes before a JSON
    value, and is passed over; one that does is taken as a number (at worst the page goes
    to the slower decoder). On a page of 1,000 servers that takes 0.47 ms where the
    mapping and search took 2.6, a fifth of decoding it."""
    if len(content) < SCAN_FROM:
        shape = b":" + content.translate(_NUMBER_SHAPE)
        return any(long in shape for long in _LONG_NUMBERS)
    import numpy as np  # with pandas, always there; imported once, on the first page

    size = len(content)
    digit = (np.frombuffer(content, dtype=np.uint8) - 0x30) < 10  # below "0" wraps: >= 10
    # A run of 19 ending in the last (size % 8) bytes has 12 before them: a whole block.
    blocks = np.flatnonzero(digit[:size - size % 8].view(np.uint64) == _EIGHT_DIGITS)
    end = -1
    for block in blocks.tolist():
        start = block * 8
        if start < end:
            continue  # inside the run just read
        while start and digit[start - 1]:
            start -= 1
        end = block * 8 + 8
        while end < size and digit[end]:
            end += 1
        if end - start < 19:
            continue
        before = content[start - 1] if start else 0x3A
        if before == 0x2D:  # a minus: 19 digits are below -2**63 already
            if start < 2 or content[start - 2] in _BEFORE_NUMBER:
                return True
        elif before in _BEFORE_NUMBER and end - start >= 20:
            return True
    return False


def _json(response: Any) -> Any:
    """The body as JSON, or a clear error.

    orjson first. With the collector on it was no faster than the standard library; with
    it paused (:func:`collector_paused`, as listings do), 50,000 servers into a frame take
    0.96-0.98x the time they take with the stdlib decoder (paired rounds), and their
    records hold 317 MiB instead of 299 (orjson's strings are not shared). What orjson
    refuses (a body that is not UTF-8, NaN or Infinity, a syntax error) goes to the standard
    library, which decides as it always did. orjson reads an integer beyond 64 bits as a
    float, and Neutron sends such counts (an IPv6 subnet's ``total_ips``): a body with a
    number of 20 digits or more, or a negative one of 19, is left to the standard library
    too (digits inside strings
    do not count: a page of 1,000 servers nearly always has 20 in a row somewhere in its
    hex ``hostId``s, which sent every such page to the slower decoder).
    """
    content = response.content
    if content and not _long_number(content):
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError:
            pass
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("content-type", "?")
        snippet = " ".join(response.text[:200].split())
        raise exc.InvalidResponse(
            f"{response.request.method if response.request else 'GET'} {response.url} "
            f"returned {response.status_code} with a body that is not JSON "
            f"(content-type {kind}): {snippet!r}") from None


class _CollectorPause:
    """Pauses the cyclic garbage collector, process-wide and reference-counted.

    Decoding a page makes hundreds of thousands of dicts, lists and strings that are all
    kept; each allocation past the collector's threshold triggers a collection that walks
    them again for nothing, which was most of the decode time of a large listing. The first
    pause disables the collector (if it was enabled), the last one to end re-enables it, so
    nested listings and listings running at once in several threads never re-enable it
    early; leaving by an exception or ``KeyboardInterrupt`` ends the pause too.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._restore = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._restore = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._restore:
                gc.enable()

    @property
    def depth(self) -> int:
        """How many pauses are in progress (0: the collector is as the program left it)."""
        return self._depth


_PAUSE = _CollectorPause()


def collector_paused() -> _CollectorPause:
    """The process-wide pause of the cyclic collector: ``with collector_paused(): …``."""
    return _PAUSE


def _request_key(url: str, wire: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What the loop guard compares: the URL and the query sent with it."""
    return url, tuple(sorted((k, str(v)) for k, v in wire.items()))


WAITED_FOR = 0.012
"""Seconds a page fetched in turn takes to answer (``Response.elapsed``) from which the
listing counts as waiting on the network: about what compressing a page of 1,000 servers
takes (``resource_list.WAITED_PACK_LEVEL``)."""


class _Ahead:
    """One request sent on a thread of its own, for a listing fetching a page ahead.

    The thread makes that one request (with the proxy's retries) and ends: nothing keeps
    fetching once the listing stops asking. :meth:`result` waits for it and gives the
    response or raises what the request raised, in the listing's thread.
    """

    __slots__ = ("key", "_thread", "_response", "_error")

    def __init__(self, key: tuple[str, tuple[tuple[str, str], ...]],
                 call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.key = key
        self._response: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._response = call(*args, **kwargs)
            except BaseException as err:  # noqa: BLE001 - handed to the listing's thread
                self._error = err

        self._thread = threading.Thread(target=run, name="osnb-fetch-ahead", daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._response

    def abandon(self) -> None:
        """The listing no longer wants this page: let the thread end on its own (its
        request is not interrupted; nothing more is started) and drop what it brings."""
        self._error = None

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


def _get_page(session: Any, url: str, **kwargs: Any) -> Any:
    """GET one page of a listing, its body read in one piece.

    ``requests`` reads a body 10 KiB at a time, taking the GIL back after each read: on the
    fetch-ahead thread, while the listing's thread decodes (orjson holds the GIL), each
    of those waits up to the interpreter's switch interval, so a 2 MB page took 3-5x as
    long to arrive as on an idle thread and the page ahead was rarely there in time.
    Streamed, then read with no chunk size, the body comes in as large reads as the
    socket gives; it is set where ``Response.content`` keeps it, as that property does
    (errors as ``requests`` raises them). An error answer was read already (its message).
    """
    response = session.get(url, stream=True, **kwargs)
    if response._content is False:  # noqa: SLF001 - requests keeps the body there
        response._content = b"".join(response.iter_content(None)) or b""  # noqa: SLF001
    return response


def _page_signature(records: Records) -> int:
    """A page's identity for the loop guard: its ids, or its content when it has none."""
    ids = tuple(r.get("id") if isinstance(r, dict) else None for r in records)
    if any(i is not None for i in ids):
        return hash(ids)
    return hash(json.dumps(records, sort_keys=True, default=str))


def _endpoint(session: Any) -> str | None:
    try:
        endpoint = session.get_endpoint()
    except Exception:  # noqa: BLE001 - no catalog (a test adapter): fall back to the page URL
        return None
    return str(endpoint) if endpoint else None


def _join_relative(endpoint: str, link: str) -> str:
    """Glance's ``next`` (``/v2/images?marker=…``) is relative to the service root,
    and the endpoint may already end in that version: join without repeating it."""
    if urlsplit(link).scheme:
        return link
    parts = urlsplit(endpoint)
    segments = [s for s in parts.path.split("/") if s]
    link_path = link.split("?")[0]
    for i in range(len(segments)):
        tail = "/" + "/".join(segments[i:])
        if link_path == tail or link_path.startswith(tail + "/"):
            segments = segments[:i]
            break
    base = "/" + "/".join(segments) if segments else ""
    return f"{parts.scheme}://{parts.netloc}{base}{link}"


def _check_same_host(cls: type, link: str, endpoint: str) -> None:
    want, got = urlsplit(endpoint), urlsplit(link)
    if (got.scheme, got.netloc) != (want.scheme, want.netloc):
        raise exc.InvalidResponse(
            f"{cls.__name__} listing: refusing to follow a pagination link to "
            f"{got.scheme}://{got.netloc} (the service is at {want.scheme}://{want.netloc}); "
            "the token would be sent there")
