"""Placement mounted at ``/placement``: reads (providers derived from the hypervisors,
their parts, allocation candidates) in :mod:`.core`, provider and inventory writes in
:mod:`.writes`, consumers and their allocations, usages and the reshaper in
:mod:`.allocations` (records in :mod:`.consumers`), resource classes, traits and what
providers carry of them in :mod:`.catalog`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ...store import Store
from . import allocations, catalog, consumers, core, writes
from .core import MAX_VERSION, MIN_VERSION, PREFIX, seed

__all__ = ["CATALOG", "MAX_VERSION", "MIN_VERSION", "PREFIX", "STYLE", "routes", "seed",
           "wire"]

STYLE = "placement"
CATALOG = [("placement", "placement", "/placement")]


def routes() -> list[BaseRoute]:
    """Every route; every error carries Placement's code (:func:`.writes.coded`)."""
    out: list[BaseRoute] = [Route(r.path, writes.coded(r.endpoint), methods=r.methods)
                            for r in core.read_routes()]
    out += [Route(path, writes.coded(handler), methods=[method])
            for path, handler, method in [*writes.write_routes(), *allocations.routes(),
                                          *catalog.routes()]]
    return out


def wire(store: Store) -> None:
    """Placement keeps the allocations Nova tells it of (``allocation.*``)."""
    consumers.wire(store)
    allocations.wire(store)
