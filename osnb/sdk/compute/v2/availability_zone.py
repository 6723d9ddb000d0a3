"""Availability zones as Nova sees them (``/os-availability-zone``)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["AvailabilityZone"]


class AvailabilityZone(Resource):
    """A zone, its state and (in the detailed, admin listing) its hosts' services."""

    resources_key = "availabilityZoneInfo"
    base_path = "/os-availability-zone"
    service = "compute"
    allow_list = True

    name: str | None = prop("zoneName")
    state: dict | None = prop("zoneState")
    hosts: dict | None = prop("hosts")
