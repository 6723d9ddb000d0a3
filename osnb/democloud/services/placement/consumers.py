"""Placement's consumers and their allocations: the one account usages are read from.

A consumer (a server, a migration, anything an operator names by uuid) holds amounts of
resource classes on resource providers. Two kinds:

- **explicit**: written through the API (``PUT``/``POST /allocations``, ``/reshaper``)
  or told by Nova over the store's topics (``allocation.set``/``.move``/``.delete``,
  :mod:`..world`); kept in table :data:`TABLE` as ``{"id", "allocations": {rp: {rc: n}},
  "project_id", "user_id", "generation", "consumer_type"}``. A record with no allocations
  is a consumer that no longer exists (its allocations were deleted): it hides a server's
  derived allocation, and a later write starts it again at generation 1.
- **derived**: a live server placed on a hypervisor and absent from :data:`TABLE` holds
  its flavor on its host's provider (generation 1, type ``INSTANCE``), as before
  Placement had a table of its own.

Every read of usage (a provider's usages, ``GET /usages``, capacity checks, allocation
candidates) sums the same consumers, so writes show in all of them at once. What one
provider or one project holds is read from the tables' indexes (:func:`wire`): explicit
consumers by provider and by project, servers by host and by project, so a 10,000-server
world answers a provider's usages in the time of that provider's consumers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...store import MemberIndex, Record, Store
from ...world import flavor_resources, host_index, live_servers

__all__ = ["TABLE", "consumer", "consumers", "derived", "project_consumers",
           "provider_allocations", "provider_usage", "set_allocations", "usage_index", "usage_on",
           "wire"]

TABLE = "placement_consumers"
"""Explicit consumers by uuid (see the module)."""
_GONE = ("DELETED", "SOFT_DELETED")
_NODE, _HOST = "OS-EXT-SRV-ATTR:hypervisor_hostname", "OS-EXT-SRV-ATTR:host"


def wire(store: Store) -> None:
    """Index the explicit consumers by provider and by project, the servers by node, host
    and project (before the tables are made: see :meth:`~...store.Store.index`)."""
    store.member_index(TABLE, "allocations")
    store.index(TABLE, "project_id")
    for key in (_NODE, _HOST, "tenant_id"):
        store.index("servers", key)


def _by_provider(store: Store) -> MemberIndex:
    return store.member_index(TABLE, "allocations")


def _host_name(server: Record) -> str | None:
    name: str | None = server.get("OS-EXT-SRV-ATTR:hypervisor_hostname") or \
        server.get("OS-EXT-SRV-ATTR:host")
    return name


def derived(store: Store, server: Record) -> Record | None:
    """What a live server placed on a hypervisor holds without an explicit allocation:
    its flavor on its host's provider."""
    if server.get("status") in _GONE:
        return None
    name = _host_name(server)
    hyp = host_index(store)["by_name"].get(name) if name else None
    if hyp is None:
        return None
    vcpus, ram, disk = flavor_resources(server)
    resources = {rc: n for rc, n in (("VCPU", vcpus), ("MEMORY_MB", ram), ("DISK_GB", disk))
                 if n}
    return {"id": server["id"], "allocations": {hyp: resources} if resources else {},
            "project_id": server.get("tenant_id"), "user_id": server.get("user_id"),
            "generation": 1, "consumer_type": "INSTANCE"}


def consumer(store: Store, consumer_id: str) -> Record | None:
    """The consumer ``consumer_id`` if it holds allocations (explicit, else derived)."""
    explicit = store.table(TABLE).get(consumer_id)
    if explicit is not None:
        return explicit if explicit["allocations"] else None
    server = store.table("servers").get(consumer_id)
    return derived(store, server) if server is not None else None


def consumers(store: Store) -> Iterator[Record]:
    """Every consumer that holds allocations."""
    table = store.table(TABLE)
    for record in table.values():
        if record["allocations"]:
            yield record
    for server in live_servers(store):
        if server["id"] not in table:
            held = derived(store, server)
            if held is not None and held["allocations"]:
                yield held


