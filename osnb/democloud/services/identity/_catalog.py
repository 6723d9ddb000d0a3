"""The catalog's admin API: regions, services and endpoints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...store import Record, Store
from ._common import Resource, endpoint_url, purge

__all__ = ["ENDPOINTS", "REGIONS", "SERVICES", "catalog_routes"]


class _Regions(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        if record["id"] in self.records(ctx.store):
            raise self.dialect.conflict("region", f"Duplicate ID, {record['id']}")
        if record["parent_region_id"] is not None:
            self.lookup(ctx.store, record["parent_region_id"])


REGIONS = _Regions("region", "regions", fields={
    "id": Field(),
    "description": Field(nullable=True, default=""),
    "parent_region_id": Field(nullable=True, default=None, filter="exact"),
}, open=frozenset({"list", "show"}))


class _Services(Resource):
    def on_delete(self, ctx: Ctx, record: Record) -> None:
        purge(ENDPOINTS.records(ctx.store), lambda _, e: e["service_id"] == record["id"])


SERVICES = _Services("service", "services", fields={
    "type": Field(required=True, filter="exact"),
    "name": Field(default="", filter="exact"),
    "enabled": Field(type="bool", default=True),
    "description": Field(nullable=True, default=""),
})


class _Endpoints(Resource):
    def _refs(self, store: Store, values: dict[str, Any]) -> None:
        """The service and region named must exist; ``region`` is the old name of
        ``region_id`` and both are kept."""
        if "service_id" in values:
            SERVICES.lookup(store, values["service_id"])
        region = values.get("region_id") or values.get("region")
        if region is not None:
            REGIONS.lookup(store, region)
            values["region_id"] = values["region"] = region

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        self._refs(ctx.store, record)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        self._refs(ctx.store, changes)
        if "url" in changes:
            record.pop("_relative", None)

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """The url made absolute while the seeded endpoints keep theirs relative."""
        out = super().render(ctx, record, fields)
        out["url"] = endpoint_url(ctx.store, record)
        return out


ENDPOINTS = _Endpoints("endpoint", "endpoints", fields={
    "interface": Field(required=True, choices=("public", "internal", "admin"),
                       filter="exact"),
    "region": Field(nullable=True, default=None),
    "region_id": Field(nullable=True, default=None, filter="exact"),
    "service_id": Field(required=True, filter="exact"),
    "url": Field(required=True),
    "enabled": Field(type="bool", default=True),
})


def catalog_routes() -> list[BaseRoute]:
    """Routes relative to ``/identity``."""
    return [route for coll in (REGIONS, SERVICES, ENDPOINTS) for route in coll.routes("/v3")]
