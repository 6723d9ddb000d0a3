"""Tap as a service: tap services, the tap flows mirrored to them, tap mirrors
(Neutron ``/taas/…``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["TapFlow", "TapMirror", "TapService"]


class TapService(Resource):
    """A tap service (Neutron ``/taas/tap_services``)."""

    resource_key = "tap_service"
    resources_key = "tap_services"
    base_path = "/taas/tap_services"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("sort_key", "sort_dir", "fields", "name", "project_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    port_id: str | None = prop("port_id")
    status: str | None = prop("status")


class TapFlow(Resource):
    """A tap flow (Neutron ``/taas/tap_flows``)."""

    resource_key = "tap_flow"
    resources_key = "tap_flows"
    base_path = "/taas/tap_flows"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("sort_key", "sort_dir", "fields", "name", "project_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    tap_service_id: str | None = prop("tap_service_id")
    direction: Any = prop("direction")
    status: str | None = prop("status")
    source_port: Any = prop("source_port")
    vlan_filter: str | None = prop("vlan_filter")


class TapMirror(Resource):
    """A tap mirror (Neutron ``/taas/tap_mirrors``)."""

    resource_key = "tap_mirror"
    resources_key = "tap_mirrors"
    base_path = "/taas/tap_mirrors"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("sort_key", "sort_dir", "fields", "name", "project_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    port_id: str | None = prop("port_id")
    directions: Any = prop("directions")
    remote_ip: Any = prop("remote_ip")
    mirror_type: Any = prop("mirror_type")
