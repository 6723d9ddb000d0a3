"""Neutron's service plugins in the demo cloud: their routes and their seeded records
(each plugin's own module declares it; this one only gathers them)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ...store import Store
from . import bgp, bgpvpn, fwaas, logs, metering, model, sfc, taas, vpnaas

__all__ = ["routes", "seed"]

_PLUGINS = (metering, logs, fwaas, vpnaas, bgp, bgpvpn, sfc, taas)


def seed(store: Store) -> None:
    """The plugins' records an operator of such a cloud would find (after the core
    network world: they name its routers, ports and networks)."""
    admin = model.admin_project_id(store)
    metering.seed(store, admin)
    logs.seed(store, admin)
    first = next((p["id"] for p in store.table("projects").values()
                  if not p.get("_system") and not p.get("is_domain") and p["id"] != admin),
                 "")
    fwaas.seed(store, first)
    vpnaas.seed(store, first)
    bgp.seed(store, admin)
    bgpvpn.seed(store, first)
    sfc.seed(store)
    taas.seed(store)


def routes() -> list[BaseRoute]:
    return [route for plugin in _PLUGINS for route in plugin.routes()]
