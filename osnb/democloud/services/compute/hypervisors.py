"""Nova's os-hypervisors, os-services and os-availability-zone APIs (admin side)."""

from __future__ import annotations

import re
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, json_body, page, query_int, url_for
from ...store import Record, Store, isotime, now
from .admin import host_index, live_servers, reindex, sync_service
from .common import Ctx, context, reply, validation_error

__all__ = ["UUID_RE", "fields", "routes"]

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}$")
_HYP_USAGE = ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
              "local_gb_used", "free_ram_mb", "free_disk_gb", "current_workload",
              "running_vms", "disk_available_least")
_STATS = ("count", "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
          "local_gb_used", "free_ram_mb", "free_disk_gb", "current_workload", "running_vms",
          "disk_available_least")


def _uptime(hyp: Record) -> str:
    secs = hyp["_booted"]
    days, rest = divmod(secs, 86400)
    return (f" {(rest // 3600 + 9) % 24:02d}:{rest // 60 % 60:02d}:{rest % 60:02d} up "
            f"{days} days, {rest // 3600:2d}:{rest // 60 % 60:02d},  1 user,  "
            f"load average: 0.{hyp['running_vms'] % 90 + 10}, 0.38, 0.41")


def _hyp_view(ctx: Ctx, hyp: Record, detail: bool, servers: list[Record] | None = None,
              with_servers: bool = False, uptime: bool = False) -> Record:
    uuids = ctx.at_least(2, 53)
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
            for key in _HYP_USAGE:
                view[key] = hyp[key]
            view["cpu_info"] = hyp["cpu_info"] if ctx.at_least(2, 28) else \
                orjson.dumps(hyp["cpu_info"]).decode()
    if uptime:
        view["uptime"] = _uptime(hyp)
    if servers:
        view["servers"] = [{"name": s["name"], "uuid": s["id"]} for s in servers]
    elif with_servers and ctx.at_least(2, 75):
        view["servers"] = []
    return view


def _servers_by_host(store: Store) -> dict[str, list[Record]]:
    by_host: dict[str, list[Record]] = {}
    for server in live_servers(store):
        host = server.get("OS-EXT-SRV-ATTR:host")
        if host:
            by_host.setdefault(host, []).append(server)
    return by_host


def _hyp_by_any_id(ctx: Ctx, hyp_id: str) -> Record:
    missing = ApiError(404, f"Hypervisor with ID '{hyp_id}' could not be found.")
    hypervisors = ctx.store.table("hypervisors")
    if ctx.at_least(2, 53):
        if not UUID_RE.match(hyp_id):
            raise ApiError(400, f"Invalid uuid {hyp_id}")
        hyp = hypervisors.get(hyp_id)
    else:
        if not hyp_id.isdigit():
            raise missing
        hyp = next((h for h in hypervisors.values() if h["_int_id"] == int(hyp_id)), None)
    if hyp is None:
        raise missing
    return hyp


def _with_servers(ctx: Ctx) -> bool:
    if not ctx.at_least(2, 53):
        return False
    raw = ctx.request.query_params.get("with_servers")
    if raw is None:
        return False
    low = raw.lower()
    if low in ("1", "true", "t", "yes", "y", "on"):
        return True
    if low in ("0", "false", "f", "no", "n", "off"):
        return False
    raise validation_error("with_servers", raw, "Value should be a boolean.")


