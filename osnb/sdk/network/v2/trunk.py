"""Trunks: one parent port carrying several networks, each subport on its VLAN (Neutron
``/trunks``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["Trunk"]


class Trunk(TagMixin, Resource):
    """A trunk on ``port_id``; ``sub_ports`` are ``{port_id, segmentation_type,
    segmentation_id}``."""

    resource_key = "trunk"
    resources_key = "trunks"
    base_path = "/trunks"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "fields", "id", "port_id", "status", "sub_ports",
                  "project_id", "tenant_id", "revision_number", "sort_key", "sort_dir",
                  is_admin_state_up="admin_state_up", **TAG_QUERY)

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    is_admin_state_up: bool | None = prop("admin_state_up")
    port_id: str | None = prop("port_id")
    status: str | None = prop("status")
    sub_ports: list | None = prop("sub_ports")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def add_subports(self, session: Any, subports: Iterable[dict[str, Any]]) -> Trunk:
        """Add subports; the trunk as Neutron answers it."""
        self._absorb(self._action(session, {"sub_ports": list(subports)},
                                  path="add_subports", method="PUT"), session)
        return self

    def delete_subports(self, session: Any, subports: Iterable[dict[str, Any]]) -> Trunk:
        """Remove subports (each ``{"port_id": …}``)."""
        self._absorb(self._action(session, {"sub_ports": list(subports)},
                                  path="remove_subports", method="PUT"), session)
        return self

    def get_subports(self, session: Any) -> dict[str, Any]:
        """``{"sub_ports": [...]}`` as Neutron lists them."""
        result: dict[str, Any] = session.request(
            f"{self._item_path()}/get_subports", "GET",
            **self._request_args(session)).json()
        return result
