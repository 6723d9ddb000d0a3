"""Text from a server, made safe to show: no terminal control, no reordering of text.

A server string is data, never instructions to the terminal or the browser that shows
it. ``ESC[2J`` clears an operator's screen, ``OSC 0`` retitles the window, ``OSC 8``
plants a hyperlink to any URL (kubectl fixed this class as CVE-2021-25743); a right-to-left
override (U+202E) makes ``exe.txt`` read as ``txt.exe``. :func:`printable` shows each such
character as its escape (``\\x1b``, ``\\u202e``) — visible, so an operator can see that
something odd was sent, and inert. Tab and newline stay: they are layout, not control.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["escape_html", "printable", "safe_frame"]

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"      # C0 (but tab, newline), DEL and C1 controls
    "\u061c\u200e\u200f"                 # Arabic letter mark, LRM, RLM
    "\u202a-\u202e\u2066-\u2069]")       # bidi embeddings, overrides and isolates


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: Any) -> str:
    """``text`` as a string with every control and bidi character shown as its escape."""
    value = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_escape, value) if _UNSAFE.search(value) else value


def escape_html(value: Any) -> str:
    """``value`` for HTML: escaped markup (quotes too) and neutralised controls."""
    return html.escape(printable(value), quote=True)


def safe_frame(frame: Any) -> Any:
    """``frame`` (a pandas DataFrame) for display: its text cells, index and column labels
    with :func:`printable` applied. The frame itself when nothing needed it (the common
    case costs one scan of the text columns, no copy)."""
    def unsafe(value: Any) -> bool:
        return isinstance(value, str) and _UNSAFE.search(value) is not None

    def clean(value: Any) -> Any:
        return printable(value) if unsafe(value) else value

    columns = [c for c in frame.columns
               if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")]
    dirty = [c for c in columns if frame[c].map(unsafe).any()]
    labels = any(unsafe(v) for v in (*frame.index, *frame.columns))
    if not dirty and not labels:
        return frame
    shown = frame.copy()
    for column in dirty:
        shown[column] = shown[column].map(clean).astype(object)
    if labels:
        shown.index = shown.index.map(clean)
        shown.columns = shown.columns.map(clean)
    return shown
