"""Raw records → pandas DataFrame, column by column (the fast path).

A listing keeps the JSON records the server sent. Building a DataFrame from them never
creates a Resource per row nor a dict per object: each declared prop becomes one column
pulled straight from the records, then converted in one vectorised step per column.
Columns are the PEP-8 prop names in declaration order, indexed by ``id``, made for
analysis: request-only attributes are left out, and a nested value becomes the flat
columns its prop declares (``flavor`` → ``flavor_name``, ``vcpus``, ``ram_mb``,
``disk_gb``), so ``groupby`` works on them; ``columns="all"`` keeps every attribute as
sent. Nested collections (a server's addresses) get tidy child frames of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .sdk._types import Conversion
from .sdk.resource import SECRET_MASK, ColumnPath, Each, Resource, _Prop, collector_paused

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATEGORICAL_SUFFIXES", "add_names", "child_frame", "frame_builder", "frame_columns",
           "records_to_frame", "reference_kind"]

CATEGORICAL_SUFFIXES = ("status", "state", "visibility", "device_owner", "interface",
                        "binary", "zone_state", "power_state")
"""Prop names ending so hold a few repeated values: categorical columns."""

NOT_SHOWN = frozenset({"links"})
"""Props left out of the default columns (``columns="all"`` has them): a resource's
``links`` are its own URLs, navigation rather than data (``openstack … show`` drops them
too), and a list of two dicts per row, about 40 MiB of a 50,000-server frame."""

Column = tuple[str, _Prop, Any]
"""One frame column: its name, the prop it reads, and a path inside that prop's value
(None: the value itself)."""


def frame_columns(resource_type: type[Resource], columns: str = "default") -> list[str]:
    """The columns a frame of ``resource_type`` has (``id`` is the index).

    ``"default"``: what a response carries, nested values expanded into the flat columns
    their props declare (a server's ``flavor_name``, ``vcpus``, …), without the
    resource's ``links`` (:data:`NOT_SHOWN`); ``"all"``: every declared attribute as
    sent, request-only ones included.
    """
    return [name for name, _, _ in _plan(resource_type, columns)]


def _plan(resource_type: type[Resource], columns: str | Sequence[str] | None) -> list[Column]:
    props = resource_type._props
    if columns is None or columns == "default":
        plan: list[Column] = []
        for name, p in props.items():
            if name == "id" or p.request_only or name in NOT_SHOWN:
                continue
            if p.columns:
                plan.extend((column, p, path) for column, path in p.columns.items())
            else:
                plan.append((name, p, None))
        return plan
    if columns == "all":
        return [(name, p, None) for name, p in props.items() if name != "id"]
    if isinstance(columns, str):
        raise KeyError(f"columns={columns!r}: give 'default', 'all' or a list of names")
    nested = {column: (p, path) for p in props.values() for column, path in p.columns.items()}
    plan = []
    unknown = []
    for name in columns:
        if name in props and not (props[name].request_only and name in nested):
            plan.append((name, props[name], None))
        elif name in nested:  # a server's image_id is its image's, not the create's
            plan.append((name, *nested[name]))
        else:
            unknown.append(name)
    if unknown:
        known = ", ".join(dict.fromkeys(frame_columns(resource_type, "all") + list(nested)))
        raise KeyError(f"{resource_type.__name__} has no column(s) {', '.join(unknown)}; "
                       f"known: {known}")
    return plan


def records_to_frame(resource_type: type[Resource], records: Iterable[Any],
                     *, columns: str | Sequence[str] | None = None, flatten: bool = False,
                     uri: dict[str, Any] | None = None) -> pd.DataFrame:
    """A DataFrame of ``records`` (raw server bodies) of ``resource_type``.

    ``records`` is a sequence of records, or a :class:`~osnb.sdk.resource_list.Pages`
    stream of them (a listing still arriving): each page is then pulled into raw columns
    as it comes and not held any longer, and the typed conversion runs once over the
    whole columns, so the frame is the one the records in one piece give.
    ``columns`` is ``"default"`` (None), ``"all"`` or a list of column names (see
    :func:`frame_columns`); ``flatten`` expands the dict-valued columns that remain into
    ``fault.message``-style columns. Values the declared type does not fit are kept as
    sent (the column then has dtype object); in a datetime column an empty string, which
    some services send for "never", becomes ``NaT``.
    """
    from .sdk.resource_list import Pages

    with collector_paused():  # the columns are new objects, all kept: nothing to collect
        builder = _FrameBuilder(resource_type, columns, uri)
        pages: Iterator[Sequence[Any]] = iter(records) if isinstance(records, Pages) \
            else iter([list(records) if not isinstance(records, Sequence) else records])
        try:
            for page in pages:
                builder.add(page)
        finally:  # a failed frame ends its listing now, not when the traceback goes
            close = getattr(pages, "close", None)
            if close is not None:
                close()
        return builder.frame(flatten)


def frame_builder(resource_type: type[Resource], uri: dict[str, Any] | None = None
                  ) -> _FrameBuilder:
    """An empty frame of ``resource_type``'s default columns, to be filled page by page:
    ``builder.add(records)`` as each page arrives (the page's records can go once it
    returned), then ``builder.frame(flatten, keep=True)`` for each ``to_pandas()``, the
    same frame :func:`records_to_frame` gives of the records in one piece. What a
    listing fills as its pages arrive (:class:`~osnb.sdk.resource_list.ResourceList`)."""
    return _FrameBuilder(resource_type, None, uri)


SHARE_SAMPLE = 256
"""How many values of a column's first page decide whether its strings are shared."""

SHARE_PROBE = 1000
"""A column whose sample looks unique is shared over its first this many values, and
kept shared if at most :data:`SHARE_NEW` of them were new strings."""

SHARE_NEW = 0.9
"""See :data:`SHARE_PROBE`: 50,000 servers have 9,671 distinct names and 2,500 hosts
(1,000 values bring 700-850 new ones) but 256 values of either look unique."""


class _FrameBuilder:
    """A frame built page by page: :meth:`add` pulls each page's values into raw columns
    (object arrays that hold only the values the frame keeps: a server's ``flavor`` dict
    is read into ``flavor_name``, ``vcpus``, … and let go), :meth:`frame` converts each
    whole column once. The dtype a column gets depends on all its values (one odd value
    keeps a column ``object``), so it is decided at the end, never page by page."""

    def __init__(self, resource_type: type[Resource], columns: str | Sequence[str] | None,
                 uri: dict[str, Any] | None) -> None:
        self.resource_type = resource_type
        self.plan = _plan(resource_type, columns)
        self.uri = uri
        self.id_key: str | None = None  # decided by the first record, as for one piece
        self.keys: list[str] = []
        self.chunks: dict[str, list[Any]] = {name: [] for name, _, _ in self.plan}
        self.ids: list[Any] = []
        self.seen: dict[str, str] = {}
        """The one copy of each string shared, for all the columns (a server's ``name``
        and ``hostname`` hold the same ones)."""
        self.shared: dict[str, bool | list[int]] = {}
        """Per column, whether its strings are shared; [new, values] while probed."""
        self.kept: pd.DataFrame | None = None
        """The frame, once made by ``frame(keep=True)``."""

    def add(self, records: Sequence[Any]) -> None:
        if not records:
            return
        if self.kept is not None:
            raise ValueError("this frame was made: no page can be added to it")
        if set(map(type, records)) - {dict}:  # a non-object: a blank row
            records = [r if isinstance(r, dict) else {} for r in records]
        if self.id_key is None:
            id_prop = self.resource_type._id_prop
            self.id_key = id_prop.server_key if id_prop is not None and \
                "id" not in records[0] else "id"
            self.keys = list(dict.fromkeys(
                [self.id_key] + [k for _, p, _ in self.plan if not p.in_uri
                                 for k in (p.server_key, p.alias) if k]))
        raw = _pull(records, self.keys)
        values_of: dict[str, Any] = {}  # a prop's raw column, shared by its nested columns
        for name, p, path in self.plan:
            if p.name not in values_of:
                values_of[p.name] = _raw_column(p, raw, records, self.uri)
            values = values_of[p.name]
            # A copy: a row of the pulled table would keep every pulled value alive.
            self.chunks[name].append(self._share(name, values) if path is None
                                     else self._share(name, _read_nested(path, values)))
        self.ids.append(raw[self.id_key].copy())

    def _share(self, name: str, values: Any) -> Any:
        """``values`` (a copy), each string the one copy of it already kept.

        Each record decodes into strings of its own: 50,000 servers in 250 projects carry
        50,000 copies of 250 project ids. Columns whose strings repeat keep one of each,
        about a fifth of what a server frame holds: decided on the first
        :data:`SHARE_SAMPLE` values (at most three quarters of them distinct), or, where
        those look unique, on the first :data:`SHARE_PROBE` (names and hosts repeat only
        at scale). Columns of unique strings (ids, times) are left alone: scanning them
        costs more than it saves; so are categorical columns (their conversion keeps one
        copy of each value) and columns whose sample holds one object per value already
        (``""`` everywhere: the decoder's one empty string)."""
        import numpy as np

        state = self.shared.get(name)
        if state is None:  # decided on a sample: scanning it all costs more
            strings = [v for v in values[:SHARE_SAMPLE] if v.__class__ is str]
            distinct = len(set(strings))
            state = self.shared[name] = False if not strings or \
                name.endswith(CATEGORICAL_SUFFIXES) or \
                len(set(map(id, strings))) == distinct < len(strings) else \
                True if 4 * distinct <= 3 * len(strings) else [0, 0]
        if state is False:
            return values if isinstance(values, list) else values.copy()
        seen = self.seen
        if state is True:
            shared = [seen.setdefault(v, v) if v.__class__ is str else v for v in values]
        else:  # probed: its first SHARE_PROBE values shared, new strings counted
            head = SHARE_PROBE - state[1]
            before = len(seen)
            shared = [seen.setdefault(v, v) if v.__class__ is str else v
                      for v in values[:head]]
            state[0] += len(seen) - before
            state[1] += len(shared)
            if state[1] >= SHARE_PROBE:
                keep = self.shared[name] = state[0] <= SHARE_NEW * state[1]
                rest = values[head:]
                shared += [seen.setdefault(v, v) if v.__class__ is str else v
                           for v in rest] if keep else list(rest)
        if isinstance(values, list):
            return shared
        return np.fromiter(shared, dtype=object, count=len(shared))

    def frame(self, flatten: bool, *, keep: bool = False) -> pd.DataFrame:
        """The frame of the pages added (each raw column goes once converted). ``keep``:
        the frame is kept, and each call gives a copy of it (no page can be added then);
        under pandas' copy-on-write (pandas 3) a shallow one, which copies nothing until
        either is written to."""
        import pandas as pd

        if not keep:
            return self._convert(flatten)
        if self.kept is None:
            self.kept = self._convert(False)
        frame = self.kept.copy(deep=int(pd.__version__.split(".")[0]) < 3)
        return _flatten(frame, self.resource_type) if flatten else frame

    def _convert(self, flatten: bool) -> pd.DataFrame:
        import numpy as np
        import pandas as pd

        data: dict[str, Any] = {}
        for name, p, path in self.plan:
            chunks = self.chunks[name]
            if path is None:
                values = chunks[0] if len(chunks) == 1 else (
                    np.concatenate(chunks) if chunks else _raw_column(p, None, [], self.uri))
                column = _column(p, values)
            else:
                column = _nested_typed(p, path, list(chain.from_iterable(chunks)))
            chunks.clear()  # each column's raw values go as soon as it is converted
            # In the frame's own dtype now (pandas 3 makes an object column of strings
            # ``str``, a copy), as the frame would make it, so the raw one goes now too.
            data[name] = pd.Series(column, copy=False).array
            values = column = None
        ids: Any = np.concatenate(self.ids) if self.ids else []
        index = pd.Index(ids, name="id", dtype=object)
        # The columns are new arrays of this frame's own: taken as they are, not copied.
        frame = pd.DataFrame(data, index=index, columns=[name for name, _, _ in self.plan],
                             copy=False)
        if flatten:
            frame = _flatten(frame, self.resource_type)
        return frame


def _pull(records: Sequence[dict[str, Any]], keys: list[str]) -> dict[str, Any]:
    """Each of ``keys`` in every record, untouched: key → object array (NaN where a record
    lacks the key). One C-level pass over the records, pandas' own
    (``lib.dicts_to_array``, what ``pd.DataFrame(records)`` runs), without building the
    intermediate frame; through that frame where the private function is missing."""
    import pandas as pd

    try:
        from pandas._libs.lib import dicts_to_array

        table = dicts_to_array(list(records), keys).T  # a row per key
    except (ImportError, AttributeError, TypeError):
        raw = pd.DataFrame(records, columns=keys, dtype=object)
        return {key: raw[key].to_numpy(dtype=object) for key in keys}
    return dict(zip(keys, table, strict=True))


def _raw_column(p: _Prop, raw: Any, records: Sequence[dict[str, Any]],
                uri: dict[str, Any] | None) -> Any:
    import numpy as np

    if p.in_uri or raw is None:
        value = (uri or {}).get(p.name) if p.in_uri else None
        column = np.empty(len(records), dtype=object)
        column[:] = [value] * len(records)
        return column
    column = raw[p.server_key]
    if p.alias is not None:  # the alias where the record lacks the key (pulled as NaN)
        import pandas as pd

        column = column.copy()
        alias = raw[p.alias]
        for i in np.flatnonzero(pd.isna(column)).tolist():
            value = alias[i]
            if not (value.__class__ is float and value != value) and \
                    p.server_key not in records[i]:
                column[i] = value
    return column


def _absent(value: Any) -> bool:
    """None, or the NaN pandas puts where a record lacks the key."""
    return value is None or (isinstance(value, float) and value != value)


def _nested_typed(p: _Prop, path: ColumnPath, out: list[Any]) -> Any:
    """The typed column of ``out``, the values ``path`` read inside a nested value."""
    if isinstance(path, Each):  # lists, or None: nothing to infer
        import numpy as np
        import pandas as pd

        return pd.array(np.fromiter(out, dtype=object, count=len(out)), dtype=object,
                        copy=False)
    nested_type = p.conversion.kind
    if isinstance(nested_type, type) and issubclass(nested_type, Resource) and \
            isinstance(path, (str, tuple)):
        first = path if isinstance(path, str) else path[0]
        typed = nested_type._by_key.get(first)
        if typed is not None:
            return _column(typed, out)
    return _inferred(out)


def _read_nested(path: ColumnPath, values: Any) -> list[Any]:
    """``path`` read in each value: one comprehension per kind of path (this runs once per
    row and nested column, the hot loop of a frame); a value that is not a dict gives None,
    and a function that fails on an odd value gives None for that value alone."""
    if isinstance(path, str):
        return [v.get(path) if isinstance(v, dict) else None for v in values]
    if isinstance(path, Each):
        return _read_each(path, values)
    if isinstance(path, tuple) and len(path) == 2:
        a, b = path
        return [(x if (x := v.get(a)) is not None else v.get(b)) if isinstance(v, dict)
                else None for v in values]
    if isinstance(path, tuple):
        keys = path

        def first(value: dict[str, Any]) -> Any:
            for key in keys:
                found = value.get(key)
                if found is not None:
                    return found
            return None

        return [first(v) if isinstance(v, dict) else None for v in values]
    try:
        return [None if v is None or (v.__class__ is float and v != v) else path(v)
                for v in values]
    except Exception:  # noqa: BLE001 - an odd value somewhere: value by value, below
        pass
    out = []
    for value in values:
        try:
            out.append(None if _absent(value) else path(value))
        except Exception:  # noqa: BLE001 - one odd record must not break the frame
            out.append(None)
    return out


def _read_each(each: Each, values: Any) -> list[Any]:
    """:class:`Each` over a column: each list's entries read with one ``itemgetter`` (no
    Python frame per row); where an entry is not a dict, lacks the key or holds None,
    the column is read again row by row by ``each`` itself."""
    try:
        get = itemgetter(each.key)
        out = [list(map(get, v)) if v.__class__ is list else None if _absent(v) else []
               for v in values]
        if not any(None in row for row in out if row):
            return out
    except (KeyError, TypeError, IndexError):
        pass
    return [None if _absent(v) else each(v) for v in values]


def _inferred(values: list[Any]) -> Any:
    """A column of computed values with the dtype they fit: Int64, Float64, boolean or
    object."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    inferred = infer_dtype(values, skipna=True)
    if inferred == "integer":
        return _int_array(values)
    if inferred == "boolean":
        return pd.array(values, dtype="boolean")
    if inferred in ("floating", "mixed-integer-float"):
        return pd.array(values, dtype="Float64")
    return pd.array(values, dtype=object)


def _int_array(values: Any) -> Any:
    """Int64 when every value fits in 64 bits; otherwise the values as sent (object), so
    one huge number never breaks a frame. The caller has seen only integers and missing
    values (``infer_dtype`` said ``"integer"``): they go to int64 in one numpy cast, the
    missing ones masked, about a quarter of what ``pd.array(values, dtype="Int64")``
    takes for the same checks."""
    import numpy as np
    import pandas as pd
    from pandas.arrays import IntegerArray

    try:
        objects = np.asarray(values, dtype=object)
        missing = pd.isna(objects)
        if missing.any():
            objects = objects.copy()
            objects[missing] = 0
        return IntegerArray(objects.astype(np.int64), missing)
    except (OverflowError, TypeError, ValueError):
        return pd.array(list(values), dtype=object)


def _column(p: _Prop, values: Any) -> Any:
    """One column (an object ndarray) with the best dtype its values allow."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    if p.secret:  # masked where a value was sent; absent stays absent
        return pd.array([None if _absent(v) else SECRET_MASK for v in values], dtype=object)
    conv: Conversion = p.conversion
    kind = conv.kind
    if kind not in (bool, int, float, str) and getattr(kind, "__name__", "") != "datetime":
        return pd.array(values, dtype=object, copy=False)  # dicts, lists, anything: kept as sent
    if kind is str and not p.name.endswith(CATEGORICAL_SUFFIXES):
        return pd.array(values, dtype=object, copy=False)
    inferred = infer_dtype(values, skipna=True)
    if kind is bool and inferred in ("boolean", "empty"):
        return pd.array(values, dtype="boolean")
    if kind is int and inferred in ("integer", "empty"):
        return _int_array(values)
    if kind is float and inferred in ("integer", "floating", "mixed-integer-float", "empty"):
        return pd.array(values, dtype="Float64")
    if kind is not None and getattr(kind, "__name__", "") == "datetime":
        if inferred in ("string", "empty"):
            try:
                return pd.to_datetime(pd.Series(values, dtype=object), utc=True,
                                      format="ISO8601").array
            except (ValueError, TypeError, OverflowError):
                pass
        return pd.array(values, dtype=object)
    if kind is str and inferred == "string" and p.name.endswith(CATEGORICAL_SUFFIXES):
        return pd.Categorical(values)
    if kind in (int, float, bool):
        # Declared numeric but sent otherwise somewhere: convert what converts, keep the rest.
        return pd.array([conv.from_wire(v) for v in values], dtype=object)
    return pd.array(values, dtype=object, copy=False)


FLATTEN_MAX_KEYS = 32
"""The most ``name.key`` columns ``flatten`` makes of one dict column."""


def _flatten(frame: pd.DataFrame, resource_type: type[Resource]) -> pd.DataFrame:
    """Expand dict columns one level into ``name.key`` columns, keeping column order.

    Keys that are a schema become columns: a nested resource's declared keys, and the
    keys found in at least half of a column's dicts (a server's ``fault``: ``code``,
    ``message``, ``created``), at most :data:`FLATTEN_MAX_KEYS` of them. Keys that are data
    never do: they differ from row to row (metadata keys, network names, hosts of a zone),
    so each is rare, and what a row has of them stays in the column under its own name (a
    dict of the keys not expanded; None where none is left). A collection with a child
    frame of its own (a server's ``addresses``: ``servers.addresses()``) stays one column.
    The column count is bounded whatever the data.
    """
    import pandas as pd

    props = resource_type._props
    data: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        values = column.to_numpy(dtype=object) if column.dtype == object else None
        if values is None or name in resource_type.child_frames or not any(
                issubclass(t, dict) for t in set(map(type, values))):
            data[name] = column.array
            continue
        dicts = [v for v in values if isinstance(v, dict)]
        seen = Counter(chain.from_iterable(dicts))  # how many dicts have each key
        rename = _nested_names(props[name].conversion.kind if name in props else None)
        declared = [k for k in seen if k in rename]
        keys = declared + [k for k, n in seen.items() if k not in rename
                           and 2 * n >= len(dicts)][:FLATTEN_MAX_KEYS]
        if len(keys) < len(seen):  # data keys: kept in the column, as dicts of their own
            expanded = set(keys)
            data[name] = pd.array(
                [({k: x for k, x in v.items() if k not in expanded} or None)
                 if isinstance(v, dict) else v for v in values], dtype=object)
        for k in keys:
            data[f"{name}.{rename.get(k, k)}"] = [v.get(k) if isinstance(v, dict) else None
                                                  for v in values]
    return pd.DataFrame(data, index=frame.index)


def _nested_names(kind: Any) -> dict[str, str]:
    if isinstance(kind, type) and issubclass(kind, Resource):
        return {p.server_key: name for name, p in kind._props.items() if not p.in_uri}
    return {}


def child_frame(resource_type: type[Resource], records: Sequence[dict[str, Any]],
                name: str) -> pd.DataFrame:
    """The tidy frame ``resource_type.child_frames[name]`` makes of ``records``: one row per
    nested item, led by its parent's ``<kind>_id`` and ``<kind>_name``."""
    import pandas as pd

    rows_of = resource_type.child_frames.get(name)
    if rows_of is None:
        known = ", ".join(resource_type.child_frames) or "none"
        raise KeyError(f"{resource_type.__name__} has no child frame {name!r}; known: {known}")
    kind = _snake(resource_type.__name__)
    parent_id, parent_name = f"{kind}_id", f"{kind}_name"
    rows: list[dict[str, Any]] = []
    for record in records:
        if not isinstance(record, dict):
            continue
        lead = {parent_id: record.get("id"), parent_name: record.get("name")}
        try:
            rows.extend({**lead, **row} for row in rows_of(record))
        except Exception:  # noqa: BLE001 - one odd record must not break the frame
            continue
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for column in frame.columns:
        if column not in (parent_id, parent_name):
            frame[column] = _inferred(frame[column].astype(object).where(
                frame[column].notna(), None).tolist())
    return frame


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))