async def _list_hypervisors(request: Request) -> Response:
    detail = request.url.path.endswith("/detail")
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-hypervisors:" + ("list-detail" if detail else "list"))
    params = request.query_params
    hypervisors = sorted(ctx.store.table("hypervisors").values(), key=lambda h: h["_int_id"])
    pattern = params.get("hypervisor_hostname_pattern") if ctx.at_least(2, 53) else None
    with_servers = _with_servers(ctx)
    links: list[Record] = []
    if pattern is not None:
        if "limit" in params or "marker" in params:
            raise ApiError(400, "Paging over hypervisors with the hypervisor_hostname_pattern "
                                "query parameter is not supported.")
        chosen: list[Record] = [h for h in hypervisors
                                if pattern.lower() in h["hypervisor_hostname"].lower()]
        if not chosen:
            raise ApiError(404, f"No hypervisor matching '{pattern}' could be found.")
    elif ctx.at_least(2, 33):
        limit = query_int(request, "limit", None)
        marker = params.get("marker")
        key = "id" if ctx.at_least(2, 53) else "_int_id"
        if marker is not None and not ctx.at_least(2, 53):
            marker_int = int(marker) if marker.isdigit() else -1
            found = [h for h in hypervisors if h["_int_id"] == marker_int]
            marker = found[0]["id"] if found else marker
        chunk, nxt = page(hypervisors, marker, limit, id_key="id")
        chosen = list(chunk)
        if nxt is not None and chosen:
            links = [{"rel": "next", "href": url_for(request, marker=chosen[-1][key])}]
    else:
        chosen = hypervisors
    by_host = _servers_by_host(ctx.store) if with_servers else {}
    body: Record = {"hypervisors": [
        _hyp_view(ctx, h, detail, by_host.get(h["service"]["host"]), with_servers,
                  uptime=detail and ctx.at_least(2, 88))
        for h in chosen]}
    if links:
        body["hypervisors_links"] = links
    return reply(ctx, body)


