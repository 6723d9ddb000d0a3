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
registers its functions; and :func:`connect` starts the embedded demo cloud.
"""

from __future__ import annotations

import _thread  # not threading: `import osnb` stays fast
import os
from typing import TYPE_CHECKING, Any

from .sdk import hooks as _hooks
from .sdk.version import __version__

__all__ = ["Connection", "__version__", "connect", "embedded_demo", "load_ipython_extension"]

if TYPE_CHECKING:
    from .sdk.connection import Connection


def connect(cloud: str | None = None, *, region_name: str | None = None,
            config: dict[str, Any] | None = None, authenticate: bool = True,
            **overrides: Any) -> Connection:
    """Connect to ``cloud`` (default: ``OS_CLOUD``) from clouds.yaml or ``OS_*`` variables.

    ``config`` is a clouds.yaml-shaped mapping to use instead of the files; ``overrides``
    replace settings of the cloud (``auth={...}``, ``interface=``, ``api_timeout=``…).

    The connection authenticates here, so a wrong password, user or project fails now
    with :class:`~osnb.sdk.exceptions.AuthenticationFailed` naming the cloud, user,
    project and auth URL. ``authenticate=False`` stays lazy: the first call authenticates.
    """
    from .sdk.config import load_config
    from .sdk.connect import DEMO_CLOUDS
    from .sdk.connect import connect as _connect

    name = cloud or os.environ.get("OS_CLOUD")
    if config is None and name in DEMO_CLOUDS and name not in load_config()[0]:
        config = embedded_demo().clouds
    return _connect(cloud, region_name=region_name, config=config,
                    authenticate=authenticate, **overrides)


_embedded: Any = None
_embedded_lock = _thread.allocate_lock()


def embedded_demo() -> Any:
    """The demo cloud this process serves for ``connect("demo")``, started on first use.

    Its size comes from the environment when set: ``OSNB_DEMO_SERVERS`` (default 40),
    ``OSNB_DEMO_PROJECTS`` (6) and ``OSNB_DEMO_SEED`` (42), so a notebook's
    ``%os_connect demo`` can be given a bigger or a smaller world without editing it.
    """
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            from . import democloud
            from .sdk.connect import demo_overrides

            _embedded = democloud.start(**demo_overrides())
        return _embedded


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
