"""Cinder's services as an operator runs them: ``os-services`` enable/disable (with a
reason), freeze/thaw, failover and log levels; ``os-hosts``, ``clusters`` (3.7), a
backend's ``capabilities``, ``extensions``, ``resource_filters`` (3.33) and the quota
class sets.

The services are kept in the table ``volume_services`` (made on first use), so what an
admin changes holds: a disabled ``cinder-volume`` takes no new volumes (the scheduler finds
no backend: the volume is ``error`` and a user message says so), a frozen one refuses
deletes of its volumes; a failover of the replicating Ceph backend leaves it
``failed-over`` to its secondary.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx, check_body
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, POOLS, admin_ctx, both, cinder_time, envelope, mv
from .admin import LIMIT, QUOTA_WORDS, class_defaults, quota_keys, services

__all__ = ["EXTENSIONS", "RESOURCE_FILTERS", "backend_disabled", "host_frozen", "routes"]

EXTENSIONS = [
    ("os-hosts", "Hosts", "Admin-only host administration.", "2011-06-29T00:00:00+00:00"),
    ("os-vol-tenant-attr", "VolumeTenantAttribute",
     "Expose the internal project_id as an attribute of a volume.",
     "2011-11-03T00:00:00+00:00"),
    ("os-quota-sets", "Quotas", "Quota management support.", "2011-08-08T00:00:00+00:00"),
    ("os-availability-zone", "AvailabilityZones",
     "Describe Availability Zones.", "2013-06-27T00:00:00+00:00"),
    ("os-volume-transfer", "VolumeTransfer", "Volume transfer management support.",
     "2013-05-29T00:00:00+00:00"),
    ("backups", "Backups", "Backups support.", "2012-12-12T00:00:00+00:00"),
    ("os-snapshot-actions", "SnapshotActions", "Enable snapshot manager actions.",
     "2013-07-16T00:00:00+00:00"),
    ("os-volume-actions", "VolumeActions", "Enable volume actions.",
     "2012-05-31T00:00:00+00:00"),
    ("os-admin-actions", "AdminActions", "Enable admin actions.",
     "2012-08-25T00:00:00+00:00"),
    ("os-services", "Services", "Services support.", "2012-10-28T00:00:00-00:00"),
    ("scheduler-stats", "Scheduler_stats", "Scheduler stats support.",
     "2014-09-07T00:00:00+00:00"),
    ("os-volume-manage", "VolumeManage", "Allows existing backend storage to be 'managed' "
     "by Cinder.", "2014-02-10T00:00:00+00:00"),
    ("os-volume-type-access", "VolumeTypeAccess", "Volume type access support.",
     "2014-06-26T00:00:00Z"),
    ("encryption", "VolumeTypeEncryption", "Encryption support for volume types.",
     "2013-07-01T00:00:00+00:00"),
    ("qos-specs", "Qos_specs_manage", "QoS specs support.", "2013-08-02T00:00:00+00:00"),
    ("capabilities", "Capabilities", "Capabilities support.", "2015-08-31T00:00:00+00:00"),
    ("os-quota-class-sets", "Quota_classes", "Quota classes management support.",
     "2012-03-12T00:00:00+00:00"),
]
"""(alias, name, description, updated) of the API extensions Cinder loads."""

RESOURCE_FILTERS: dict[str, list[str]] = {
    "volume": ["name", "status", "metadata", "bootable", "migration_status",
               "availability_zone", "group_id", "size", "created_at", "updated_at"],
    "backup": ["name", "status", "volume_id"],
    "snapshot": ["name", "status", "volume_id", "metadata", "availability_zone"],
    "group": [],
    "group_snapshot": ["status", "group_id"],
    "attachment": ["volume_id", "status", "instance_id", "attach_status"],
    "message": ["resource_uuid", "resource_type", "event_id", "request_id",
                "message_level"],
    "pool": ["name", "volume_type"],
    "volume_type": ["is_public"],
}
"""Cinder's ``resource_filters.json`` as shipped: the filters a user may send per list."""

SECONDARY = "ceph-site-b"


# --- services -----------------------------------------------------------------------------

