"""Placeholder: being written."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store

PREFIX = "/identity"
STYLE = "keystone"
CATALOG = [("identity", "keystone", "/identity")]


def routes() -> list[BaseRoute]:
    return []


def seed(store: Store) -> None:
    return None
