"""Routers: L3 between networks and to the outside (Neutron ``/routers``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["Router"]


class Router(TagMixin, Resource):
    """A logical router. Attribute names follow openstacksdk's ``Router``."""

    resource_key = "router"
    resources_key = "routers"
    base_path = "/routers"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "description", "fields", "flavor_id", "id", "name", "status", "project_id",
        "sort_key", "sort_dir", is_admin_state_up="admin_state_up",
        is_distributed="distributed", is_ha="ha", **TAG_QUERY,
    )

    description: str | None = prop("description")
    status: str | None = prop("status")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    is_admin_state_up: bool | None = prop("admin_state_up")
    external_gateway_info: dict | None = prop("external_gateway_info")
    routes: list[dict] | None = prop("routes")
    is_distributed: bool | None = prop("distributed")
    is_ha: bool | None = prop("ha")
    availability_zone_hints: list[str] | None = prop("availability_zone_hints")
    availability_zones: list[str] | None = prop("availability_zones")
    flavor_id: str | None = prop("flavor_id")
    enable_ndp_proxy: bool | None = prop("enable_ndp_proxy")
    evpn_vni: int | None = prop("evpn_vni")
    tags: list[str] | None = prop("tags")
    service_type_id: str | None = prop("service_type_id")
    conntrack_helpers: list[dict] | None = prop("conntrack_helpers")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def add_interface(self, session: Any, **body: Any) -> dict[str, Any]:
        """Attach a subnet (``subnet_id``) or port (``port_id``); returns Neutron's answer."""
        result: dict[str, Any] = self._action(
            session, body, path="add_router_interface", method="PUT").json()
        return result

    def remove_interface(self, session: Any, **body: Any) -> dict[str, Any]:
        """Detach a subnet (``subnet_id``) or port (``port_id``)."""
        result: dict[str, Any] = self._action(
            session, body, path="remove_router_interface", method="PUT").json()
        return result

    def add_extra_routes(self, session: Any, body: dict[str, Any]) -> Router:
        """Add ``{"router": {"routes": [...]}}`` atomically (``extraroute-atomic``)."""
        self._absorb(self._action(session, body, path="add_extraroutes", method="PUT"),
                     session)
        return self

    def remove_extra_routes(self, session: Any, body: dict[str, Any]) -> Router:
        """Remove ``{"router": {"routes": [...]}}`` atomically."""
        self._absorb(self._action(session, body, path="remove_extraroutes", method="PUT"),
                     session)
        return self
