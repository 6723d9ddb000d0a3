"""Capacity: what each compute host (aggregate, zone) has, has given out, and has left.

Per host, hypervisors (Nova, listed with their servers) give the hosts, their state and
the server count; placement inventories give the totals, the allocation ratio and the
reserved amount, placement usages what is allocated (from compute 2.88 on, Nova reports
none of these itself). Capacity is placement's: ``int((total - reserved) * allocation_ratio)``.

Requests: the four listings and one allocation candidates request (its provider summaries
hold what is allocated on every provider with room for a VCPU), side by side; then each
provider's inventories, unless the connection kept them at the generation the listing
shows, and the usages of each provider the summaries lack (a full one). A first call on a
500-host cloud sends about 506 requests, a later one about 6.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc
from ._common import (
    MIB_PER_GIB,
    analysis_frame,
    error_table,
    error_text,
    widen_pool,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection
    from ..sdk.placement.v1.resource_provider import ResourceProvider
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


def capacity(conn: Connection, by: str = "host", *, max_workers: int = 16) -> pd.DataFrame:
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
    widen_pool(conn, max_workers)

    def hypervisors() -> pd.DataFrame:
        # A frame, not Hypervisor objects: with_servers lists every server of every host,
        # and reading ``servers`` off an object converts each entry.
        return conn.compute.hypervisors(with_servers=True).to_pandas(columns=[
            "name", "service_details", "status", "state", "servers", "running_vms",
            *attributes])

    def aggregates() -> dict[Any, list[Any]]:
        members: dict[Any, list[Any]] = {}
        for agg in conn.compute.aggregates():
            for host in agg.hosts if isinstance(agg.hosts, list) else []:
                members.setdefault(host, []).append(agg.name)
        return members

    def summaries() -> tuple[dict[str, Any], bool]:
        # What is allocated on every provider with room for one VCPU, in one request
        # (every class from microversion 1.27; only VCPU before).
        from ..sdk.placement.v1.allocation_candidate import AllocationCandidate

        version = conn.placement.microversion_for(AllocationCandidate) or "1.0"
        complete = tuple(int(n) for n in version.split(".")) >= (1, 27)
        return conn.placement.allocation_candidate_summaries(resources="VCPU:1"), complete

    parts: dict[str, Any] = {
        "hypervisors": hypervisors, "providers": lambda: list(
            conn.placement.resource_providers()),
        "zones": lambda: _host_zones(conn), "aggregates": aggregates, "summaries": summaries}
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="osnb-analysis") as pool:
        try:
            # The four listings and the allocation candidates' summaries depend on none of
            # the others: they go at once. A provider's inventories need only the provider
            # listing: they go as soon as it is in, for every root provider (a compute
            # node's is one) whose generation moved since they were read, while Nova's
            # listings are still coming. Its usages come from the summaries, or, for a
            # provider they lack, from its own request as soon as they are in.
            futures = {name: pool.submit(fn) for name, fn in parts.items()}
            reads = _PlacementReads(conn, pool)
            for provider in _outcome(futures["providers"])[0] or []:
                if provider.parent_provider_id is None and provider.id is not None:
                    reads.ask(provider)
            summed, err = _outcome(futures["summaries"])
            if err is not None and not isinstance(err, exc.SDKException):
                raise err
            # Without them (a policy refusing allocation candidates, a placement before
            # 1.10), every provider's usages are its own request.
            reads.summarized(*(summed if err is None else ({}, True)))
            got = {name: _outcome(future) for name, future in futures.items()}
            listed, err = got["hypervisors"]
            if isinstance(err, exc.EndpointNotFound):  # no Nova: placement alone
                missing.append(("compute", error_text(err) + " — hosts are placement's "
                                "resource providers; zones, aggregates, state and server "
                                "counts unknown"))
            elif err is not None:
                raise err
            for name in ("providers", "zones", "aggregates"):
                err = got[name][1]
                if err is not None and not (listed is None and name != "providers"):
                    raise err
            by_id = {p.id: p for p in got["providers"][0]}
            providers = {p.name: p.id for p in got["providers"][0]}
            zones: dict[Any, Any] = {}
            aggregates_of: dict[Any, list[Any]] = {}
            # (hypervisor hostname, compute host, the hypervisor's values: None where Nova
            # is missing)
            hosts: list[tuple[Any, Any, dict[str, Any] | None]] = []
            if listed is None:
                hosts = [(name, name, None) for name in providers]
            else:
                zones, aggregates_of = got["zones"][0], got["aggregates"][0]
                columns = {name: _plain(listed[name]) for name in listed.columns}
                for i, name in enumerate(columns["name"]):
                    one = {column: values[i] for column, values in columns.items()}
                    details = one["service_details"]
                    service = details if isinstance(details, dict) else {}
                    hosts.append((name, service.get("host") or name, one))
            uuids = [providers.get(name) for name, _, _ in hosts]
            known = [uuid for uuid in dict.fromkeys(uuids) if uuid is not None]
            for uuid in known:
                reads.ask(by_id[uuid])  # a host whose provider is not a root
            fetched: dict[Any, tuple[Any, Exception | None]] = {None: (None, None)}
            for uuid in known:
                fetched[uuid] = reads.outcome(uuid)
            conn.placement.inventory_cache.retain(by_id)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # what has not started never will
            raise
    rows = []
    for (name, host, hyp), uuid in zip(hosts, uuids, strict=True):
        result, err = fetched[uuid]
        if err is not None and not isinstance(err, exc.NotFound):
            raise err
        inventories: dict[Any, Any] = result[0] if result else {}
        usages: dict[Any, Any] = result[1] if result else {}
        row: dict[str, Any] = {
            "host": host, "hypervisor_hostname": name,
            "availability_zone": zones.get(host), "aggregates": aggregates_of.get(host, []),
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


class _PlacementReads:
    """Each provider's inventories and usages in as few requests as placement allows.

    Placement has no bulk read of either. Inventories are kept on the connection
    (``conn.placement.resource_provider_inventories_by_class``) and read again only for a
    provider whose generation moved: every inventory write bumps it. Usages cannot be kept
    (deleting allocations leaves the generation as it was), but one allocation candidates
    request for a VCPU sums them for every provider with room for one; a provider it
    leaves out (full, no VCPU, capped) or a class it lacks costs that
    provider's own ``/usages``, asked as soon as it is known to be needed.
    """

    def __init__(self, conn: Connection, pool: ThreadPoolExecutor) -> None:
        self.placement = conn.placement
        self.pool = pool
        self.providers: dict[str, ResourceProvider] = {}
        self.inventories: dict[str, Future[dict[str, Any]] | dict[str, Any]] = {}
        self.usages: dict[str, Future[dict[Any, Any]]] = {}
        self.summaries: dict[str, Any] | None = None  # None: not in yet
        self.complete = True

    def ask(self, provider: ResourceProvider) -> None:
        """Start what ``provider`` needs that is not at hand (once per provider)."""
        uuid = str(provider.id)
        if uuid in self.inventories:
            return
        self.providers[uuid] = provider
        kept = self.placement.inventory_cache.get(uuid, provider.generation)
        self.inventories[uuid] = kept if kept is not None else self._read_inventories(uuid)
        if self.summaries is not None:
            self._check(uuid)

    def summarized(self, summaries: dict[str, Any], complete: bool) -> None:
        """The summaries are in (``complete``: every class, microversion 1.27 on)."""
        self.summaries, self.complete = summaries, complete
        for uuid in list(self.inventories):
            self._check(uuid)

    def outcome(self, uuid: str) -> tuple[Any, Exception | None]:
        """``((inventories, usages), None)`` or ``(None, error)``, inventories' first."""
        asked = self.inventories[uuid]
        inventories, err = _outcome(asked) if isinstance(asked, Future) else (asked, None)
        if err is not None:
            return None, err
        resources = self._resources(uuid)
        if uuid not in self.usages and resources is not None and \
                all(rc in resources for rc in inventories):
            return (inventories, {rc: resources[rc].get("used") for rc in inventories}), None
        self._read_usages(uuid)  # a class the summary lacks: a race, or before 1.27
        usages, err = _outcome(self.usages[uuid])
        if err is None and isinstance(asked, dict) and set(usages) != set(inventories):
            # Usages name every class the provider has inventory of: kept inventories
            # with other classes are no longer its own (a provider made again under the
            # same uuid, whose generations started over). Read them again.
            inventories, err = _outcome(self._read_inventories(uuid))
        return (None, err) if err is not None else ((inventories, usages), None)

    def _check(self, uuid: str) -> None:
        resources = self._resources(uuid)
        if resources is None or not self.complete:
            self._read_usages(uuid)
            return
        kept = self.inventories[uuid]
        if isinstance(kept, dict) and (set(kept) != set(resources) or any(
                _capacity(inv) != resources[rc].get("capacity") for rc, inv in kept.items())):
            # The listing's generation matched what was kept, but the summaries (asked
            # after it) disagree: an inventory was written in between. Read it again.
            self.inventories[uuid] = self._read_inventories(uuid)

    def _resources(self, uuid: str) -> dict[str, Any] | None:
        summary = (self.summaries or {}).get(uuid)
        resources = summary.get("resources") if isinstance(summary, dict) else None
        if not isinstance(resources, dict):
            return None
        return {rc: v for rc, v in resources.items() if isinstance(v, dict)}

    def _read_inventories(self, uuid: str) -> Future[dict[str, Any]]:
        return self.pool.submit(self.placement.resource_provider_inventories_by_class,
                                self.providers[uuid], refresh=True)

    def _read_usages(self, uuid: str) -> None:
        def read() -> dict[Any, Any]:
            return {u.resource_class: u.usage
                    for u in self.placement.resource_provider_usages(uuid)}

        if uuid not in self.usages:
            self.usages[uuid] = self.pool.submit(read)


def _capacity(inv: ResourceProviderInventory) -> int | None:
    """Placement's capacity of an inventory: ``int((total - reserved) * allocation_ratio)``."""
    try:
        return int((inv.total - (inv.reserved or 0)) * inv.allocation_ratio)  # type: ignore[operator]
    except TypeError:
        return None


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


def _outcome(future: Future[Any]) -> tuple[Any, Exception | None]:
    """A future's result, or its exception (the caller decides which ones stop it)."""
    try:
        return future.result(), None
    except Exception as err:  # noqa: BLE001 - returned, raised by the caller if it must
        return None, err


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
