"""Allocation, ResourceProviderAllocation, Usage and AllocationCandidate through
conn.placement, against the demo cloud."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.placement.v1.allocation import Allocation
from osnb.sdk.placement.v1.allocation_candidate import AllocationCandidate
from osnb.sdk.placement.v1.resource_provider_allocation import ResourceProviderAllocation
from osnb.sdk.placement.v1.usage import Usage


def test_declarations() -> None:
    assert Allocation.base_path == "/allocations" and Allocation.allow_update
    assert not Allocation.allow_list and Allocation.commit_sends_all
    assert ResourceProviderAllocation.mapping_key == "consumer_id"
    assert AllocationCandidate.allow_list and not AllocationCandidate.allow_retrieve
    assert Usage.base_path == "/usages" and Usage.allow_list


@pytest.fixture
def provider(conn: Any) -> Iterator[Any]:
    p = conn.placement
    rp = p.create_resource_provider(name=f"osnb-sdk-alloc-{uuid.uuid4().hex[:8]}")
    p.set_resource_provider_inventories(rp, {"VCPU": {"total": 4}, "MEMORY_MB": {
        "total": 2048}}, resource_provider_generation=0)
    yield p.get_resource_provider(rp.id)
    for held in p.resource_provider_allocations(rp):
        p.delete_allocation(held.id)
    p.delete_resource_provider(rp)


def test_allocations_written_read_and_summed(conn, provider) -> None:
    p, rp = conn.placement, provider
    consumer, project = str(uuid.uuid4()), str(uuid.uuid4())
    written = p.update_allocation(
        consumer, allocations={rp.id: {"resources": {"VCPU": 2, "MEMORY_MB": 512}}},
        project_id=project, user_id="u", consumer_generation=None, consumer_type="INSTANCE")
    assert written.id == consumer
    got = p.get_allocation(consumer)
    assert got.allocations == {rp.id: {"generation": 2, "resources": {"VCPU": 2,
                                                                        "MEMORY_MB": 512}}}
    assert (got.project_id, got.user_id, got.consumer_generation, got.consumer_type) == \
        (project, "u", 1, "INSTANCE")
    (held,) = p.resource_provider_allocations(rp)
    assert (held.id, held.resources, held.consumer_generation,
            held.resource_provider_generation) == (consumer, {"VCPU": 2, "MEMORY_MB": 512}, 1, 2)
    assert p.fetch_resource_provider_usages(rp.id).usages == {"VCPU": 2, "MEMORY_MB": 512}
    (usage,) = p.usages(project)
    assert (usage.consumer_type, usage.consumer_count, usage.resources) == \
        ("INSTANCE", 1, {"VCPU": 2, "MEMORY_MB": 512})
    with pytest.raises(exc.Conflict):  # the generation the consumer had is gone
        p.update_allocation(got, allocations={rp.id: {"resources": {"VCPU": 1}}},
                            consumer_generation=0)
    with pytest.raises(exc.Conflict):  # 4 VCPU in all
        p.create_allocations({str(uuid.uuid4()): {
            "allocations": {rp.id: {"resources": {"VCPU": 3}}}, "project_id": project,
            "user_id": "u", "consumer_generation": None, "consumer_type": "INSTANCE"}})
    other = str(uuid.uuid4())
    p.create_allocations({
        consumer: {"allocations": {}, "project_id": project, "user_id": "u",
                   "consumer_generation": 1, "consumer_type": "INSTANCE"},
        other: {"allocations": {rp.id: {"resources": {"VCPU": 4}}}, "project_id": project,
                "user_id": "u", "consumer_generation": None, "consumer_type": "MIGRATION"}})
    assert p.get_allocation(consumer).allocations == {}
    assert [u.consumer_type for u in p.usages(project)] == ["MIGRATION"]
    frame = p.resource_provider_allocations(rp).to_pandas()
    assert list(frame["consumer_id"]) == [other]
    p.delete_allocation(other)
    p.delete_allocation(other)  # ignore_missing by default
    with pytest.raises(exc.NotFound):
        p.delete_allocation(other, ignore_missing=False)


def test_allocation_candidates(conn, provider) -> None:
    found = conn.placement.allocation_candidates(resources="VCPU:4", in_tree=provider.id)
    (candidate,) = found
    assert candidate.allocations == {provider.id: {"resources": {"VCPU": 4}}}
    assert candidate.mappings == {"": [provider.id]}
    assert candidate.provider_summaries[provider.id]["resources"]["VCPU"] == \
        {"capacity": 4, "used": 0}
    assert len(found.to_pandas()) == 1
    assert list(conn.placement.allocation_candidates(resources="VCPU:5",
                                                     in_tree=provider.id)) == []
