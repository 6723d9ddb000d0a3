"""QoS policies: named sets of bandwidth and marking rules (Neutron ``/qos/policies``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["QoSPolicy"]


class QoSPolicy(TagMixin, Resource):
    """A policy a port or network takes by ``qos_policy_id``; ``rules`` lists its rules
    (each with its ``type``)."""

    resource_key = "policy"
    resources_key = "policies"
    base_path = "/qos/policies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "fields", "id", "is_default", "project_id",
                  "tenant_id", "revision_number", "sort_key", "sort_dir", is_shared="shared",
                  **TAG_QUERY)

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    is_default: bool | None = prop("is_default")
    is_shared: bool | None = prop("shared")
    rules: list | None = prop("rules")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
