"""capacity per host against the hypervisors, and its groupings against per host."""

from __future__ import annotations

import math

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
        assert by_name.loc[name, "ram_gib_total"] * 1024 == hyp.memory_size
        assert by_name.loc[name, "disk_gib_total"] == hyp.local_disk_size
        assert by_name.loc[name, "servers"] == hyp.running_vms
    assert hosts.vcpus_total.sum() == hyps.vcpus.sum()
    for prefix, (*_, ratio) in CAPACITY_KINDS.items():
        scale = 1024 if prefix == "ram_gib" else 1  # placement's rule is in MiB
        cap = ((hosts[f"{prefix}_total"] - hosts[f"{prefix}_reserved"]) * scale
               * hosts[ratio]).astype("float64").map(math.floor) / scale
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
        for column in ("vcpus_total", "ram_gib_capacity", "disk_gib_used", "servers"):
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


def test_capacity_against_placement_inventories(admin: Connection) -> None:
    """Capacity, used percentage and overcommit ratio per host, from placement's own
    numbers: capacity = int((total - reserved) * allocation_ratio), RAM in GiB."""
    hosts = capacity(admin).set_index("hypervisor_hostname")
    for rp in admin.placement.resource_providers():
        inventories = {i.resource_class: i for i in
                       admin.placement.resource_provider_inventories(rp)}
        usages = {u.resource_class: u.usage for u in
                  admin.placement.resource_provider_usages(rp)}
        row = hosts.loc[rp.name]
        for prefix, rc, ratio, scale in (("vcpus", "VCPU", "vcpu_allocation_ratio", 1),
                                          ("ram_gib", "MEMORY_MB", "ram_allocation_ratio",
                                           1024),
                                          ("disk_gib", "DISK_GB", "disk_allocation_ratio", 1)):
            inv = inventories[rc]
            cap = int((inv.total - inv.reserved) * inv.allocation_ratio)
            assert row[ratio] == inv.allocation_ratio
            assert row[f"{prefix}_capacity"] * scale == cap
            assert row[f"{prefix}_used"] * scale == usages[rc]
            assert row[f"{prefix}_used_pct"] == round(usages[rc] / cap * 100, 1)


@pytest.mark.parametrize("by", ["host", "availability_zone"])
def test_counts_are_integers_and_ratios_say_what_they_are(admin: Connection, by: str) -> None:
    frame = capacity(admin, by=by)
    for column in ("vcpus_total", "vcpus_reserved", "vcpus_used", "vcpus_capacity",
                   "vcpus_free", "disk_gib_total", "disk_gib_used", "disk_gib_free",
                   "servers"):
        assert str(frame[column].dtype) == "Int64", column
    for column in ("ram_gib_total", "ram_gib_used", "vcpus_used_pct", "vcpu_allocation_ratio",
                   "ram_allocation_ratio", "disk_allocation_ratio"):
        assert frame[column].dtype == "float64", column
    assert not [c for c in frame.columns if c.endswith("_ratio") and "allocation" not in c]
    assert not [c for c in frame.columns if "_mb" in c or "_gb" in c]
    # Shown as plain numbers: RAM over a million MiB never turns scientific.
    shown = repr(frame) + (frame._repr_html_() or "")
    assert "e+" not in shown and "e-0" not in shown


def test_unknown_grouping(admin: Connection) -> None:
    with pytest.raises(ValueError, match="host, aggregate, availability_zone"):
        capacity(admin, by="rack")
