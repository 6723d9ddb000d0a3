"""The SDK's placement operations against the demo cloud's Placement and a real one.

Every test runs twice, ``[demo]`` and ``[real]``, with the same body; real Placement
(``openstack-placement`` from PyPI, behind the real Keystone) is the reference. A
``demo_gap`` mark names where the simulator is known to differ (a strict xfail for
``demo``); the real run must always pass. Reads the SDK has no proxy method for
(allocations, traits, resource classes) go through ``conn.placement`` itself, the
SDK's keystoneauth Adapter, with an explicit microversion.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.connection import Connection
from osnb.sdk.placement.v1.resource_provider import ResourceProvider
from osnb.sdk.resource import Resource

MV = "1.39"
# Keys as Placement sends them at 1.39 (api-ref "Show resource provider", "Show inventory").
PROVIDER_KEYS = {"generation", "links", "name", "parent_provider_uuid",
                 "root_provider_uuid", "uuid"}
PROVIDER_LINKS = {"self", "inventories", "usages", "aggregates", "traits", "allocations"}
INVENTORY_KEYS = {"allocation_ratio", "max_unit", "min_unit", "reserved",
                  "resource_provider_generation", "step_size", "total"}


def _id(res: Resource | None) -> str:
    """The id of a resource the test expects to be there."""
    assert res is not None and res.id
    return str(res.id)


def _name(prefix: str = "rp") -> str:
    return f"osnb-{prefix}-{uuid.uuid4().hex[:8]}"


def _get(conn: Connection, path: str, microversion: str = MV) -> Any:
    """A placement GET through the SDK's adapter; error statuses raise osnb exceptions."""
    return conn.placement.get(path, microversion=microversion).json()


@pytest.fixture
def provider(placement_conn: Connection) -> Iterator[ResourceProvider]:
    """A new provider, deleted afterwards."""
    rp = placement_conn.placement.create_resource_provider(name=_name())
    yield rp
    placement_conn.placement.delete_resource_provider(rp)


def test_provider_create_get_find_update_delete(placement_conn: Connection) -> None:
    p = placement_conn.placement
    name = _name()
    rp = p.create_resource_provider(name=name)
    try:
        assert set(rp.raw) == PROVIDER_KEYS
        assert rp.name == name and rp.generation == 0 and rp.parent_provider_id is None
        assert rp.root_provider_id == rp.id
        assert {link["rel"] for link in rp.links or []} == PROVIDER_LINKS
        got = p.get_resource_provider(_id(rp))
        assert got.to_dict() == rp.to_dict()
        assert got.headers["OpenStack-API-Version"] == "placement " + MV
        assert _id(p.find_resource_provider(name)) == rp.id
        assert _id(p.find_resource_provider(_id(rp))) == rp.id
        assert p.resource_providers(name=name).ids() == [rp.id]
        assert p.resource_providers(id=rp.id).ids() == [rp.id]
        child = p.create_resource_provider(name=name + "-child", parent_provider_id=rp.id)
        assert (child.parent_provider_id, child.root_provider_id) == (rp.id, rp.id)
        assert set(p.resource_providers(in_tree=_id(child)).ids()) == {rp.id, child.id}
        with pytest.raises(exc.Conflict):  # a provider with children cannot go
            p.delete_resource_provider(rp)
        p.delete_resource_provider(child)
        renamed = p.update_resource_provider(rp, name=name + "-renamed")
        assert renamed.name == name + "-renamed" and set(renamed.raw) == PROVIDER_KEYS
        assert p.get_resource_provider(_id(rp)).generation == 0  # renames do not count
        with pytest.raises(exc.Conflict):  # names are unique
            p.create_resource_provider(name=name + "-renamed")
    finally:
        p.delete_resource_provider(rp)
    with pytest.raises(exc.NotFound):
        p.get_resource_provider(_id(rp))
    assert p.find_resource_provider(name, ignore_missing=True) is None
    p.delete_resource_provider(rp)  # ignore_missing by default


