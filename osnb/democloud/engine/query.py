"""The list engine: a list request's filters, sorting and page, read and applied.

:func:`parse` reads the query string against a collection's declared filters and sort
keys (refusing what the collection does not know, in its dialect's words); :func:`select`
applies it to the records the caller may see and returns one page.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from starlette.datastructures import QueryParams

from ..store import Record
from .dialect import Dialect

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["FILTER_KINDS", "PAGING", "TAG_PARAMS", "Filter", "Query", "order", "page", "parse",
           "select", "sort_value"]

FILTER_KINDS = ("exact", "regex", "in", "min", "max", "range", "since", "all")
"""``exact``: equal to one of the (repeated) values, texts read as the field's type;
``regex``: ``re.search`` on the text (Nova's ``name``); ``in``: one of a comma-separated
list (``in:`` prefix allowed); ``min``/``max``: a numeric bound; ``range``: Glance's
``gt:``/``gte:``/``lt:``/``lte:``/``eq:``/``neq:`` on a timestamp (``eq`` without one); ``since``: a timestamp
at or after the value (``changes-since``); ``all``: a list field holding every value
(Glance's repeated ``tag``)."""

PAGING = frozenset({"limit", "marker", "sort", "sort_key", "sort_dir", "page_reverse",
                    "fields"})
TAG_PARAMS = ("tags", "tags-any", "not-tags", "not-tags-any")

_TRUE = frozenset({"true", "1", "t", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "f", "no", "n", "off"})

Predicate = Callable[[Record], bool]


class Collection(Protocol):
    """What the list engine reads of a :class:`~.collection.Collection` (named
    structurally: the collection module imports this one)."""

    @property
    def singular(self) -> str: ...
    @property
    def dialect(self) -> Dialect: ...
    @property
    def all_filters(self) -> dict[str, Filter]: ...
    @property
    def tags(self) -> bool: ...
    @property
    def strict_filters(self) -> bool: ...
    @property
    def sort_keys(self) -> frozenset[str]: ...
    @property
    def default_sort(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def sort_by(self) -> Mapping[str, str | Callable[[Record], Any]]: ...
    @property
    def tie_break(self) -> str | None: ...


@dataclass(frozen=True)
class Filter:
    """A list query parameter that selects records.

    ``key`` is the record key it reads (default: the parameter's name) or a function of
    the record; ``match`` replaces the kind with a function of the parameter's values
    that returns the predicate, for a filter no kind describes.
    """

    kind: str = "exact"
    key: str | Callable[[Record], Any] | None = None
    admin_only: bool = False
    match: Callable[[list[str]], Predicate] | None = None


@dataclass
class Query:
    """A parsed list request."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    """The filter parameters given, by name (for a collection's ``candidates`` hook)."""
    predicates: list[Predicate] = field(default_factory=list)
    sort: list[tuple[str, str]] = field(default_factory=list)
    sorted: bool = False
    """Whether the caller asked for a sort, a limit or a marker."""
    limit: int | None = None
    marker: str | None = None
    reverse: bool = False
    fields: list[str] = field(default_factory=list)
    all_projects: bool = False
    offset: int = 0


def _bool_param(value: str) -> bool | None:
    low = value.strip().lower()
    return True if low in _TRUE else False if low in _FALSE else None


def _equal(values: list[str]) -> Callable[[Any], bool]:
    """Whether a stored value equals one of ``values`` (query texts read as its type)."""
    texts = set(values)
    bools = {b for b in map(_bool_param, values) if b is not None}
    ints: set[int] = set()
    for v in values:
        try:
            ints.add(int(v))
        except ValueError:
            pass

    def match(value: Any) -> bool:
        if isinstance(value, bool):
            return value in bools
        if isinstance(value, int):
            return value in ints
        if isinstance(value, str):
            return value in texts
        if value is None:
            return bool(texts & {"", "None", "null"})
        if isinstance(value, list):
            return any(match(v) for v in value if not isinstance(v, (list, dict)))
        return str(value) in texts
    return match


def _moment(text: str) -> _dt.datetime | None:
    try:
        value = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
    "eq": operator.eq, "neq": operator.ne}


def _predicate(coll: Collection, name: str, flt: Filter, values: list[str]) -> Predicate:
    key = flt.key or name
    get: Callable[[Record], Any] = key if callable(key) else operator.methodcaller("get", key)
    if flt.match is not None:
        test = flt.match(values)
        return lambda r: test(get(r))
    kind, bad = flt.kind, coll.dialect.bad
    if kind == "exact":
        eq = _equal(values)
        return lambda r: eq(get(r))
    if kind == "regex":
        try:
            rx = re.compile(values[-1])
        except re.error:
            raise bad(f"Invalid regular expression for {name}: {values[-1]}") from None
        return lambda r: rx.search(str(get(r) or "")) is not None
    if kind == "in":
        raw = values[-1][3:] if values[-1].startswith("in:") else values[-1]
        wanted = set(raw.split(","))
        return lambda r: get(r) in wanted
    if kind == "all":
        need = set(values)
        return lambda r: need <= set(get(r) or ())
    if kind in ("min", "max"):
        try:
            bound = float(values[-1])
        except ValueError:
            raise bad(f"Invalid value {values[-1]!r} for parameter {name}: must be a "
                      "number.") from None
        cmp = operator.ge if kind == "min" else operator.le
        return lambda r: get(r) is not None and cmp(get(r), bound)
    op, moment = "gte", _moment(values[-1])
    if kind == "range":
        op, _, text = values[-1].partition(":")
        if op not in _OPS:  # no operator: the time itself (Glance's split_filter_op)
            op, text = "eq", values[-1]
        moment = _moment(text)
    if moment is None:
        raise bad(f"Invalid {name} value: {values[-1]}")
    compare = _OPS[op]
    return lambda r: (m := _moment(str(get(r) or ""))) is not None and compare(m, moment)


def _tag_predicate(param: str, values: list[str]) -> Predicate:
    tags = {t for v in values for t in v.split(",") if t}
    if param == "tags":
        return lambda r: tags <= set(r.get("tags") or ())
    if param == "tags-any":
        return lambda r: bool(tags & set(r.get("tags") or ()))
    if param == "not-tags":
        return lambda r: not tags <= set(r.get("tags") or ())
    return lambda r: not tags & set(r.get("tags") or ())


def _sort_spec(q: QueryParams, coll: Collection) -> list[tuple[str, str]]:
    d = coll.dialect
    keys: list[tuple[str, str]] = []
    if d.sort_param and q.get("sort"):
        if "sort_key" in q or "sort_dir" in q:
            raise d.bad("The 'sort_key' and 'sort_dir' parameters are deprecated and "
                        "cannot be used with the 'sort' parameter.")
        for part in q["sort"].split(","):
            name, _, direction = part.strip().partition(":")
            keys.append((name, direction or d.default_sort[0][1]))
    else:
        names = [n for v in q.getlist("sort_key") for n in v.split(",") if n]
        dirs = [n for v in q.getlist("sort_dir") for n in v.split(",") if n]
        if dirs and len(dirs) != len(names) and not (len(dirs) == 1 and d.sort_param) \
                and not d.sort_dir_alone:
            raise d.bad("The number of sort_keys and sort_dirs must be same")
        default_dir = dirs[0] if dirs else d.default_sort[0][1]
        keys = [(n, dirs[i] if len(dirs) > i else default_dir) for i, n in enumerate(names)]
    for name, direction in keys:
        if name not in coll.sort_keys:
            raise d.bad_sort_key(name)
        if direction not in ("asc", "desc"):
            raise d.bad_sort_dir(direction)
    lone = q.get("sort_dir")
    if not keys and lone is not None and d.sort_dir_alone:
        if lone not in ("asc", "desc"):
            raise d.bad_sort_dir(lone)
        keys = [(coll.default_sort[0][0], lone)]
    return keys


def parse(request: Request, coll: Collection, admin: bool) -> Query:
    """The list request's filters, sort and page, checked against ``coll``."""
    d = coll.dialect
    q = request.query_params
    if d.ignored_params:
        q = QueryParams([(k, v) for k, v in q.multi_items() if k not in d.ignored_params])
    query = Query()
    filters = coll.all_filters
    for name, value in q.multi_items():
        if name in PAGING or name == d.all_projects_param or (
                name == "offset" and d.offset_param):
            continue
        if coll.tags and name in TAG_PARAMS:
            query.filters.setdefault(name, []).append(value)
            continue
        flt = filters.get(name)
        if flt is None or (flt.admin_only and not admin):
            if d.unknown_filters_refused and not (admin and flt is None and
                                                  not coll.strict_filters):
                raise d.unknown_filter(name)
            continue
        query.filters.setdefault(name, []).append(value)
    for name, values in query.filters.items():
        if name in TAG_PARAMS and coll.tags:
            query.predicates.append(_tag_predicate(name, values))
        else:
            query.predicates.append(_predicate(coll, name, filters[name], values))
    if d.all_projects_param and d.all_projects_param in q:
        query.all_projects = _bool_param(q[d.all_projects_param] or "true") is not False
    raw = q.get("limit")
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise d.bad_limit(raw) from None
        if limit < 0:
            raise d.negative_limit(raw)
        # ``limit=0`` is an empty page in Keystone, Glance and Nova, no limit elsewhere.
        query.limit = min(limit, d.max_limit) if limit or d.zero_limit_empty \
            or d.pagination in ("keystone", "glance") else None
    elif d.default_limit is not None:
        query.limit = d.default_limit
    query.marker = q.get("marker")
    raw = q.get("offset") if d.offset_param else None
    if raw is not None:
        if not (raw.isascii() and raw.isdigit()):
            raise d.bad_offset(raw)
        query.offset = int(raw)
    query.reverse = _bool_param(q.get("page_reverse", "false")) is True
    query.fields = [f.strip() for v in q.getlist("fields") for f in v.split(",") if f.strip()]
    query.sort = _sort_spec(q, coll)
    query.sorted = bool(query.sort) or query.limit is not None or query.marker is not None \
        or query.offset > 0
    return query


def sort_value(value: Any) -> tuple[int, Any]:
    """A sort key under which None comes first, numbers order as numbers, the rest as text."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


class _Desc:
    """Inverts the order of one part of a tuple key (a descending sort key)."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __lt__(self, other: _Desc) -> bool:
        return bool(other.v < self.v)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.v == other.v


def _key_of(spec: Sequence[tuple[str, str]],
            sort_by: Mapping[str, str | Callable[[Record], Any]] | None = None
            ) -> Callable[[Record], Any]:
    if list(spec) == [("id", "asc")] and not (sort_by and "id" in sort_by):
        return operator.itemgetter("id")  # the pagination default: keep it cheap
    by = sort_by or {}
    getters = [(_getter(by.get(k, k)), d == "desc") for k, d in spec]

    def key(r: Record) -> tuple[Any, ...]:
        return tuple(_Desc(sort_value(g(r))) if desc else sort_value(g(r))
                     for g, desc in getters)
    return key


def _getter(how: str | Callable[[Record], Any]) -> Callable[[Record], Any]:
    return how if callable(how) else operator.methodcaller("get", how)


def select(coll: Collection, query: Query, records: Iterable[Record],
           table: dict[str, Record]) -> tuple[list[Record], bool]:
    """The page of ``records`` (already those the caller may see) the query asks for, and
    whether records are left beyond it: :func:`page` of :func:`order`."""
    items, key = order(coll, query, records)
    return page(coll, query, items, key, table)


def order(coll: Collection, query: Query, records: Iterable[Record]
          ) -> tuple[list[Record], Callable[[Record], Any] | None]:
    """The records the query's filters keep, in its order, and the sort key that orders
    them (None when the dialect keeps the table's order): what a collection may cache
    to page through at the cost of a slice (see :func:`page`)."""
    preds = query.predicates
    items = [r for r in records if all(p(r) for p in preds)] if preds else list(records)
    if not query.sorted and coll.dialect.sort_when_paging_only:
        return items, None
    spec = list(query.sort or coll.default_sort)
    tie = coll.tie_break
    if tie is not None and all(k != tie for k, _ in spec):
        spec.append((tie, spec[-1][1] if coll.dialect.id_follows_last_dir else "asc"))
    key = _key_of(spec, coll.sort_by)
    if len(spec) > 1 and all(d == "desc" for _, d in spec):
        # One direction throughout (Nova's and Cinder's newest first): the same order from
        # a plain key sorted in reverse, without a comparison in Python per pair.
        items.sort(key=_key_of([(k, "asc") for k, _ in spec], coll.sort_by), reverse=True)
    else:
        items.sort(key=key)
    return items, key


def page(coll: Collection, query: Query, items: list[Record],
         key: Callable[[Record], Any] | None, table: dict[str, Record]
         ) -> tuple[list[Record], bool]:
    """The page of ``items`` (as :func:`order` made them) after the query's marker, and
    whether records are left beyond it."""
    if key is None:
        return items, False
    start, end = 0, len(items)
    if query.marker is not None:
        mrec = table.get(query.marker)
        if coll.tie_break is None:  # no total order: the marker is found among the records listed
            pos = next((i for i, r in enumerate(items) if r is mrec), None)
            if mrec is None or pos is None:
                raise coll.dialect.bad_marker(coll.singular, query.marker)
            start, end = (0, pos) if query.reverse else (pos + 1, end)
        elif mrec is None:
            raise coll.dialect.bad_marker(coll.singular, query.marker)
        elif query.reverse:
            end = bisect.bisect_left(items, key(mrec), key=key)
        else:
            start = bisect.bisect_right(items, key(mrec), key=key)
    start = min(end, start + query.offset) if not query.reverse else start
    limit = query.limit
    if limit is None:
        return items[start:end], False
    if query.reverse:
        new_start = max(start, end - limit)
        return items[new_start:end], new_start > start
    return items[start:start + limit], start + limit < end
