"""What the Nova handlers share: Nova's dialect, the request context, microversions,
state.

Server records are kept in the newest (2.100, admin, ``GET /servers/{id}``) shape;
:mod:`.views` derives older and non-admin shapes. Per-world private state (the
sorted listing index, pending builds, encoded-JSON caches) lives in :class:`ComputeState`,
reached through :func:`state`.
"""

from __future__ import annotations

import dataclasses
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Ctx as EngineCtx
from ...engine import Dialect, Field, check_body
from ...http import ApiError, auth, json_response, microversion, microversion_headers, store_of
from ...store import Record, Store

__all__ = [
    "LEGACY_HEADER",
    "MAX_VERSION",
    "MIN_VERSION",
    "NO_ITEMS",
    "NO_KEYS",
    "NOVA",
    "ComputeState",
    "Ctx",
    "Server",
    "SharedDict",
    "SharedList",
    "V21",
    "NovaDialect",
    "bad_request",
    "check_lock",
    "check_state",
    "context",
    "invalidate",
    "member",
    "reply",
    "servers_of",
    "settle",
    "state",
    "validation_error",
]

MIN_VERSION = "2.1"
MAX_VERSION = "2.100"
LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
V21 = "/compute/v2.1"


def _refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
    raise TypeError("a value shared by many servers: replace it, do not change it in place")


class SharedList(list[Any]):
    """An empty list that many server records share (most seeded servers have no tags,
    volumes or server groups): one object instead of one per server. It refuses changes
    in place, so a handler that forgot to replace the value fails loudly instead of
    changing every server; handlers replace these values, as they do the shared flavor
    and image documents."""

    __slots__ = ()
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


class SharedDict(dict[str, Any]):
    """An empty dict that many server records share (``metadata``, ``scheduler_hints``):
    see :class:`SharedList`."""

    __slots__ = ()
    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = __ior__ = _refuse


NO_ITEMS: list[str] = SharedList()
NO_KEYS: dict[str, Any] = SharedDict()


class Server(dict[str, Any]):
    """A server record: its items are the 2.100 admin ``GET /servers/{id}`` document, links
    included, so the record encodes as it stands; what only the simulator knows of the
    server lives in attributes, out of the document's way.
    """

    __slots__ = ("flavor_id", "port_ids", "server_groups", "locked_by", "no_host",
                 "preserve_ports")

    flavor_id: str
    port_ids: list[str]
    """Its Neutron ports, in the order they were plugged. This and the other lists here
    start as the shared :data:`NO_ITEMS`: they are replaced, never changed in place."""
    server_groups: list[str]
    locked_by: str | None
    """``owner`` or ``admin`` while locked: only an admin unlocks what an admin locked."""
    no_host: bool
    """Scheduling found no host: the BUILD ends in ERROR."""
    preserve_ports: list[str]
    """Ports the caller brought (``port_id``): unbound, not deleted, on detach."""

    def init_private(self, flavor_id: str) -> Server:
        self.flavor_id = flavor_id
        self.port_ids = NO_ITEMS
        self.server_groups = NO_ITEMS
        self.locked_by = None
        self.no_host = False
        self.preserve_ports = NO_ITEMS
        return self


def servers_of(store: Store) -> dict[str, Server]:
    """The ``servers`` table, typed: every record in it is a :class:`Server`."""
    return store.table("servers")  # type: ignore[return-value]


@dataclass
class ComputeState:
    """Private per-world indexes: default listing order, pending builds, JSON caches."""

    order: list[str] = field(default_factory=list)
    """Server ids sorted ascending by (created, id); listings walk it backwards."""
    keys: list[tuple[str, str]] = field(default_factory=list)
    pos: dict[str, int] | None = None
    generation: int = 0
    """Bumped on every change to any server; keys the filtered-listing cache."""
    pending: dict[str, float] = field(default_factory=dict)
    """Server id -> monotonic time its BUILD ends."""
    encoded: dict[str, dict[tuple[Any, ...], bytes]] = field(default_factory=dict)
    listings: dict[tuple[Any, ...], tuple[int, Any]] = field(default_factory=dict)
    """Listings by filters and order: (generation, what their pages are cut from)."""
    actions: dict[str, list[str]] = field(default_factory=dict)
    """Server id -> its instance-action request ids, oldest first (see ``actions_of``)."""
    seeded_actions: dict[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict)
    """Server id -> the generated world's actions not yet made into records: tuples of
    ``_action_record``'s arguments, the request id as 128 random bits and the start in
    microseconds since the epoch (made into text by ``actions_of``)."""
    links_base: str = ""
    """The URL the servers' stored ``links`` point at (see ``views.rebase``)."""

    def positions(self) -> dict[str, int]:
        if self.pos is None:
            self.pos = {sid: i for i, sid in enumerate(self.order)}
        return self.pos


