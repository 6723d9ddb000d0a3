"""Policies (``/v3/policies``): policy blobs stored for services to fetch (a deprecated
Keystone API, still served). Admins only; ``?type=`` filters; keys beyond ``blob`` and
``type`` are kept, as Keystone's ``extra``."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ...engine import Field
from ._common import Resource

__all__ = ["POLICIES", "routes"]

POLICIES = Resource("policy", "policies", fields={
    "blob": Field(required=True),
    "type": Field(required=True, max_length=255, filter="exact"),
})


def routes() -> list[BaseRoute]:
    return POLICIES.routes("/v3")
