"""Connect to a cloud from clouds.yaml, ``OS_*`` variables or a given mapping.

The embedded demo cloud is not started here (the SDK imports no ``osnb.democloud``):
:func:`osnb.connect` at the package face starts it for ``demo``/``demo-member`` when no
such cloud is configured, and passes its clouds.yaml mapping as ``config``. The names and
the environment variables that size it are kept here for the layers that read them.
"""

from __future__ import annotations

import os
from typing import Any

from .config import get_cloud_region
from .connection import Connection

__all__ = ["DEMO_CLOUDS", "DEMO_ENV", "connect", "demo_overrides"]

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
    """See :func:`osnb.connect`."""
    name = cloud or os.environ.get("OS_CLOUD")
    region = get_cloud_region(name, region_name=region_name, config=config, **overrides)
    conn = Connection(region)
    if authenticate:
        try:
            conn.authorize()
        except BaseException:
            conn.close()
            raise
    return conn


_demo_overrides = demo_overrides