def _service(store: Store, binary: Any, host: Any) -> Record:
    if not isinstance(host, str) or not host:
        raise CINDER.bad("Invalid input received: Missing required element 'host' in "
                         "request body.")
    found = [s for s in services(store) if s["host"] == host
             and (binary is None or s["binary"] == binary)]
    if not found:
        raise ApiError(404, f"Service {binary or ''} on host {host} could not be found."
                       .replace("  ", " "))
    return found[0]


def backend_disabled(store: Store, pool: str) -> bool:
    """Whether the ``cinder-volume`` service of ``pool`` (``host@backend#pool``) is
    disabled (the scheduler skips it)."""
    host = pool.split("#")[0]
    return any(s["binary"] == "cinder-volume" and s["host"] == host
               and s["status"] == "disabled" for s in services(store))


def host_frozen(store: Store, pool: str | None) -> bool:
    host = (pool or "").split("#")[0]
    return any(s["binary"] == "cinder-volume" and s["host"] == host and s.get("frozen")
               for s in services(store))


_LEVELS = ("INFO", "WARNING", "ERROR", "DEBUG")


async def service_action(request: Request) -> Response:
    """``PUT /os-services/{action}``."""
    ctx = Ctx.of(request)
    action = request.path_params["action"]
    http.require_admin(ctx.token, f"volume_extension:services:{action}")
    body = await http.json_body(request)
    if not isinstance(body, dict):
        raise CINDER.bad("Invalid request body")
    store = ctx.store
    if action in ("enable", "disable", "disable-log-reason"):
        svc = _service(store, body.get("binary"), body.get("host"))
        reason = body.get("disabled_reason")
        if action == "disable-log-reason" and (not isinstance(reason, str) or not reason
                                               or len(reason) > 255):
            raise CINDER.bad("Disabled reason contains invalid characters or is too long")
        disabled = action != "enable"
        svc.update(status="disabled" if disabled else "enabled",
                   disabled_reason=reason if disabled else None, updated_at=cinder_time())
        out = {"disabled": disabled, "status": svc["status"], "host": svc["host"],
               "service": "", "binary": svc["binary"]}
        if action != "disable":
            out["disabled_reason"] = svc["disabled_reason"]
        return http.json_response(out)
    if action in ("freeze", "thaw"):
        svc = _service(store, "cinder-volume", body.get("host"))
        if svc["frozen"] == (action == "freeze"):
            raise CINDER.bad(f"Invalid input received: Host is already "
                             f"{'Frozen' if svc['frozen'] else 'Thawed'}.")
        svc["frozen"] = action == "freeze"
        return http.json_response(None, 200)
    if action == "failover_host":
        svc = _service(store, "cinder-volume", body.get("host"))
        target = body.get("backend_id") or SECONDARY
        if svc["replication_status"] not in ("enabled", "failed-over"):
            raise CINDER.bad("Invalid input received: Host replication_status must be "
                             "enabled or failed-over to perform failover.")
        if target != SECONDARY and target != "default":
            raise CINDER.bad(f"Invalid input received: Backend {target} is not a "
                             "replication target.")
        back = target == "default"
        svc.update(replication_status="enabled" if back else "failed-over",
                   active_backend_id=None if back else target)
        return http.json_response(None, 202)
    if action in ("get-log", "set-log") and mv(request) >= (3, 32):
        return _log_levels(store, action, body)
    raise ApiError(404, "The resource could not be found.")


def _log_levels(store: Store, action: str, body: dict[str, Any]) -> Response:
    levels: dict[tuple[str, str], dict[str, str]] = store.meta.setdefault(
        "_cinder_log_levels", defaultdict(dict))
    binary, server, prefix = body.get("binary"), body.get("server"), body.get("prefix") or ""
    wanted = [s for s in services(store) if binary in (None, "", "*", s["binary"])
              and server in (None, "", s["host"])]
    if action == "set-log":
        level = str(body.get("level", "")).upper()
        if level not in _LEVELS:
            raise CINDER.bad(f"Invalid input received: {body.get('level')} is not a valid "
                             "log level.")
        for svc in wanted:
            levels[(svc["binary"], svc["host"])][prefix or "cinder"] = level
        return http.json_response(None, 202)
    return http.json_response({"log_levels": [
        {"binary": s["binary"], "host": s["host"],
         "levels": {k: v for k, v in levels[(s["binary"], s["host"])].items()
                    if k.startswith(prefix)}} for s in wanted]})


