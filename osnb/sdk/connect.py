"""``osnb.connect``: configured clouds first, the embedded demo cloud as the default."""

from __future__ import annotations

import os
import threading
from typing import Any

from .config import get_cloud_region, load_config
from .connection import Connection

__all__ = ["DEMO_CLOUDS", "connect", "embedded_demo"]

DEMO_CLOUDS = ("demo", "demo-member")
_embedded: Any = None
_lock = threading.Lock()


def embedded_demo() -> Any:
    """The demo cloud this process serves for ``connect("demo")``, started on first use."""
    global _embedded
    with _lock:
        if _embedded is None:
            from .. import democloud

            _embedded = democloud.start()
        return _embedded


def connect(cloud: str | None = None, *, region_name: str | None = None,
            config: dict[str, Any] | None = None, **overrides: Any) -> Connection:
    """See :func:`osnb.connect`."""
    name = cloud or os.environ.get("OS_CLOUD")
    if config is None and name in DEMO_CLOUDS and name not in load_config()[0]:
        config = embedded_demo().clouds
    region = get_cloud_region(name, region_name=region_name, config=config, **overrides)
    return Connection(region)
