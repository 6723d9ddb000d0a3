"""The one door from the SDK to the layers above it.

The SDK core never imports ``osnb.notebook``, ``osnb.frames`` or ``osnb.analysis``.
What it needs from them — rendering a resource or a list, turning a list into a frame,
the analysis shortcuts on a :class:`~osnb.sdk.connection.Connection` — it looks up here
by kind, and the upper layers register their functions when they are imported:

- ``osnb/__init__.py`` adds *loaders* (``add_loader``): importing ``osnb`` costs nothing
  more, and the first lookup of a render kind imports :mod:`osnb.notebook.hooks`, the
  first lookup of an analysis kind imports :mod:`osnb.analysis`;
- those modules call :func:`register` for each kind they provide.

With nothing registered (the SDK used without the ``osnb`` package face), reprs fall back
to plain text and :func:`require` raises a :class:`LookupError` naming what is missing.
"""

from __future__ import annotations

import _thread  # not threading: `import osnb` stays fast
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["ANALYSIS_KINDS", "FRAME_KINDS", "RENDER_KINDS", "add_loader", "lookup",
           "plain_html", "register", "require"]

RENDER_KINDS = ("resource_html", "resource_rich", "resource_pretty", "resource_widget",
                "list_html", "list_rich", "list_pretty", "list_widget")
"""Renderers: ``fn(resource)`` or ``fn(resource_list)``; ``resource_pretty`` and ``list_pretty`` give lines."""

FRAME_KINDS = ("frame", "child_frame", "add_names", "frame_builder")
"""``frame(resource_type, records, columns=, flatten=, uri=)``,
``frame_builder(resource_type, uri)`` (filled page by page: ``add(records)``,
``frame(flatten, keep=True)``),
``child_frame(resource_type, records, name)``, ``add_names(frame, name_cache)``."""

ANALYSIS_KINDS = ("quota_report", "lookup", "server_story", "capacity", "usage",
                  "connections_for_projects")
"""Analyses behind the connection's shortcuts: ``fn(connection, ...)``."""

_registry: dict[str, Callable[..., Any]] = {}
_loaders: dict[str, list[Callable[[], object]]] = {}
_lock = _thread.RLock()


def register(kind: str, fn: Callable[..., Any]) -> None:
    """Provide ``kind``; a later registration replaces an earlier one.

    No lock here: a loader holds ``_lock`` while it imports the module that registers,
    and a thread importing that module directly must not wait on it (one dict store is
    atomic)."""
    _registry[kind] = fn


def add_loader(kinds: Iterable[str], loader: Callable[[], object]) -> None:
    """Call ``loader`` (once) the first time one of ``kinds`` is looked up unregistered."""
    with _lock:
        for kind in kinds:
            _loaders.setdefault(kind, []).append(loader)


def lookup(kind: str) -> Callable[..., Any] | None:
    """The function registered for ``kind``, running its pending loaders first; or None."""
    fn = _registry.get(kind)
    if fn is not None:
        return fn
    with _lock:
        pending = _loaders.pop(kind, [])
        for loader in pending:
            loader()
        return _registry.get(kind)


def require(kind: str, what: str) -> Callable[..., Any]:
    """Like :func:`lookup`, but a missing kind is a :class:`LookupError` saying why."""
    fn = lookup(kind)
    if fn is None:
        raise LookupError(
            f"{what} needs the layer above the SDK that provides {kind!r}; "
            "import osnb (the package face installs it) or register one with "
            "osnb.sdk.hooks.register")
    return fn


def plain_html(obj: object) -> str:
    """The HTML repr without a renderer: the plain ``repr`` in an escaped ``<pre>``."""
    text = repr(obj).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<pre>{text}</pre>"  # html.escape without importing html (6 ms)
