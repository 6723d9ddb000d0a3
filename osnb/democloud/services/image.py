"""Placeholder: being written."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store

PREFIX = "/image"
STYLE = "glance"
CATALOG = [("image", "glance", "/image")]


def routes() -> list[BaseRoute]:
    return []


def seed(store: Store) -> None:
    return None
