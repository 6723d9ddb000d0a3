"""AvailabilityZone through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import osnb
from osnb.sdk.compute.v2.availability_zone import AvailabilityZone


def test_declaration() -> None:
    assert (AvailabilityZone.base_path, AvailabilityZone.resources_key) == \
        ("/os-availability-zone", "availabilityZoneInfo")
    assert AvailabilityZone.resource_key is None
    assert AvailabilityZone.allow_list and not AvailabilityZone.allow_retrieve
    assert AvailabilityZone._props["name"].server_key == "zoneName"


def test_list_and_details(conn, cloud) -> None:
    zones = conn.compute.availability_zones()
    assert zones and all(z.name and z.state["available"] in (True, False) for z in zones)
    assert all(z.hosts is None for z in zones)
    detailed = conn.compute.availability_zones(details=True)
    assert {z.name for z in zones} <= {z.name for z in detailed}
    assert "internal" in {z.name for z in detailed}
    assert all(isinstance(z.hosts, dict) for z in detailed)
    member = osnb.connect("demo-member", config=cloud.clouds)
    assert {z.name for z in member.compute.availability_zones()} == {z.name for z in zones}
