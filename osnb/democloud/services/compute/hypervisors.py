"""Nova's os-hypervisors, os-services and os-availability-zone APIs (admin side): two
admin-only engine collections, their microversion views, and what is their own (hostname
search, statistics, uptime, legacy service actions, zones)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx as EngineCtx
from ...engine import Field, Filter, check_body, parse, select
from ...http import ApiError, json_body
from ...store import Record, Store
from ._dialect import LIMIT_WORDS, NOVA, NOVA_BODY, Ctx, NovaCollection, next_link
from .admin import host_index, live_servers, reindex, sync_service

__all__ = ["HYPERVISOR", "SERVICE", "UUID_RE", "routes"]

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                     r"[0-9a-fA-F]{12}$")
_HYP_USAGE = ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
              "local_gb_used", "free_ram_mb", "free_disk_gb", "current_workload",
              "running_vms", "disk_available_least")

def _uptime(hyp: Record) -> str:
    secs = hyp["_booted"]
    days, rest = divmod(secs, 86400)
    return (f" {(rest // 3600 + 9) % 24:02d}:{rest // 60 % 60:02d}:{rest % 60:02d} up "
            f"{days} days, {rest // 3600:2d}:{rest // 60 % 60:02d},  1 user,  "
            f"load average: 0.{hyp['running_vms'] % 90 + 10}, 0.38, 0.41")


def _servers_by_host(store: Store) -> dict[str, list[Record]]:
    by_host: dict[str, list[Record]] = {}
    for server in live_servers(store):
        host = server.get("OS-EXT-SRV-ATTR:host")
        if host:
            by_host.setdefault(host, []).append(server)
    return by_host


def _with_servers(ctx: Ctx) -> bool:
    raw = ctx.request.query_params.get("with_servers")
    if raw is None or not ctx.at_least(2, 53):
        return False
    low = raw.lower()
    if low in ("1", "true", "t", "yes", "y", "on", "0", "false", "f", "no", "n", "off"):
        return low in ("1", "true", "t", "yes", "y", "on")
    raise NOVA.schema("with_servers", raw, "Value should be a boolean.")


def _by_uuid_or_number(coll: NovaCollection, ctx: EngineCtx, ident: str, missing: ApiError
                       ) -> Record:
    """A record by uuid from 2.53 (a malformed one is a 400), by integer id before."""
    assert isinstance(ctx, Ctx)
    if not ctx.admin:
        raise coll.dialect.forbidden(coll.rule("show"))
    records = coll.records(ctx.store)
    if ctx.at_least(2, 53):
        if not UUID_RE.match(ident):
            raise NOVA.bad(f"Invalid uuid {ident}")
        found = records.get(ident)
    else:
        found = next((r for r in records.values() if str(r["_int_id"]) == ident), None)
    if found is None:
        raise missing
    return found


class Hypervisors(NovaCollection):
    """Hypervisors by integer id before 2.53, by uuid from it; paged from 2.33."""

    def get(self, ctx: EngineCtx, ident: str) -> Record:
        return _by_uuid_or_number(self, ctx, ident, ApiError(
            404, f"Hypervisor with ID '{ident}' could not be found."))

    def shape(self, ctx: EngineCtx, hyp: Record) -> Record:
        assert isinstance(ctx, Ctx)
        path, uuids = ctx.request.url.path, ctx.at_least(2, 53)
        detail = not path.endswith(("/os-hypervisors", "/uptime", "/search", "/servers"))
        view: Record = {"id": hyp["id"] if uuids else hyp["_int_id"],
                        "hypervisor_hostname": hyp["hypervisor_hostname"],
                        "state": hyp["state"], "status": hyp["status"]}
        if detail:
            view.update(hypervisor_type=hyp["hypervisor_type"],
                        hypervisor_version=hyp["hypervisor_version"], host_ip=hyp["host_ip"])
            view["service"] = {"id": hyp["service"]["id"] if uuids else hyp["_svc_int_id"],
                               "host": hyp["service"]["host"],
                               "disabled_reason": hyp["service"]["disabled_reason"]}
            if not ctx.at_least(2, 88):
                view.update({key: hyp[key] for key in _HYP_USAGE})
                view["cpu_info"] = hyp["cpu_info"] if ctx.at_least(2, 28) else \
                    orjson.dumps(hyp["cpu_info"]).decode()
        if (detail and ctx.at_least(2, 88)) or path.endswith("/uptime"):
            view["uptime"] = _uptime(hyp)
        servers = hyp.get("servers")
        if servers:
            view["servers"] = [{"name": s["name"], "uuid": s["id"]} for s in servers]
        elif servers is not None and ctx.at_least(2, 75):
            view["servers"] = []
        return view

    def render(self, ctx: EngineCtx, record: Record, fields: Any = ()) -> Record:
        """With ``with_servers`` (and on ``…/servers``), the servers each one hosts."""
        assert isinstance(ctx, Ctx)
        path = ctx.request.url.path
        if path.endswith("/servers") or (not path.endswith("/uptime") and _with_servers(ctx)):
            by_host = ctx.__dict__.get("by_host")
            if by_host is None:
                by_host = ctx.__dict__["by_host"] = _servers_by_host(ctx.store)
            record = {**record, "servers": by_host.get(record["service"]["host"], [])}
        return self.shape(ctx, record)  # the view reads the private integer ids

    async def index(self, request: Request) -> Response:
        ctx = self.context(request)
        if not ctx.admin:
            raise self.dialect.forbidden(self.rule(
                "list-detail" if request.url.path.endswith("/detail") else "list"))
        params, table = request.query_params, self.records(ctx.store)
        _with_servers(ctx)
        pattern = params.get("hypervisor_hostname_pattern") if ctx.at_least(2, 53) else None
        paged, body = pattern is None and ctx.at_least(2, 33), {}
        if pattern is not None:
            if "limit" in params or "marker" in params:
                raise NOVA.bad("Paging over hypervisors with the hypervisor_hostname_pattern "
                               "query parameter is not supported.")
            chosen = _matching(ctx, pattern)
        else:
            coll = self if paged else replace(self, dialect=replace(
                self.dialect, default_limit=None, ignored_params=frozenset({"limit", "marker"})))
            query = parse(request, coll, True)
            if query.marker is not None and not ctx.at_least(2, 53):
                query.marker = next((h["id"] for h in table.values()
                                     if str(h["_int_id"]) == query.marker), query.marker)
            chosen, more = select(coll, query, table.values(), table)
            if more and chosen:
                last = chosen[-1]["id" if ctx.at_least(2, 53) else "_int_id"]
                body["hypervisors_links"] = [{"rel": "next", "href": next_link(request, last)}]
        return self.respond(ctx, {"hypervisors": [self.render(ctx, h) for h in chosen],
                                  **body})


HYPERVISOR = Hypervisors(
    "hypervisor", "hypervisors", replace(LIMIT_WORDS, default_limit=1000,
                                         ignored_params=frozenset({"fields", "sort_key",
                                                                   "sort_dir"})),
    path="os-hypervisors", visibility="admin", project_key=None,
    default_sort_keys=(("_int_id", "asc"),),
    brief=("id", "hypervisor_hostname", "state", "status", "servers"),  # made by shape
    rules={a: f"os_compute_api:os-hypervisors:{a}" for a in ("list", "list-detail", "show")},
    allow_create=False, allow_update=False, allow_delete=False)


def _matching(ctx: EngineCtx, pattern: str) -> list[Record]:
    chosen = [h for h in sorted(HYPERVISOR.records(ctx.store).values(),
                                key=lambda h: h["_int_id"])
              if pattern.lower() in h["hypervisor_hostname"].lower()]
    if not chosen:
        raise ApiError(404, f"No hypervisor matching '{pattern}' could be found.")
    return chosen


def _before_288(request: Request, rule: str) -> Ctx:
    ctx = HYPERVISOR.context(request)
    NOVA.gate(request, (2, 1), until=(2, 87))
    ctx.require_admin(f"os_compute_api:os-hypervisors:{rule}")
    return ctx


async def hypervisor_uptime(request: Request) -> Response:
    ctx = _before_288(request, "uptime")
    hyp = HYPERVISOR.get(ctx, request.path_params["id"])
    return HYPERVISOR.respond(ctx, {"hypervisor": HYPERVISOR.render(ctx, hyp)})


async def hypervisor_statistics(request: Request) -> Response:
    ctx = _before_288(request, "statistics")
    stats = dict.fromkeys(("count", *_HYP_USAGE), 0)
    for hyp in HYPERVISOR.records(ctx.store).values():
        stats["count"] += 1
        for key in _HYP_USAGE:
            stats[key] += hyp[key]
    return HYPERVISOR.respond(ctx, {"hypervisor_statistics": stats})


async def hypervisor_search(request: Request) -> Response:
    """Before 2.53: ``/os-hypervisors/{pattern}/search`` and ``/{pattern}/servers``."""
    ctx = HYPERVISOR.context(request)
    NOVA.gate(request, (2, 1), until=(2, 52))
    servers = request.url.path.endswith("/servers")
    ctx.require_admin("os_compute_api:os-hypervisors:" + ("servers" if servers else "search"))
    chosen = _matching(ctx, request.path_params["pattern"])
    return HYPERVISOR.respond(ctx, {"hypervisors": [HYPERVISOR.render(ctx, h)
                                                    for h in chosen]})


# --- os-services ----------------------------------------------------------------------

class Services(NovaCollection):
    """Compute services: by uuid from 2.53; a compute one mirrors onto its hypervisor."""

    def get(self, ctx: EngineCtx, ident: str) -> Record:
        return _by_uuid_or_number(self, ctx, ident, ApiError(
            404, f"Service {ident} could not be found."))

    def render(self, ctx: EngineCtx, record: Record, fields: Any = ()) -> Record:
        return self.shape(ctx, record)  # the view reads the private integer id

    def shape(self, ctx: EngineCtx, svc: Record) -> Record:
        assert isinstance(ctx, Ctx)
        view: Record = {"id": svc["id"] if ctx.at_least(2, 53) else svc["_int_id"],
                        "binary": svc["binary"], "disabled_reason": svc["disabled_reason"],
                        "host": svc["host"],
                        "state": "down" if svc["forced_down"] else svc["state"],
                        "status": svc["status"], "updated_at": svc["updated_at"],
                        "zone": svc["zone"]}
        if ctx.at_least(2, 11):
            view["forced_down"] = svc["forced_down"]
        return view

    def on_update(self, ctx: EngineCtx, svc: Record, changes: dict[str, Any]) -> None:
        status, forced = changes.get("status"), changes.get("forced_down")
        if changes.get("disabled_reason") == "":
            raise self.dialect.invalid("disabled_reason", "", "type")
        if status is None and forced is None:
            raise NOVA.bad("No updates were requested. Fields 'status' or 'forced_down' "
                           "should be specified.")
        if "disabled_reason" in changes and status != "disabled":
            raise NOVA.bad("Specifying 'disabled_reason' with status 'enabled' is invalid.")
        if svc["binary"] != "nova-compute":
            raise NOVA.bad(f"Updating a {svc['binary']} service is not supported. Only "
                           "nova-compute services can be updated.")
        if status is not None:
            changes["disabled_reason"] = changes.get("disabled_reason") \
                if status == "disabled" else None
        changes.update({k: svc[k] if changes.get(k) is None else changes[k]
                        for k in ("status", "forced_down")})

    def on_delete(self, ctx: EngineCtx, svc: Record) -> None:
        if svc["binary"] == "nova-compute":
            if _servers_by_host(ctx.store).get(svc["host"]):
                raise ApiError(409, "Unable to delete compute service that is hosting "
                                    "instances. Migrate or delete the instances first.")
            hid = host_index(ctx.store)["by_name"].get(svc["host"])
            if hid:
                HYPERVISOR.records(ctx.store).pop(hid, None)
                reindex(ctx.store)


_REASON = "It must be a string of 1 to 255 characters."
SERVICE = Services(
    "service", "services", replace(
        NOVA_BODY, reasons={"status": "'{value}' is not one of ['enabled', 'disabled']",
                            "forced_down": "{value!r} is not of type 'boolean'",
                            "disabled_reason": _REASON},
        ignored_params=frozenset({"fields", "limit", "marker", "sort_key", "sort_dir"})),
    table="compute_services", path="os-services", visibility="admin", write="admin",
    policy_first=True, project_key=None, default_sort_keys=(("_int_id", "asc"),),
    fields={"status": Field(choices=("enabled", "disabled"), nullable=True),
            "disabled_reason": Field(nullable=True, max_length=255),
            "forced_down": Field(type="bool", nullable=True)},
    filters={"host": Filter(), "binary": Filter()}, timestamps=None,
    rules={a: f"os_compute_api:os-services:{a}" for a in ("list", "update", "delete")},
    allow_create=False, allow_show=False, allow_update=False)


async def update_service(request: Request) -> Response:
    """2.53's ``PUT /os-services/{uuid}``; before it, ``PUT /os-services/<action>``."""
    ctx = SERVICE.context(request)
    ctx.require_admin("os_compute_api:os-services:update")
    words = SERVICE.dialect
    if ctx.at_least(2, 53):
        svc = SERVICE.get(ctx, request.path_params["id"])
        body = words.check_keys(await json_body(request), SERVICE.fields)
        changes = check_body(words, SERVICE.fields, body, create=False)
        SERVICE.on_update(ctx, svc, changes)
        svc.update(changes, updated_at=words.stamp())
        sync_service(ctx.store, svc)
        return SERVICE.respond(ctx, {"service": SERVICE.render(ctx, svc)})
    action, body = request.path_params["id"], await json_body(request)
    if action not in ("enable", "disable", "disable-log-reason", "force-down") or (
            action == "force-down" and not ctx.at_least(2, 11)):
        raise ApiError(404, "Unknown action")
    allowed = {"host", "binary"} | ({"disabled_reason"} if action == "disable-log-reason"
                                    else {"forced_down"} if action == "force-down" else set())
    body = SERVICE.dialect.check_keys(body, allowed, ("binary", "host"))
    svc = next((s for s in SERVICE.records(ctx.store).values()
                if s["host"] == body["host"] and s["binary"] == body["binary"]), {})
    if not svc:
        raise ApiError(404, "Unknown service")
    result: Record = {"host": svc["host"], "binary": svc["binary"]}
    if action == "force-down":
        forced = body.get("forced_down")
        if not isinstance(forced, bool):
            raise SERVICE.dialect.invalid("forced_down", forced, "type")
        svc["forced_down"] = result["forced_down"] = forced
    else:
        if action == "disable-log-reason":
            if "disabled_reason" not in body:
                raise NOVA.bad("Missing disabled reason field")
            reason = body["disabled_reason"]
            if not isinstance(reason, str) or not 1 <= len(reason) <= 255:
                raise SERVICE.dialect.invalid("disabled_reason", reason, "type")
        svc["status"] = result["status"] = "enabled" if action == "enable" else "disabled"
        svc["disabled_reason"] = body.get("disabled_reason")
        if action == "disable-log-reason":
            result["disabled_reason"] = svc["disabled_reason"]
    sync_service(ctx.store, svc)
    return SERVICE.respond(ctx, {"service": result})