async def _show_hypervisor(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-hypervisors:show")
    hyp = _hyp_by_any_id(ctx, request.path_params["hypervisor_id"])
    with_servers = _with_servers(ctx)
    servers = _servers_by_host(ctx.store).get(hyp["service"]["host"]) if with_servers else None
    return reply(ctx, {"hypervisor": _hyp_view(ctx, hyp, True, servers, with_servers,
                                               uptime=ctx.at_least(2, 88))})


async def _hypervisor_uptime(request: Request) -> Response:
    ctx = context(request)
    if ctx.at_least(2, 88):
        raise ApiError(404, "The resource could not be found.")
    ctx.require_admin("os_compute_api:os-hypervisors:uptime")
    hyp = _hyp_by_any_id(ctx, request.path_params["hypervisor_id"])
    return reply(ctx, {"hypervisor": _hyp_view(ctx, hyp, False, uptime=True)})


async def _hypervisor_statistics(request: Request) -> Response:
    ctx = context(request)
    if ctx.at_least(2, 88):
        raise ApiError(404, "The resource could not be found.")
    ctx.require_admin("os_compute_api:os-hypervisors:statistics")
    stats = dict.fromkeys(_STATS, 0)
    for hyp in ctx.store.table("hypervisors").values():
        stats["count"] += 1
        for key in _STATS[1:]:
            stats[key] += hyp[key]
    return reply(ctx, {"hypervisor_statistics": stats})


async def _hypervisor_search(request: Request) -> Response:
    """Before 2.53: ``/os-hypervisors/{pattern}/search`` and ``/{pattern}/servers``."""
    ctx = context(request)
    if ctx.at_least(2, 53):
        raise ApiError(404, "The resource could not be found.")
    servers = request.url.path.endswith("/servers")
    ctx.require_admin("os_compute_api:os-hypervisors:" + ("servers" if servers else "search"))
    pattern = request.path_params["pattern"]
    chosen = [h for h in sorted(ctx.store.table("hypervisors").values(),
                                key=lambda h: h["_int_id"])
              if pattern.lower() in h["hypervisor_hostname"].lower()]
    if not chosen:
        raise ApiError(404, f"No hypervisor matching '{pattern}' could be found.")
    by_host = _servers_by_host(ctx.store) if servers else {}
    return reply(ctx, {"hypervisors": [
        _hyp_view(ctx, h, False, by_host.get(h["service"]["host"])) for h in chosen]})


# --- os-services ----------------------------------------------------------------------

def _svc_view(ctx: Ctx, svc: Record) -> Record:
    view: Record = {"id": svc["id"] if ctx.at_least(2, 53) else svc["_int_id"],
                    "binary": svc["binary"], "disabled_reason": svc["disabled_reason"],
                    "host": svc["host"], "state": "down" if svc["forced_down"] else svc["state"],
                    "status": svc["status"], "updated_at": svc["updated_at"],
                    "zone": svc["zone"]}
    if ctx.at_least(2, 11):
        view["forced_down"] = svc["forced_down"]
    return view


async def _list_services(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-services:list")
    host = request.query_params.get("host")
    binary = request.query_params.get("binary")
    chosen = [s for s in sorted(ctx.store.table("compute_services").values(),
                                key=lambda s: s["_int_id"])
              if (host is None or s["host"] == host) and (binary is None or s["binary"] == binary)]
    return reply(ctx, {"services": [_svc_view(ctx, s) for s in chosen]})


def fields(body: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
            ) -> Record:
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid input for field/attribute body. Value: "
                            f"{body}. {body!r} is not of type 'object'")
    extra = sorted(set(body) - allowed)
    if extra:
        raise ApiError(400, "Invalid input for field/attribute body. Additional properties "
                            f"are not allowed ({', '.join(repr(e) for e in extra)} "
                            f"{'was' if len(extra) == 1 else 'were'} unexpected)")
    for key in sorted(required - set(body)):
        raise ApiError(400, f"Invalid input for field/attribute body. '{key}' is a required "
                            "property")
    return body


def _check_reason(body: Record) -> None:
    reason = body.get("disabled_reason")
    if reason is not None and (not isinstance(reason, str) or not 1 <= len(reason) <= 255):
        raise validation_error("disabled_reason", reason,
                               "It must be a string of 1 to 255 characters.")


async def _update_service(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-services:update")
    sid = request.path_params["service_id"]
    services = ctx.store.table("compute_services")
    if not ctx.at_least(2, 53):
        return _legacy_service_action(ctx, sid, await json_body(request))
    if not UUID_RE.match(sid):
        raise ApiError(400, f"Invalid uuid {sid}")
    body = fields(await json_body(request), {"status", "disabled_reason", "forced_down"})
    svc = services.get(sid)
    if svc is None:
        raise ApiError(404, f"Service {sid} could not be found.")
    status = body.get("status")
    if status is not None and status not in ("enabled", "disabled"):
        raise validation_error("status", status, f"'{status}' is not one of "
                                                 "['enabled', 'disabled']")
    _check_reason(body)
    forced = body.get("forced_down")
    if forced is not None and not isinstance(forced, bool):
        raise validation_error("forced_down", forced, f"{forced!r} is not of type 'boolean'")
    if status is None and forced is None:
        raise ApiError(400, "No updates were requested. Fields 'status' or 'forced_down' "
                            "should be specified.")
    if "disabled_reason" in body and status != "disabled":
        raise ApiError(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.")
    if svc["binary"] != "nova-compute":
        raise ApiError(400, f"Updating a {svc['binary']} service is not supported. Only "
                            "nova-compute services can be updated.")
    if status is not None:
        svc["status"] = status
        svc["disabled_reason"] = body.get("disabled_reason") if status == "disabled" else None
    if forced is not None:
        svc["forced_down"] = forced
    svc["updated_at"] = isotime(now(), micro=True, zulu=False)
    sync_service(ctx.store, svc)
    return reply(ctx, {"service": _svc_view(ctx, svc)})


def _legacy_service_action(ctx: Ctx, action: str, body: Any) -> Response:
    if action not in ("enable", "disable", "disable-log-reason", "force-down") or (
            action == "force-down" and not ctx.at_least(2, 11)):
        raise ApiError(404, "Unknown action")
    allowed = {"host", "binary"} | ({"disabled_reason"} if action == "disable-log-reason"
                                    else {"forced_down"} if action == "force-down" else set())
    body = fields(body, allowed, {"host", "binary"})
    svc = next((s for s in ctx.store.table("compute_services").values()
                if s["host"] == body["host"] and s["binary"] == body["binary"]), None)
    if svc is None:
        raise ApiError(404, "Unknown service")
    result: Record = {"host": svc["host"], "binary": svc["binary"]}
    if action == "force-down":
        forced = body.get("forced_down")
        if not isinstance(forced, bool):
            raise validation_error("forced_down", forced, f"{forced!r} is not of type 'boolean'")
        svc["forced_down"] = result["forced_down"] = forced
    else:
        if action == "disable-log-reason":
            _check_reason(body)
            if "disabled_reason" not in body:
                raise ApiError(400, "Missing disabled reason field")
        svc["status"] = result["status"] = "enabled" if action == "enable" else "disabled"
        svc["disabled_reason"] = body.get("disabled_reason")
        if action == "disable-log-reason":
            result["disabled_reason"] = svc["disabled_reason"]
    sync_service(ctx.store, svc)
    return reply(ctx, {"service": result})


async def _delete_service(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-services:delete")
    sid = request.path_params["service_id"]
    services = ctx.store.table("compute_services")
    svc = services.get(sid) if ctx.at_least(2, 53) else next(
        (s for s in services.values() if str(s["_int_id"]) == sid), None)
    if ctx.at_least(2, 53) and not UUID_RE.match(sid):
        raise ApiError(400, f"Invalid uuid {sid}")
    if svc is None:
        raise ApiError(404, f"Service {sid} could not be found.")
    if svc["binary"] == "nova-compute":
        if _servers_by_host(ctx.store).get(svc["host"]):
            raise ApiError(409, "Unable to delete compute service that is hosting instances. "
                                "Migrate or delete the instances first.")
        hid = host_index(ctx.store)["by_name"].get(svc["host"])
        if hid:
            ctx.store.table("hypervisors").pop(hid, None)
            reindex(ctx.store)
    del services[svc["id"]]
    return reply(ctx, None, 204)


# --- os-availability-zone -------------------------------------------------------------

async def _availability_zones(request: Request) -> Response:
    detail = request.url.path.endswith("/detail")
    ctx = context(request)
    if detail:
        ctx.require_admin("os_compute_api:os-availability-zone:detail")
    zones: dict[str, list[Record]] = {}
    for svc in sorted(ctx.store.table("compute_services").values(), key=lambda s: s["_int_id"]):
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
    return reply(ctx, {"availabilityZoneInfo": info})


def routes() -> list[BaseRoute]:
    hyp = "/v2.1/os-hypervisors"
    return [
        Route(hyp, _list_hypervisors, methods=["GET"]),
        Route(hyp + "/detail", _list_hypervisors, methods=["GET"]),
        Route(hyp + "/statistics", _hypervisor_statistics, methods=["GET"]),
        Route(hyp + "/{hypervisor_id}", _show_hypervisor, methods=["GET"]),
        Route(hyp + "/{hypervisor_id}/uptime", _hypervisor_uptime, methods=["GET"]),
        Route(hyp + "/{pattern}/search", _hypervisor_search, methods=["GET"]),
        Route(hyp + "/{pattern}/servers", _hypervisor_search, methods=["GET"]),
        Route("/v2.1/os-services", _list_services, methods=["GET"]),
        Route("/v2.1/os-services/{service_id}", _update_service, methods=["PUT"]),
        Route("/v2.1/os-services/{service_id}", _delete_service, methods=["DELETE"]),
        Route("/v2.1/os-availability-zone", _availability_zones, methods=["GET"]),
        Route("/v2.1/os-availability-zone/detail", _availability_zones, methods=["GET"]),
    ]
