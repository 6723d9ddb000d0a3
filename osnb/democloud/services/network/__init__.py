"""Neutron (Network v2.0) for the demo cloud, served under ``/network``.

Other services reach the factories exported here through the store's topics, never by
import (:func:`wire`, :mod:`osnb.democloud.world`): Nova boots a server with
``store.ask("port.create", project_id=…, network_id=…, …)`` and its deletion
(``server.deleted``) deletes the server's ports.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from ... import world
from ...store import Store
from . import (
    addresses,
    bindings,
    core,
    extraroutes,
    forwarding,
    l3,
    misc,
    nova_calls,
    plugins,
    pools,
    qos,
    quotas,
    ranges,
    rbac,
    scheduling,
    security,
    segments,
    statefulness,
    trunk,
)
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
from .seed import seed as seed_core

__all__ = [
    "CATALOG", "PREFIX", "STYLE", "ServerPorts", "add_router_interface", "associate_floating_ip",
    "check_quota", "default_security_group", "delete_floating_ip", "delete_port",
    "delete_ports_of", "ensure_project", "index", "reindex_port", "external_network", "new_floating_ip",
    "new_network", "new_port", "new_router", "new_security_group", "new_subnet",
    "ports_of_device", "project_network", "routes", "seed", "wire",
]

PREFIX = "/network"
STYLE = "neutron"
CATALOG = [("network", "neutron", "/network")]


def wire(store: Store) -> None:
    """What Neutron serves the others (see :mod:`...world` for the topics)."""
    store.subscribe(world.NETWORK_OF_PROJECT,
                    lambda store, project_id: project_network(store, project_id)["id"])
    store.subscribe(world.PORT_CREATE, new_port)
    store.subscribe(world.PORT_REBOUND, reindex_port)
    store.subscribe(world.PORT_DELETE, delete_port)
    store.subscribe(world.PORT_FLOATING_IPS, lambda store: index(store).fips_by_port)
    store.subscribe(world.PORTS_BULK, ServerPorts)
    store.subscribe(world.SERVER_DELETED,
                    lambda store, server_id: delete_ports_of(store, server_id))
    store.subscribe(world.SERVER_SECURITY_GROUP, nova_calls.server_security_group)
    quotas.wire(store)


def routes() -> list[BaseRoute]:
    return [*misc.routes(), *quotas.routes(),
            *(route for c in (core.NETWORKS, core.SUBNETS, core.PORTS) for route in c.routes()),
            *l3.routes(), *security.routes(), *rbac.routes(), *qos.routes(),
            *trunk.routes(), *pools.routes(),
            *segments.routes(), *bindings.routes(),
            *forwarding.routes(), *addresses.routes(), *ranges.routes(),
            *scheduling.routes(), *statefulness.routes(), *extraroutes.routes(),
            *plugins.routes()]


def seed(store: Store) -> None:
    """The core network world, then the service plugins' records (which name it)."""
    seed_core(store)
    plugins.seed(store)
