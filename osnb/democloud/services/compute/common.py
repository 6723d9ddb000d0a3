"""What the Nova handlers share: microversion bounds, server records, per-world state,
and the server checks every action makes (Nova's words: :mod:`._dialect`).

Server records are kept in the newest (2.100, admin, ``GET /servers/{id}``) shape;
:mod:`.views` derives older and non-admin shapes. Per-world private state (the
sorted listing index, pending builds, encoded-JSON caches) lives in :class:`ComputeState`,
reached through :func:`state`.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...http import ApiError
from ...store import Record, Store

if TYPE_CHECKING:
    from ._dialect import Ctx

__all__ = [
    "LEGACY_HEADER",
    "MAX_VERSION",
    "MIN_VERSION",
    "NO_ITEMS",
    "NO_KEYS",
    "ComputeState",
    "image_links",
    "Server",
    "SharedDict",
    "SharedList",
    "V21",
    "check_lock",
    "check_state",
    "invalidate",
    "servers_of",
    "settle",
    "state",
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

    projects: dict[str, list[tuple[str, str]]] | None = None
    """Per project, its servers' ``(created, id)`` in the default order: a project's
    listing walks its own servers, not the world's. Made on first use, kept by
    :func:`index_add`, dropped (made again) when a server goes."""

    def positions(self) -> dict[str, int]:
        if self.pos is None:
            self.pos = {sid: i for i, sid in enumerate(self.order)}
        return self.pos

    def of_project(self, servers: Mapping[str, Record], project: str
                   ) -> list[tuple[str, str]]:
        """The project's servers as ``(created, id)``, oldest first."""
        if self.projects is None:
            by: dict[str, list[tuple[str, str]]] = {}
            for key in self.keys:
                by.setdefault(servers[key[1]]["tenant_id"], []).append(key)
            self.projects = by
        return self.projects.get(project, [])


_STATES: weakref.WeakKeyDictionary[Store, ComputeState] = weakref.WeakKeyDictionary()


def image_links(base: str, image_id: str) -> list[dict[str, str]]:
    """The bookmark link of a server's image (Nova's, at every microversion)."""
    return [{"href": f"{base}/compute/images/{image_id}", "rel": "bookmark"}]


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
    if st.projects is not None:
        bisect.insort(st.projects.setdefault(server["tenant_id"], []), key)
    invalidate(store, server["id"])


def index_remove(store: Store, server_id: str) -> None:
    st = state(store)
    i = st.positions().get(server_id)
    if i is not None:
        del st.order[i]
        del st.keys[i]
        st.pos = st.projects = None
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
