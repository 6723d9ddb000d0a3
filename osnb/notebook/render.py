"""The notebook layer's rendering toolkit: the one place that escapes, badges, cuts,
wraps and tables, and the display settings every renderer reads.

HTML reprs, rich (terminal) reprs, widgets, the report, the connection summary, the
clouds table, the chooser and the analyses' reprs build on these small pure functions, so
a server string is escaped the same way everywhere and a limit is set in one place:

>>> import osnb.notebook
>>> osnb.notebook.settings.display_limit = 5      # rows of every listing
>>> %config OsnbMagics.display_limit = 5          # the same, from IPython

Every server-supplied string goes through :func:`escape_html` (HTML) or
:func:`printable` (rich ``Text``, plain text): see :mod:`osnb.notebook.safety`.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

from ..sdk.config import mask
from .safety import escape_html, printable

__all__ = ["STATUS_STYLES", "DisplaySettings", "attrs_table", "badge_html", "badge_rich",
           "collapsible", "css", "escape_html", "footer_html", "header_html", "list_table",
           "list_text", "more_html", "new_id", "printable", "section", "settings", "shorten",
           "status_class", "text_html", "truncate", "warning_html"]


def _setting(default: int, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(slots=True)
class DisplaySettings:
    """How much the renderers show. One instance, :data:`settings`; the magics' traitlets
    (``%config OsnbMagics.display_limit = 50``) set it, and so does plain Python
    (``osnb.notebook.settings.display_limit = 50``). Renderers read it when they render,
    so a change shows in the next output."""

    display_limit: int = _setting(20, "Rows shown of a listing: HTML, rich and text "
                                  "tables, analysis tables.")
    widget_rows: int = _setting(50, "Rows shown of an interactive list widget (it filters "
                                "and sorts all rows, so it shows more).")
    detail_rows: int = _setting(50, "Items shown of a nested list or dict in a detail "
                                "view before '… N more'.")
    max_columns: int = _setting(8, "Columns a list table picks when the resource "
                                "declares no display_columns.")
    expand_keys: int = _setting(3, "A top-level dict of at most this many keys shows "
                                "open; larger ones collapsed.")
    inline_items: int = _setting(8, "A list of at most this many plain values shows "
                                 "inline, comma-separated.")
    cell_width: int = _setting(60, "Characters of an HTML, widget or analysis table cell "
                               "before it is cut with '…'.")
    text_width: int = _setting(100, "Characters of a terminal (rich or plain text) value "
                               "before it is cut with '…'.")
    column_width: int = _setting(40, "Widest column of a rich list table (longer cells "
                                 "fold).")

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"display setting {name}={value!r}: expected a whole number "
                             "of at least 1")
        object.__setattr__(self, name, value)

    @staticmethod
    def described() -> dict[str, str]:
        """Each setting's name and what it does (each is also a trait of ``OsnbMagics``)."""
        return {f.name: f.metadata["help"] for f in fields(DisplaySettings)}


settings = DisplaySettings()
"""The display settings every renderer reads."""

_PREFIX = uuid.uuid4().hex[:12]
_counter = itertools.count()


def new_id() -> str:
    """An element id unique in this process and, with a random per-process prefix,
    across kernels: outputs saved in one notebook from two runs never share one."""
    return f"osnb-{_PREFIX}-{next(_counter)}"


@functools.cache
def css() -> str:
    """The stylesheet (``osnb/static/osnb.css``)."""
    return (resources.files("osnb") / "static" / "osnb.css").read_text(encoding="utf-8")


def text_html(value: Any) -> str:
    """``value`` escaped for HTML (:func:`escape_html`), "" for None: a missing label,
    placeholder or value shows as nothing rather than as "None"."""
    return "" if value is None else escape_html(value)


# -- status badges ------------------------------------------------------------------------
STATUS_STYLES = {"osnb-ok": "bold green", "osnb-bad": "bold red", "osnb-busy": "bold blue",
                 "osnb-warn": "bold yellow", "osnb-off": "bold"}
"""Badge colour class → rich style."""

_OK = frozenset({"ACTIVE", "AVAILABLE", "IN-USE", "UP", "ENABLED", "RUNNING", "CURRENT",
                 "CONNECTED", "CACHED"})
_BAD = frozenset({"DOWN", "FAILED", "DEAD", "KILLED", "DELETED"})
_BUSY = frozenset({"BUILD", "REBUILD", "RESIZE", "MIGRATING", "CREATING", "DELETING",
                   "QUEUED", "SAVING", "UPLOADING", "IMPORTING", "PENDING_CREATE",
                   "PENDING_UPDATE", "ATTACHING", "DETACHING", "REBOOT", "HARD_REBOOT"})
_WARN = frozenset({"VERIFY_RESIZE", "RESCUE", "SUSPENDED", "PAUSED", "DEACTIVATED",
                   "MAINTENANCE"})


