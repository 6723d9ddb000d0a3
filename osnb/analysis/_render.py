"""Small pure renderers for DataFrames inside the analyses' notebook reprs.

Built on the notebook layer's rendering toolkit (:mod:`osnb.notebook.render`): every
value goes through its escaping, rows and widths follow its display settings; rich output
gets ``Text`` objects, never markup.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from ..notebook.render import (
    badge_html,
    escape_html,
    footer_html,
    header_html,
    list_table,
    printable,
    settings,
    truncate,
)

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

__all__ = ["cell_text", "frame_html", "frame_rich", "frame_size", "plural"]


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 server"``, ``"120 servers"``, ``"1,024 entries"`` (``plural_form`` when the plural
    is not ``noun + "s"``)."""
    return f"{count:,} {noun if count == 1 else (plural_form or noun + 's')}"


def frame_size(frame: pd.DataFrame) -> str:
    """``"7 rows × 6 columns"``, singular where it is one."""
    return f"{plural(len(frame), 'row')} × {plural(len(frame.columns), 'column')}"


def cell_text(value: Any, width: int | None = None) -> str:
    """A cell as one short line of plain text (``—`` for missing), cut at ``width`` (the
    ``cell_width`` display setting by default)."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        # fixed point, never scientific; a tiny non-zero value is not shown as a bare 0
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        if text in ("0", "-0") and value != 0:
            text = "<0.01" if value > 0 else ">-0.01"
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        text = f"{value:,}"
    elif isinstance(value, pd.Timestamp):
        text = f"{value:%Y-%m-%d %H:%M:%S}"
    else:
        text = printable(" ".join(str(value).split()))
    return truncate(text, width)


def _cell_html(column: str, value: Any) -> str:
    text = cell_text(value)
    if column in ("status", "result", "event_result") and text != "—":
        return badge_html(text)
    return escape_html(text)


def frame_html(frame: pd.DataFrame, *, max_rows: int | None = None, index: bool = False,
               title: str | None = None) -> str:
    """An escaped ``osnb-list`` table of the first ``max_rows`` rows (the ``display_limit``
    setting by default), with its size."""
    max_rows = settings.display_limit if max_rows is None else max_rows
    columns = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    rows = ([_cell_html(name, value) for name, value in
             zip(columns, ([key] if index else []) + list(row), strict=True)]
            for key, row in zip(frame.index[:max_rows],
                                frame.head(max_rows).itertuples(index=False), strict=True))
    footer = frame_size(frame)
    if len(frame) > max_rows:
        footer += f" (first {max_rows} shown)"
    heading = header_html(title) if title else ""
    return heading + list_table(columns, rows) + footer_html(footer)


def frame_rich(frame: pd.DataFrame, *, max_rows: int | None = None,
               title: str | None = None) -> RenderableType:
    """A rich Table of the first ``max_rows`` rows (the ``display_limit`` setting by
    default); every cell a ``Text``, numbers right-aligned."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype
    from rich.table import Table
    from rich.text import Text

    max_rows = settings.display_limit if max_rows is None else max_rows
    caption = frame_size(frame)
    if len(frame) > max_rows:
        caption += f" (first {max_rows} shown)"
    table = Table(title=Text(title) if title else None, caption=caption)
    for column in frame.columns:
        dtype = frame[column].dtype
        numeric = is_numeric_dtype(dtype) and not is_bool_dtype(dtype)
        table.add_column(Text(str(column)), justify="right" if numeric else "left")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*(Text(cell_text(v)) for v in row))
    return table
