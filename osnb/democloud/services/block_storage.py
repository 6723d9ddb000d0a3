"""Placeholder: being written."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import Store

PREFIX = "/volume"
STYLE = "nova"
CATALOG = [("block-storage", "cinder", "/volume/v3/{project_id}"), ("volumev3", "cinderv3", "/volume/v3/{project_id}")]


def routes() -> list[BaseRoute]:
    return []


def seed(store: Store) -> None:
    return None
