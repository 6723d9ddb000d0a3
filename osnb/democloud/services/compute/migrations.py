"""Nova's ``GET /os-migrations``: a seeded history of live migrations, resizes, evacuations.

Table ``migrations`` holds the newest (2.80) shape keyed by uuid, plus the integer id; older
microversions drop ``uuid`` (2.59), ``migration_type`` and ``links`` (2.23), ``user_id`` and
``project_id`` (2.80).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx as EngineCtx
from ...engine import Filter, parse, select
from ...store import SECOND_US, STAMPS, Record, Store, epoch_us, now, uuid_text
from ._dialect import LIMIT_WORDS, NOVA, Ctx, NovaCollection
from .admin import host_index, live_servers
from .common import V21
from .quota import server_time

__all__ = ["IN_PROGRESS", "MIGRATION", "migration_of", "new_migration", "routes", "seed",
           "server_migration_view", "set_status"]

IN_PROGRESS = ("queued", "preparing", "running", "pre-migrating", "migrating",
               "post-migrating", "finished", "accepted")
"""Statuses of a migration not yet over: ``finished`` is a resize awaiting its confirm
or revert."""

# (migration_type, statuses with weights)
_KINDS: list[tuple[str, list[tuple[str, int]]]] = [
    ("live-migration", [("completed", 12), ("error", 2), ("failed", 1)]),
    ("resize", [("confirmed", 6), ("reverted", 1), ("error", 1)]),
    ("migration", [("confirmed", 3), ("error", 1)]),
    ("evacuation", [("done", 3), ("failed", 1), ("error", 1)]),
]
_BASE_TIME = _dt.datetime(2026, 1, 5, 8, 0, 0, tzinfo=_dt.timezone.utc)
_KIND_WEIGHTS = [8, 4, 2, 1]


def _cumulative(weights: list[int]) -> tuple[list[int], float]:
    """What ``random.choices(..., weights=weights)`` bisects: the running sums, total."""
    cum = list(itertools.accumulate(weights))
    return cum, cum[-1] + 0.0


# rng.choices(population, weights=w)[0], done as random.choices does it (the same single
# draw of rng.random() and the same pick), with the sums made once.
_KIND_CUM = _cumulative(_KIND_WEIGHTS)
_STATUS_CUM = [([s for s, _ in statuses], *_cumulative([w for _, w in statuses]))
               for _, statuses in _KINDS]


def seed(store: Store) -> None:
    """About one migration per four servers, over the 60 days before the world was made.

    A history most sessions never ask for: made when ``migrations`` is first read, from
    the servers as generated and a random stream of its own, so it is the same whenever
    that happens.
    """
    servers = [s for s in live_servers(store) if s.get("OS-EXT-SRV-ATTR:host")]
    base = min(now(), _BASE_TIME + _dt.timedelta(days=3650))
    rng = random.Random(f"{store.config.seed}:migrations")
    store.defer(lambda: _fill(store, servers, base, rng), "migrations")


def _fill(store: Store, servers: list[Record], base: _dt.datetime,
          rng: random.Random) -> None:
    servers = sorted(servers, key=lambda s: s["id"])
    table_h = store.table("hypervisors")
    by_name = host_index(store)["by_name"]
    hypervisors = list(table_h.values())
    if not servers or len(hypervisors) < 2:
        return
    table = store.table("migrations")
    count = max(8, len(servers) // 4)
    base_us = epoch_us(base)
    micro = STAMPS.micro
    rand = rng.random
    pick = bisect.bisect_right
    kind_cum, kind_total = _KIND_CUM
    kind_hi = len(_KINDS) - 1
    for mid in range(1, count + 1):
        server = servers[int(rand() * len(servers))]
        k = pick(kind_cum, rand() * kind_total, 0, kind_hi)
        kind = _KINDS[k][0]
        names, cum, total = _STATUS_CUM[k]
        status = names[pick(cum, rand() * total, 0, len(names) - 1)]
        dest_host = server["OS-EXT-SRV-ATTR:host"]
        k = int(rand() * len(hypervisors))
        source = hypervisors[k]
        if source["hypervisor_hostname"] == dest_host:
            source = hypervisors[(k + 1) % len(hypervisors)]
        dest = table_h.get(by_name.get(dest_host, ""), source)
        created_us = base_us - int((3600 + rand() * 59 * 86400) * SECOND_US)
        flavor_id = 1 + int(rand() * 39)
        new_flavor = flavor_id + (1 + int(rand() * 3) if kind == "resize" else 0)
        record = _record(mid, uuid_text(rng.getrandbits(128)), server, kind, source, dest,
                         flavor_id, new_flavor, status, micro(created_us))
        record["updated_at"] = micro(created_us + int((20 + rand() * 880) * SECOND_US))
        if kind == "resize" and status == "reverted":
            record["source_compute"], record["dest_compute"] = (record["dest_compute"],
                                                                record["source_compute"])
        table[record["uuid"]] = record


def _since(name: str, after: bool) -> Callable[[list[str]], Callable[[Any], bool]]:
    def match(values: list[str]) -> Callable[[Any], bool]:
        bound = server_time(values[-1])
        if bound is None:
            raise NOVA.bad(f"Invalid input for query parameters {name}. Value: {values[-1]}. "
                           f"'{values[-1]}' is not a 'date-time'")

        def test(stamp: Any) -> bool:
            moment = server_time(stamp)
            return moment is None or (moment >= bound if after else moment <= bound)
        return test
    return match


# Filters by the microversion that brought them.
_FILTERS: list[tuple[tuple[int, int], str, Filter]] = [
    ((2, 1), "host", Filter(key=lambda m: (m["source_compute"], m["dest_compute"]),
                            match=lambda vs: lambda pair: vs[-1] in pair)),
    *(((2, 1), k, Filter()) for k in ("status", "instance_uuid", "migration_type",
                                       "source_compute")),
    ((2, 59), "changes-since", Filter(key="updated_at", match=_since("changes-since", True))),
    ((2, 66), "changes-before", Filter(key="updated_at",
                                       match=_since("changes-before", False))),
    ((2, 80), "user_id", Filter()), ((2, 80), "project_id", Filter())]


class Migrations(NovaCollection):
    """The seeded history, newest first; paged by uuid from 2.59."""

    def shape(self, ctx: EngineCtx, view: Record) -> Record:
        assert isinstance(ctx, Ctx)
        if not ctx.at_least(2, 80):
            view.pop("user_id")
            view.pop("project_id")
        if not ctx.at_least(2, 59):
            view.pop("uuid")
        if not ctx.at_least(2, 23):
            view.pop("migration_type")
        elif view["migration_type"] == "live-migration" and view["status"] in (
                "running", "preparing", "queued"):
            href = f"{ctx.base}{V21}/servers/{view['instance_uuid']}/migrations/{view['id']}"
            view["links"] = [{"href": href, "rel": "self"}]
        return view

    async def index(self, request: Request) -> Response:
        ctx = self.context(request)
        if not ctx.admin:
            raise self.dialect.forbidden(self.rule("list"))
        paged = ctx.at_least(2, 59)
        coll = replace(self, filters={k: f for mv, k, f in _FILTERS if ctx.at_least(*mv)},
                       dialect=self.dialect if paged else replace(
                           self.dialect, ignored_params=frozenset({"limit", "marker"})))
        query = parse(request, coll, ctx.admin)
        since, before = (server_time(query.filters.get(k, [""])[-1])
                         for k in ("changes-since", "changes-before"))
        if since and before and since > before:
            raise NOVA.bad("The value of changes-since must be less than or equal to "
                           "changes-before.")
        table = self.records(ctx.store)
        recs, more = select(coll, query, self.visible_records(ctx, query), table)
        links = self.dialect.next_links(request, "migrations", recs[-1]["uuid"]) \
            if more and recs else {}
        return self.respond(ctx, {**links, "migrations": [self.render(ctx, m) for m in recs]})


MIGRATION = Migrations(
    "migration", "migrations", replace(LIMIT_WORDS,
                                       marker_words="Marker {marker} could not be found."),
    visibility="admin", project_key=None, tie_break=None,
    default_sort_keys=(("created_at", "desc"), ("id", "desc")),
    rules={"list": "os_compute_api:os-migrations:index"})


def routes() -> list[BaseRoute]:
    return [Route("/v2.1/os-migrations", MIGRATION.index, methods=["GET"])]


def new_migration(store: Store, server: Record, kind: str, source: Record, dest: Record,
                  old_flavor: int, new_flavor: int, status: str) -> Record:
    """A new migration of ``server`` from hypervisor ``source`` to ``dest`` (Nova's record,
    newest shape, its integer id after the history's)."""
    table = store.table("migrations")
    meta = store.meta
    if "_nova_migration_id" not in meta:
        meta["_nova_migration_id"] = max((m["id"] for m in table.values()), default=0)
    meta["_nova_migration_id"] += 1
    record = _record(meta["_nova_migration_id"], store.uuid(), server, kind, source, dest,
                     old_flavor, new_flavor, status, STAMPS.micro(epoch_us(now())))
    table[record["uuid"]] = record
    return record


def _record(mid: int, uuid: str, server: Record, kind: str, source: Record, dest: Record,
            old_flavor: int, new_flavor: int, status: str, created: str) -> Record:
    """Nova's migration record (newest shape), created and updated at ``created``."""
    return {
        "id": mid, "uuid": uuid, "instance_uuid": server["id"],
        "source_compute": source["hypervisor_hostname"],
        "source_node": source["hypervisor_hostname"],
        "dest_compute": dest["hypervisor_hostname"], "dest_node": dest["hypervisor_hostname"],
        "dest_host": dest["host_ip"], "status": status, "migration_type": kind,
        "old_instance_type_id": old_flavor, "new_instance_type_id": new_flavor,
        "created_at": created, "updated_at": created,
        "user_id": server.get("user_id"), "project_id": server.get("tenant_id"),
    }


def migration_of(store: Store, server_id: str, kinds: tuple[str, ...],
                 statuses: tuple[str, ...] = IN_PROGRESS) -> Record | None:
    """The server's newest migration of one of ``kinds`` whose status is in ``statuses``."""
    found = [m for m in store.table("migrations").values()
             if m["instance_uuid"] == server_id and m["migration_type"] in kinds
             and m["status"] in statuses]
    return max(found, key=lambda m: m["id"]) if found else None


def set_status(migration: Record, status: str) -> None:
    migration["status"] = status
    migration["updated_at"] = STAMPS.micro(epoch_us(now()))


def server_migration_view(ctx: Ctx, m: Record, progress: float) -> Record:
    """An in-progress live migration as ``GET /servers/{id}/migrations`` shows it (2.23;
    ``uuid`` from 2.59, the owner from 2.80); ``progress`` (0..1) of the memory and disk
    copied."""
    memory = 1024 * 1024 * int(m.get("_memory_mb") or 2048)
    disk = 1024 ** 3 * int(m.get("_disk_gb") or 20)
    out: Record = {
        "created_at": m["created_at"], "dest_compute": m["dest_compute"],
        "dest_host": m["dest_host"], "dest_node": m["dest_node"], "id": m["id"],
        "server_uuid": m["instance_uuid"], "source_compute": m["source_compute"],
        "source_node": m["source_node"], "status": m["status"],
        "memory_total_bytes": memory, "memory_processed_bytes": int(memory * progress),
        "memory_remaining_bytes": memory - int(memory * progress),
        "disk_total_bytes": disk, "disk_processed_bytes": int(disk * progress),
        "disk_remaining_bytes": disk - int(disk * progress),
        "updated_at": m["updated_at"]}
    if ctx.at_least(2, 59):
        out["uuid"] = m["uuid"]
    if ctx.at_least(2, 80):
        out["user_id"] = m["user_id"]
        out["project_id"] = m["project_id"]
    return out
