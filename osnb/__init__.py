"""osnb: OpenStack in notebooks.

``osnb.connect("mycloud")`` gives a :class:`~osnb.sdk.connection.Connection`
(``conn.compute.servers()``, ``conn.network.ports()``, …). ``osnb.connect("demo")`` with no
``demo`` cloud configured starts the embedded demo cloud in this process and connects to
it. ``%load_ext osnb`` registers the IPython magics.

Importing osnb is cheap: pandas, ipywidgets and the demo cloud's server load only when
used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Connection", "__version__", "connect", "load_ipython_extension"]

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
    from .sdk.connect import connect as _connect

    return _connect(cloud, region_name=region_name, config=config,
                    authenticate=authenticate, **overrides)


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
