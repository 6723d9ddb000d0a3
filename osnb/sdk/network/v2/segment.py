"""Segments: the L2 pieces of a network, each on its own physical network and VLAN
(Neutron ``/segments``, admin)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Segment"]


class Segment(Resource):
    """A segment of ``network_id``; a subnet binds to one by ``segment_id``."""

    resource_key = "segment"
    resources_key = "segments"
    base_path = "/segments"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "fields", "id", "name", "network_id", "network_type",
                  "physical_network", "segmentation_id", "revision_number", "sort_key",
                  "sort_dir")

    name: str | None = prop("name")
    description: str | None = prop("description")
    network_id: str | None = prop("network_id")
    network_type: str | None = prop("network_type")
    physical_network: str | None = prop("physical_network")
    segmentation_id: int | None = prop("segmentation_id")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
