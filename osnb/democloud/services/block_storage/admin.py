"""Cinder's operator side: versions, quotas with usage, limits, pools, services, AZs.

Usage is counted from the volume, snapshot and backup tables on every read, so quota
usage, ``/limits`` and pool capacity always agree with the objects listed. Quota limits
are settled the first time anything reads them (after every service has seeded, so the
volumes the compute seed attached count): projects above Cinder's defaults get headroom,
and one or two projects (``store.meta["_cinder_tight_projects"]``) end up near or over
their ``gigabytes`` limit for the operator to find.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ... import http
from ...engine import Ctx, Field, check_body
from ...http import ApiError
from ...store import Record, Store, isotime, now
from ._dialect import MAX_MV, MIN_MV, POOLS, PREFIX, CinderDialect, admin_ctx, both, envelope, mv
from .quota_usage import usage_all, usage_of

__all__ = ["DEFAULTS", "LIMIT", "QUOTA_WORDS", "class_defaults", "enforce_quota", "limits_of",
           "quota_keys", "routes", "services", "usage_of", "versions", "version_v3"]

DEFAULTS = {"volumes": 10, "snapshots": 10, "gigabytes": 1000, "backups": 10,
            "backup_gigabytes": 1000, "groups": 10, "per_volume_gigabytes": -1}
PER_TYPE = ("volumes", "gigabytes", "snapshots")
_THIN_USED = 0.45  # share of a thin pool's allocated gigabytes actually written


# --- counting ----------------------------------------------------------------------------

def _type_names(store: Store) -> list[str]:
    return sorted(t["name"] for t in store.table("volume_types").values())


def quota_keys(store: Store) -> list[str]:
    """Every quota Cinder keeps: the totals and, per volume type, its volumes, gigabytes
    and snapshots."""
    return [*DEFAULTS, *(f"{res}_{name}" for name in _type_names(store) for res in PER_TYPE)]


def class_defaults(store: Store, name: str = "default") -> dict[str, int]:
    """The limits of quota class ``name``: Cinder's defaults as the ``default`` class
    (and then ``name``) overrides them."""
    out = {key: DEFAULTS.get(key, -1) for key in quota_keys(store)}
    classes = store.table("volume_quota_classes")
    out.update(classes.get("default", {}))
    if name != "default":
        out.update(classes.get(name, {}))
    return out


def _defaults(store: Store) -> dict[str, int]:
    return class_defaults(store)


def _nice(value: float) -> int:
    """Round a limit up to a number an operator would type."""
    step = 10 ** max(0, len(str(int(value))) - 2)
    return int(math.ceil(value / step) * step)


def _settle(store: Store) -> None:
    """Fix quota limits and pool sizes once, from the usage of the seeded world."""
    if store.meta.get("_cinder_settled"):
        return
    store.meta["_cinder_settled"] = True
    quotas = store.table("volume_quotas")
    # The demo's own logins work in the admin and member projects: those always keep room
    # (a volume create as the member must not be a 413); only other projects run tight.
    roomy = {store.meta.get("admin_project_id"), store.meta.get("member_project_id")}
    tight = [p for p in store.meta.get("_cinder_tight_projects", []) if p not in roomy]
    for project, used in usage_all(store).items():
        limits = quotas.setdefault(project, {})
        for res in ("volumes", "snapshots", "gigabytes", "backups", "backup_gigabytes"):
            if used.get(res, 0) * 1.2 > DEFAULTS[res]:
                limits[res] = _nice(used[res] * 1.5)
        if project in tight and used.get("gigabytes"):
            share = 1.05 if tight.index(project) == 0 else 0.9
            limits["gigabytes"] = max(1, int(used["gigabytes"] * share))
            limits["volumes"] = max(limits.get("volumes", 0), _nice(used["volumes"] * 2))
    allocated = _allocated(store)
    store.meta["_cinder_pool_totals"] = {
        host: max(total, _nice(allocated.get(host, 0) * 1.6))
        for host, _, total, *_ in POOLS}


def limits_of(store: Store, project: str) -> dict[str, int]:
    _settle(store)
    out = _defaults(store)
    out.update(store.table("volume_quotas").get(project, {}))
    return out


_MESSAGES = {
    "volumes": "Maximum number of volumes allowed ({limit}) exceeded for quota '{name}'.",
    "snapshots": "Maximum number of snapshots allowed ({limit}) exceeded",
    "backups": "Maximum number of backups allowed ({limit}) exceeded",
    "gigabytes": "Requested volume or snapshot exceeds allowed {name} quota. Requested "
                 "{req}G, quota is {limit}G and {used}G has been consumed.",
    "backup_gigabytes": "Requested backup exceeds allowed Backup gigabytes quota. "
                        "Requested {req}G, quota is {limit}G and {used}G has been consumed.",
}


def enforce_quota(store: Store, project: str, volume_type: str | None,
                  **deltas: int) -> None:
    """Raise Cinder's 413 when adding ``deltas`` would pass a limit of ``project``."""
    limits = limits_of(store, project)
    used = usage_of(store, project)
    checks = dict(deltas)
    if volume_type:
        for res in PER_TYPE:
            if res in deltas:
                checks[f"{res}_{volume_type}"] = deltas[res]
    for name, delta in checks.items():
        limit = limits.get(name, -1)
        if delta <= 0 or limit < 0 or used.get(name, 0) + delta <= limit:
            continue
        base = name.split("_")[0] if name not in _MESSAGES else name
        template = _MESSAGES.get(base, _MESSAGES["volumes"])
        raise ApiError(413, template.format(limit=limit, name=name, req=delta,
                                            used=used.get(name, 0)))
    if "gigabytes" in deltas and limits.get("per_volume_gigabytes", -1) >= 0 and \
            deltas["gigabytes"] > limits["per_volume_gigabytes"]:
        raise ApiError(413, f"Requested volume size {deltas['gigabytes']}G is larger than "
                            f"maximum allowed limit {limits['per_volume_gigabytes']}G.")


