"""Small pure renderers for DataFrames inside the analyses' notebook reprs.

Every value goes through the notebook layer's escaping (``osnb.notebook.html``); rich
output gets ``Text`` objects, never markup.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from ..notebook.html import _e, status_class
from ..notebook.safety import printable

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


def cell_text(value: Any, width: int = 80) -> str:
    """A cell as one short line of plain text (``—`` for missing)."""
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
    return text if len(text) <= width else text[: width - 1] + "…"


def frame_html(frame: pd.DataFrame, *, max_rows: int = 20, index: bool = False,
               title: str | None = None) -> str:
    """An escaped ``osnb-list`` table of the first ``max_rows`` rows, with its size."""
    columns = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for key, row in zip(frame.index[:max_rows], frame.head(max_rows).itertuples(index=False),
                        strict=True):
        values = ([key] if index else []) + list(row)
        cells = []
        for name, value in zip(columns, values, strict=True):
            text = cell_text(value)
            if name in ("status", "result", "event_result") and text != "—":
                cells.append(f"<td><span class='osnb-badge {status_class(text)}'>{_e(text)}"
                             f"</span></td>")
            else:
                cells.append(f"<td>{_e(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    footer = frame_size(frame)
    if len(frame) > max_rows:
        footer += f" (first {max_rows} shown)"
    heading = (f"<div class='osnb-header'><span class='osnb-type'>{_e(title)}</span></div>"
               if title else "")
    return (f"{heading}<table class='osnb-list'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><div class='osnb-footer'>{footer}</div>")


def frame_rich(frame: pd.DataFrame, *, max_rows: int = 20,
               title: str | None = None) -> RenderableType:
    """A rich Table of the first ``max_rows`` rows; every cell a ``Text``, numbers
    right-aligned."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype
    from rich.table import Table
    from rich.text import Text

    caption = frame_size(frame)
    if len(frame) > max_rows:
        caption += f" (first {max_rows} shown)"
    table = Table(title=Text(title) if title else None, caption=caption)
    for column in frame.columns:
        dtype = frame[column].dtype
        numeric = is_numeric_dtype(dtype) and not is_bool_dtype(dtype)
        table.add_column(Text(str(column)), justify="right" if numeric else "left")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*(Text(cell_text(v, 60)) for v in row))
    return table