def status_class(status: Any) -> str:
    """The badge colour class for a status value."""
    text = str(status).upper()
    if text in _OK or text.startswith("ACTIVE"):
        return "osnb-ok"
    if "ERROR" in text or text in _BAD:
        return "osnb-bad"
    if text in _BUSY:
        return "osnb-busy"
    if text in _WARN:
        return "osnb-warn"
    return "osnb-off"


def badge_html(status: Any) -> str:
    """``status`` as a badge coloured by :func:`status_class`."""
    return f"<span class='osnb-badge {status_class(status)}'>{escape_html(status)}</span>"


def badge_rich(status: Any) -> Any:
    """``status`` as a rich ``Text`` coloured by :func:`status_class` (never markup)."""
    from rich.text import Text

    return Text(printable(status), style=STATUS_STYLES[status_class(status)])


# -- cutting ------------------------------------------------------------------------------
def truncate(text: str, width: int | None = None) -> str:
    """``text`` cut to ``width`` characters (:attr:`~DisplaySettings.cell_width` by
    default), the last one "…" when cut."""
    width = settings.cell_width if width is None else width
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def shorten(value: Any, width: int | None = None) -> str:
    """``value`` as one printable line: a dict as ``key=value`` pairs and a list joined
    with ", " (secrets masked), cut at ``width`` (see :func:`truncate`)."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict):
        value = mask(value)
        text = ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    elif isinstance(value, list):
        text = ", ".join(str(mask(v)) if isinstance(v, dict) else str(v) for v in value)
    else:
        text = str(value)
    return truncate(printable(text), width)


# -- HTML building blocks -----------------------------------------------------------------
def section(text_fallback: str, body: str, *, style: bool = True) -> str:
    """The frame of every HTML output: the ``<style>`` (once; ``style=False`` for a page
    that has it), a ``<pre>`` text fallback that shows where the notebook is untrusted and
    the CSS stripped, and ``body``, hidden until the CSS shows it."""
    sheet = f"<style>{css()}</style>" if style else ""
    return (f"<div>{sheet}"
            f"<pre class='osnb-text-repr-fallback'>{escape_html(text_fallback)}</pre>"
            f"<div class='osnb-wrap tex2jax_ignore' style='display:none'>{body}</div></div>")


def collapsible(label: str, body: str, *, open_: bool) -> str:
    """``body`` under a clickable ``label`` (a checkbox and a label: no JavaScript)."""
    ident = new_id()
    checked = " checked" if open_ else ""
    return (f"<input id='{ident}' class='osnb-toggle' type='checkbox'{checked}>"
            f"<label for='{ident}'>{escape_html(label)}</label>"
            f"<div class='osnb-nested'>{body}</div>")


def header_html(kind: str, name: Any = None, *, status: Any = None, ident: Any = None
                ) -> str:
    """The title line: type, name, status badge and id (each left out when None)."""
    parts = [f"<span class='osnb-type'>{escape_html(kind)}</span>"]
    if name is not None:
        parts.append(f"<span class='osnb-name'>{escape_html(name)}</span>")
    if status is not None:
        parts.append(badge_html(status))
    if ident is not None:
        parts.append(f"<span class='osnb-id'>{escape_html(ident)}</span>")
    return f"<div class='osnb-header'>{''.join(parts)}</div>"


def attrs_table(rows: Iterable[tuple[Any, str]]) -> str:
    """A two-column ``osnb-attrs`` table: escaped names, values already HTML."""
    cells = "".join(f"<tr><th>{escape_html(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table class='osnb-attrs'>{cells}</table>"


def list_table(heads: Sequence[Any], rows: Iterable[Sequence[str]], *,
               row_attrs: Sequence[str] | None = None) -> str:
    """An ``osnb-list`` table: escaped column heads, cells already HTML, optional
    attributes (``' class="…"'``) per row."""
    head = "".join(f"<th>{escape_html(c)}</th>" for c in heads)
    body = "".join(f"<tr{row_attrs[i] if row_attrs is not None else ''}>"
                   + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
                   for i, cells in enumerate(rows))
    return (f"<table class='osnb-list'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def list_text(items: Sequence[Any], max_rows: int | None = None) -> str:
    """A listing as plain text: its ``repr``, one ``repr`` line per item for the first
    ``max_rows`` (the ``display_limit`` setting by default), then "… N more" (an HTML
    table's text fallback where a notebook is untrusted)."""
    max_rows = settings.display_limit if max_rows is None else max_rows
    lines = [repr(items), *(f"  {printable(repr(item))}" for item in items[:max_rows])]
    if len(items) > max_rows:
        lines.append(f"  … {len(items) - max_rows} more")
    return "\n".join(lines)


def footer_html(html: str) -> str:
    """The line under a table (``html`` is markup: escape what it quotes)."""
    return f"<div class='osnb-footer'>{html}</div>"


def warning_html(html: str) -> str:
    """A warning box (``html`` is markup: escape what it quotes)."""
    return f"<div class='osnb-warning'>{html}</div>"


def more_html(count: int, shown: int) -> str:
    """"… N more" under a nested table that shows ``shown`` of ``count`` items."""
    return f"<div class='osnb-none'>… {count - shown} more</div>" if count > shown else ""
