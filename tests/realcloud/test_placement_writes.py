"""Placement writes against the demo cloud and a real Placement, the same test body for
both (``[demo]``, ``[real]``): allocations and their checks, ``POST /allocations``, the
reshaper, resource classes, traits, provider traits and aggregates, allocation
candidates. Real Placement is the reference; where the demo cloud differs, a ``demo_gap``
mark says how."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.connection import Connection
from osnb.sdk.placement.v1.resource_provider import ResourceProvider

MV = "1.39"


def _call(conn: Connection, method: str, path: str, body: Any = None, mv: str = MV) -> Any:
    """A placement request through the SDK's adapter (errors raise osnb exceptions)."""
    return conn.placement.request(path, method, json=body, microversion=mv)


def _code(err: pytest.ExceptionInfo[exc.HttpException]) -> str:
    assert err.value.response is not None
    return str(err.value.response.json()["errors"][0].get("code"))


def _tag() -> str:
    return uuid.uuid4().hex[:8].upper()


@pytest.fixture
def provider(placement_conn: Connection) -> Iterator[ResourceProvider]:
    """A provider with 8 VCPU (at most 4 at once) and 2048 MEMORY_MB in steps of 256."""
    p = placement_conn.placement
    rp = p.create_resource_provider(name=f"osnb-w-{_tag()}")
    p.set_resource_provider_inventories(rp, {"VCPU": {"total": 8, "max_unit": 4},
                                             "MEMORY_MB": {"total": 2048, "step_size": 256}},
                                        resource_provider_generation=0)
    yield p.get_resource_provider(rp.id)
    for held in p.resource_provider_allocations(rp):
        p.delete_allocation(held.id)
    for child in p.resource_providers(in_tree=rp.id):
        if child.id != rp.id:
            p.delete_resource_provider(child)
    p.delete_resource_provider(rp)


def _alloc(rp: str, gen: int | None = None, project: str = "p", **resources: int
           ) -> dict[str, Any]:
    return {"allocations": {rp: {"resources": resources}} if resources else {},
            "project_id": project, "user_id": "u", "consumer_generation": gen,
            "consumer_type": "INSTANCE"}


def test_allocation_checks(placement_conn: Connection, provider: ResourceProvider) -> None:
    p, rp = placement_conn.placement, str(provider.id)
    consumer, project = str(uuid.uuid4()), str(uuid.uuid4())
    p.update_allocation(consumer, **_alloc(rp, project=project, VCPU=4, MEMORY_MB=512))
    got = p.get_allocation(consumer)
    assert (got.consumer_generation, got.allocations[rp]["generation"]) == (1, 2)
    with pytest.raises(exc.Conflict) as err:  # a new consumer has no generation yet
        p.update_allocation(str(uuid.uuid4()), **_alloc(rp, 1, VCPU=1))
    assert _code(err) == "placement.concurrent_update"
    with pytest.raises(exc.Conflict) as err:
        p.update_allocation(consumer, **_alloc(rp, 5, project=project, VCPU=1))
    assert _code(err) == "placement.concurrent_update"
    for resources in ({"VCPU": 5}, {"MEMORY_MB": 100}, {"DISK_GB": 1}):
        with pytest.raises(exc.Conflict) as err:
            p.update_allocation(str(uuid.uuid4()), **_alloc(rp, **resources))
        assert _code(err) == "placement.undefined_code"
    second = str(uuid.uuid4())
    p.update_allocation(second, **_alloc(rp, project=project, VCPU=4))
    with pytest.raises(exc.Conflict) as err:  # 8 VCPU are taken
        p.update_allocation(str(uuid.uuid4()), **_alloc(rp, VCPU=1))
    assert "would exceed the capacity" in str(err.value)
    with pytest.raises(exc.BadRequest):
        p.update_allocation(str(uuid.uuid4()), **_alloc(str(uuid.uuid4()), VCPU=1))
    with pytest.raises(exc.BadRequest):
        p.update_allocation(str(uuid.uuid4()), **_alloc(rp, CUSTOM_OSNB_NO_SUCH=1))
    usages = {(u.consumer_type, u.consumer_count, tuple(sorted(u.resources.items())))
              for u in p.usages(project)}
    assert usages == {("INSTANCE", 2, (("MEMORY_MB", 512), ("VCPU", 8)))}
    assert _call(placement_conn, "GET", f"/usages?project_id={project}", mv="1.9").json() \
        == {"usages": {"MEMORY_MB": 512, "VCPU": 8}}
    held = {a.id: (a.resources, a.consumer_generation)
            for a in p.resource_provider_allocations(rp)}
    assert held == {consumer: ({"VCPU": 4, "MEMORY_MB": 512}, 1), second: ({"VCPU": 4}, 1)}
    with pytest.raises(exc.Conflict) as err:
        p.delete_resource_provider_inventory("VCPU", rp)
    assert _code(err) == "placement.concurrent_update"  # as Placement words it here
    with pytest.raises(exc.Conflict) as err:
        _call(placement_conn, "PUT", f"/resource_providers/{rp}/inventories",
              {"resource_provider_generation": p.get_resource_provider(rp).generation,
               "inventories": {}})
    assert _code(err) == "placement.inventory.inuse"
    p.delete_allocation(consumer)
    with pytest.raises(exc.NotFound):
        p.delete_allocation(consumer, ignore_missing=False)
    assert p.get_allocation(consumer).allocations == {}


