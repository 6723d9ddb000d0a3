"""Capacity: what each compute host (aggregate, zone) has, has given out, and has left.

Per host, hypervisors (Nova) give the physical totals and the server count; placement
inventories give the allocation ratio and the reserved amount, placement usages what is
allocated. Capacity is placement's: ``(total - reserved) * allocation_ratio``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc
from ._common import run_all, widen_pool

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection

__all__ = ["CAPACITY_KINDS", "capacity"]

CAPACITY_KINDS = {
    "vcpus": ("VCPU", "vcpus", "vcpus_used"),
    "ram_mb": ("MEMORY_MB", "memory_mb", "memory_mb_used"),
    "disk_gb": ("DISK_GB", "local_gb", "local_gb_used"),
}
"""Column prefix → (placement resource class, hypervisor total key, hypervisor used key)."""

SUFFIXES = ("total", "reserved", "used", "ratio", "capacity", "free")
GROUPINGS = ("host", "aggregate", "availability_zone")


def capacity(conn: Connection, by: str = "host", *, max_workers: int = 8) -> pd.DataFrame:
    """Capacity and headroom per ``by``: ``"host"``, ``"aggregate"`` or
    ``"availability_zone"`` (admin).

    For each of ``vcpus``, ``ram_mb``, ``disk_gb``: ``_total`` (physical), ``_reserved``
    (for the host), ``_used`` (allocated in placement), ``_ratio`` (allocation ratio),
    ``_capacity`` (``(total - reserved) * ratio``: what may be allocated) and ``_free``
    (``capacity - used``); plus ``servers``. Per host also ``availability_zone``,
    ``aggregates``, ``status`` and ``state``; grouped rows add ``hosts`` and a ratio that is
    capacity over unreserved total. A host in two aggregates counts in both; hosts in none
    are under ``"(none)"``.
    """
    if by not in GROUPINGS:
        raise ValueError(f"capacity: by={by!r}; choose one of {', '.join(GROUPINGS)}")
    hosts = _per_host(conn, max_workers)
    if by == "host":
        return hosts
    return _grouped(hosts, by)


def _per_host(conn: Connection, max_workers: int) -> pd.DataFrame:
    import pandas as pd

    hypervisors = conn.compute.hypervisors().records
    widen_pool(conn, max_workers)
    providers = {p.get("name"): p.get("uuid") for p in
                 conn.placement.resource_providers().records}
    zones = _host_zones(conn)
    aggregates: dict[Any, list[Any]] = {}
    for agg in conn.compute.aggregates().records:
        for host in agg.get("hosts") or []:
            aggregates.setdefault(host, []).append(agg.get("name"))

    def placement(uuid: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        if uuid is None:
            return {}, {}
        inventories = {r["resource_class"]: r for r in
                       conn.placement.resource_provider_inventories(uuid).records}
        usages = {r["resource_class"]: r.get("usage") for r in
                  conn.placement.resource_provider_usages(uuid).records}
        return inventories, usages

    uuids = [providers.get(h.get("hypervisor_hostname")) for h in hypervisors]
    fetched = {uuid: (result, err) for uuid, result, err in
               run_all(placement, dict.fromkeys(uuids), max_workers=max_workers)}
    rows = []
    for hyp, uuid in zip(hypervisors, uuids, strict=True):
        host = (hyp.get("service") or {}).get("host") or hyp.get("hypervisor_hostname")
        result, err = fetched[uuid]
        if err is not None and not isinstance(err, exc.NotFound):
            raise err
        inventories, usages = result or ({}, {})
        row: dict[str, Any] = {
            "host": host, "hypervisor_hostname": hyp.get("hypervisor_hostname"),
            "availability_zone": zones.get(host), "aggregates": aggregates.get(host, []),
            "status": hyp.get("status"), "state": hyp.get("state"),
        }
        for prefix, (rc, total_key, used_key) in CAPACITY_KINDS.items():
            inv = inventories.get(rc) or {}
            total = inv.get("total", hyp.get(total_key))
            reserved = inv.get("reserved", 0) or 0
            ratio = inv.get("allocation_ratio", 1.0)
            used = usages.get(rc, hyp.get(used_key)) if inv else hyp.get(used_key)
            row[f"{prefix}_total"] = total
            row[f"{prefix}_reserved"] = reserved
            row[f"{prefix}_used"] = used
            row[f"{prefix}_ratio"] = ratio
        row["servers"] = hyp.get("running_vms")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_columns("host", extra=(
        "hypervisor_hostname", "availability_zone", "aggregates", "status", "state")))
    return _derive(frame)


def _columns(key: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [key, *extra] + [f"{p}_{s}" for p in CAPACITY_KINDS for s in SUFFIXES] + \
        ["servers"]


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill ``_capacity`` and ``_free`` from total, reserved, ratio and used."""
    for prefix in CAPACITY_KINDS:
        for suffix in ("total", "reserved", "used", "ratio"):
            frame[f"{prefix}_{suffix}"] = frame[f"{prefix}_{suffix}"].astype("float64")
        frame[f"{prefix}_capacity"] = ((frame[f"{prefix}_total"] - frame[f"{prefix}_reserved"])
                                       * frame[f"{prefix}_ratio"])
        frame[f"{prefix}_free"] = frame[f"{prefix}_capacity"] - frame[f"{prefix}_used"]
    frame["servers"] = frame["servers"].astype("Int64")
    return frame


def _grouped(hosts: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "aggregate":
        hosts = hosts.assign(aggregate=hosts["aggregates"].map(lambda a: list(a) or
                                                               ["(none)"]))
        hosts = hosts.explode("aggregate")
    else:
        hosts = hosts.assign(availability_zone=hosts["availability_zone"].fillna("(none)"))
    sums = [f"{p}_{s}" for p in CAPACITY_KINDS for s in ("total", "reserved", "used",
                                                         "capacity", "free")]
    grouped = hosts.groupby(by, sort=True)[sums + ["servers"]].sum()
    grouped.insert(0, "hosts", hosts.groupby(by, sort=True).size())
    for prefix in CAPACITY_KINDS:
        unreserved = grouped[f"{prefix}_total"] - grouped[f"{prefix}_reserved"]
        grouped[f"{prefix}_ratio"] = grouped[f"{prefix}_capacity"] / unreserved.where(
            unreserved > 0)
    frame = grouped.reset_index()
    return frame[_columns(by, extra=("hosts",))]


def _host_zones(conn: Connection) -> dict[Any, Any]:
    """Compute host → its availability zone (from the detailed zone listing)."""
    zones: dict[Any, Any] = {}
    for zone in conn.compute.availability_zones(details=True).records:
        for host, services in (zone.get("hosts") or {}).items():
            if "nova-compute" in (services or {}):
                zones[host] = zone.get("zoneName")
    return zones
