"""Floating IPs: public addresses mapped onto ports (Neutron ``/floatingips``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["FloatingIP"]


class FloatingIP(TagMixin, Resource):
    """A floating IP; found by its address, which stands in for a name."""

    resource_key = "floatingip"
    resources_key = "floatingips"
    base_path = "/floatingips"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "description", "fixed_ip_address", "floating_ip_address", "floating_network_id",
        "id", "fields", "port_id", "router_id", "status", "subnet_id", "project_id",
        "sort_key", "sort_dir", tenant_id="project_id", name="floating_ip_address",
        **TAG_QUERY,
    )

    floating_ip_address: str | None = prop("floating_ip_address")
    name = floating_ip_address
    description: str | None = prop("description")
    status: str | None = prop("status")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    floating_network_id: str | None = prop("floating_network_id")
    fixed_ip_address: str | None = prop("fixed_ip_address")
    port_id: str | None = prop("port_id")
    port_details: dict | None = prop("port_details")
    port_forwardings: list[dict] | None = prop("port_forwardings")
    router_id: str | None = prop("router_id")
    subnet_id: str | None = prop("subnet_id")
    qos_policy_id: str | None = prop("qos_policy_id")
    qos_network_policy_id: str | None = prop("qos_network_policy_id")
    dns_name: str | None = prop("dns_name")
    dns_domain: str | None = prop("dns_domain")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
