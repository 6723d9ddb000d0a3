"""Connect to a cloud from clouds.yaml, ``OS_*`` variables or a given mapping.

The SDK knows nothing of the embedded demo cloud: :func:`osnb.connect` at the package face
(:mod:`osnb.face`) starts it for ``demo``/``demo-member`` when no such cloud is configured,
and passes its clouds.yaml mapping here as ``config``.
"""

from __future__ import annotations

import os
from typing import Any

from .config import get_cloud_region
from .connection import Connection

__all__ = ["connect"]

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

