"""Network availability zones (Neutron ``/availability_zones``), list only."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["AvailabilityZone"]


class AvailabilityZone(Resource):
    """A zone, once per kind of resource it hosts (``network``, ``router``)."""

    resource_key = "availability_zone"
    resources_key = "availability_zones"
    base_path = "/availability_zones"
    service = "network"
    allow_list = True
    # openstacksdk maps these to availability_zone/agent_type; Neutron filters by the
    # field names (api-ref "List all availability zones").
    query = Query("name", "resource", "state")

    resource: str | None = prop("resource")
    state: str | None = prop("state")