def usage_index(store: Store, without: frozenset[str] = frozenset()) -> dict[str, dict[str, int]]:
    """Amounts used per provider and resource class, leaving out the consumers
    ``without`` (those a write is about to replace).

    The servers' derived allocations are summed inline (no record per server): every
    usage read runs this over the whole world."""
    used: dict[str, dict[str, int]] = {}
    table = store.table(TABLE)
    for record in table.values():
        if record["id"] in without:
            continue
        for rp, resources in record["allocations"].items():
            mine = used.setdefault(rp, {})
            for rc, amount in resources.items():
                mine[rc] = mine.get(rc, 0) + amount
    by_name = host_index(store)["by_name"]
    for server in store.table("servers").values():
        if server["status"] in _GONE or server["id"] in table or server["id"] in without:
            continue
        name = _host_name(server)
        rp = by_name.get(name) if name else None
        if rp is None:
            continue
        vcpus, ram, disk = flavor_resources(server)
        mine = used.setdefault(rp, {})
        for rc, amount in (("VCPU", vcpus), ("MEMORY_MB", ram), ("DISK_GB", disk)):
            if amount:
                mine[rc] = mine.get(rc, 0) + amount
    return used


def provider_allocations(store: Store, rp_id: str) -> dict[str, Record]:
    """The consumers holding something on provider ``rp_id``, by uuid: the explicit ones
    filed under it, and the servers on the host names that map to it (read from the
    indexes, not a walk of the world)."""
    table = store.table(TABLE)
    out: dict[str, Record] = {cid: table[cid] for cid in _by_provider(store).ids(rp_id)}
    names = [name for name, hyp in host_index(store)["by_name"].items() if hyp == rp_id]
    if not names:
        return out
    servers = store.table("servers")
    by_node, by_host = store.index("servers", _NODE), store.index("servers", _HOST)
    for name in names:
        on_host = [sid for sid in by_host.ids(name) if not servers[sid].get(_NODE)]
        for sid in (*by_node.ids(name), *on_host):
            if sid in table or sid in out:
                continue
            held = derived(store, servers[sid])
            if held is not None and rp_id in held["allocations"]:
                out[sid] = held
    return out


def usage_on(store: Store, rp_ids: Any, without: frozenset[str] = frozenset()
             ) -> dict[str, dict[str, int]]:
    """:func:`usage_index` for the providers ``rp_ids`` only, from their own consumers."""
    used: dict[str, dict[str, int]] = {}
    for rp in rp_ids:
        mine = used[rp] = {}
        for cid, record in provider_allocations(store, rp).items():
            if cid in without:
                continue
            for rc, amount in record["allocations"][rp].items():
                mine[rc] = mine.get(rc, 0) + amount
    return used


def provider_usage(store: Store, rp_id: str) -> dict[str, int]:
    """Amounts used on provider ``rp_id`` by resource class."""
    return usage_on(store, (rp_id,))[rp_id]


def project_consumers(store: Store, project_id: str) -> Iterator[Record]:
    """The consumers of project ``project_id`` that hold allocations (from the indexes)."""
    table = store.table(TABLE)
    for cid in store.index(TABLE, "project_id").ids(project_id):
        record = table[cid]
        if record["allocations"]:
            yield record
    servers = store.table("servers")
    for sid in store.index("servers", "tenant_id").ids(project_id):
        if sid not in table:
            held = derived(store, servers[sid])
            if held is not None and held["allocations"]:
                yield held


def set_allocations(store: Store, consumer_id: str, allocations: dict[str, dict[str, int]],
                    *, project_id: Any, user_id: Any, consumer_type: str | None,
                    generation: int | None = None) -> Record:
    """Replace what ``consumer_id`` holds (no checks: the caller made them); an empty
    ``allocations`` ends the consumer. The consumer's generation rises by one (a new or
    ended one starts at 1), as ``generation`` says when given."""
    current = consumer(store, consumer_id)
    record: Record = {
        "id": consumer_id, "allocations": {rp: dict(res) for rp, res in allocations.items()},
        "project_id": project_id, "user_id": user_id, "consumer_type": consumer_type,
        "generation": generation if generation is not None else
        (current["generation"] + 1 if current is not None else 1)}
    store.table(TABLE)[consumer_id] = record
    return record