# --- hosts, clusters, capabilities --------------------------------------------------------

async def hosts(request: Request) -> Response:
    ctx = admin_ctx(request, "volume_extension:hosts")
    zone = request.query_params.get("service")
    return http.json_response({"hosts": [
        {"service-status": "available" if s["state"] == "up" else "unavailable",
         "service": s["binary"], "zone": s["zone"],
         "service-state": s["status"], "host_name": s["host"],
         "last-update": s["updated_at"]}
        for s in services(ctx.store) if zone in (None, s["zone"])]})


async def host(request: Request) -> Response:
    """A volume host's volumes and snapshots, in total and per project."""
    ctx = admin_ctx(request, "volume_extension:hosts")
    name = request.path_params["host"]
    if not any(s["binary"] == "cinder-volume" and s["host"] == name
               for s in services(ctx.store)):
        raise ApiError(404, f"Host {name} could not be found.")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    on_host: dict[str, str] = {}
    for vol in ctx.store.table("volumes").values():
        if str(vol.get("os-vol-host-attr:host", "")).split("#")[0] == name:
            on_host[vol["id"]] = vol["os-vol-tenant-attr:tenant_id"]
            for key in ("(total)", vol["os-vol-tenant-attr:tenant_id"]):
                counts[key][0] += 1
                counts[key][1] += vol["size"]
    for snap in ctx.store.table("snapshots").values():
        if (project := on_host.get(snap["volume_id"])) is not None:
            for key in ("(total)", project):
                counts[key][2] += 1
                counts[key][3] += snap["size"]
    counts.setdefault("(total)", [0, 0, 0, 0])
    order = ["(total)", *sorted(k for k in counts if k != "(total)")]
    return http.json_response({"host": [{"resource": {
        "volume_count": str(counts[p][0]), "total_volume_gb": str(counts[p][1]),
        "snapshot_count": str(counts[p][2]), "total_snapshot_gb": str(counts[p][3]),
        "project": p, "host": name}} for p in order]})


def _clusters(store: Store) -> list[Record]:
    members: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for svc in services(store):
        if svc.get("cluster"):
            members[(svc["cluster"], svc["binary"])].append(svc)
    out = []
    for (name, binary), svcs in sorted(members.items()):
        state: Record = store.table("volume_clusters").setdefault(f"{binary}:{name}", {
            "status": "enabled", "disabled_reason": None,
            "created_at": min(s.get("_created_at", cinder_time()) for s in svcs)})
        down = sum(s["state"] != "up" for s in svcs)
        out.append({
            "name": name, "binary": binary, "state": "up" if down < len(svcs) else "down",
            "status": state["status"], "disabled_reason": state["disabled_reason"],
            "num_hosts": len(svcs), "num_down_hosts": down,
            "last_heartbeat": max(s["updated_at"] for s in svcs),
            "created_at": state["created_at"], "updated_at": max(
                s["updated_at"] for s in svcs),
            "replication_status": svcs[0].get("replication_status"),
            "frozen": bool(svcs[0].get("frozen")),
            "active_backend_id": svcs[0].get("active_backend_id")})
    return out


def _cluster_view(cluster: Record, detail: bool, version: tuple[int, int]) -> Record:
    keys = ["name", "binary", "state", "status"]
    if detail:
        keys += ["disabled_reason", "num_hosts", "num_down_hosts", "last_heartbeat",
                 "created_at", "updated_at"]
        if version >= (3, 26):
            keys += ["replication_status", "frozen", "active_backend_id"]
    return {k: cluster[k] for k in keys}


def _cluster_gate(request: Request) -> Ctx:
    CINDER.gate(request, (3, 7))
    ctx = admin_ctx(request, "clusters:get_all")
    return ctx