_STATES: weakref.WeakKeyDictionary[Store, ComputeState] = weakref.WeakKeyDictionary()


def state(store: Store) -> ComputeState:
    st = _STATES.get(store)
    if st is None:
        st = ComputeState()
        _STATES[store] = st
    return st


def invalidate(store: Store, server_id: str | None = None) -> None:
    """Forget cached JSON for ``server_id`` (all servers when None) after a change.

    Neutron and Cinder changes reach a server through
    :func:`~.glue.sync_server`, which re-derives its fields and calls this.
    """
    st = state(store)
    st.generation += 1
    st.listings.clear()
    if server_id is None:
        st.encoded.clear()
    else:
        st.encoded.pop(server_id, None)


def index_add(store: Store, server: Record) -> None:
    """Put a new server into the default listing order."""
    import bisect

    st = state(store)
    key = (server["created"], server["id"])
    if not st.keys or key >= st.keys[-1]:
        st.keys.append(key)
        st.order.append(server["id"])
        if st.pos is not None:
            st.pos[server["id"]] = len(st.order) - 1
    else:
        i = bisect.bisect_left(st.keys, key)
        st.keys.insert(i, key)
        st.order.insert(i, server["id"])
        st.pos = None
    invalidate(store, server["id"])


def index_remove(store: Store, server_id: str) -> None:
    st = state(store)
    i = st.positions().get(server_id)
    if i is not None:
        del st.order[i]
        del st.keys[i]
        st.pos = None
    st.pending.pop(server_id, None)
    invalidate(store, server_id)


def settle(store: Store) -> None:
    """Finish the builds whose time has come (BUILD -> ACTIVE), lazily on each request."""
    st = state(store)
    if not st.pending:
        return
    clock = time.monotonic()
    due = [sid for sid, until in st.pending.items() if until <= clock]
    if not due:
        return
    from .servers import finish_build

    for sid in due:
        del st.pending[sid]
        server = servers_of(store).get(sid)
        if server is not None:
            finish_build(store, server)


_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
               "dict": "object", "list": "array"}


def _unexpected(names: Sequence[str]) -> str:
    return ("Additional properties are not allowed (" + ", ".join(repr(n) for n in names) +
            f" {'was' if len(names) == 1 else 'were'} unexpected)")


