"""Security groups: named sets of firewall rules (Neutron ``/security-groups``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin
from .security_group_rule import SecurityGroupRule

__all__ = ["SecurityGroup"]


class SecurityGroup(TagMixin, Resource):
    """A security group with its rules. Names follow openstacksdk's ``SecurityGroup``."""

    resource_key = "security_group"
    resources_key = "security_groups"
    base_path = "/security-groups"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "description", "fields", "id", "name", "stateful", "project_id", "tenant_id",
        "revision_number", "sort_dir", "sort_key", is_shared="shared", **TAG_QUERY,
    )

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    stateful: bool | None = prop("stateful")
    is_default: bool | None = prop("belongs_to_default_sg")
    is_shared: bool | None = prop("shared")
    security_group_rules: list[SecurityGroupRule] | None = prop("security_group_rules")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