# --- os-availability-zone -------------------------------------------------------------

async def availability_zones(request: Request) -> Response:
    detail = request.url.path.endswith("/detail")
    ctx = SERVICE.context(request)
    if detail:
        ctx.require_admin("os_compute_api:os-availability-zone:detail")
    zones: dict[str, list[Record]] = {}
    for svc in sorted(SERVICE.records(ctx.store).values(), key=lambda s: s["_int_id"]):
        zones.setdefault(svc["zone"], []).append(svc)
    info = []
    for zone, services in zones.items():
        if zone == "internal" and not detail:
            continue
        up = [s for s in services if s["status"] == "enabled"]
        entry: Record = {"zoneName": zone, "zoneState": {"available": bool(up)},
                         "hosts": None}
        if detail:
            hosts: dict[str, Record] = {}
            for svc in services:
                hosts.setdefault(svc["host"], {})[svc["binary"]] = {
                    "available": svc["state"] == "up" and not svc["forced_down"],
                    "active": svc["status"] == "enabled", "updated_at": svc["updated_at"]}
            entry["hosts"] = hosts
        info.append(entry)
    return SERVICE.respond(ctx, {"availabilityZoneInfo": info})


def routes() -> list[BaseRoute]:
    hyp = "/v2.1/os-hypervisors"
    return [
        Route(hyp + "/statistics", hypervisor_statistics, methods=["GET"]),
        *HYPERVISOR.routes("/v2.1"),
        Route(hyp + "/{id}/uptime", hypervisor_uptime, methods=["GET"]),
        Route(hyp + "/{pattern}/search", hypervisor_search, methods=["GET"]),
        Route(hyp + "/{pattern}/servers", hypervisor_search, methods=["GET"]),
        Route("/v2.1/os-services/{id}", update_service, methods=["PUT"]),
        *SERVICE.routes("/v2.1"),
        Route("/v2.1/os-availability-zone", availability_zones, methods=["GET"]),
        Route("/v2.1/os-availability-zone/detail", availability_zones, methods=["GET"]),
    ]
