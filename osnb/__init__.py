"""osnb: OpenStack in notebooks.

``osnb.connect("mycloud")`` gives a :class:`~osnb.sdk.connection.Connection`
(``conn.compute.servers()``, ``conn.network.ports()``, …). ``osnb.connect("demo")`` with no
``demo`` cloud configured starts the embedded demo cloud in this process and connects to
it. ``%load_ext osnb`` registers the IPython magics.

Importing osnb is cheap: pandas, ipywidgets and the demo cloud's server load only when
used.

The SDK core (:mod:`osnb.sdk`) imports no layer above it. This package face wires them
together: it adds loaders to the SDK's door (:mod:`osnb.sdk.hooks`) so that the first
repr or ``to_pandas()`` imports :mod:`osnb.notebook.hooks` and the first
``conn.quota_report()``-style shortcut imports :mod:`osnb.analysis`, each of which
registers its functions; and :func:`connect` (from :mod:`osnb.face`) starts the embedded
demo cloud.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .face import connect, embedded_demo
from .sdk import hooks as _hooks
from .sdk.version import __version__

__all__ = ["Connection", "__version__", "connect", "embedded_demo", "load_ipython_extension"]

if TYPE_CHECKING:
    from .sdk.connection import Connection


def _load_notebook_hooks() -> None:
    from .notebook import hooks  # noqa: F401  (registers the renderers and frames)


def _load_analysis() -> None:
    from . import analysis  # noqa: F401  (registers the connection's shortcuts)


_hooks.add_loader(_hooks.RENDER_KINDS + _hooks.FRAME_KINDS, _load_notebook_hooks)
_hooks.add_loader(_hooks.ANALYSIS_KINDS, _load_analysis)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext osnb``: register ``%os_connect``, ``%os_clouds``, ``%os_disconnect``;
    in an IPython terminal, resources and lists then print as rich tables."""
    from .notebook.magics import load_ipython_extension as _load

    _load(ipython)


def __getattr__(name: str) -> Any:
    if name == "Connection":
        from .sdk.connection import Connection

        return Connection
    raise AttributeError(f"module 'osnb' has no attribute {name!r}")
