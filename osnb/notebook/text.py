"""Terminal reprs: rich renderables and IPython's plain pretty-printer.

Server strings go into rich as ``Text`` objects, never as markup: a server named
``[red]x`` prints as those characters.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..sdk.config import mask
from .html import cell_text, display_columns, format_time, list_frame, missing
from .render import badge_rich, printable, settings, shorten

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

__all__ = ["list_rich", "plain_lines", "resource_rich"]


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, (dict, list)) or hasattr(value, "to_dict"):
        return shorten(value, settings.text_width)
    return printable(value)


def resource_rich(res: Resource) -> RenderableType:
    """A panel titled with type, name, id and status, holding an attribute table."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    for name, value in res.to_dict().items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = mask(value)
        table.add_row(Text(name), Text(_plain(value)))
    title = Text(type(res).__name__, style="bold")
    if res.name:
        title.append(" " + printable(res.name), style="bold cyan")
    status = res._read(res._props["status"]) if "status" in res._props else None
    if status is not None:
        title.append(" ")
        title.append_text(badge_rich(status))
    return Panel(table, title=title, subtitle=Text(printable(res.id or ""), style="dim"),
                 title_align="left", expand=False)


def list_rich(items: ResourceList[Any], *, max_rows: int | None = None) -> RenderableType:
    """A table of the first ``max_rows`` items (the ``display_limit`` setting by default)
    with a caption counting all of them.

    Columns and cells come from the list's ``to_pandas()`` frame, as in the HTML table.
    """
    from rich.table import Table
    from rich.text import Text

    max_rows = settings.display_limit if max_rows is None else max_rows
    frame = list_frame(items, max_rows)
    columns = display_columns(items.resource_type, frame)
    caption = f"{len(items):,} {items.resource_type.__name__}"
    if len(items) > max_rows:
        caption += f" (first {max_rows}; .to_pandas() for all)"
    if not items.complete:
        caption += " — INCOMPLETE: fetching stopped early"
    table = Table(caption=caption, caption_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold", max_width=settings.column_width)
    values = [frame[c].tolist() for c in columns]
    for i in range(len(frame)):
        cells = []
        for column, column_values in zip(columns, values, strict=True):
            value = column_values[i]
            if column == "status" and not missing(value):
                cells.append(badge_rich(value))
            else:
                cells.append(Text(cell_text(value, settings.text_width)
                                  if not missing(value) else "—"))
        table.add_row(*cells)
    return table


def list_lines(items: Any) -> list[str]:
    """``repr`` of a list then a line per object, up to the display limit, for IPython's
    plain-text printer."""
    limit = settings.display_limit
    lines = [repr(items)] + ["  " + repr(res) for res in items[:limit]]
    if len(items) > limit:
        lines.append(f"  … {len(items) - limit} more")
    return lines


def plain_lines(res: Resource) -> list[str]:
    """``repr`` then ``name: value`` lines, for IPython's plain-text printer."""
    lines = [repr(res)]
    for name, value in res.to_dict().items():
        if value is not None and name not in ("id", "name"):
            lines.append(f"  {name}: {_plain(mask(value) if isinstance(value, dict) else value)}")
    return lines