def reference_kind(column: str, kinds: Sequence[str]) -> str | None:
    """The kind of object a ``*_id`` column refers to: ``project_id`` → project,
    ``floating_network_id`` → network; None for anything else."""
    if not column.endswith("_id"):
        return None
    stem = column[:-3]
    if stem in kinds:
        return stem
    last = stem.rsplit("_", 1)[-1]
    return last if last in kinds else None


def add_names(frame: pd.DataFrame, names: Any) -> pd.DataFrame:
    """``frame`` with a ``<x>_name`` column beside each ``<x>_id`` column whose kind
    ``names`` (a :class:`~osnb.sdk.names.NameCache`) knows.

    Each kind is listed once (all of them concurrently) and cached for the connection:
    never one request per row. An id the caller cannot see keeps its id as its name, so
    grouping by the name column never drops rows.
    """
    from .sdk.names import KINDS

    refs = {column: kind for column in frame.columns
            if (kind := reference_kind(str(column), list(KINDS))) is not None
            and f"{str(column)[:-3]}_name" not in frame.columns}
    if not refs:
        return frame
    names.prefetch(refs.values())
    out = frame.copy()
    for column, kind in refs.items():
        ids = out[column]
        named = ids.map(names.resolve(kind))
        named = named.where(named.notna(), ids).astype(object)
        named = named.where(ids.notna(), None)
        out.insert(out.columns.get_loc(column) + 1, f"{column[:-3]}_name", named)
    return out