# --- quota sets and limits ---------------------------------------------------------------

@dataclass(frozen=True)
class _QuotaWords(CinderDialect):
    """The quota API's own 400s."""

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        rule = ">= -1" if reason == "minimum" else "an integer."
        return self.bad(f"Invalid input received: {name} must be {rule}")

    def unknown(self, names: Sequence[str]) -> ApiError:
        return self.bad(f"Bad key(s) in quota set: {','.join(names)}")


QUOTA_WORDS = _QuotaWords(style="nova")
LIMIT = Field(type="int", lenient=True, minimum=-1)


def _quota_target(ctx: Ctx, action: str) -> str:
    project: str = ctx.request.path_params["target"]
    if project != ctx.token.project_id and not ctx.admin:
        raise ApiError(403, f"Policy doesn't allow volume_extension:quotas:{action} to be "
                            "performed.")
    return project


async def quota_show(request: Request) -> Response:
    ctx = Ctx.of(request)
    project = _quota_target(ctx, "show")
    limits = limits_of(ctx.store, project)
    body: dict[str, Any] = {"id": project}
    if http.query_bool(request, "usage"):
        used = usage_of(ctx.store, project)
        for key, limit in limits.items():
            body[key] = {"limit": limit, "in_use": used.get(key, 0), "reserved": 0,
                         "allocated": 0}
    else:
        body.update(limits)
    return http.json_response({"quota_set": body})


async def quota_defaults(request: Request) -> Response:
    ctx = Ctx.of(request)
    project = _quota_target(ctx, "show")
    return http.json_response({"quota_set": {"id": project, **_defaults(ctx.store)}})