def test_inventories(placement_conn: Connection, provider: ResourceProvider) -> None:
    p = placement_conn.placement
    assert list(p.resource_provider_inventories(provider)) == []
    inv = p.create_resource_provider_inventory(provider, "VCPU", total=8,
                                               allocation_ratio=4.0,
                                               resource_provider_generation=0)
    assert set(inv.raw) == INVENTORY_KEYS | {"resource_class"}  # the SDK adds the id
    assert (inv.resource_class, inv.total, inv.reserved, inv.min_unit, inv.max_unit,
            inv.step_size, inv.allocation_ratio, inv.resource_provider_generation) == \
        ("VCPU", 8, 0, 1, 2147483647, 1, 4.0, 1)
    got = p.get_resource_provider_inventory("VCPU", provider.id)
    assert got.total == 8 and got.resource_provider_generation == 1
    with pytest.raises(exc.NotFound):
        p.get_resource_provider_inventory("MEMORY_MB", provider.id)
    updated = p.update_resource_provider_inventory(got, total=16)
    assert updated.total == 16 and updated.resource_provider_generation == 2
    # A PUT replaces the inventory (api-ref "Update resource provider inventory": only
    # total is required, the rest reverts to its default): updating an inventory that
    # was read sends all of it, so its allocation ratio stays.
    assert updated.allocation_ratio == 4.0
    assert got.resource_provider_generation == 2  # the instance read the answer
    with pytest.raises(exc.Conflict):  # generation 1 is stale now
        p.update_resource_provider_inventory("VCPU", provider.id, total=4,
                                             resource_provider_generation=1)
    # By resource class alone nothing else is known: only total goes, the ratio resets.
    bare = p.update_resource_provider_inventory("VCPU", provider.id, total=16,
                                                resource_provider_generation=2)
    assert bare.allocation_ratio == 1.0 and bare.resource_provider_generation == 3
    listed = p.resource_provider_inventories(provider)
    assert [(i.resource_class, i.total) for i in listed] == [("VCPU", 16)]
    assert p.get_resource_provider(_id(provider)).generation == 3
    # (16 - 0) * 1.0 = 16 VCPU of capacity
    assert provider.id in p.resource_providers(resources="VCPU:16").ids()
    assert provider.id not in p.resource_providers(resources="VCPU:17").ids()
    with pytest.raises(exc.BadRequest):
        p.resource_providers(resources="VCPU")
    p.delete_resource_provider_inventory(updated)
    assert list(p.resource_provider_inventories(provider)) == []


def test_usages_of_a_new_provider(placement_conn: Connection,
                                  provider: ResourceProvider) -> None:
    p = placement_conn.placement
    assert list(p.resource_provider_usages(_id(provider))) == []
    p.create_resource_provider_inventory(provider, "MEMORY_MB", total=4096,
                                         resource_provider_generation=0)
    usages = p.resource_provider_usages(_id(provider))
    assert [(u.resource_class, u.usage, u.resource_provider_generation) for u in usages] \
        == [("MEMORY_MB", 0, 1)]
    assert _get(placement_conn, f"/resource_providers/{provider.id}/usages") == \
        {"usages": {"MEMORY_MB": 0}, "resource_provider_generation": 1}


def test_allocation_reads(placement_conn: Connection, provider: ResourceProvider) -> None:
    assert _get(placement_conn, f"/resource_providers/{provider.id}/allocations") == \
        {"allocations": {}, "resource_provider_generation": 0}
    assert _get(placement_conn, f"/allocations/{uuid.uuid4()}") == {"allocations": {}}
    with pytest.raises(exc.NotFound):
        _get(placement_conn, f"/resource_providers/{uuid.uuid4()}/allocations")


def test_allocations_written_then_read(placement_conn: Connection,
                                       provider: ResourceProvider) -> None:
    p = placement_conn.placement
    p.create_resource_provider_inventory(provider, "VCPU", total=8,
                                         resource_provider_generation=0)
    consumer, project, user = (str(uuid.uuid4()) for _ in range(3))
    body = {"allocations": {provider.id: {"resources": {"VCPU": 3}}},
            "project_id": project, "user_id": user, "consumer_generation": None,
            "consumer_type": "INSTANCE"}
    written = p.put(f"/allocations/{consumer}", json=body, microversion=MV)
    assert written.status_code == 204
    try:
        assert _get(placement_conn, f"/resource_providers/{provider.id}/allocations") == \
            {"allocations": {consumer: {"resources": {"VCPU": 3}, "consumer_generation": 1}},
             "resource_provider_generation": 2}
        assert _get(placement_conn, f"/allocations/{consumer}") == {
            "allocations": {provider.id: {"generation": 2, "resources": {"VCPU": 3}}},
            "project_id": project, "user_id": user, "consumer_generation": 1,
            "consumer_type": "INSTANCE"}
        usages = p.resource_provider_usages(provider)
        assert [(u.resource_class, u.usage) for u in usages] == [("VCPU", 3)]
        assert _get(placement_conn, f"/usages?project_id={project}") == \
            {"usages": {"INSTANCE": {"consumer_count": 1, "VCPU": 3}}}
        with pytest.raises(exc.Conflict):  # allocations hold the provider
            p.delete_resource_provider(provider)
    finally:
        p.delete(f"/allocations/{consumer}", microversion=MV)
    assert [(u.resource_class, u.usage) for u in p.resource_provider_usages(provider)] == \
        [("VCPU", 0)]


