"""NDP proxies: one IPv6 address of a port behind a router announced on the external
network (Neutron ``/ndp_proxies``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["NDPProxy"]


class NDPProxy(Resource):
    """``ip_address`` of ``port_id``, proxied by ``router_id``."""

    resource_key = "ndp_proxy"
    resources_key = "ndp_proxies"
    base_path = "/ndp_proxies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "project_id", "router_id", "port_id", "ip_address",
                  "fields", "sort_key", "sort_dir")

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    router_id: str | None = prop("router_id")
    port_id: str | None = prop("port_id")
    ip_address: str | None = prop("ip_address")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
