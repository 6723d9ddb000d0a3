"""HTML reprs for Jupyter, built by small pure functions returning ``str``.

Every string that came from a server goes through :func:`html.escape`; credentials are
masked before anything is rendered. The output carries its ``<style>`` once and a
``<pre>`` text fallback that shows where a notebook is untrusted and the CSS is stripped
(the xarray approach).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..sdk.config import mask
from .safety import escape_html, printable

if TYPE_CHECKING:
    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

__all__ = ["cell_text", "column_value", "css", "display_columns", "format_time", "list_frame",
           "list_html", "missing", "readable_columns", "resource_html", "status_class",
           "table_html", "value_html"]

_ids = itertools.count()
MAX_ITEMS = 50
"""Items shown of a nested list or dict before "… N more"."""


@functools.cache
def css() -> str:
    return (resources.files("osnb") / "static" / "osnb.css").read_text(encoding="utf-8")


def _e(value: Any) -> str:
    return escape_html(value)


def status_class(status: Any) -> str:
    """The badge colour class for a status value."""
    text = str(status).upper()
    if text in ("ACTIVE", "AVAILABLE", "IN-USE", "UP", "ENABLED", "RUNNING", "CURRENT") or \
            text.startswith("ACTIVE"):
        return "osnb-ok"
    if "ERROR" in text or text in ("DOWN", "FAILED", "DEAD", "KILLED", "DELETED"):
        return "osnb-bad"
    if text in ("BUILD", "REBUILD", "RESIZE", "MIGRATING", "CREATING", "DELETING",
                "QUEUED", "SAVING", "UPLOADING", "IMPORTING", "PENDING_CREATE",
                "PENDING_UPDATE", "ATTACHING", "DETACHING", "REBOOT", "HARD_REBOOT"):
        return "osnb-busy"
    if text in ("VERIFY_RESIZE", "RESCUE", "SUSPENDED", "PAUSED", "DEACTIVATED",
                "MAINTENANCE"):
        return "osnb-warn"
    return "osnb-off"


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
        return f"{_e(exact)} <span class='osnb-time-ago'>· {_e(ago)}</span>"
    if isinstance(value, Mapping):
        if not value:
            return "<span class='osnb-none'>{}</span>"
        value = mask(value)
        rows = "".join(f"<tr><th>{_e(k)}</th><td>{value_html(v, depth + 1)}</td></tr>"
                       for k, v in itertools.islice(value.items(), MAX_ITEMS))
        more = _more(len(value))
        return _collapsible(f"dict · {len(value)} keys",
                            f"<table class='osnb-attrs'>{rows}</table>{more}", open_=depth == 0
                            and len(value) <= 3)
    if isinstance(value, (list, tuple)):
        if not value:
            return "<span class='osnb-none'>[]</span>"
        if all(isinstance(v, (str, int, float, bool)) for v in value) and len(value) <= 8:
            return _e(", ".join(str(v) for v in value))
        value = mask(list(value))
        rows = "".join(f"<tr><th>{i}</th><td>{value_html(v, depth + 1)}</td></tr>"
                       for i, v in enumerate(value[:MAX_ITEMS]))
        return _collapsible(f"list · {len(value)} items",
                            f"<table class='osnb-attrs'>{rows}</table>{_more(len(value))}",
                            open_=False)
    return _e(value)


def _more(count: int) -> str:
    return f"<div class='osnb-none'>… {count - MAX_ITEMS} more</div>" if count > MAX_ITEMS else ""


def _collapsible(label: str, body: str, *, open_: bool) -> str:
    ident = f"osnb-{next(_ids)}"
    checked = " checked" if open_ else ""
    return (f"<input id='{ident}' class='osnb-toggle' type='checkbox'{checked}>"
            f"<label for='{ident}'>{_e(label)}</label><div class='osnb-nested'>{body}</div>")


def _wrap(text_fallback: str, body: str, *, style: bool = True) -> str:
    sheet = f"<style>{css()}</style>" if style else ""
    return (f"<div>{sheet}"
            f"<pre class='osnb-text-repr-fallback'>{_e(text_fallback)}</pre>"
            f"<div class='osnb-wrap tex2jax_ignore' style='display:none'>{body}</div></div>")


def _header(res: Resource) -> str:
    parts = [f"<span class='osnb-type'>{_e(type(res).__name__)}</span>"]
    if "name" in res._props and res.name:
        parts.append(f"<span class='osnb-name'>{_e(res.name)}</span>")
    status = res._read(res._props["status"]) if "status" in res._props else None
    if status is not None:
        parts.append(f"<span class='osnb-badge {status_class(status)}'>{_e(status)}</span>")
    if res.id is not None and res.id != res.name:
        parts.append(f"<span class='osnb-id'>{_e(res.id)}</span>")
    return f"<div class='osnb-header'>{''.join(parts)}</div>"


def resource_html(res: Resource, *, show_empty: bool = False, style: bool = True) -> str:
    """A two-column table of PEP-8 attribute names and values under a title line
    (``style=False`` leaves out the ``<style>``, for a page that has it already)."""
    rows = []
    for name, value in res.to_dict().items():
        if value is None and not show_empty:
            continue
        rows.append(f"<tr><th>{_e(name)}</th><td>{value_html(value)}</td></tr>")
    extra = mask(res.extra)
    if extra:
        rows.append(f"<tr><th>(undeclared)</th><td>{value_html(extra, 1)}</td></tr>")
    body = _header(res) + f"<table class='osnb-attrs'>{''.join(rows)}</table>"
    return _wrap(repr(res), body, style=style)


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


def cell_text(value: Any, width: int = 60) -> str:
    """One frame cell as the list tables show it: "" when missing, times in UTC to the
    minute, a list joined with ", ", a dict as ``key=value`` pairs (masked), cut at
    ``width`` characters."""
    if missing(value):
        return ""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (tuple, set)):
        value = list(value)
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return f"{when.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    return _short(value, width)


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


def display_columns(resource_type: type[Resource], frame: Any, limit: int = 8) -> list[str]:
    """The columns a list table shows first: the resource's ``display_columns`` found in
    the frame, else the first readable columns with a value and no dicts."""
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
        return f"<span class='osnb-badge {status_class(value)}'>{_e(value)}</span>"
    return _e(cell_text(value))


def table_html(frame: Any, columns: Sequence[str], *, index: bool = False,
               row_attrs: Sequence[str] | None = None) -> str:
    """An ``osnb-list`` table of ``frame[columns]`` (the id first when ``index``)."""
    heads = (["id"] if index else []) + list(columns)
    head = "".join(f"<th>{_e(c)}</th>" for c in heads)
    body = []
    values = [frame[c].tolist() for c in columns]
    for i, ident in enumerate(frame.index):
        cells = [f"<td>{_e(ident)}</td>"] if index else []
        cells += [f"<td>{_cell_html(c, v[i])}</td>" for c, v in zip(columns, values,
                                                                     strict=True)]
        attrs = row_attrs[i] if row_attrs is not None else ""
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    return (f"<table class='osnb-list'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def list_html(items: ResourceList[Any], *, max_rows: int = 20) -> str:
    """A table of the first ``max_rows`` items with the row count; says if incomplete.

    Columns and cells come from the list's ``to_pandas()`` frame, as in the rich table
    and the widget.
    """
    kind = items.resource_type.__name__
    frame = list_frame(items, max_rows)
    columns = display_columns(items.resource_type, frame)
    total = len(items)
    footer = f"{total:,} rows × {len(columns)} columns shown"
    if total > max_rows:
        footer += f" (first {max_rows} rows; <code>.to_pandas()</code> for all)"
    warning = ""
    if not items.complete:
        warning = ("<div class='osnb-warning'>⚠ incomplete listing: fetching stopped early; "
                   "these are the rows fetched so far</div>")
    title = (f"<div class='osnb-header'><span class='osnb-type'>{total:,} {_e(kind)}"
             f"</span></div>")
    return _wrap(repr(items), title + warning + table_html(frame, columns) +
                 f"<div class='osnb-footer'>{footer}</div>")


def column_value(res: Any, column: str) -> Any:
    """``res.flavor.original_name`` for the column ``flavor.original_name``."""
    head, _, rest = column.partition(".")
    value = getattr(res, head, None)
    while rest and value is not None:
        head, _, rest = rest.partition(".")
        value = value.get(head) if isinstance(value, dict) else getattr(value, head, None)
    return value


def _short(value: Any, width: int = 60) -> str:
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict):
        value = mask(value)
        text = ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    elif isinstance(value, list):
        text = ", ".join(str(mask(v)) if isinstance(v, dict) else str(v) for v in value)
    else:
        text = str(value)
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"
