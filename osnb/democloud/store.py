"""The demo cloud's state: tables of records kept in the API's own response shape.

Every table maps an id to a record that is (a superset of) what the real service returns
for that object at its newest microversion, so a handler serves a record with little or no
reshaping and a generator or a create handler builds one from the api-ref. Keys that start
with ``_`` are private to the simulator (never sent); :func:`public` drops them.

The store lives in the server's event-loop thread; handlers run one at a time there, so
no locks are needed. Code in other threads (tests poking at the world) should go through
:meth:`DemoCloud.call` which runs a function on that loop.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import math
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DAY_US", "SECOND_US", "STAMPS", "Config", "Index", "MemberIndex", "Stamps", "Store",
           "Table", "Token", "bulk", "epoch_us", "isotime", "new_id", "now", "public", "span_us", "uuid_text"]

Record = dict[str, Any]

# uuid.UUID(version=4) clears the variant and version bits, then sets RFC 4122 and 4.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


@dataclass
class Config:
    """Everything that shapes a generated world and how it is served."""

    seed: int = 42
    projects: int = 6
    servers: int = 40
    regions: int = 1
    latency_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: int = 1
    token_ttl: int = 3600
    build_seconds: float = 1.0
    """How long a created server stays in BUILD (and a volume in ``creating``)."""


@dataclass
class Token:
    """An issued Keystone token and the scope it carries."""

    id: str
    user_id: str
    methods: list[str]
    issued_at: _dt.datetime
    expires_at: _dt.datetime
    project_id: str | None = None
    domain_id: str | None = None
    roles: list[str] = field(default_factory=list)
    application_credential_id: str | None = None
    audit_id: str = ""
    revoked: bool = False
    system: str | None = None
    """``"all"`` for a system-scoped token (Keystone's ``{"system": {"all": true}}``)."""

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def expired(self, at: _dt.datetime | None = None) -> bool:
        return (at or now()) >= self.expires_at


class Store:
    """Named tables of records plus the tokens issued so far.

    A generator may *defer* the bulk of a table (:meth:`defer`): the rows are drawn while
    the world is generated, but their records are made the first time anything asks for
    the table (or calls :meth:`ready`). A 100,000-server world has 116,000 ports that most
    sessions never list; this keeps them from costing generation time.
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.rng = random.Random(self.config.seed)
        self.tables: dict[str, dict[str, Record]] = {}
        self.tokens: dict[str, Token] = {}
        self.base_url = ""
        """Set by the server once it is bound: ``http://127.0.0.1:PORT``."""
        self.meta: dict[str, Any] = {}
        """Free-form world facts (admin password, the member's project, …)."""
        self.deferred: dict[str, list[Callable[[], None]]] = {}
        """Table name -> the fills that complete it, run once by :meth:`ready`."""
        self.generating = False
        """True while the world is generated: reads then see tables as made so far."""
        self.subscribers: dict[str, list[Callable[..., Any]]] = {}
        """Topic -> the services' handlers, in the order they subscribed (see
        :meth:`publish`)."""

    def subscribe(self, topic: str, handler: Callable[..., Any]) -> None:
        """Have ``handler(store, **facts)`` called on every :meth:`publish` of ``topic``.

        This is how the services reach each other without importing each other: the
        owner of a thing subscribes to what may be asked of it or told to it (Neutron to
        ``port.create``, Nova to ``server.changed``), and the others publish."""
        self.subscribers.setdefault(topic, []).append(handler)

    def publish(self, topic: str, **facts: Any) -> list[Any]:
        """Call every handler of ``topic`` with this store and ``facts``, in subscription
        order; their answers, in that order (none when no service serves ``topic``: a
        world seeded without that service)."""
        return [handler(self, **facts) for handler in self.subscribers.get(topic, ())]

    def ask(self, topic: str, **facts: Any) -> Any:
        """The answer of the one service that serves ``topic``, or None when none does."""
        handlers = self.subscribers.get(topic)
        return handlers[0](self, **facts) if handlers else None

    def table(self, name: str) -> dict[str, Record]:
        """The table ``name`` (complete: deferred rows are made first), created empty on
        first use."""
        if self.deferred and name in self.deferred and not self.generating:
            self.ready(name)
        try:
            return self.tables[name]
        except KeyError:
            t: dict[str, Record] = {}
            self.tables[name] = t
            return t

    def defer(self, fill: Callable[[], None], *names: str) -> None:
        """Complete the tables ``names`` with ``fill()``, once, when one of them is first
        asked for."""
        done: list[bool] = []

        def once() -> None:
            if not done:
                done.append(True)
                fill()

        for name in names:
            self.deferred.setdefault(name, []).append(once)

    def ready(self, *names: str) -> None:
        """Run the deferred fills of ``names`` (of every table when none is named)."""
        fills = [fill for name in names or tuple(self.deferred)
                 for fill in self.deferred.pop(name, ())]
        if fills:
            with bulk():
                for fill in fills:
                    fill()

    def index(self, name: str, key: str) -> Index:
        """The ids of table ``name``'s records by the value of their ``key``, kept current
        by every write to the table (see :class:`Table`).

        Ask for it before the table is served (a service's ``wire``): the table becomes a
        :class:`Table` then, and a handler that kept the plain dict across an ``await``
        would write past the index. So an existing table with rows is refused outside
        world generation.
        """
        table = self.table(name)
        if not isinstance(table, Table):
            if table and not self.generating:
                raise RuntimeError(f"index {name!r} before it is served: it already has "
                                   f"{len(table)} rows")
            table = self.tables[name] = Table(table)
        found = table.indexes.get(key)
        if found is None:
            found = table.indexes[key] = Index(table, key)
        return found

    def member_index(self, name: str, key: str) -> MemberIndex:
        """The ids of table ``name``'s records by each member of their ``key`` (a dict's
        keys, a list's items), kept as :meth:`index` keeps its own: Placement's consumers by
        every provider they hold something on. The same rule about serving applies."""
        table = self.table(name)
        if not isinstance(table, Table):
            if table and not self.generating:
                raise RuntimeError(f"index {name!r} before it is served: it already has "
                                   f"{len(table)} rows")
            table = self.tables[name] = Table(table)
        slot = f"{key}[]"
        found = table.indexes.get(slot)
        if found is None:
            found = table.indexes[slot] = MemberIndex(table, key)
        assert isinstance(found, MemberIndex)
        return found

    def uuid(self) -> str:
        """A uuid4 drawn from the seeded generator, so a world is reproducible.

        The same text as ``str(uuid.UUID(int=bits, version=4))``, at a third of the cost
        (a 100,000-server world draws half a million of them).
        """
        return uuid_text(self.rng.getrandbits(128))


_UNFILED = object()


class Table(dict[str, Record]):
    """A table that keeps its indexes (:class:`Index`) on every write: insert, replace, delete,
    ``pop``, ``popitem``, ``setdefault``, ``update``, ``|=`` and ``clear`` (``dict``'s own
    C methods would bypass an overridden ``__setitem__``; each is overridden here).

    Changing an indexed key *inside* a record is not a write to the table: store the
    record again (``table[id] = record``) to refile it. An index also refiles, as it
    reads them, the records that left its value that way (see :meth:`Index.ids`).
    """

    def __init__(self, rows: dict[str, Record] | None = None) -> None:
        super().__init__(rows or {})
        self.indexes: dict[str, Index] = {}

    def __setitem__(self, key: str, record: Record) -> None:
        super().__setitem__(key, record)
        for index in self.indexes.values():
            index.put(key, record)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        for index in self.indexes.values():
            index.drop(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key not in self:
            return super().pop(key, *default)
        record = super().pop(key)
        for index in self.indexes.values():
            index.drop(key)
        return record

    def popitem(self) -> tuple[str, Record]:
        key, record = super().popitem()
        for index in self.indexes.values():
            index.drop(key)
        return key, record

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, record in dict(*args, **kwargs).items():
            self[key] = record

    def __ior__(self, other: Any) -> Table:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        for index in self.indexes.values():
            index.buckets.clear()
            index.filed.clear()


class Index:
    """A table's record ids by the value of one key (in insertion order), so what one
    project owns costs what it owns to find, not a walk of the table.

    Kept by the :class:`Table`'s writes. Reads check what they return: a record whose key
    was changed in place is refiled under its new value (it leaves the old value's
    answer at once; it joins the new value's once stored again, or once the old value is
    read).
    """

    def __init__(self, table: Table, key: str) -> None:
        self.table, self.key = table, key
        self.buckets: dict[Any, dict[str, None]] = {}
        self.filed: dict[str, Any] = {}
        """Record id -> the value it is filed under."""
        for rid, record in table.items():
            self.put(rid, record)

    def filing(self, record: Record) -> Any:
        """What ``record`` is filed under: its key's value."""
        return record.get(self.key)

    def under(self, filing: Any) -> Iterable[Any]:
        """The values a filing puts a record under (one: the value itself)."""
        return (filing,)

    def put(self, rid: str, record: Record) -> None:
        new = self.filing(record)
        old = self.filed.get(rid, _UNFILED)
        if old is not _UNFILED:
            if old == new:
                return
            self._unfile(rid, old, keep=frozenset(self.under(new)))
        self.filed[rid] = new
        for value in self.under(new):  # a value it stays under keeps its place
            self.buckets.setdefault(value, {})[rid] = None

    def drop(self, rid: str) -> None:
        old = self.filed.pop(rid, _UNFILED)
        if old is not _UNFILED:
            self._unfile(rid, old)

    def _unfile(self, rid: str, filing: Any, keep: frozenset[Any] = frozenset()) -> None:
        for value in self.under(filing):
            bucket = self.buckets.get(value)
            if bucket is not None and value not in keep:
                bucket.pop(rid, None)
                if not bucket:
                    del self.buckets[value]

    def ids(self, value: Any) -> list[str]:
        """The ids of the records filed under ``value``."""
        bucket = self.buckets.get(value)
        if not bucket:
            return []
        table = self.table
        moved = [rid for rid in bucket if (record := table.get(rid)) is None
                 or value not in self.under(self.filing(record))]
        for rid in moved:
            record = table.get(rid)
            if record is None:
                self.drop(rid)
            else:
                self.put(rid, record)
        return list(self.buckets.get(value, ()))

    def records(self, value: Any) -> list[Record]:
        """The records filed under ``value``."""
        table = self.table
        return [table[rid] for rid in self.ids(value)]

    def stale(self) -> list[tuple[str, Any, Any]]:
        """``(id, filed under, actual filing)`` of every record filed wrongly or not at all
        (a full walk, for tests: empty when the index is right)."""
        out = [(rid, self.filed.get(rid, _UNFILED), self.filing(record))
               for rid, record in self.table.items()
               if self.filed.get(rid, _UNFILED) != self.filing(record)]
        out += [(rid, value, _UNFILED) for rid, value in self.filed.items()
                if rid not in self.table]
        return out


class MemberIndex(Index):
    """A table's record ids by each member of one key whose value is a collection (a record
    is filed under every member), kept and checked on reads as :class:`Index` is."""

    def filing(self, record: Record) -> frozenset[Any]:
        return frozenset(record.get(self.key) or ())

    def under(self, filing: Any) -> Iterable[Any]:
        return filing


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Make a world's bulk (or a deferred table) with the cyclic garbage collector paused,
    then move it out of the collector's reach with :func:`gc.freeze`.

    A world is millions of small containers that live as long as the store; the
    collector would scan them again and again while they are made (half the time of a
    100,000-server world) and on every full collection later. Frozen objects are still
    freed by reference counting when the store goes.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
        gc.freeze()


def uuid_text(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))``: a uuid4's text from 128 random bits."""
    h = (bits & _UUID4_CLEAR | _UUID4_SET).to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_id() -> str:
    """A fresh random uuid4 (for objects created at run time)."""
    return str(uuid.uuid4())


_UTC = _dt.timezone.utc


def now() -> _dt.datetime:
    return _dt.datetime.now(_UTC)


def isotime(value: _dt.datetime, *, micro: bool = False, zulu: bool = True) -> str:
    """Format as the services do: ``2026-11-25T13:19:09Z`` (``.123456`` with micro)."""
    if value.tzinfo is _UTC and value.year >= 1000:
        # The common case, three times faster than astimezone + strftime.
        text = value.isoformat(timespec="microseconds")[:26] if micro else \
            value.isoformat(timespec="seconds")[:19]
        return text + "Z" if zulu else text
    value = value.astimezone(_UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S.%f" if micro else "%Y-%m-%dT%H:%M:%S")
    return text + ("Z" if zulu else "")


def epoch_us(value: _dt.datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (exact)."""
    return (value - _EPOCH) // _ONE_US


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_ONE_US = _dt.timedelta(microseconds=1)
SECOND_US = 1_000_000
DAY_US = 86_400_000_000


def span_us(amount: float, unit_us: int = SECOND_US) -> int:
    """Microseconds in ``timedelta(seconds=amount)`` (or ``days=`` with ``DAY_US``), rounded
    exactly as timedelta rounds a float: whole units, then the scaled fraction, half to even.
    """
    frac, whole = math.modf(amount)
    frac, part = math.modf(frac * unit_us)
    total = int(whole) * unit_us + int(part)
    if abs(frac) != 0.5:
        return total + round(frac)
    low = total + math.floor(frac)
    return low if low % 2 == 0 else low + 1


class Stamps:
    """The services' timestamp texts from integer microseconds since the epoch.

    The same text as :func:`isotime` of that instant, for a fraction of the cost of datetime
    arithmetic and ``isoformat``: a 100,000-server world formats half a million stamps.
    Days seen are kept (a world spans a few hundred), hours-minutes and seconds come from
    tables.
    """

    _HM = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
    _S = [f"{s:02d}" for s in range(60)]

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def clock(self, us: int) -> str:
        """``2026-11-25T13:19:09`` for ``us`` (microseconds dropped, as isoformat does)."""
        day, second = divmod(us // 1_000_000, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = (_EPOCH + _dt.timedelta(days=day)).strftime(
                "%Y-%m-%dT")
        minute, sec = divmod(second, 60)
        return prefix + self._HM[minute] + self._S[sec]

    def zulu(self, us: int) -> str:
        """Nova's and Keystone's ``2026-11-25T13:19:09Z``."""
        return self.clock(us) + "Z"

    def micro(self, us: int) -> str:
        """Nova's instance-action and Cinder's ``2026-11-25T13:19:09.123456``."""
        return f"{self.clock(us)}.{us % 1_000_000:06d}"


STAMPS = Stamps()
"""The process's formatter (its cache of days is shared by every world)."""


def public(record: Record) -> Record:
    """The record without the simulator's private ``_`` keys."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
