"""What the package face does beyond re-exporting: :func:`connect` with the embedded demo
cloud as the fallback for ``demo``/``demo-member``.

It lives here rather than in ``osnb/__init__.py`` so that the notebook layer (the
connection registry behind ``%os_connect``) can use the same ``connect`` without importing
the package face, which imports the notebook layer's magics: no import cycle.
"""

from __future__ import annotations

import _thread  # not threading: `import osnb` stays fast
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sdk.connection import Connection

__all__ = ["DEMO_CLOUDS", "DEMO_ENV", "connect", "demo_overrides", "embedded_demo"]

DEMO_CLOUDS = ("demo", "demo-member")


DEMO_ENV = {"OSNB_DEMO_SERVERS": "servers", "OSNB_DEMO_PROJECTS": "projects",
            "OSNB_DEMO_SEED": "seed"}
"""Environment variables that size the embedded demo cloud → its ``Config`` field."""


def demo_overrides() -> dict[str, Any]:
    """The embedded demo cloud's size from the environment (:data:`DEMO_ENV`)."""
    overrides: dict[str, Any] = {}
    for var, field in DEMO_ENV.items():
        value = os.environ.get(var, "").strip()
        if not value:
            continue
        try:
            overrides[field] = int(value)
        except ValueError:
            raise ValueError(f"{var}={value!r}: expected a whole number") from None
    return overrides


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

            _embedded = democloud.start(**demo_overrides())
        return _embedded
