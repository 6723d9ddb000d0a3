"""Placeholder: being written."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store

PREFIX = "/compute"
STYLE = "nova"
CATALOG = [("compute", "nova", "/compute/v2.1")]


def routes() -> list[BaseRoute]:
    return []


def seed(store: Store) -> None:
    return None