async def clusters(request: Request) -> Response:
    ctx = _cluster_gate(request)
    detail = request.url.path.endswith("/detail")
    q = request.query_params
    found = [c for c in _clusters(ctx.store)
             if all(str(c[k]) == q[k] for k in ("name", "binary", "status", "state")
                    if k in q)]
    return http.json_response({"clusters": [_cluster_view(c, detail, mv(request))
                                            for c in found]})


async def cluster(request: Request) -> Response:
    ctx = _cluster_gate(request)
    name = request.path_params["name"]
    binary = request.query_params.get("binary", "cinder-volume")
    found = next((c for c in _clusters(ctx.store)
                  if c["name"] == name and c["binary"] == binary), None)
    if found is None:
        raise ApiError(404, f"Cluster {{'name': '{name}', 'binary': '{binary}'}} could not "
                            "be found.")
    return http.json_response({"cluster": _cluster_view(found, True, mv(request))})


async def cluster_action(request: Request) -> Response:
    """``PUT /clusters/enable`` and ``/clusters/disable`` (with a reason)."""
    ctx = _cluster_gate(request)
    body = await http.json_body(request)
    if not isinstance(body, dict) or not body.get("name"):
        raise CINDER.bad("Missing required element 'name' in request body.")
    binary = body.get("binary") or "cinder-volume"
    found = next((c for c in _clusters(ctx.store)
                  if c["name"] == body["name"] and c["binary"] == binary), None)
    if found is None:
        raise ApiError(404, f"Cluster {{'name': '{body['name']}', 'binary': '{binary}'}} "
                            "could not be found.")
    disable = request.path_params["action"] == "disable"
    state = ctx.store.table("volume_clusters")[f"{binary}:{found['name']}"]
    reason = body.get("disabled_reason") if disable else None
    state.update(status="disabled" if disable else "enabled", disabled_reason=reason)
    for svc in services(ctx.store):
        if svc.get("cluster") == found["name"] and svc["binary"] == binary:
            svc.update(status=state["status"], disabled_reason=reason)
    found.update(status=state["status"], disabled_reason=reason)
    return http.json_response({"cluster": {k: found[k] for k in (
        "name", "binary", "state", "status", "disabled_reason")}})


async def capabilities(request: Request) -> Response:
    """What a volume backend offers (``host@backend``)."""
    admin_ctx(request, "volume_extension:capabilities")
    name = request.path_params["host"]
    pool = next((p for p in POOLS if p[0].split("#")[0] == name), None)
    if pool is None:
        raise ApiError(404, f"Service {name} could not be found.")
    host_pool, backend, _total, thin, protocol, vendor = pool

    def prop(title: str, description: str, kind: str = "boolean") -> Record:
        return {"title": title, "description": description, "type": kind}

    return http.json_response({
        "namespace": f"OS::Storage::Capabilities::{name}", "vendor_name": vendor,
        "volume_backend_name": backend, "pool_name": host_pool.split("#")[1],
        "driver_version": "1.3.0", "storage_protocol": protocol,
        "display_name": f"Capabilities of the {backend} backend",
        "description": f"Volume type options the {backend} backend offers.",
        "visibility": "public",
        "replication_targets": [SECONDARY] if thin else [],
        "properties": {
            "compression": prop("Compression", "Enables compression."),
            "qos": prop("QoS", "Enables QoS."),
            "replication": prop("Replication", "Enables replication."),
            "thin_provisioning": prop("Thin Provisioning", "Sets thin provisioning.")}})


async def extensions(request: Request) -> Response:
    return http.json_response({"extensions": [
        {"alias": alias, "description": desc, "links": [], "name": name, "updated": when}
        for alias, name, desc, when in EXTENSIONS]})


async def resource_filters(request: Request) -> Response:
    CINDER.gate(request, (3, 33))
    wanted = request.query_params.get("resource")
    return http.json_response({"resource_filters": [
        {"filters": list(filters), "resource": resource}
        for resource, filters in RESOURCE_FILTERS.items() if wanted in (None, resource)]})


# --- quota classes ------------------------------------------------------------------------

