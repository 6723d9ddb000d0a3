"""AvailabilityZone through conn.network."""

from __future__ import annotations

from osnb.sdk.network.v2.availability_zone import AvailabilityZone


def test_declaration() -> None:
    assert (AvailabilityZone.base_path, AvailabilityZone.resources_key) == \
        ("/availability_zones", "availability_zones")
    assert AvailabilityZone.allow_list and not AvailabilityZone.allow_retrieve
    assert AvailabilityZone.query.mapping["resource"] == "resource"


def test_list_and_filter(conn) -> None:
    zones = conn.network.availability_zones()
    assert {z.resource for z in zones} >= {"network", "router"}
    assert all(z.state for z in zones)
    routers = conn.network.availability_zones(resource="router")
    assert routers and all(z.resource == "router" for z in routers)
    named = conn.network.availability_zones(name=zones[0].name)
    assert named and all(z.name == zones[0].name for z in named)
