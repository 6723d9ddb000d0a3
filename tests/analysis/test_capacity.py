"""capacity per host against the hypervisors, and its groupings against per host."""

from __future__ import annotations

import pytest

from osnb.analysis import capacity
from osnb.analysis.capacity import CAPACITY_KINDS
from osnb.sdk.connection import Connection


def test_per_host_matches_hypervisors(admin: Connection) -> None:
    hosts = capacity(admin)
    hyps = admin.compute.hypervisors().to_pandas().set_index("name")
    assert set(hosts.hypervisor_hostname) == set(hyps.index)
    by_name = hosts.set_index("hypervisor_hostname")
    for name, hyp in hyps.iterrows():
        assert by_name.loc[name, "vcpus_total"] == hyp.vcpus
        assert by_name.loc[name, "ram_mb_total"] == hyp.memory_size
        assert by_name.loc[name, "disk_gb_total"] == hyp.local_disk_size
        assert by_name.loc[name, "servers"] == hyp.running_vms
    assert hosts.vcpus_total.sum() == hyps.vcpus.sum()
    for prefix in CAPACITY_KINDS:
        cap = (hosts[f"{prefix}_total"] - hosts[f"{prefix}_reserved"]) * hosts[f"{prefix}_ratio"]
        assert (hosts[f"{prefix}_capacity"] == cap).all()
        assert (hosts[f"{prefix}_free"] == cap - hosts[f"{prefix}_used"]).all()


def test_used_is_what_placement_allocated(admin: Connection) -> None:
    hosts = capacity(admin).set_index("hypervisor_hostname")
    for rp in admin.placement.resource_providers():
        usages = {u.resource_class: u.usage for u in
                  admin.placement.resource_provider_usages(rp)}
        assert hosts.loc[rp.name, "vcpus_used"] == usages["VCPU"]


@pytest.mark.parametrize("by", ["availability_zone", "aggregate"])
def test_groupings_sum_the_hosts(admin: Connection, by: str) -> None:
    hosts = capacity(admin)
    grouped = capacity(admin, by=by)
    assert grouped.columns[0] == by
    if by == "availability_zone":
        assert grouped.hosts.sum() == len(hosts)
        for column in ("vcpus_total", "ram_mb_capacity", "disk_gb_used", "servers"):
            assert grouped[column].sum() == hosts[column].sum()
        zones = hosts.groupby("availability_zone").vcpus_free.sum()
        assert grouped.set_index(by).vcpus_free.to_dict() == zones.to_dict()
    else:
        members = hosts.explode("aggregates")
        assert grouped.hosts.sum() == len(members)
        for name, row in grouped.set_index(by).iterrows():
            part = members[members.aggregates == name] if name != "(none)" else \
                members[members.aggregates.isna()]
            assert row.vcpus_capacity == part.vcpus_capacity.sum()


def test_unknown_grouping(admin: Connection) -> None:
    with pytest.raises(ValueError, match="host, aggregate, availability_zone"):
        capacity(admin, by="rack")
