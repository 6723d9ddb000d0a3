"""Neutron (Network v2.0) for the demo cloud, served under ``/network``.

Other services build on the factories exported here: the compute service boots a server
with ``new_port(store, project_id=…, network_id=project_network(store, pid)["id"], …)``
and deletes it with ``delete_ports_of(store, server_id)``.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from . import core, l3, misc, quotas, security
from .model import (
    ServerPorts,
    add_router_interface,
    associate_floating_ip,
    default_security_group,
    delete_floating_ip,
    delete_port,
    delete_ports_of,
    ensure_project,
    external_network,
    index,
    new_floating_ip,
    new_network,
    new_port,
    new_router,
    new_security_group,
    new_subnet,
    ports_of_device,
    project_network,
    reindex_port,
)
from .quotas import check_quota
from .seed import seed

__all__ = [
    "CATALOG", "PREFIX", "STYLE", "ServerPorts", "add_router_interface", "associate_floating_ip",
    "check_quota", "default_security_group", "delete_floating_ip", "delete_port",
    "delete_ports_of", "ensure_project", "index", "reindex_port", "external_network", "new_floating_ip",
    "new_network", "new_port", "new_router", "new_security_group", "new_subnet",
    "ports_of_device", "project_network", "routes", "seed",
]

PREFIX = "/network"
STYLE = "neutron"
CATALOG = [("network", "neutron", "/network")]


def routes() -> list[BaseRoute]:
    return [*misc.routes(), *quotas.routes(),
            *(route for c in (core.NETWORKS, core.SUBNETS, core.PORTS) for route in c.routes()),
            *l3.routes(), *security.routes()]
