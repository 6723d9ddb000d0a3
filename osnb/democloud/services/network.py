"""Placeholder: being written."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store

PREFIX = "/network"
STYLE = "neutron"
CATALOG = [("network", "neutron", "/network")]


def routes() -> list[BaseRoute]:
    return []


def seed(store: Store) -> None:
    return None
