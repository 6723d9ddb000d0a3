"""What capacity() reads placement with, against the demo cloud and a real Placement
(``[demo]``, ``[real]``, the same body): allocation candidates' summaries hold each
provider's usages (a full provider, or one without VCPU, is missing and read on its own),
every inventory write bumps the provider's generation (so inventories may be kept by it),
and capacity() equals the slow path of two requests per provider. Against real Placement
the catalog has no compute service: capacity() takes its placement-alone path.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

import pandas as pd
import pytest

from osnb.sdk.connection import Connection
from osnb.sdk.placement.v1.resource_provider import ResourceProvider
from tests.analysis.capacity_slow import placement_columns, slow_path


def _name() -> str:
    return f"osnb-cap-{uuid.uuid4().hex[:8]}"


def _hold(conn: Connection, rp: str, **resources: int) -> str:
    consumer = str(uuid.uuid4())
    conn.placement.update_allocation(
        consumer, allocations={rp: {"resources": resources}}, project_id=str(uuid.uuid4()),
        user_id=str(uuid.uuid4()), consumer_generation=None, consumer_type="INSTANCE")
    return consumer


class Counter:
    """Placement requests through one connection, by the last part of their path."""

    def __init__(self, conn: Connection) -> None:
        self.kinds: list[str] = []
        conn.session.session.hooks["response"].append(self._seen)

    def _seen(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self.kinds.append(response.request.path_url.split("?")[0].rsplit("/", 1)[-1])

    def run(self, fn: Any) -> tuple[Any, dict[str, int]]:
        before = len(self.kinds)
        result = fn()
        counts: dict[str, int] = {}
        for kind in self.kinds[before:]:
            counts[kind] = counts.get(kind, 0) + 1
        return result, counts


@pytest.fixture
def world(placement_conn: Connection) -> Iterator[dict[str, ResourceProvider]]:
    """``room`` (reserved amounts, ratios, some of it held), its child ``numa`` (VCPU of
    its own), ``full`` (every VCPU held) and ``disk`` (no VCPU at all)."""
    p = placement_conn.placement
    made: dict[str, ResourceProvider] = {}
    held: list[str] = []
    try:
        made["room"] = p.create_resource_provider(name=_name())
        made["numa"] = p.create_resource_provider(name=_name(),
                                                  parent_provider_id=made["room"].id)
        made["full"] = p.create_resource_provider(name=_name())
        made["disk"] = p.create_resource_provider(name=_name())
        p.set_resource_provider_inventories(made["room"], {
            "VCPU": {"total": 8, "reserved": 1, "allocation_ratio": 2.0, "max_unit": 8},
            "MEMORY_MB": {"total": 4096, "reserved": 512, "allocation_ratio": 1.5,
                          "max_unit": 4096},
            "DISK_GB": {"total": 100, "max_unit": 100}}, resource_provider_generation=0)
        p.set_resource_provider_inventories(made["numa"], {
            "VCPU": {"total": 2, "max_unit": 2}}, resource_provider_generation=0)
        p.set_resource_provider_inventories(made["full"], {
            "VCPU": {"total": 4, "max_unit": 4},
            "MEMORY_MB": {"total": 1024, "max_unit": 1024}}, resource_provider_generation=0)
        p.set_resource_provider_inventories(made["disk"], {
            "DISK_GB": {"total": 50, "reserved": 5, "max_unit": 50}},
            resource_provider_generation=0)
        held.append(_hold(placement_conn, str(made["room"].id), VCPU=3, MEMORY_MB=1024))
        held.append(_hold(placement_conn, str(made["full"].id), VCPU=4, MEMORY_MB=256))
        held.append(_hold(placement_conn, str(made["disk"].id), DISK_GB=7))
        yield {k: p.get_resource_provider(v.id) for k, v in made.items()}
    finally:
        for consumer in held:
            p.delete_allocation(consumer)
        for key in ("numa", "room", "full", "disk"):
            if key in made:
                p.delete_resource_provider(made[key])


def test_summaries_hold_what_each_providers_usages_say(
        placement_conn: Connection, world: dict[str, ResourceProvider]) -> None:
    p = placement_conn.placement
    summaries = p.allocation_candidate_summaries(resources="VCPU:1")
    assert str(world["full"].id) not in summaries  # no room for one VCPU
    assert str(world["disk"].id) not in summaries  # no VCPU at all
    for key in ("room", "numa"):
        rp = str(world[key].id)
        usages = {u.resource_class: u.usage for u in p.resource_provider_usages(rp)}
        inventories = {i.resource_class: i for i in p.resource_provider_inventories(rp)}
        resources = summaries[rp]["resources"]
        assert {rc: r["used"] for rc, r in resources.items()} == usages
        assert {rc: r["capacity"] for rc, r in resources.items()} == {
            rc: int((i.total - i.reserved) * i.allocation_ratio)
            for rc, i in inventories.items()}
    assert summaries[str(world["room"].id)]["resources"]["VCPU"] == {"capacity": 14,
                                                                     "used": 3}


def test_every_inventory_write_bumps_the_generation(
        placement_conn: Connection, world: dict[str, ResourceProvider]) -> None:
    """So inventories read at one generation are the provider's while it shows that one:
    ``resource_provider_inventories_by_class`` reads them again only when it moved."""
    p = placement_conn.placement
    rp = str(world["disk"].id)
    counter = Counter(placement_conn)
    by_class = p.resource_provider_inventories_by_class
    by_class(p.get_resource_provider(rp))
    writes = [
        lambda: p.create_resource_provider_inventory(rp, "VCPU", total=4),
        lambda: p.update_resource_provider_inventory(
            p.get_resource_provider_inventory("VCPU", rp), total=6),
        lambda: p.delete_resource_provider_inventory("VCPU", rp),
        lambda: p.set_resource_provider_inventories(
            rp, {"DISK_GB": {"total": 60, "reserved": 5, "max_unit": 60}},
            p.get_resource_provider(rp).generation)]
    for write in writes:
        before = p.get_resource_provider(rp)
        _, asked = counter.run(partial(by_class, before))
        assert asked == {}  # kept: the generation has not moved
        write()
        after = p.get_resource_provider(rp)
        assert after.generation == before.generation + 1
        found, asked = counter.run(partial(by_class, after))
        assert asked == {"inventories": 1}
        assert found == {i.resource_class: i for i in p.resource_provider_inventories(rp)}
    assert by_class(p.get_resource_provider(rp))["DISK_GB"].total == 60


def test_capacity_equals_the_slow_path(placement_cloud: tuple[str, Connection],
                                       placement_conn: Connection,
                                       world: dict[str, ResourceProvider]) -> None:
    """Cold (nothing kept), warm, and after the full provider's allocation is deleted
    (its usage falls, its generation stays). Real Placement's catalog has no Nova."""
    p = placement_conn.placement
    counter = Counter(placement_conn)
    p.inventory_cache.clear()
    hosts, asked = counter.run(placement_conn.capacity)
    fast = placement_columns(hosts)
    summaries = p.allocation_candidate_summaries(resources="VCPU:1")
    # Read: every root provider (at once, before Nova's hosts are known) and each host's.
    read = {str(rp.id) for rp in p.resource_providers() if rp.parent_provider_id is None
            or rp.name in set(fast.index)}
    lacking = len(read - set(summaries))
    assert asked.get("inventories") == len(read)
    assert asked.get("usages", 0) == lacking  # those the summaries lack, no other
    assert asked.get("allocation_candidates") == 1
    pd.testing.assert_frame_equal(fast, slow_path(placement_conn, fast.index))
    mine = {world[k].name for k in ("room", "numa", "full", "disk")}
    no_nova = "compute" in set(hosts.attrs["errors"]["service"])
    assert no_nova == (placement_cloud[0] == "real")
    if not no_nova:
        assert not mine & set(fast.index)  # Nova's hosts only: the demo cloud
    else:
        assert mine <= set(fast.index)  # no Nova: every provider is a host
        assert fast.loc[world["full"].name, "vcpus_free"] == 0
        assert fast.loc[world["disk"].name, "disk_gib_used"] == 7
        assert fast.loc[world["room"].name, "vcpus_capacity"] == 14
    warm, asked = counter.run(placement_conn.capacity)
    assert "inventories" not in asked and asked.get("usages", 0) == lacking
    pd.testing.assert_frame_equal(placement_columns(warm), fast)
    full = world["full"]
    for held in p.resource_provider_allocations(full):
        p.delete_allocation(held.id)
    assert p.get_resource_provider(full.id).generation == full.generation
    after, asked = counter.run(placement_conn.capacity)
    fast = placement_columns(after)
    pd.testing.assert_frame_equal(fast, slow_path(placement_conn, fast.index))
    if no_nova:
        assert fast.loc[full.name, "vcpus_used"] == 0
        assert "inventories" not in asked and asked.get("usages", 0) == lacking - 1