def test_post_allocations_all_or_nothing(placement_conn: Connection,
                                         provider: ResourceProvider) -> None:
    p, rp = placement_conn.placement, str(provider.id)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    with pytest.raises(exc.Conflict):
        p.create_allocations({a: _alloc(rp, VCPU=4), b: _alloc(rp, VCPU=4, MEMORY_MB=4096)})
    assert p.get_allocation(a).allocations == {}
    p.create_allocations({a: _alloc(rp, VCPU=4), b: _alloc(rp, VCPU=2)})
    p.create_allocations({a: _alloc(rp, 1), b: _alloc(rp, 1, VCPU=4)})
    assert p.get_allocation(a).allocations == {}
    assert p.fetch_resource_provider_usages(rp).usages == {"VCPU": 4, "MEMORY_MB": 0}
    assert p.get_resource_provider(rp).generation == 3  # a's write and b's, not a's end


@pytest.fixture
def as_service(placement_conn: Connection) -> Iterator[Connection]:
    """The admin with the ``service`` role too (the reshaper is Nova's alone), on a new
    token; the role is taken back after."""
    ident = placement_conn.identity
    role = ident.find_role("service", ignore_missing=True) or ident.create_role(
        name="service")
    project, user = placement_conn.current_project_id, placement_conn.current_user_id
    ident.assign_project_role_to_user(project, user, role)
    placement_conn.session.auth.invalidate()
    yield placement_conn
    ident.unassign_project_role_from_user(project, user, role)
    placement_conn.session.auth.invalidate()


def test_reshaper_is_the_services(placement_conn: Connection,
                                  provider: ResourceProvider) -> None:
    with pytest.raises(exc.Forbidden) as err:  # admin alone may not
        _call(placement_conn, "POST", "/reshaper", {"inventories": {}, "allocations": {}})
    assert "placement:reshaper:reshape" in str(err.value)


def test_reshaper(as_service: Connection, provider: ResourceProvider) -> None:
    placement_conn = as_service
    p, rp = placement_conn.placement, str(provider.id)
    child = p.create_resource_provider(name=f"{provider.name}-numa", parent_provider_id=rp)
    consumer = str(uuid.uuid4())
    p.update_allocation(consumer, **_alloc(rp, VCPU=2, MEMORY_MB=512))
    gen = p.get_resource_provider(rp).generation
    inventories = {rp: {"resource_provider_generation": gen,
                        "inventories": {"MEMORY_MB": {"total": 2048, "step_size": 256}}},
                   child.id: {"resource_provider_generation": 0,
                              "inventories": {"VCPU": {"total": 8, "max_unit": 4}}}}
    with pytest.raises(exc.Conflict) as err:
        _call(placement_conn, "POST", "/reshaper",
              {"inventories": inventories, "allocations": {}})
    assert _code(err) == "placement.inventory.inuse"
    moved = {"allocations": {rp: {"resources": {"MEMORY_MB": 512}},
                             child.id: {"resources": {"VCPU": 2}}},
             "project_id": "p", "user_id": "u", "consumer_generation": 1,
             "consumer_type": "INSTANCE"}
    stale = {**inventories, rp: {**inventories[rp], "resource_provider_generation": gen - 1}}
    with pytest.raises(exc.Conflict) as err:
        _call(placement_conn, "POST", "/reshaper",
              {"inventories": stale, "allocations": {consumer: moved}})
    assert _code(err) == "placement.concurrent_update"
    r = _call(placement_conn, "POST", "/reshaper",
              {"inventories": inventories, "allocations": {consumer: moved}})
    assert r.status_code == 204
    assert p.fetch_resource_provider_usages(child.id).usages == {"VCPU": 2}
    assert p.get_allocation(consumer).consumer_generation == 2
    # an interim inventory, the allocations, the last inventory: three generations
    assert p.get_resource_provider(child.id).generation == 3


