"""Capacity: what each compute host (aggregate, zone) has, has given out, and has left.

Per host, hypervisors (Nova, listed with their servers) give the hosts, their state and
the server count; placement inventories give the totals, the allocation ratio and the
reserved amount, placement usages what is allocated (from compute 2.88 on, Nova reports
none of these itself). Capacity is placement's: ``int((total - reserved) * allocation_ratio)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc
from ._common import (
    MIB_PER_GIB,
    analysis_frame,
    error_table,
    error_text,
    run_all,
    widen_pool,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection
    from ..sdk.placement.v1.resource_provider_inventory import ResourceProviderInventory

__all__ = ["CAPACITY_KINDS", "capacity"]

CAPACITY_KINDS = {
    "vcpus": ("VCPU", "vcpus", "vcpus_used", "vcpu_allocation_ratio"),
    "ram_gib": ("MEMORY_MB", "memory_size", "memory_used", "ram_allocation_ratio"),
    "disk_gib": ("DISK_GB", "local_disk_size", "local_disk_used", "disk_allocation_ratio"),
}
"""Column prefix → (placement resource class, the :class:`Hypervisor`'s total and used
attributes, allocation-ratio column)."""

AMOUNTS = ("total", "reserved", "used", "capacity", "free")
GROUPINGS = ("host", "aggregate", "availability_zone")


def capacity(conn: Connection, by: str = "host", *, max_workers: int = 8) -> pd.DataFrame:
    """Capacity and headroom per ``by``: ``"host"``, ``"aggregate"`` or
    ``"availability_zone"`` (admin).

    For each of ``vcpus``, ``ram_gib`` and ``disk_gib``: ``_total`` (physical),
    ``_reserved`` (for the host), ``_used`` (allocated in placement), ``_capacity``
    (``int((total - reserved) * allocation ratio)``, placement's rule: what may be
    allocated), ``_free`` (``capacity - used``) and ``_used_pct`` (used as a percentage of
    capacity, rounded to 0.1); and the overcommit ratios ``vcpu_allocation_ratio``,
    ``ram_allocation_ratio`` and ``disk_allocation_ratio`` (a ratio of 4.0 lets four
    vCPUs be allocated per physical one: it is no utilisation). Plus ``servers``.

    Units: vCPUs and servers are counts (``Int64``). RAM is in GiB (Nova and placement
    count MiB; here divided by 1024, so a float). Disk is in GiB as an ``Int64``: Nova's
    and placement's ``GB`` of disk are GiB (2**30 bytes) already.

    Per host also ``availability_zone``, ``aggregates``, ``status`` and ``state``; grouped
    rows add ``hosts``, and their allocation ratio is capacity over unreserved total. A
    host in two aggregates counts in both; hosts in none are under ``"(none)"``.

    On a cloud whose catalog has no compute service, the hosts are placement's resource
    providers (sizes, use and ratios are all placement's), zones, aggregates, state and
    server counts are unknown, and ``df.attrs["errors"]`` (``service, error``) says so.
    """
    if by not in GROUPINGS:
        raise ValueError(f"capacity: by={by!r}; choose one of {', '.join(GROUPINGS)}")
    hosts = _per_host(conn, max_workers)
    frame = hosts if by == "host" else _grouped(hosts, by)
    frame.attrs["errors"] = hosts.attrs["errors"]
    return analysis_frame(frame)


def _per_host(conn: Connection, max_workers: int) -> pd.DataFrame:
    import pandas as pd

    missing: list[tuple[str, str]] = []
    attributes = [a for _, total, used, _ in CAPACITY_KINDS.values() for a in (total, used)]
    try:
        # A frame, not Hypervisor objects: with_servers lists every server of every host,
        # and reading ``servers`` off an object converts each entry.
        listed = conn.compute.hypervisors(with_servers=True).to_pandas(columns=[
            "name", "service_details", "status", "state", "servers", "running_vms",
            *attributes])
    except exc.EndpointNotFound as absent:  # no Nova in the catalog: placement alone
        listed = None
        missing.append(("compute", error_text(absent) + " — hosts are placement's resource "
                        "providers; zones, aggregates, state and server counts unknown"))
    widen_pool(conn, max_workers)
    providers = {p.name: p.id for p in conn.placement.resource_providers()}
    zones: dict[Any, Any] = {}
    aggregates: dict[Any, list[Any]] = {}
    # (hypervisor hostname, compute host, the hypervisor's values: None where Nova is missing)
    hosts: list[tuple[Any, Any, dict[str, Any] | None]] = []
    if listed is None:
        hosts = [(name, name, None) for name in providers]
    else:
        zones = _host_zones(conn)
        for agg in conn.compute.aggregates():
            for host in agg.hosts if isinstance(agg.hosts, list) else []:
                aggregates.setdefault(host, []).append(agg.name)
        columns = {name: _plain(listed[name]) for name in listed.columns}
        for i, name in enumerate(columns["name"]):
            one = {column: values[i] for column, values in columns.items()}
            details = one["service_details"]
            service = details if isinstance(details, dict) else {}
            hosts.append((name, service.get("host") or name, one))

    def placement(uuid: str | None) -> tuple[dict[Any, Any], dict[Any, Any]]:
        if uuid is None:
            return {}, {}
        inventories = {i.resource_class: i for i in
                       conn.placement.resource_provider_inventories(uuid)}
        usages = {u.resource_class: u.usage for u in
                  conn.placement.resource_provider_usages(uuid)}
        return inventories, usages

    uuids = [providers.get(name) for name, _, _ in hosts]
    fetched = {uuid: (result, err) for uuid, result, err in
               run_all(placement, dict.fromkeys(uuids), max_workers=max_workers)}
    rows = []
    for (name, host, hyp), uuid in zip(hosts, uuids, strict=True):
        result, err = fetched[uuid]
        if err is not None and not isinstance(err, exc.NotFound):
            raise err
        inventories, usages = result or ({}, {})
        row: dict[str, Any] = {
            "host": host, "hypervisor_hostname": name,
            "availability_zone": zones.get(host), "aggregates": aggregates.get(host, []),
            "status": hyp["status"] if hyp else None, "state": hyp["state"] if hyp else None,
        }
        for prefix, (rc, total_of, used_of, ratio_column) in CAPACITY_KINDS.items():
            inv: ResourceProviderInventory | None = inventories.get(rc)
            total, used = (hyp[total_of], hyp[used_of]) if hyp else (None, None)
            row[f"{prefix}_total"] = total if inv is None or inv.total is None else inv.total
            row[f"{prefix}_reserved"] = (inv.reserved if inv is not None else 0) or 0
            row[f"{prefix}_used"] = usages.get(rc, used) if inv is not None else used
            ratio = inv.allocation_ratio if inv is not None else None
            row[ratio_column] = 1.0 if ratio is None else ratio
        # From 2.88 Nova sends no running_vms: count the servers it lists on the host
        # (a host with none lists no servers at all).
        servers = hyp["servers"] if hyp else None
        if isinstance(servers, list):
            row["servers"] = len(servers)
        elif hyp and hyp["running_vms"] is not None:
            row["servers"] = hyp["running_vms"]
        else:
            row["servers"] = 0 if hyp and uuid else None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_columns("host", extra=(
        "hypervisor_hostname", "availability_zone", "aggregates", "status", "state")))
    frame = _derive(frame)
    frame.attrs["errors"] = error_table(missing, ["service", "error"])
    return frame


def _columns(key: str, extra: tuple[str, ...] = ()) -> list[str]:
    columns = [key, *extra]
    for prefix, (*_, ratio_column) in CAPACITY_KINDS.items():
        columns += [f"{prefix}_{a}" for a in AMOUNTS] + [f"{prefix}_used_pct", ratio_column]
    return columns + ["servers"]


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Capacity, free and used percentage from total, reserved, ratio and used (in the
    services' units: MiB of RAM), then RAM in GiB."""
    import numpy as np
    import pandas as pd

    for prefix, (*_, ratio_column) in CAPACITY_KINDS.items():
        for amount in ("total", "reserved", "used"):
            frame[f"{prefix}_{amount}"] = pd.to_numeric(
                frame[f"{prefix}_{amount}"], errors="coerce").astype("Int64")
        ratio = pd.to_numeric(frame[ratio_column], errors="coerce").astype("float64")
        frame[ratio_column] = ratio
        unreserved = (frame[f"{prefix}_total"] - frame[f"{prefix}_reserved"]).astype("float64")
        # placement: capacity = int((total - reserved) * allocation_ratio)
        frame[f"{prefix}_capacity"] = pd.array(np.floor(unreserved * ratio), dtype="Int64")
        frame[f"{prefix}_free"] = frame[f"{prefix}_capacity"] - frame[f"{prefix}_used"]
        frame[f"{prefix}_used_pct"] = _pct(frame[f"{prefix}_used"], frame[f"{prefix}_capacity"])
    for amount in AMOUNTS:
        frame[f"ram_gib_{amount}"] = frame[f"ram_gib_{amount}"].astype("float64") / MIB_PER_GIB
    frame["servers"] = frame["servers"].astype("Int64")
    return frame


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part / whole`` in percent, rounded to 0.1; NaN where ``whole`` is not positive."""
    whole = whole.astype("float64")
    return (part.astype("float64") / whole.where(whole > 0) * 100).round(1)


def _grouped(hosts: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "aggregate":
        hosts = hosts.assign(aggregate=hosts["aggregates"].map(lambda a: list(a) or
                                                               ["(none)"]))
        hosts = hosts.explode("aggregate")
    else:
        hosts = hosts.assign(availability_zone=hosts["availability_zone"].fillna("(none)"))
    sums = [f"{p}_{a}" for p in CAPACITY_KINDS for a in AMOUNTS]
    grouped = hosts.groupby(by, sort=True)[sums + ["servers"]].sum(min_count=1)
    grouped.insert(0, "hosts", hosts.groupby(by, sort=True).size())
    for prefix, (*_, ratio_column) in CAPACITY_KINDS.items():
        unreserved = (grouped[f"{prefix}_total"] - grouped[f"{prefix}_reserved"]).astype(
            "float64")
        grouped[ratio_column] = (grouped[f"{prefix}_capacity"].astype("float64")
                                 / unreserved.where(unreserved > 0))
        grouped[f"{prefix}_used_pct"] = _pct(grouped[f"{prefix}_used"],
                                             grouped[f"{prefix}_capacity"])
    frame = grouped.reset_index()
    return frame[_columns(by, extra=("hosts",))]


def _plain(column: pd.Series) -> list[Any]:
    """A frame's column as Python values, ``None`` where missing."""
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()


def _host_zones(conn: Connection) -> dict[Any, Any]:
    """Compute host → its availability zone (from the detailed zone listing)."""
    zones: dict[Any, Any] = {}
    for zone in conn.compute.availability_zones(details=True):
        for host, services in (zone.hosts if isinstance(zone.hosts, dict) else {}).items():
            if isinstance(services, dict) and "nova-compute" in services:
                zones[host] = zone.name
    return zones
