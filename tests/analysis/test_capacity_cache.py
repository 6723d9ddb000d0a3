"""capacity() without two requests per provider on every call (#17): usages from one
allocation candidates request, inventories kept by provider generation.

A demo cloud of this module's own (the tests fill hosts and rewrite inventories). Each
call is checked column for column against the slow path (:mod:`.capacity_slow`: every
provider's inventories and usages asked through the proxy), and its requests are counted
where they leave the client (a response hook on the connection's HTTP session).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import osnb
from osnb import democloud
from osnb.sdk.connection import Connection
from osnb.sdk.placement.v1.allocation_candidate import AllocationCandidate

from .capacity_slow import placement_columns, slow_path


class Counter:
    """Requests sent through one connection, by path."""

    def __init__(self, conn: Connection) -> None:
        self.paths: list[str] = []
        conn.session.session.hooks["response"].append(self._seen)

    def _seen(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self.paths.append(response.request.path_url.split("?")[0])

    def run(self, fn: Any) -> tuple[Any, list[str]]:
        before = len(self.paths)
        result = fn()
        return result, self.paths[before:]


@pytest.fixture(scope="module")
def world() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=31, servers=60, projects=3, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture
def conn(world: democloud.DemoCloud) -> Iterator[Connection]:
    """A fresh connection: nothing kept yet."""
    connection = osnb.connect("demo", config=world.clouds)
    connection.compute.get_endpoint_data()  # version discovery: not what is counted
    connection.placement.get_endpoint_data()
    yield connection
    connection.close()


def _same_as_slow_path(conn: Connection, hosts: pd.DataFrame) -> None:
    fast = placement_columns(hosts)
    pd.testing.assert_frame_equal(fast, slow_path(conn, fast.index))


def _kinds(paths: list[str]) -> dict[str, int]:
    """Requests per kind: ``inventories``, ``usages``, ``allocation_candidates``, other."""
    out: dict[str, int] = {}
    for path in paths:
        kind = next((k for k in ("inventories", "usages", "allocation_candidates")
                     if path.endswith(k)), "listings")
        out[kind] = out.get(kind, 0) + 1
    return out


def _fill(conn: Connection, rp: str) -> list[str]:
    """Consumers taking every VCPU left on provider ``rp`` (each at most its ``max_unit``):
    it has no room for one more."""
    summary = conn.placement.allocation_candidate_summaries(resources="VCPU:1")[rp]
    left = summary["resources"]["VCPU"]["capacity"] - summary["resources"]["VCPU"]["used"]
    most = conn.placement.get_resource_provider_inventory("VCPU", rp).max_unit or left
    held: dict[str, Any] = {}
    while left > 0:
        take = min(left, most)
        held[str(uuid.uuid4())] = {
            "allocations": {rp: {"resources": {"VCPU": take}}}, "project_id": str(uuid.uuid4()),
            "user_id": str(uuid.uuid4()), "consumer_generation": None,
            "consumer_type": "INSTANCE"}
        left -= take
    conn.placement.create_allocations(held)
    return list(held)


def test_a_second_call_asks_placement_once(conn: Connection) -> None:
    counter = Counter(conn)
    providers = list(conn.placement.resource_providers())
    cold, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, cold)
    # Each provider's inventories (nothing kept yet), none of its usages: all are in the
    # summaries. Four listings and the summaries beside them.
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1,
                            "inventories": len(providers)}
    warm, sent = counter.run(conn.capacity)
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1}
    pd.testing.assert_frame_equal(warm, cold)
    _same_as_slow_path(conn, warm)
    assert len(conn.placement.inventory_cache) == len(providers)


def test_a_full_host_usage_deleted_and_inventory_changed(conn: Connection) -> None:
    p = conn.placement
    counter = Counter(conn)
    conn.capacity()
    full, changed = (str(rp.id) for rp in list(p.resource_providers())[:2])
    # A host with no VCPU left is missing from the summaries: its usages are its own
    # request. The allocation made its generation newer: its inventories are read again.
    consumers = _fill(conn, full)
    assert full not in p.allocation_candidate_summaries(resources="VCPU:1")
    hosts, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, hosts)
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "inventories": 1,
                            "usages": 1}
    row = hosts.set_index("hypervisor_hostname").loc[p.get_resource_provider(full).name]
    assert row["vcpus_free"] == 0
    # An inventory written: the provider's generation moves, its inventories are read
    # again, and the new total shows.
    before = p.get_resource_provider(changed).generation
    vcpu = p.get_resource_provider_inventory("VCPU", changed)
    total = int(vcpu.total or 0) + 8
    p.update_resource_provider_inventory(vcpu, total=total)
    assert p.get_resource_provider(changed).generation == before + 1
    hosts, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, hosts)
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "inventories": 1,
                            "usages": 1}  # the full host's usages, as before
    row = hosts.set_index("hypervisor_hostname").loc[p.get_resource_provider(changed).name]
    assert row["vcpus_total"] == total
    # The allocation deleted: the full host's usage falls, its generation stays (as in
    # Placement), so nothing is read again but the usage comes from the summaries.
    generation = p.get_resource_provider(full).generation
    for consumer in consumers:
        p.delete_allocation(consumer)
    assert p.get_resource_provider(full).generation == generation
    hosts, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, hosts)
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1}
    row = hosts.set_index("hypervisor_hostname").loc[p.get_resource_provider(full).name]
    assert row["vcpus_free"] > 0


def test_kept_inventories_that_disagree_with_the_summaries_are_read_again(
        conn: Connection) -> None:
    """An inventory written between the provider listing and the summaries shows in the
    summaries' capacity while the listing's generation matches what was kept: the
    capacity disagreeing is what tells. Made here by keeping a wrong inventory at the
    provider's current generation."""
    p = conn.placement
    conn.capacity()
    rp = list(p.resource_providers())[0]
    kept = p.inventory_cache.get(rp.id, rp.generation)
    assert kept is not None
    wrong = p.get_resource_provider_inventory("VCPU", rp.id)
    wrong._body["total"] = wrong.total * 2  # what no request can make: a stale entry
    p.inventory_cache.put(rp.id, rp.generation, {**kept, "VCPU": wrong})
    counter = Counter(conn)
    hosts, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, hosts)
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "inventories": 1}
    assert p.inventory_cache.get(rp.id, rp.generation)["VCPU"].total == wrong.total // 2


