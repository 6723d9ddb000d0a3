"""Nova (Compute v2.1) mounted at ``/compute``: version documents, servers and their
neighbours (flavors, keypairs, server groups), plus the admin side from
:mod:`.admin`.

The handlers live in ``servers``, ``server_subs``, ``flavors``, ``keypairs``,
``hypervisors``, ``aggregates``, ``quota`` and ``migrations``; the generated world in
``seeding`` (its servers in ``seed_servers``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import json_response, store_of
from ...store import Store
from ...world import SERVER_CHANGED
from . import (
    admin,
    aggregates,
    audit,
    consoles,
    flavors,
    hypervisors,
    keypairs,
    migrations,
    quota,
    seeding,
    server_info,
    server_moves,
    server_network,
    server_ops,
    server_subs,
    servers,
)
from .common import MAX_VERSION, MIN_VERSION, invalidate
from .glue import sync_server

_ACTIONS = server_ops, server_network  # register their actions in servers.ACTIONS on import

__all__ = ["CATALOG", "PREFIX", "STYLE", "invalidate", "routes", "seed", "sync_server", "wire"]

PREFIX = "/compute"
STYLE = "nova"
CATALOG = [("compute", "nova", "/compute/v2.1")]


def _base(request: Request) -> str:
    return store_of(request).base_url or str(request.base_url).rstrip("/")


def _v21(base: str) -> dict[str, object]:
    return {"id": "v2.1", "status": "CURRENT", "version": MAX_VERSION,
            "min_version": MIN_VERSION, "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": f"{base}/compute/v2.1/"}]}


async def versions(request: Request) -> Response:
    base = _base(request)
    return json_response({"versions": [
        {"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "",
         "updated": "2011-01-21T11:33:21Z",
         "links": [{"rel": "self", "href": f"{base}/compute/v2/"}]},
        _v21(base)]})


async def version(request: Request) -> Response:
    base = _base(request)
    doc = _v21(base)
    doc["links"] = [{"rel": "self", "href": f"{base}/compute/v2.1/"},
                    {"rel": "describedby", "type": "text/html",
                     "href": "http://docs.openstack.org/"}]
    doc["media-types"] = [{"base": "application/json",
                           "type": "application/vnd.openstack.compute+json;version=2.1"}]
    return json_response({"version": doc})


def routes() -> list[BaseRoute]:
    return [
        Route("/", versions, methods=["GET"]),
        Route("/v2.1", version, methods=["GET"]),
        Route("/v2.1/", version, methods=["GET"]),
        *servers.routes(),
        *server_subs.routes(),
        *flavors.routes(),
        *keypairs.routes(),
        *hypervisors.routes(),
        *aggregates.routes(),
        *quota.routes(),
        *migrations.routes(),
        *audit.routes(),
        *server_moves.routes(),
        *server_info.routes(),
        *consoles.routes(),
    ]


def wire(store: Store) -> None:
    """What Nova hears from the others: a server's ports or volumes changed."""
    store.subscribe(SERVER_CHANGED, sync_server)


def seed(store: Store) -> None:
    admin.seed_hosts(store)
    seeding.seed_servers(store)
    admin.degrade_hosts(store)
    quota.seed(store)
    migrations.seed(store)
    seeding.set_host_status(store)
