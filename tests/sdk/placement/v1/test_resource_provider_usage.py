"""ResourceProviderUsage through conn.placement, against the demo cloud."""

from __future__ import annotations

from osnb.sdk.placement.v1.resource_provider_usage import ResourceProviderUsage


def test_declaration() -> None:
    cls = ResourceProviderUsage
    assert cls.base_path == "/resource_providers/%(resource_provider_id)s/usages"
    assert cls.resources_key == "usages" and cls.allow_list
    assert not (cls.allow_create or cls.allow_retrieve or cls.allow_update or cls.allow_delete)


def test_list(conn, cloud) -> None:
    rp = max(conn.placement.resource_providers(), key=lambda p: cloud.call(
        lambda: cloud.store.table("hypervisors")[p.id]["vcpus_used"]))
    hyp = cloud.call(lambda: dict(cloud.store.table("hypervisors")[rp.id]))
    usages = {u.resource_class: u for u in conn.placement.resource_provider_usages(rp.id)}
    assert set(usages) == {"VCPU", "MEMORY_MB", "DISK_GB"}
    assert usages["VCPU"].usage == hyp["vcpus_used"] > 0
    assert usages["DISK_GB"].usage == hyp["local_gb_used"]
    assert usages["VCPU"].resource_provider_generation == rp.generation
    assert usages["VCPU"].id == "VCPU" and usages["VCPU"].resource_provider_id == rp.id
