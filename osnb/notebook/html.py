"""HTML reprs for Jupyter, built by small pure functions returning ``str``.

They are made of the rendering toolkit's pieces (:mod:`osnb.notebook.render`): every
string that came from a server goes through its escaping; credentials are masked before
anything is rendered; rows, columns and widths follow its display settings. The output
carries its ``<style>`` once and a ``<pre>`` text fallback that shows where a notebook is
untrusted and the CSS is stripped (the xarray approach).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..sdk.config import mask
from .render import (
    attrs_table,
    badge_html,
    collapsible,
    css,
    escape_html,
    footer_html,
    header_html,
    list_table,
    list_text,
    more_html,
    section,
    settings,
    shorten,
    status_class,
    warning_html,
)

if TYPE_CHECKING:
    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

__all__ = ["cell_text", "column_value", "css", "display_columns", "format_time", "list_frame",
           "list_html", "missing", "readable_columns", "resource_html", "status_class",
           "table_html", "value_html"]


def format_time(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """``2026-11-25 13:19 UTC · 3 d ago``: exact enough to correlate, quick to read."""
    when = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    when = when.astimezone(dt.timezone.utc)
    delta = (now or dt.datetime.now(dt.timezone.utc)) - when
    seconds = delta.total_seconds()
    ago = "in the future" if seconds < 0 else _ago(seconds)
    return f"{when:%Y-%m-%d %H:%M:%S} UTC · {ago}"


def _ago(seconds: float) -> str:
    for unit, size in (("y", 365 * 86400), ("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{int(seconds)} s ago"


def value_html(value: Any, depth: int = 0) -> str:
    """One value as HTML: escaped text, a friendly time, or a collapsible table."""
    from ..sdk.resource import Resource

    if value is None:
        return "<span class='osnb-none'>—</span>"
    if isinstance(value, Resource):
        value = value.to_dict()
    if isinstance(value, dt.datetime):
        text = format_time(value)
        exact, ago = text.split(" · ")
        return f"{escape_html(exact)} <span class='osnb-time-ago'>· {escape_html(ago)}</span>"
    if isinstance(value, Mapping):
        if not value:
            return "<span class='osnb-none'>{}</span>"
        value = mask(value)
        shown = settings.detail_rows
        rows = attrs_table((k, value_html(v, depth + 1))
                           for k, v in itertools.islice(value.items(), shown))
        return collapsible(f"dict · {len(value)} keys", rows + more_html(len(value), shown),
                           open_=depth == 0 and len(value) <= settings.expand_keys)
    if isinstance(value, (list, tuple)):
        if not value:
            return "<span class='osnb-none'>[]</span>"
        if (all(isinstance(v, (str, int, float, bool)) for v in value)
                and len(value) <= settings.inline_items):
            return escape_html(", ".join(str(v) for v in value))
        value = mask(list(value))
        shown = settings.detail_rows
        rows = attrs_table((i, value_html(v, depth + 1)) for i, v in enumerate(value[:shown]))
        return collapsible(f"list · {len(value)} items", rows + more_html(len(value), shown),
                           open_=False)
    return escape_html(value)


def _header(res: Resource) -> str:
    name = res.name if "name" in res._props and res.name else None
    status = res._read(res._props["status"]) if "status" in res._props else None
    ident = res.id if res.id is not None and res.id != res.name else None
    return header_html(type(res).__name__, name, status=status, ident=ident)


def resource_html(res: Resource, *, show_empty: bool = False, style: bool = True) -> str:
    """A two-column table of PEP-8 attribute names and values under a title line
    (``style=False`` leaves out the ``<style>``, for a page that has it already)."""
    rows = [(name, value_html(value)) for name, value in res.to_dict().items()
            if value is not None or show_empty]
    extra = mask(res.extra)
    if extra:
        rows.append(("(undeclared)", value_html(extra, 1)))
    return section(repr(res), _header(res) + attrs_table(rows), style=style)


def missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: an empty cell (a collection never is)."""
    if value is None:
        return True
    if isinstance(value, (str, bytes, Mapping)) or hasattr(value, "__len__"):
        return False
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except (TypeError, ValueError):  # pandas' NA refuses to be a bool
        return True


