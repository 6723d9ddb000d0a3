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

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, query_int, url_for
from ...store import SECOND_US, STAMPS, Record, Store, epoch_us, now, uuid_text
from .admin import host_index, live_servers
from .common import V21, Ctx, context, reply
from .quota import server_time

__all__ = ["routes", "seed"]

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
        record: Record = {
            "id": mid, "uuid": uuid_text(rng.getrandbits(128)), "instance_uuid": server["id"],
            "source_compute": source["hypervisor_hostname"],
            "source_node": source["hypervisor_hostname"],
            "dest_compute": dest["hypervisor_hostname"], "dest_node": dest["hypervisor_hostname"],
            "dest_host": dest["host_ip"], "status": status, "migration_type": kind,
            "old_instance_type_id": flavor_id, "new_instance_type_id": new_flavor,
            "created_at": micro(created_us),
            "updated_at": micro(created_us + int((20 + rand() * 880) * SECOND_US)),
            "user_id": server.get("user_id"), "project_id": server.get("tenant_id"),
        }
        if kind == "resize" and status == "reverted":
            record["source_compute"], record["dest_compute"] = (record["dest_compute"],
                                                                record["source_compute"])
        table[record["uuid"]] = record


def _view(ctx: Ctx, mig: Record) -> Record:
    view = {k: v for k, v in mig.items() if not k.startswith("_")}
    if not ctx.at_least(2, 80):
        view.pop("user_id")
        view.pop("project_id")
    if not ctx.at_least(2, 59):
        view.pop("uuid")
    if ctx.at_least(2, 23):
        if mig["migration_type"] == "live-migration" and mig["status"] in (
                "running", "preparing", "queued"):
            href = f"{ctx.base}{V21}/servers/{mig['instance_uuid']}/migrations/{mig['id']}"
            view["links"] = [{"href": href, "rel": "self"}]
    else:
        view.pop("migration_type")
    return view


def _since(ctx: Ctx, name: str, minimum: tuple[int, int]) -> _dt.datetime | None:
    raw = ctx.request.query_params.get(name)
    if raw is None or not ctx.at_least(*minimum):
        return None
    value = server_time(raw)
    if value is None:
        raise ApiError(400, f"Invalid input for query parameters {name}. Value: {raw}. "
                            f"'{raw}' is not a 'date-time'")
    return value


async def _list_migrations(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-migrations:index")
    params = request.query_params
    since = _since(ctx, "changes-since", (2, 59))
    before = _since(ctx, "changes-before", (2, 66))
    if since and before and since > before:
        raise ApiError(400, "The value of changes-since must be less than or equal to "
                            "changes-before.")
    host = params.get("host")
    exact = {k: params.get(k) for k in ("status", "instance_uuid", "migration_type",
                                         "source_compute")}
    if ctx.at_least(2, 80):
        exact.update(user_id=params.get("user_id"), project_id=params.get("project_id"))
    chosen = []
    for mig in ctx.store.table("migrations").values():
        if host and host not in (mig["source_compute"], mig["dest_compute"]):
            continue
        if any(v is not None and str(mig.get(k)) != v for k, v in exact.items()):
            continue
        updated = server_time(mig["updated_at"])
        if since and updated and updated < since:
            continue
        if before and updated and updated > before:
            continue
        chosen.append(mig)
    chosen.sort(key=lambda m: (m["created_at"], m["id"]), reverse=True)
    body: Record = {}
    if ctx.at_least(2, 59):
        marker, limit = params.get("marker"), query_int(request, "limit", None)
        if marker is not None:
            pos = next((i for i, m in enumerate(chosen) if m["uuid"] == marker), None)
            if pos is None:
                raise ApiError(400, f"Marker {marker} could not be found.")
            chosen = chosen[pos + 1:]
        if limit is not None and len(chosen) > limit:
            chosen = chosen[:limit]
            if chosen:
                body["migrations_links"] = [{"href": url_for(request,
                                                             marker=chosen[-1]["uuid"]),
                                             "rel": "next"}]
    body["migrations"] = [_view(ctx, m) for m in chosen]
    return reply(ctx, body)


def routes() -> list[BaseRoute]:
    return [Route("/v2.1/os-migrations", _list_migrations, methods=["GET"])]