async def quota_update(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:quotas:update")
    project = request.path_params["target"]
    obj = envelope(await http.json_body(request), "quota_set")
    values = check_body(QUOTA_WORDS, dict.fromkeys(_defaults(ctx.store), LIMIT), obj,
                        create=False, extra=lambda k: k in ("tenant_id", "id"))
    limits = ctx.store.table("volume_quotas").setdefault(project, {})
    _settle(ctx.store)
    limits.update((k, v) for k, v in values.items() if k not in ("tenant_id", "id"))
    return http.json_response({"quota_set": limits_of(ctx.store, project)})


async def quota_delete(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:quotas:delete")
    _settle(ctx.store)
    ctx.store.table("volume_quotas").pop(request.path_params["target"], None)
    return http.json_response(None, 200)


async def limits(request: Request) -> Response:
    ctx = Ctx.of(request)
    project = ctx.token.project_id or ""
    wanted = request.query_params.get("project_id")
    if wanted and wanted != project:
        http.require_admin(ctx.token, "limits_extension:used_limits")
        project = wanted
    lim = limits_of(ctx.store, project)
    used = usage_of(ctx.store, project)
    absolute = {
        "maxTotalVolumes": lim["volumes"], "totalVolumesUsed": used.get("volumes", 0),
        "maxTotalVolumeGigabytes": lim["gigabytes"],
        "totalGigabytesUsed": used.get("gigabytes", 0),
        "maxTotalSnapshots": lim["snapshots"], "totalSnapshotsUsed": used.get("snapshots", 0),
        "maxTotalBackups": lim["backups"], "totalBackupsUsed": used.get("backups", 0),
        "maxTotalBackupGigabytes": lim["backup_gigabytes"],
        "totalBackupGigabytesUsed": used.get("backup_gigabytes", 0)}
    return http.json_response({"limits": {"rate": [], "absolute": absolute}})


# --- pools, services, availability zones ----------------------------------------------------

def _allocated(store: Store) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for vol in store.table("volumes").values():
        out[vol["os-vol-host-attr:host"]] += vol["size"]
    return out


def pools(store: Store) -> list[Record]:
    """Each backend pool with capabilities counted from the volumes on it."""
    _settle(store)
    allocated = _allocated(store)
    totals = store.meta["_cinder_pool_totals"]
    stamp = isotime(now(), micro=True, zulu=False)
    out = []
    for host, backend, _, thin, protocol, vendor in POOLS:
        total = totals[host]
        alloc = allocated.get(host, 0)
        used = round(alloc * _THIN_USED, 2) if thin else float(alloc)
        out.append({"name": host, "capabilities": {
            "pool_name": host.split("#")[1], "volume_backend_name": backend,
            "vendor_name": vendor, "driver_version": "1.3.0", "storage_protocol": protocol,
            "total_capacity_gb": float(total), "free_capacity_gb": round(total - used, 2),
            "allocated_capacity_gb": alloc, "provisioned_capacity_gb": alloc,
            "max_over_subscription_ratio": "20.0" if thin else "1.0",
            "thin_provisioning_support": thin, "thick_provisioning_support": not thin,
            "reserved_percentage": 0, "QoS_support": True, "multiattach": thin,
            "online_extend_support": True, "replication_enabled": thin,
            "filter_function": None, "goodness_function": None, "timestamp": stamp}})
    return out


async def get_pools(request: Request) -> Response:
    ctx = admin_ctx(request, "scheduler_extension:scheduler_stats:get_pools")
    found = pools(ctx.store)
    if not http.query_bool(request, "detail"):
        found = [{"name": p["name"]} for p in found]
    name = request.query_params.get("name")
    if name:
        found = [p for p in found if p["name"] == name]
    return http.json_response({"pools": found})


SERVICES_TABLE = "volume_services"
CLUSTER = "ceph-cluster@ceph-ssd"


def services(store: Store) -> list[Record]:
    """Cinder's services, as the admins left them (made on first use: the schedulers, the
    volume services, the Ceph one replicating and in a cluster, the backup services, one
    of them down and disabled); those up have just reported."""
    table = store.table(SERVICES_TABLE)
    stamp = isotime(now(), micro=True, zulu=False)
    if not table:
        def svc(binary: str, host: str, **extra: Any) -> None:
            table[f"{binary}:{host}"] = {
                "binary": binary, "host": host, "zone": "nova", "status": "enabled",
                "state": "up", "updated_at": stamp, "disabled_reason": None,
                "cluster": None, **extra}

        svc("cinder-scheduler", "controller-01")
        svc("cinder-scheduler", "controller-02")
        for host, _backend, _total, thin, *_ in POOLS:
            svc("cinder-volume", host.split("#")[0], cluster=CLUSTER if thin else None,
                replication_status="enabled" if thin else "disabled",
                active_backend_id=None, frozen=False, backend_state="up")
        svc("cinder-backup", "controller-01")
        svc("cinder-backup", "controller-02", state="down", status="disabled",
            disabled_reason="swift endpoint migration",
            updated_at=isotime(now() - timedelta(days=3), micro=True, zulu=False))
    for rec in table.values():
        if rec["state"] == "up":
            rec["updated_at"] = stamp
    return list(table.values())


async def list_services(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:services:index")
    q = request.query_params
    found = [dict(s) for s in services(ctx.store)
             if all(s[k] == q[k] for k in ("host", "binary") if k in q)]
    for key, first in (("cluster", (3, 7)), ("backend_state", (3, 49))):
        if mv(request) < first:
            for item in found:
                item.pop(key, None)
    return http.json_response({"services": found})


async def availability_zones(request: Request) -> Response:
    return http.json_response({"availabilityZoneInfo": [
        {"zoneName": "nova", "zoneState": {"available": True}}]})


# --- version documents -------------------------------------------------------------------

def _v3(request: Request) -> Record:
    return {"id": "v3.0", "status": "CURRENT", "version": MAX_MV, "min_version": MIN_MV,
            "updated": "2023-08-31T00:00:00Z",
            "links": [{"rel": "describedby", "type": "text/html",
                       "href": "https://docs.openstack.org/"},
                      {"rel": "self", "href": str(request.base_url).rstrip("/")
                       + PREFIX + "/v3/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.volume+json;version=3"}]}


async def versions(request: Request) -> Response:
    return http.json_response({"versions": [_v3(request)]}, 300)


async def version_v3(request: Request) -> Response:
    return http.json_response({"versions": [_v3(request)]})


def routes() -> list[BaseRoute]:
    return [
        *both("/os-quota-sets/{target}", quota_show, ["GET"]),
        *both("/os-quota-sets/{target}", quota_update, ["PUT"]),
        *both("/os-quota-sets/{target}", quota_delete, ["DELETE"]),
        *both("/os-quota-sets/{target}/defaults", quota_defaults, ["GET"]),
        *both("/limits", limits, ["GET"]),
        *both("/scheduler-stats/get_pools", get_pools, ["GET"]),
        *both("/os-services", list_services, ["GET"]),
        *both("/os-availability-zone", availability_zones, ["GET"]),
        Route("/versions", versions, methods=["GET"]),
    ]