def _blank(value: Any) -> bool:
    """Missing, or an empty string or collection."""
    if missing(value):
        return True
    try:
        return len(value) == 0
    except TypeError:
        return False


def cell_text(value: Any, width: int | None = None) -> str:
    """One frame cell as the list tables show it: "" when missing, times in UTC to the
    minute, a list joined with ", ", a dict as ``key=value`` pairs (masked), cut at
    ``width`` characters (the ``cell_width`` setting by default)."""
    if missing(value):
        return ""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (tuple, set)):
        value = list(value)
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return f"{when.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    return shorten(value, width)


def list_frame(items: ResourceList[Any], max_rows: int | None = None) -> Any:
    """The frame a list table draws: ``items[:max_rows].to_pandas()``, its default
    columns (the same for the HTML table, the rich table and the widget)."""
    shown = items if max_rows is None else items[:max_rows]
    return shown.to_pandas()


def readable_columns(resource_type: type[Resource], frame: Any) -> list[str]:
    """The frame's columns a reader can choose: not secrets, not request-only props."""
    props = resource_type._props
    return [c for c in frame.columns
            if not (c in props and (props[c].secret or getattr(props[c], "request_only",
                                                                   False)))]


def display_columns(resource_type: type[Resource], frame: Any, limit: int | None = None
                    ) -> list[str]:
    """The columns a list table shows first: the resource's ``display_columns`` found in
    the frame, else the first ``limit`` readable columns with a value and no dicts
    (``limit``: the ``max_columns`` setting by default)."""
    limit = settings.max_columns if limit is None else limit
    readable = readable_columns(resource_type, frame)
    declared = [c for c in getattr(resource_type, "display_columns", ()) or ()
                if c in readable]
    if declared:
        return declared
    chosen = []
    for name in readable:
        values = [v for v in frame[name] if not _blank(v)]
        if values and not any(isinstance(v, Mapping) for v in values):
            chosen.append(name)
        if len(chosen) >= limit:
            break
    return chosen or readable[:1]


def _cell_html(column: str, value: Any) -> str:
    if missing(value):
        return "<span class='osnb-none'>—</span>"
    if column == "status":
        return badge_html(value)
    return escape_html(cell_text(value))


def table_html(frame: Any, columns: Sequence[str], *, index: bool = False,
               row_attrs: Sequence[str] | None = None) -> str:
    """An ``osnb-list`` table of ``frame[columns]`` (the id first when ``index``)."""
    heads = (["id"] if index else []) + list(columns)
    values = [frame[c].tolist() for c in columns]
    rows = [([escape_html(ident)] if index else [])
            + [_cell_html(c, v[i]) for c, v in zip(columns, values, strict=True)]
            for i, ident in enumerate(frame.index)]
    return list_table(heads, rows, row_attrs=row_attrs)


def list_html(items: ResourceList[Any], *, max_rows: int | None = None) -> str:
    """A table of the first ``max_rows`` items (the ``display_limit`` setting by default)
    with the row count; says if incomplete.

    Columns and cells come from the list's ``to_pandas()`` frame, as in the rich table
    and the widget; the text fallback is :func:`~osnb.notebook.render.list_text`.
    """
    max_rows = settings.display_limit if max_rows is None else max_rows
    kind = items.resource_type.__name__
    frame = list_frame(items, max_rows)
    columns = display_columns(items.resource_type, frame)
    total = len(items)
    footer = f"{total:,} rows × {len(columns)} columns shown"
    if total > max_rows:
        footer += f" (first {max_rows} rows; <code>.to_pandas()</code> for all)"
    warning = ""
    if not items.complete:
        warning = warning_html("⚠ incomplete listing: fetching stopped early; these are "
                               "the rows fetched so far")
    title = header_html(f"{total:,} {kind}")
    return section(list_text(items, max_rows), title + warning + table_html(frame, columns)
                   + footer_html(footer))


def column_value(res: Any, column: str) -> Any:
    """``res.flavor.original_name`` for the column ``flavor.original_name``."""
    head, _, rest = column.partition(".")
    value = getattr(res, head, None)
    while rest and value is not None:
        head, _, rest = rest.partition(".")
        value = value.get(head) if isinstance(value, dict) else getattr(value, head, None)
    return value