@dataclass(frozen=True)
class NovaDialect(Dialect):
    """Nova's words: its JSON-schema 400s (``Invalid input for field/attribute …``), its
    query-parameter 400s, ``Instance … could not be found.``, and its paging (newest first,
    ``servers_links`` whenever a page is full, ``all_tenants`` for admins)."""

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
    """The sort keys a ``bad_sort_key`` names (Nova lists them)."""
    parent: str = ""
    """The body member being checked (see :meth:`within`)."""
    parent_value: Any = None
    path: bool = False

    def within(self, parent: str, value: Any, *, path: bool = False) -> NovaDialect:
        """These words for checking the member ``parent`` (``value``) of a body: Nova names
        it in its missing and unexpected keys' 400s, and with ``path`` in each key's too
        (``reboot/type``)."""
        return dataclasses.replace(self, parent=parent, parent_value=value, path=path)

    def _about(self, why: str) -> ApiError:
        if not self.parent:
            return self.bad(why)
        return self.bad(f"Invalid input for field/attribute {self.parent}. "
                        f"Value: {self.parent_value}. {why}")

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        kind = _JSON_TYPES.get(facts.get("expected", ""), "string")
        if reason == "required":
            return self._about(f"'{name}' is a required property")
        if reason == "read_only":
            return self._about(_unexpected([name]))
        why = {"type": f"{value!r} is not of type '{kind}'",
               "null": f"None is not of type '{kind}'",
               "max_length": f"{value!r} is too long",
               "minimum": f"{value!r} is less than the minimum of {facts.get('limit')}",
               "maximum": f"{value!r} is greater than the maximum of {facts.get('limit')}",
               "choices": f"{value!r} is not one of {list(facts.get('choices') or ())}",
               }.get(reason, facts.get("detail", "is not valid"))
        where = f"{self.parent}/{name}" if self.path and self.parent else name
        return self.bad(f"Invalid input for field/attribute {where}. Value: {value}. {why}")

    def unknown(self, names: Sequence[str]) -> ApiError:
        return self._about(_unexpected(names))

    def _query(self, name: str, value: str, why: str) -> ApiError:
        return self.bad(f"Invalid input for query parameters {name}. Value: {value}. {why}")

    def bad_sort_key(self, name: str) -> ApiError:
        return self._query("sort_key", name,
                           f"'{name}' is not one of {sorted(self.sort_key_choices)}")

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self._query("sort_dir", direction,
                           f"'{direction}' is not one of ['asc', 'desc']")

    def bad_limit(self, raw: str) -> ApiError:
        return self._query("limit", raw, f"'{raw}' does not match '^[0-9]*$'")

    negative_limit = bad_limit

    def not_found(self, singular: str, ident: str) -> ApiError:
        return super().not_found("instance" if singular == "server" else singular, ident)

    def body_missing(self, singular: str) -> ApiError:
        return self.bad(f"'{singular}' is a required property")


NOVA = NovaDialect()


@dataclass
class Ctx(EngineCtx):
    """One Nova request: the world, the caller and the microversion asked for."""

    mv: tuple[int, int] = (2, 1)

    def at_least(self, major: int, minor: int) -> bool:
        return self.mv >= (major, minor)

    @property
    def headers(self) -> dict[str, str]:
        return microversion_headers("compute", self.mv, LEGACY_HEADER)

    @property
    def base(self) -> str:
        return self.store.base_url or str(self.request.base_url).rstrip("/")

    def require_admin(self, rule: str) -> None:
        if not self.admin:
            raise NOVA.forbidden(rule)


def context(request: Request) -> Ctx:
    """Validate the token and the microversion; settle finished builds."""
    token = auth(request)
    mv = microversion(request, "compute", MIN_VERSION, MAX_VERSION, LEGACY_HEADER)
    store = store_of(request)
    settle(store)
    return Ctx(request, store, token, mv)


def reply(ctx: Ctx, body: Any, status: int = 200) -> Response:
    return json_response(body, status, headers=ctx.headers)


bad_request = NOVA.bad


def validation_error(field_name: str, value: Any, reason: str) -> ApiError:
    """Nova's JSON-schema failure message (for a check no field declares)."""
    return NOVA.bad(f"Invalid input for field/attribute {field_name}. Value: {value}. {reason}")


def member(body: Any, key: str, fields: Mapping[str, Field] | None = None, *,
           path: bool = False) -> dict[str, Any]:
    """The object ``body[key]`` (Nova's 400 when it is not one), checked against ``fields``
    when given, in Nova's words for that member."""
    if not isinstance(body, dict) or key not in body:
        raise NOVA.body_missing(key)
    value = body[key]
    if not isinstance(value, dict):
        raise NOVA.invalid(key, value, "type", expected="dict")
    if fields is None:
        return value
    return check_body(NOVA.within(key, value, path=path), fields, value, create=True)


def check_state(server: Record, verb: str, allowed: tuple[str, ...]) -> None:
    """Nova's 409 unless the server is in one of the ``allowed`` vm_states, with no task."""
    vm, task = server["OS-EXT-STS:vm_state"], server["OS-EXT-STS:task_state"]
    if vm not in allowed:
        raise ApiError(409, f"Cannot '{verb}' instance {server['id']} while it is in "
                            f"vm_state {vm}")
    if task is not None:
        raise ApiError(409, f"Cannot '{verb}' instance {server['id']} while it is in "
                            f"task_state {task}")


def check_lock(ctx: Ctx, server: Record) -> None:
    """Nova's 409 when a member changes a locked server."""
    if server.get("locked") and not ctx.admin:
        raise ApiError(409, f"Instance {server['id']} is locked")
