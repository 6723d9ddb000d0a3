"""ResourceProviderInventory through conn.placement, against the demo cloud."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.placement.v1.resource_provider_inventory import ResourceProviderInventory


def test_declaration() -> None:
    cls = ResourceProviderInventory
    assert cls.base_path == "/resource_providers/%(resource_provider_id)s/inventories"
    assert (cls.resource_key, cls.resources_key) == (None, "inventories")
    assert cls.allow_create and cls.allow_retrieve and cls.allow_update
    assert cls.allow_delete and cls.allow_list and cls.commit_method == "PUT"
    assert cls._id_prop is cls._props["resource_class"]
    assert cls._props["resource_provider_id"].in_uri and cls.max_microversion


def test_list_and_get(conn, cloud) -> None:
    rp = conn.placement.resource_providers()[0]
    hyp = cloud.call(lambda: dict(cloud.store.table("hypervisors")[rp.id]))
    inventories = conn.placement.resource_provider_inventories(rp)
    by_class = {i.resource_class: i for i in inventories}
    assert set(by_class) == {"VCPU", "MEMORY_MB", "DISK_GB"}
    vcpu = by_class["VCPU"]
    assert vcpu.id == "VCPU" and vcpu.total == hyp["vcpus"]
    assert isinstance(vcpu.allocation_ratio, float) and isinstance(vcpu.max_unit, int)
    assert vcpu.resource_provider_generation == rp.generation
    assert vcpu.resource_provider_id == rp.id
    got = conn.placement.get_resource_provider_inventory("MEMORY_MB", rp)
    assert got.resource_class == "MEMORY_MB" and got.total == hyp["memory_mb"]
    assert got.resource_provider_generation == rp.generation
    again = conn.placement.get_resource_provider_inventory(vcpu)
    assert again.total == vcpu.total and again.resource_class == "VCPU"
    with pytest.raises(exc.NotFound):
        conn.placement.get_resource_provider_inventory("VGPU", rp)


def test_create_update_delete(conn) -> None:
    rp = conn.placement.create_resource_provider(name=f"osnb-test-{uuid.uuid4().hex[:8]}")
    try:
        inv = conn.placement.create_resource_provider_inventory(
            rp, "VCPU", total=8, allocation_ratio=4.0, resource_provider_generation=0)
        assert inv.resource_class == "VCPU" and inv.total == 8
        inv = conn.placement.update_resource_provider_inventory(inv, total=16)
        assert inv.total == 16
        listed = conn.placement.resource_provider_inventories(rp)
        assert [(i.resource_class, i.total) for i in listed] == [("VCPU", 16)]
        conn.placement.delete_resource_provider_inventory(inv)
        assert not conn.placement.resource_provider_inventories(rp)
    finally:
        conn.placement.delete_resource_provider(rp)
