"""Small pure renderers for DataFrames inside the analyses' notebook reprs.

Every value goes through the notebook layer's escaping (``osnb.notebook.html``); rich
output gets ``Text`` objects, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..notebook.html import _e, status_class

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

__all__ = ["frame_html", "frame_rich", "cell_text"]


def cell_text(value: Any, width: int = 80) -> str:
    """A cell as one short line of plain text (``—`` for missing)."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        text = f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    elif isinstance(value, pd.Timestamp):
        text = f"{value:%Y-%m-%d %H:%M:%S}"
    else:
        text = " ".join(str(value).split())
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
    footer = f"{len(frame):,} rows × {len(frame.columns)} columns"
    if len(frame) > max_rows:
        footer += f" (first {max_rows} shown)"
    heading = (f"<div class='osnb-header'><span class='osnb-type'>{_e(title)}</span></div>"
               if title else "")
    return (f"{heading}<table class='osnb-list'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><div class='osnb-footer'>{footer}</div>")


def frame_rich(frame: pd.DataFrame, *, max_rows: int = 20,
               title: str | None = None) -> RenderableType:
    """A rich Table of the first ``max_rows`` rows; every cell a ``Text``."""
    from rich.table import Table
    from rich.text import Text

    caption = f"{len(frame):,} rows × {len(frame.columns)} columns"
    if len(frame) > max_rows:
        caption += f" (first {max_rows} shown)"
    table = Table(title=Text(title) if title else None, caption=caption)
    for column in frame.columns:
        table.add_column(Text(str(column)))
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*(Text(cell_text(v, 60)) for v in row))
    return table