def test_resource_classes_and_traits(placement_conn: Connection,
                                     provider: ResourceProvider) -> None:
    p, tag = placement_conn.placement, _tag()
    rc, trait = f"CUSTOM_OSNB_RC_{tag}", f"CUSTOM_OSNB_T_{tag}"
    p.create_resource_class(name=rc)
    with pytest.raises(exc.Conflict):
        p.create_resource_class(name=rc)
    with pytest.raises(exc.BadRequest):
        p.create_resource_class(name="NOT_CUSTOM")
    assert _call(placement_conn, "PUT", f"/resource_classes/{rc}").status_code == 204
    p.create_resource_provider_inventory(provider, rc, total=2,
                                         resource_provider_generation=provider.generation)
    with pytest.raises(exc.Conflict):
        p.delete_resource_class(rc)
    with pytest.raises(exc.BadRequest):
        p.delete_resource_class("VCPU")
    p.create_trait(trait)
    assert p.traits(name=f"in:{trait}").ids() == [trait]
    carried = p.get_resource_provider_trait(provider)
    gen = carried.resource_provider_generation
    carried = p.set_resource_provider_trait(carried, traits=[trait, "HW_CPU_X86_AVX2"])
    assert carried.traits == sorted([trait, "HW_CPU_X86_AVX2"])
    assert carried.resource_provider_generation == gen + 1
    with pytest.raises(exc.Conflict) as err:
        _call(placement_conn, "PUT", f"/resource_providers/{provider.id}/traits",
              {"traits": [], "resource_provider_generation": gen})
    assert _code(err) == "placement.concurrent_update"
    with pytest.raises(exc.BadRequest):
        _call(placement_conn, "PUT", f"/resource_providers/{provider.id}/traits",
              {"traits": ["CUSTOM_OSNB_NEVER"], "resource_provider_generation": gen + 1})
    with pytest.raises(exc.Conflict):
        p.delete_trait(trait)
    with pytest.raises(exc.BadRequest):
        p.delete_trait("HW_CPU_X86_AVX2")
    assert p.resource_providers(required=trait).ids() == [provider.id]
    agg = str(uuid.uuid4())
    moved = p.set_resource_provider_aggregates(provider.id, agg)
    assert moved.aggregates == [agg] and moved.generation == gen + 2
    found = p.allocation_candidates(resources="VCPU:1", required=trait, member_of=agg)
    assert [list(c.allocations) for c in found] == [[provider.id]]
    assert list(p.allocation_candidates(resources="VCPU:1", required=f"!{trait}",
                                        member_of=agg)) == []
    assert [list(c.allocations) for c in p.allocation_candidates(
        resources="VCPU:1", root_required=trait, in_tree=provider.id)] == [[provider.id]]
    assert list(p.allocation_candidates(resources="VCPU:1", root_required=f"!{trait}",
                                        in_tree=provider.id)) == []
    with pytest.raises(exc.BadRequest) as err:  # in_tree makes a group without resources
        p.allocation_candidates(resources1="VCPU:1", required1=trait,
                                resources2="MEMORY_MB:256", group_policy="none",
                                in_tree=provider.id)
    assert _code(err) == "placement.query.bad_value"
    assert [list(c.allocations) for c in p.allocation_candidates(
        resources1="VCPU:1", required1=trait, resources2="MEMORY_MB:256",
        group_policy="none", member_of1=agg)] == [[provider.id]]
    before = p.get_resource_provider(provider.id).generation
    p.delete_resource_provider_trait(provider)
    assert p.get_resource_provider(provider.id).generation == before + 1
    # before 1.19 the aggregates are the body, and the generation stays
    r = _call(placement_conn, "PUT", f"/resource_providers/{provider.id}/aggregates", [],
              mv="1.18")
    assert r.json() == {"aggregates": []}
    assert p.get_resource_provider(provider.id).generation == before + 1
    renamed = f"{rc}_V2"
    r = _call(placement_conn, "PUT", f"/resource_classes/{rc}", {"name": renamed}, mv="1.6")
    assert r.status_code == 200 and r.json()["name"] == renamed
    assert p.get_resource_provider_inventory(renamed, provider.id).total == 2
    rc = renamed
    p.delete_resource_provider_inventory(rc, provider.id)
    p.delete_resource_class(rc)
    p.delete_trait(trait)
    with pytest.raises(exc.NotFound):
        p.get_trait(trait)


def test_a_providers_generation_does_not_follow_every_change_of_its_usage(
        placement_conn: Connection, provider: ResourceProvider) -> None:
    """Writing allocations makes the provider a generation newer; deleting them does not,
    nor does moving a consumer away with ``PUT`` (only the providers it goes to are
    written). So a provider's generation cannot tell a client that its usages are
    unchanged. So ``capacity()`` keeps inventories by generation but never usages: it
    reads them afresh each time, from one allocation candidates request (see
    ``test_placement_capacity.py``)."""
    p, rp = placement_conn.placement, str(provider.id)
    other = p.create_resource_provider(name=f"osnb-w-{_tag()}")
    try:
        p.set_resource_provider_inventories(other, {"VCPU": {"total": 8}},
                                            resource_provider_generation=0)

        def generations() -> tuple[int, int]:
            return (int(p.get_resource_provider(rp).generation or 0),
                    int(p.get_resource_provider(other.id).generation or 0))

        consumer = str(uuid.uuid4())
        start = generations()
        p.update_allocation(consumer, **_alloc(rp, VCPU=2))
        written = generations()
        assert written == (start[0] + 1, start[1])
        p.update_allocation(consumer, **_alloc(str(other.id), 1, VCPU=2))  # moved away
        moved = generations()
        assert moved == (written[0], written[1] + 1)
        assert {u.resource_class: u.usage for u in p.resource_provider_usages(rp)
                }.get("VCPU", 0) == 0
        p.delete_allocation(consumer)
        assert generations() == moved  # its usage fell to zero, its generation stayed
        assert {u.resource_class: u.usage for u in p.resource_provider_usages(other.id)
                }.get("VCPU", 0) == 0
    finally:
        p.delete_resource_provider(other)
