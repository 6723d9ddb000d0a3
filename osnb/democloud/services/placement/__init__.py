"""Placement mounted at ``/placement``: reads (providers derived from the hypervisors,
usages, allocation candidates) in :mod:`.core`, writes in :mod:`.writes`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from . import core, writes
from .core import MAX_VERSION, MIN_VERSION, PREFIX, seed

__all__ = ["CATALOG", "MAX_VERSION", "MIN_VERSION", "PREFIX", "STYLE", "routes", "seed"]

STYLE = "placement"
CATALOG = [("placement", "placement", "/placement")]


def routes() -> list[BaseRoute]:
    """Reads from :mod:`.core`, writes from :mod:`.writes`; every error carries its code."""
    out: list[BaseRoute] = [Route(r.path, writes.coded(r.endpoint), methods=r.methods)
                            for r in core.read_routes()]
    out += [Route(path, writes.coded(handler), methods=[method])
            for path, handler, method in writes.write_routes()]
    return out
