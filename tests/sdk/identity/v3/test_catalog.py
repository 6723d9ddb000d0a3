"""Service, Endpoint and Region through conn.identity, against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.endpoint import Endpoint
from osnb.sdk.identity.v3.region import Region
from osnb.sdk.identity.v3.service import Service


def test_declarations() -> None:
    for cls, path, key in ((Service, "/services", "service"),
                           (Endpoint, "/endpoints", "endpoint"),
                           (Region, "/regions", "region")):
        assert (cls.base_path, cls.resource_key, cls.resources_key) == (path, key, key + "s")
        assert cls.allow_create and cls.allow_retrieve and cls.allow_update
        assert cls.allow_delete and cls.allow_list and cls.commit_method == "PATCH"
    assert set(Service.query.mapping) >= {"name", "type"}
    assert set(Endpoint.query.mapping) >= {"interface", "region_id", "service_id"}
    assert "parent_region_id" in Region.query.mapping
    assert Service._props["is_enabled"].server_key == "enabled"


def test_services(conn, cloud, unique) -> None:
    services = conn.identity.services()
    assert len(services) == cloud.call(lambda: len(cloud.store.table("services")))
    compute = conn.identity.services(type="compute")
    assert compute and all(s.type == "compute" for s in compute)
    nova = conn.identity.find_service(compute[0].name)
    assert nova == compute[0] and conn.identity.get_service(nova.id).type == "compute"
    assert conn.identity.services(name=nova.name).ids() == [nova.id]
    made = conn.identity.create_service(type="osnb-test", name=unique, description="t")
    assert made.is_enabled is True and made.type == "osnb-test"
    made = conn.identity.update_service(made, is_enabled=False)
    assert made.is_enabled is False
    conn.identity.delete_service(made)
    assert conn.identity.find_service(unique, ignore_missing=True) is None


def test_endpoints(conn, cloud, unique) -> None:
    endpoints = conn.identity.endpoints()
    assert len(endpoints) == cloud.call(lambda: len(cloud.store.table("endpoints")))
    public = conn.identity.endpoints(interface="public")
    assert public and all(e.interface == "public" for e in public)
    service_id = public[0].service_id
    for_service = conn.identity.endpoints(service_id=service_id)
    assert for_service and all(e.service_id == service_id for e in for_service)
    in_region = conn.identity.endpoints(region_id=public[0].region_id)
    assert all(e.region_id == public[0].region_id for e in in_region)
    got = conn.identity.get_endpoint(public[0].id)
    assert got == public[0] and got.url.startswith("http")
    assert conn.identity.find_endpoint(public[0].id) == got
    assert conn.identity.get_endpoint().startswith("http")  # the Adapter's own URL
    service = conn.identity.create_service(type="osnb-test", name=unique)
    try:
        made = conn.identity.create_endpoint(service_id=service.id, interface="internal",
                                             url="http://example.invalid/x",
                                             region_id=public[0].region_id)
        assert made.is_enabled is True and made.region_id == public[0].region_id
        made = conn.identity.update_endpoint(made, url="http://example.invalid/y")
        assert made.url == "http://example.invalid/y"
        conn.identity.delete_endpoint(made)
        with pytest.raises(exc.NotFound):
            conn.identity.get_endpoint(made.id)
    finally:
        conn.identity.delete_service(service)


def test_regions(conn, cloud, unique) -> None:
    regions = conn.identity.regions()
    assert len(regions) == cloud.call(lambda: len(cloud.store.table("regions")))
    region_one = conn.identity.get_region(cloud.store.meta["region"])
    assert conn.identity.find_region(region_one.id) == region_one
    child = conn.identity.create_region(id=unique, description="child",
                                        parent_region_id=region_one.id)
    assert child.id == unique and child.parent_region_id == region_one.id
    assert conn.identity.regions(parent_region_id=region_one.id).ids() == [unique]
    child = conn.identity.update_region(child, description="changed")
    assert child.description == "changed"
    conn.identity.delete_region(child)
    assert conn.identity.find_region(unique, ignore_missing=True) is None
