"""Placeholder: being written (Nova servers, flavors, keypairs, server groups, actions)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store
from . import compute_admin

PREFIX = "/compute"
STYLE = "nova"
CATALOG = [("compute", "nova", "/compute/v2.1")]


def routes() -> list[BaseRoute]:
    return [*compute_admin.routes()]


def seed(store: Store) -> None:
    compute_admin.seed_hosts(store)
    compute_admin.seed_after_servers(store)
