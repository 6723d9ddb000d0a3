"""ResourceClass, Trait, ResourceProviderTrait and provider aggregates through
conn.placement, against the demo cloud."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.placement.v1.resource_class import ResourceClass
from osnb.sdk.placement.v1.resource_provider_trait import ResourceProviderTrait
from osnb.sdk.placement.v1.trait import Trait


def test_declarations() -> None:
    assert ResourceClass.base_path == "/resource_classes" and ResourceClass.allow_create
    assert Trait.create_method == "PUT" and "associated" in Trait.query
    assert not ResourceProviderTrait.requires_id


def _custom() -> str:
    return f"CUSTOM_OSNB_SDK_{uuid.uuid4().hex[:6].upper()}"


def test_resource_classes(conn) -> None:
    p, name = conn.placement, _custom()
    made = p.create_resource_class(name=name)
    assert made.id == made.name == name
    assert p.get_resource_class(name).links == [
        {"rel": "self", "href": f"/placement/resource_classes/{name}"}]
    names = p.resource_classes().ids()
    assert names[0] == "VCPU" and name in names
    assert "name" in p.resource_classes().to_pandas().columns
    with pytest.raises(exc.Conflict):
        p.create_resource_class(name=name)
    renamed = p.update_resource_class(name, name=name + "_2")
    assert renamed.name == name + "_2"
    with pytest.raises(exc.NotFound):
        p.get_resource_class(name)
    with pytest.raises(exc.BadRequest):
        p.delete_resource_class("VCPU")
    p.delete_resource_class(name + "_2")
    p.delete_resource_class(name + "_2")  # ignore_missing


def test_traits_on_a_provider(conn) -> None:
    p, name = conn.placement, _custom()
    assert p.create_trait(name).id == name
    assert p.get_trait(name).name == name
    assert p.traits(name=f"in:{name},HW_CPU_X86_AVX2").ids() == sorted(
        [name, "HW_CPU_X86_AVX2"])
    assert name in p.traits(associated="false").ids()
    rp = p.create_resource_provider(name=f"osnb-sdk-traits-{uuid.uuid4().hex[:8]}")
    try:
        carried = p.get_resource_provider_trait(rp)
        assert (carried.traits, carried.resource_provider_generation) == ([], 0)
        carried = p.set_resource_provider_trait(carried, traits=[name])
        assert (carried.traits, carried.resource_provider_generation) == ([name], 1)
        assert p.resource_providers(required=name).ids() == [rp.id]
        stale = p.get_resource_provider_trait(rp)
        stale.resource_provider_generation = 0
        with pytest.raises(exc.Conflict):
            p.set_resource_provider_trait(stale, traits=[])
        with pytest.raises(exc.Conflict):  # a provider carries it
            p.delete_trait(name)
        p.delete_resource_provider_trait(rp)
        assert p.get_resource_provider_trait(rp).traits == []
        aggs = [str(uuid.uuid4()), str(uuid.uuid4())]
        moved = p.set_resource_provider_aggregates(rp.id, *aggs)
        assert moved.aggregates == aggs and moved.generation == 3
        assert p.get_resource_provider_aggregates(rp.id).aggregates == aggs
        assert p.resource_providers(member_of=f"in:{aggs[1]}").ids() == [rp.id]
    finally:
        p.delete_resource_provider(rp)
    p.delete_trait(name)
    with pytest.raises(exc.NotFound):
        p.get_trait(name)
