"""Fill the SDK's display door (:mod:`osnb.sdk.hooks`) with the notebook layer's
renderers and :mod:`osnb.frames`' frame builders.

Imported by the loader that ``osnb/__init__.py`` installs, on the first repr or
``to_pandas()``; importing it loads no pandas, rich or ipywidgets (they load when used).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..frames import add_names, child_frame, frame_builder, records_to_frame
from ..sdk import hooks
from .html import list_html, resource_html
from .text import list_lines, list_rich, plain_lines, resource_rich
from .widgets import list_widget, resource_widget

__all__ = ["install"]


def install() -> None:
    """Register every render and frame kind (again: a later registration wins)."""
    doors: dict[str, Callable[..., Any]] = {
        "resource_html": resource_html, "resource_rich": resource_rich,
        "resource_pretty": plain_lines, "resource_widget": resource_widget,
        "list_html": list_html, "list_rich": list_rich, "list_pretty": list_lines, "list_widget": list_widget,
        "frame": records_to_frame, "child_frame": child_frame, "add_names": add_names,
        "frame_builder": frame_builder,
    }
    for kind, fn in doors.items():
        hooks.register(kind, fn)


install()