def test_summaries_hold_every_provider_of_a_candidates_tree(
        placement_conn: Connection) -> None:
    """From 1.29 the summaries hold each candidate's whole tree: a root with no VCPU of
    its own, whose child has them, is there (its usages with it), and so is a child
    with nothing to give."""
    p = placement_conn.placement
    root = p.create_resource_provider(name=_name())
    cpu = p.create_resource_provider(name=_name(), parent_provider_id=root.id)
    bare = p.create_resource_provider(name=_name(), parent_provider_id=root.id)
    held = None
    try:
        p.set_resource_provider_inventories(root, {"DISK_GB": {"total": 40, "max_unit": 40}},
                                            resource_provider_generation=0)
        p.set_resource_provider_inventories(cpu, {"VCPU": {"total": 4, "max_unit": 4}},
                                            resource_provider_generation=0)
        held = _hold(placement_conn, str(root.id), DISK_GB=9)
        summaries = p.allocation_candidate_summaries(resources="VCPU:1")
        assert summaries[str(root.id)]["resources"] == {"DISK_GB": {"capacity": 40,
                                                                    "used": 9}}
        assert summaries[str(cpu.id)]["resources"] == {"VCPU": {"capacity": 4, "used": 0}}
        assert summaries[str(bare.id)]["resources"] == {}
        assert summaries[str(bare.id)]["root_provider_uuid"] == str(root.id)
    finally:
        if held is not None:
            p.delete_allocation(held)
        for rp in (bare, cpu, root):
            p.delete_resource_provider(rp)
