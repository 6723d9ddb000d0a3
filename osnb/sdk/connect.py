"""``osnb.connect``: configured clouds first, the embedded demo cloud as the default."""

from __future__ import annotations

import os
import threading
from typing import Any

from .config import get_cloud_region, load_config
from .connection import Connection

__all__ = ["DEMO_CLOUDS", "DEMO_ENV", "connect", "embedded_demo"]

DEMO_CLOUDS = ("demo", "demo-member")
_embedded: Any = None
_lock = threading.Lock()


DEMO_ENV = {"OSNB_DEMO_SERVERS": "servers", "OSNB_DEMO_PROJECTS": "projects",
            "OSNB_DEMO_SEED": "seed"}
"""Environment variables that size the embedded demo cloud → its ``Config`` field."""


def embedded_demo() -> Any:
    """The demo cloud this process serves for ``connect("demo")``, started on first use.

    Its size comes from the environment when set: ``OSNB_DEMO_SERVERS`` (default 40),
    ``OSNB_DEMO_PROJECTS`` (6) and ``OSNB_DEMO_SEED`` (42), so a notebook's
    ``%os_connect demo`` can be given a bigger or a smaller world without editing it.
    """
    global _embedded
    with _lock:
        if _embedded is None:
            from .. import democloud

            _embedded = democloud.start(**_demo_overrides())
        return _embedded


def _demo_overrides() -> dict[str, Any]:
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
    if config is None and name in DEMO_CLOUDS and name not in load_config()[0]:
        config = embedded_demo().clouds
    region = get_cloud_region(name, region_name=region_name, config=config, **overrides)
    conn = Connection(region)
    if authenticate:
        try:
            conn.authorize()
        except BaseException:
            conn.close()
            raise
    return conn
