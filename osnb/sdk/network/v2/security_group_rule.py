"""Security group rules: one allowed flow each (Neutron ``/security-group-rules``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY

__all__ = ["SecurityGroupRule"]


class SecurityGroupRule(Resource):
    """A rule; immutable once made (create and delete only)."""

    resource_key = "security_group_rule"
    resources_key = "security_group_rules"
    base_path = "/security-group-rules"
    service = "network"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    query = Query(
        "description", "direction", "fields", "id", "protocol", "remote_group_id",
        "security_group_id", "remote_address_group_id", "port_range_max", "port_range_min",
        "remote_ip_prefix", "revision_number", "project_id", "tenant_id", "sort_dir",
        "sort_key", ether_type="ethertype", **TAG_QUERY,
    )

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    security_group_id: str | None = prop("security_group_id")
    direction: str | None = prop("direction")
    ether_type: str | None = prop("ethertype")
    protocol: str | None = prop("protocol")
    port_range_min: int | None = prop("port_range_min")
    port_range_max: int | None = prop("port_range_max")
    remote_ip_prefix: str | None = prop("remote_ip_prefix")
    normalized_cidr: str | None = prop("normalized_cidr")
    remote_group_id: str | None = prop("remote_group_id")
    remote_address_group_id: str | None = prop("remote_address_group_id")
    belongs_to_default_sg: bool | None = prop("belongs_to_default_sg")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