def test_before_microversion_1_27_every_usage_is_asked(conn: Connection) -> None:
    """Before 1.27 the summaries hold only the classes asked for (VCPU): each provider's
    usages are then its own request, asked as soon as the summaries are in."""
    conn.capacity()
    conn.placement._microversions[AllocationCandidate] = "1.26"  # an older Placement
    counter = Counter(conn)
    hosts, sent = counter.run(conn.capacity)
    _same_as_slow_path(conn, hosts)
    providers = len(conn.placement.resource_providers())
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "usages": providers}


def test_without_the_summaries_usages_are_asked_one_by_one(conn: Connection) -> None:
    """A Placement before 1.10 has no allocation candidates (404): each provider's usages
    are its own request, and the frame is the same."""
    quiet = placement_columns(conn.capacity())
    conn.placement._microversions[AllocationCandidate] = "1.9"
    counter = Counter(conn)
    hosts, sent = counter.run(conn.capacity)
    providers = len(conn.placement.resource_providers())
    assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "usages": providers}
    pd.testing.assert_frame_equal(placement_columns(hosts), quiet)


def test_kept_inventories_a_full_hosts_usages_disagree_with_are_read_again(
        conn: Connection) -> None:
    """A full host is missing from the summaries: what tells that the inventories kept
    for it are not its own is its usages, which name every class it has inventory of."""
    p = conn.placement
    rp = list(p.resource_providers())[-1]
    consumers = _fill(conn, str(rp.id))
    try:
        conn.capacity()
        rp = p.get_resource_provider(rp.id)
        kept = p.inventory_cache.get(rp.id, rp.generation)
        assert kept is not None and "DISK_GB" in kept
        p.inventory_cache.put(rp.id, rp.generation, {k: v for k, v in kept.items()
                                                     if k != "DISK_GB"})
        counter = Counter(conn)
        hosts, sent = counter.run(conn.capacity)
        _same_as_slow_path(conn, hosts)
        assert _kinds(sent) == {"listings": 4, "allocation_candidates": 1, "inventories": 1,
                                "usages": 1}
        assert "DISK_GB" in p.inventory_cache.get(rp.id, rp.generation)
    finally:
        for consumer in consumers:
            p.delete_allocation(consumer)


def test_what_is_kept_is_bounded_by_the_providers_listed(conn: Connection) -> None:
    """A provider deleted is forgotten at the next call: what is kept never outgrows the
    latest listing."""
    p = conn.placement
    extra = p.create_resource_provider(name=f"osnb-cap-{uuid.uuid4().hex[:8]}")
    p.set_resource_provider_inventories(extra, {"VCPU": {"total": 2}},
                                        resource_provider_generation=0)
    conn.capacity()
    listed = {str(rp.id) for rp in p.resource_providers()}
    assert len(p.inventory_cache) == len(listed)
    assert p.inventory_cache.get(extra.id, p.get_resource_provider(extra.id).generation)
    p.delete_resource_provider(extra)
    conn.capacity()
    assert len(p.inventory_cache) == len(listed) - 1
    assert p.inventory_cache.get(extra.id, 1) is None