def test_traits_and_resource_classes(placement_conn: Connection,
                                     provider: ResourceProvider) -> None:
    traits = _get(placement_conn, "/traits")["traits"]
    assert {"HW_CPU_X86_AVX2", "COMPUTE_TRUSTED_CERTS"} <= set(traits)
    assert _get(placement_conn, f"/resource_providers/{provider.id}/traits") == \
        {"traits": [], "resource_provider_generation": 0}
    classes = {rc["name"] for rc in _get(placement_conn, "/resource_classes")
               ["resource_classes"]}
    assert {"VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "VGPU"} <= classes
    vcpu = _get(placement_conn, "/resource_classes/VCPU")
    assert vcpu["name"] == "VCPU"
    assert [link["rel"] for link in vcpu["links"]] == ["self"]
    with pytest.raises(exc.NotFound):
        _get(placement_conn, "/resource_classes/CUSTOM_OSNB_NO_SUCH_CLASS")


@pytest.mark.parametrize(("name", "value", "low", "since"), [
    ("member_of", "in:{aggregate}", "1.0", "1.3"),
    ("resources", "VCPU:1", "1.3", "1.4"),
    ("in_tree", "{provider}", "1.13", "1.14"),
    ("required", "HW_CPU_X86_AVX2", "1.17", "1.18"),
])
def test_filters_need_their_microversion(placement_conn: Connection,
                                         provider: ResourceProvider, name: str, value: str,
                                         low: str, since: str) -> None:
    query = f"/resource_providers?{name}=" + value.format(aggregate=uuid.uuid4(),
                                                          provider=provider.id)
    with pytest.raises(exc.BadRequest) as err:
        _get(placement_conn, query, microversion=low)
    assert f"'{name}' was unexpected" in str(err.value)
    found = _get(placement_conn, query, microversion=since)["resource_providers"]
    assert isinstance(found, list)


def test_uuid_filter_takes_a_uuid(placement_conn: Connection) -> None:
    with pytest.raises(exc.BadRequest) as err:
        placement_conn.placement.resource_providers(id="abc")
    assert "'abc' is not a 'uuid'" in str(err.value)


def test_inventory_of_an_unknown_class(placement_conn: Connection,
                                       provider: ResourceProvider) -> None:
    with pytest.raises(exc.BadRequest) as err:
        placement_conn.placement.create_resource_provider_inventory(
            provider, "CUSTOM_OSNB_NO_SUCH_CLASS", total=1, resource_provider_generation=0)
    assert "No such resource class CUSTOM_OSNB_NO_SUCH_CLASS" in str(err.value)


def test_inventory_total_must_be_positive(placement_conn: Connection,
                                          provider: ResourceProvider) -> None:
    with pytest.raises(exc.BadRequest):
        placement_conn.placement.create_resource_provider_inventory(
            provider, "VCPU", total=0, resource_provider_generation=0)
    assert list(placement_conn.placement.resource_provider_inventories(provider)) == []


def test_providers_have_no_limit(placement_conn: Connection) -> None:
    with pytest.raises(exc.BadRequest) as err:
        _get(placement_conn, "/resource_providers?limit=1")
    assert "'limit' was unexpected" in str(err.value)
    with pytest.raises(exc.BadRequest):  # the SDK passes limit on as it is asked to
        placement_conn.placement.resource_providers(limit=1)


def test_member_of_takes_uuids(placement_conn: Connection) -> None:
    with pytest.raises(exc.BadRequest) as err:
        _get(placement_conn, "/resource_providers?member_of=in:abc", microversion="1.3")
    assert "member_of" in str(err.value)


def test_unsupported_microversion_is_406_with_the_range(placement_conn: Connection) -> None:
    with pytest.raises(exc.HttpException) as err:
        _get(placement_conn, "/resource_providers", microversion="1.999")
    assert err.value.status_code == 406 and err.value.response is not None
    error = err.value.response.json()["errors"][0]
    assert (error["status"], error["title"]) == (406, "Not Acceptable")
    root = _get(placement_conn, "/", microversion="1.0")["versions"][0]
    assert (error["min_version"], error["max_version"]) == \
        (root["min_version"], root["max_version"])
