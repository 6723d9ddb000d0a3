"""Names for ids: one listing per kind of object, shared by a connection's frames and views.

An operator reads ``project_name`` where the API sends ``tenant_id``. Looking each id up
would cost one request per row; instead :class:`NameCache` lists every object of a kind
once (the kinds a frame needs concurrently), keeps ``id → name`` for the connection, and
answers from memory after that. What the caller may not list (users as a member, a
service missing from the catalog) resolves to nothing, so those ids stay ids — the
failure is kept in :attr:`NameCache.errors`, never raised into a view.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from . import exceptions as exc


class Connection(Protocol):
    """What the cache needs of a :class:`~osnb.sdk.connection.Connection` (named
    structurally, so that this module and the connection that owns a cache do not import
    each other): its session and its proxies by service name."""

    session: Any

    @property
    def current_user_id(self) -> str | None: ...

    def __getattr__(self, name: str) -> Any: ...

__all__ = ["KINDS", "NameCache"]


def _admin(conn: Connection) -> bool:
    try:
        access = conn.session.auth.get_access(conn.session)
        return "admin" in (access.role_names or [])
    except Exception:  # noqa: BLE001 - no token to inspect: assume the narrower view
        return False


def _records(listing: Any) -> list[dict[str, Any]]:
    return [r for r in listing.records if isinstance(r, dict)]


def _projects(conn: Connection) -> list[dict[str, Any]]:
    try:
        return _records(conn.identity.projects())
    except exc.Forbidden:  # a member: the projects it belongs to, which it may list
        user = conn.current_user_id
        return _records(conn.identity.user_projects(user)) if user else []


def _users(conn: Connection) -> list[dict[str, Any]]:
    try:
        return _records(conn.identity.users())
    except exc.Forbidden:  # a member may not list users, but knows its own name
        access = conn.session.auth.get_access(conn.session)
        return [{"id": access.user_id, "name": access.username}]


def _images(conn: Connection) -> list[dict[str, Any]]:
    # Hidden images (os_hidden) are left out of listings but still run servers.
    return _records(conn.image.images()) + _records(conn.image.images(is_hidden=True))


def _everywhere(service: str, method: str) -> Callable[[Connection], list[dict[str, Any]]]:
    """A lister that asks for every project's objects when the caller is an admin."""
    def lister(conn: Connection) -> list[dict[str, Any]]:
        query = {"all_projects": True} if _admin(conn) else {}
        return _records(getattr(getattr(conn, service), method)(**query))
    return lister


def _plain(service: str, method: str) -> Callable[[Connection], list[dict[str, Any]]]:
    def lister(conn: Connection) -> list[dict[str, Any]]:
        return _records(getattr(getattr(conn, service), method)())
    return lister


KINDS: dict[str, Callable[[Connection], list[dict[str, Any]]]] = {
    "project": _projects,
    "user": _users,
    "domain": _plain("identity", "domains"),
    "flavor": _plain("compute", "flavors"),
    "image": _images,
    "server": _everywhere("compute", "servers"),
    "network": _plain("network", "networks"),
    "subnet": _plain("network", "subnets"),
    "router": _plain("network", "routers"),
    "security_group": _plain("network", "security_groups"),
    "volume": _everywhere("block_storage", "volumes"),
    "snapshot": _everywhere("block_storage", "snapshots"),
}
"""Kind → how to list all of it that the caller may see (records with ``id``, ``name``)."""


class NameCache:
    """``id → name`` per kind of object, listed once per connection (``conn.names``).

    ``conn.names.resolve("project", ids)`` lists projects the first time (``prefetch``
    lists several kinds at once) and answers from memory afterwards; :meth:`clear` forgets
    everything, for after a rename.
    """

    def __init__(self, conn: Connection, *, max_workers: int = 6) -> None:
        self._conn = conn
        self._max_workers = max_workers
        self._names: dict[str, dict[str, str]] = {}
        self._locks = {kind: threading.Lock() for kind in KINDS}
        self.errors: dict[str, BaseException] = {}
        """Kind → why it could not be listed (its ids stay ids)."""

    def prefetch(self, kinds: Iterable[str]) -> None:
        """List the kinds not known yet, concurrently (one request chain per kind)."""
        wanted = [k for k in dict.fromkeys(kinds) if k not in self._names]
        for kind in wanted:
            self._check(kind)
        if len(wanted) <= 1:
            for kind in wanted:
                self._load(kind)
            return
        with ThreadPoolExecutor(max_workers=min(self._max_workers, len(wanted)),
                                thread_name_prefix="osnb-names") as pool:
            list(pool.map(self._load, wanted))

    def resolve(self, kind: str, ids: Iterable[Any] | None = None) -> dict[str, str]:
        """``id → name`` for ``ids`` (every known one if None); unknown ids are absent."""
        self.prefetch([kind])
        names = self._names.get(kind, {})
        if ids is None:
            return dict(names)
        return {i: names[i] for i in ids if isinstance(i, str) and i in names}

    def name(self, kind: str, ident: Any) -> str | None:
        """The name of one object, or None when it is unknown or unnamed."""
        return self.resolve(kind, [ident]).get(ident)

    def clear(self) -> None:
        self._names.clear()
        self.errors.clear()

    def _check(self, kind: str) -> None:
        if kind not in KINDS:
            raise exc.InvalidRequest(f"no names for {kind!r}; known kinds: "
                                     f"{', '.join(sorted(KINDS))}")

    def _load(self, kind: str) -> None:
        with self._locks[kind]:
            if kind in self._names:
                return
            try:
                records = KINDS[kind](self._conn)
            except Exception as err:  # noqa: BLE001 - a kind we cannot list keeps its ids
                self.errors[kind] = err
                self._names[kind] = {}
                return
            self._names[kind] = {r["id"]: r["name"] for r in records
                                 if isinstance(r.get("id"), str)
                                 and isinstance(r.get("name"), str) and r["name"]}

    def __repr__(self) -> str:
        known = ", ".join(f"{k}: {len(v)}" for k, v in self._names.items()) or "nothing yet"
        return f"<NameCache {known}>"
