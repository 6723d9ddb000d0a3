"""Rich tables in the IPython terminal after ``%load_ext osnb`` (no ``%load_ext rich``).

The terminal shows only ``text/plain``, so osnb registers a printer for its objects on the
terminal's plain-text formatter: the printer renders the object's ``__rich__`` to text
(with colour when the terminal has it). Kernels are left alone: Jupyter shows the HTML.
"""

from __future__ import annotations

import io
import shutil
import sys
from typing import Any

__all__ = ["install_terminal_printers", "render_rich"]


def render_rich(obj: Any, *, width: int | None = None, color: bool | None = None) -> str:
    """``obj.__rich__()`` as text ``width`` columns wide (the terminal's by default)."""
    from rich.console import Console

    if color is None:
        color = sys.stdout.isatty()
    console = Console(file=io.StringIO(), width=width or shutil.get_terminal_size().columns,
                      force_terminal=color, color_system="auto" if color else None,
                      highlight=False, soft_wrap=False)
    console.print(obj)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text.rstrip("\n")


def _printer(obj: Any, printer: Any, cycle: bool) -> None:
    if cycle:
        printer.text(repr(obj))
    else:
        printer.text(render_rich(obj))


def _rich_types() -> list[type]:
    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

    return [Resource, ResourceList]


def install_terminal_printers(ipython: Any) -> bool:
    """Print osnb's objects as rich tables in an IPython terminal; False (nothing done) in
    a kernel, whose front end renders the HTML."""
    try:
        from IPython.terminal.interactiveshell import TerminalInteractiveShell
    except ImportError:  # pragma: no cover - IPython without its terminal
        return False
    if not isinstance(ipython, TerminalInteractiveShell):
        return False
    display_formatter = ipython.display_formatter
    if display_formatter is None:
        return False
    formatter = display_formatter.formatters["text/plain"]
    for kind in _rich_types():
        formatter.for_type(kind, _printer)
    return True
