"""Network segment ranges: the VLAN/VXLAN/GRE/Geneve ids handed out to networks, shared or
one project's (Neutron ``/network_segment_ranges``, admin only)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["NetworkSegmentRange"]


class NetworkSegmentRange(TagMixin, Resource):
    """``minimum``..``maximum`` of ``network_type`` (on ``physical_network`` for VLANs);
    ``used`` maps the ids networks hold to their projects, ``available`` lists the
    rest."""

    resource_key = "network_segment_range"
    resources_key = "network_segment_ranges"
    base_path = "/network_segment_ranges"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "default", "shared", "project_id", "network_type",
                  "physical_network", "minimum", "maximum", "used", "available", "fields",
                  "sort_key", "sort_dir", **TAG_QUERY)

    description: str | None = prop("description")
    default: bool | None = prop("default")
    shared: bool | None = prop("shared")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    network_type: str | None = prop("network_type")
    physical_network: str | None = prop("physical_network")
    minimum: int | None = prop("minimum")
    maximum: int | None = prop("maximum")
    used: dict | None = prop("used")
    available: list | None = prop("available")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