async def quota_class(request: Request) -> Response:
    """The ``default`` class (what a project without limits of its own gets) and any
    other; admins only."""
    ctx = Ctx.of(request)
    name = request.path_params["name"]
    if request.method == "GET":
        http.require_admin(ctx.token, "volume_extension:quota_classes")
        return http.json_response({"quota_class_set": {**class_defaults(ctx.store, name),
                                                       "id": name}})
    http.require_admin(ctx.token, "volume_extension:quota_classes:update")
    obj = envelope(await http.json_body(request), "quota_class_set")
    known = quota_keys(ctx.store)
    values = check_body(QUOTA_WORDS, {k: LIMIT for k in obj if k in known}, obj,
                        create=False, extra=lambda _k: True)
    classes = ctx.store.table("volume_quota_classes")
    classes.setdefault(name, {}).update(
        (k, v) for k, v in values.items() if k in known)  # unknown keys: ignored, as Cinder
    return http.json_response({"quota_class_set": class_defaults(ctx.store, name)})


# --- workers cleanup ----------------------------------------------------------------------

_CLEANABLE = ("Volume", "Snapshot")


async def workers_cleanup(request: Request) -> Response:
    """``POST /workers/cleanup`` (3.24, admin): ask the services that match the body to
    clean up the resources a crashed worker left mid-operation. Services that are up are
    asked (``cleaning``); those down cannot be (``unavailable``). As in Cinder, without
    ``is_up`` only services that are down are matched."""
    CINDER.gate(request, (3, 24))
    ctx = admin_ctx(request, "workers:cleanup")
    body = await http.json_body(request) if await request.body() else {}
    if not isinstance(body, dict):
        raise CINDER.bad("Invalid input received: the request body must be an object.")
    flags: dict[str, bool] = {}
    for key in ("disabled", "is_up"):
        if body.get(key) is not None:
            text = str(body[key]).strip().lower()
            if text not in ("true", "false", "1", "0", "yes", "no", "on", "off", "t", "f"):
                raise CINDER.bad(f"Invalid input received: {key} must be a boolean.")
            flags[key] = text in ("true", "1", "yes", "on", "t")
    kind = body.get("resource_type")
    if kind is not None and str(kind).title() not in _CLEANABLE:
        raise CINDER.bad(f"Invalid input received: Resource type {str(kind).title()} not "
                         "valid, must be Volume or Snapshot")
    numbered = list(enumerate(services(ctx.store), start=1))
    up_wanted = flags.get("is_up", False)

    def matches(number: int, svc: Record) -> bool:
        return ((svc["state"] == "up") == up_wanted
                and body.get("service_id") in (None, number, str(number))
                and body.get("host") in (None, svc["host"])
                and body.get("binary") in (None, svc["binary"])
                and body.get("cluster_name") in (None, svc.get("cluster"))
                and flags.get("disabled") in (None, svc["status"] == "disabled")
                and svc["binary"] in ("cinder-volume", "cinder-backup"))

    def view(number: int, svc: Record) -> Record:
        return {"id": number, "host": svc["host"], "binary": svc["binary"],
                "cluster_name": svc.get("cluster")}
    chosen = [(n, svc) for n, svc in numbered if matches(n, svc)]
    return http.json_response({
        "cleaning": [view(n, svc) for n, svc in chosen if svc["state"] == "up"],
        "unavailable": [view(n, svc) for n, svc in chosen if svc["state"] != "up"]}, 202)


def routes() -> list[BaseRoute]:
    return [*both("/os-services/{action}", service_action, ["PUT"]),
            *both("/workers/cleanup", workers_cleanup, ["POST"]),
            *both("/os-hosts", hosts, ["GET"]),
            *both("/os-hosts/{host}", host, ["GET"]),
            *both("/clusters", clusters, ["GET"]),
            *both("/clusters/detail", clusters, ["GET"]),
            *both("/clusters/{action:str}", cluster_action, ["PUT"]),
            *both("/clusters/{name}", cluster, ["GET"]),
            *both("/capabilities/{host}", capabilities, ["GET"]),
            *both("/extensions", extensions, ["GET"]),
            *both("/resource_filters", resource_filters, ["GET"]),
            *both("/os-quota-class-sets/{name}", quota_class, ["GET", "PUT"])]

