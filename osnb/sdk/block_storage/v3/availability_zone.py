"""Cinder's availability zones (``/os-availability-zone``)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["AvailabilityZone"]


class AvailabilityZone(Resource):
    """A zone and whether it takes volumes (``state["available"]``)."""

    resources_key = "availabilityZoneInfo"
    base_path = "/os-availability-zone"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    name: str | None = prop("zoneName", alternate_id=True)
    state: dict | None = prop("zoneState")
