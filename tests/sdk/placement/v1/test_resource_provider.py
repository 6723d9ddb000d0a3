"""ResourceProvider through conn.placement, against the demo cloud over real HTTP."""

from __future__ import annotations

import uuid

import pytest

import osnb
from osnb.sdk import exceptions as exc
from osnb.sdk.placement.v1.resource_provider import ResourceProvider


def test_declaration() -> None:
    cls = ResourceProvider
    assert (cls.base_path, cls.resource_key, cls.resources_key) == \
        ("/resource_providers", None, "resource_providers")
    assert cls.allow_create and cls.allow_retrieve and cls.allow_update
    assert cls.allow_delete and cls.allow_list and cls.commit_method == "PUT"
    assert cls._props["id"].server_key == "uuid" and cls._id_prop is cls._props["id"]
    assert cls.query.mapping["id"] == "uuid" and cls.max_microversion == "1.39"
    assert {"name", "member_of", "resources", "in_tree", "required"} <= set(cls.query.mapping)


def test_id_is_the_uuid() -> None:
    rp = ResourceProvider._from_body({"uuid": "u-1", "name": "n"})
    assert rp.id == "u-1"
    assert ResourceProvider(id="u-2", name="n").raw == {"uuid": "u-2", "name": "n"}


def test_list_and_filters(conn, cloud) -> None:
    providers = conn.placement.resource_providers()
    assert len(providers) == cloud.call(lambda: len(cloud.store.table("hypervisors")))
    first = providers[0]
    assert isinstance(first.generation, int) and first.root_provider_id == first.id
    assert conn.placement.resource_providers(name=first.name).ids() == [first.id]
    assert conn.placement.resource_providers(id=first.id).ids() == [first.id]
    assert conn.placement.resource_providers(uuid=first.id).ids() == [first.id]
    assert conn.placement.resource_providers(in_tree=first.id).ids() == [first.id]
    roomy = conn.placement.resource_providers(resources="VCPU:1,MEMORY_MB:128")
    huge = conn.placement.resource_providers(resources="VCPU:100000")
    assert roomy and not huge
    with pytest.raises(exc.BadRequest):
        conn.placement.resource_providers(resources="VCPU")
    aggregates = cloud.call(lambda: [a for a in cloud.store.table("aggregates").values()
                                     if a["hosts"]])
    agg = aggregates[0]
    members = conn.placement.resource_providers(member_of=agg["uuid"])
    assert sorted(p.name for p in members) == sorted(set(agg["hosts"]))
    either = conn.placement.resource_providers(member_of="in:" + agg["uuid"])
    assert either.ids() == members.ids()


def test_get_find_and_microversion(conn) -> None:
    first = conn.placement.resource_providers()[0]
    got = conn.placement.get_resource_provider(first.id)
    assert got == first and got.name == first.name
    assert got.headers["OpenStack-API-Version"] == "placement 1.39"
    assert conn.placement.find_resource_provider(first.name) == first
    assert conn.placement.find_resource_provider(first.id) == first
    with pytest.raises(exc.NotFound):
        conn.placement.find_resource_provider("no-such-provider")
    assert conn.placement.find_resource_provider("no-such", ignore_missing=True) is None
    with pytest.raises(exc.NotFound):
        conn.placement.get_resource_provider(str(uuid.uuid4()))


def test_member_is_refused(cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    with pytest.raises(exc.Forbidden):
        member.placement.resource_providers()


def test_create_update_delete(conn) -> None:
    name = f"osnb-test-{uuid.uuid4().hex[:8]}"
    rp = conn.placement.create_resource_provider(name=name)
    try:
        assert rp.id and rp.name == name and rp.generation == 0
        child = conn.placement.create_resource_provider(name=name + "-child",
                                                        parent_provider_id=rp.id)
        assert child.parent_provider_id == rp.id and child.root_provider_id == rp.id
        assert set(conn.placement.resource_providers(in_tree=rp.id).ids()) == \
            {rp.id, child.id}
        conn.placement.delete_resource_provider(child)
        rp = conn.placement.update_resource_provider(rp, name=name + "-renamed")
        assert rp.name == name + "-renamed"
        assert conn.placement.get_resource_provider(rp.id).name == name + "-renamed"
    finally:
        conn.placement.delete_resource_provider(rp)
    assert conn.placement.find_resource_provider(rp.id, ignore_missing=True) is None
