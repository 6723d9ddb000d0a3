"""Nova's ``os-instance_usage_audit_log``: what the monthly usage audit found, per host.

Nova's compute hosts run an "instance usage audit" for each completed audit period (a
calendar month by default) and log it per host. The log here is derived, not stored: for
the period, every ``nova-compute`` host that is up has audited the servers it held then
(created before the period ended, not terminated before it began); a host that is down now
has not run the latest audit, which is what an operator looks for in it.
"""

from __future__ import annotations

import datetime as _dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...store import Record, Store, now
from ...world import live_servers
from ._dialect import NOVA, Ctx
from .quota import server_time

__all__ = ["audit_log", "last_completed_period", "routes"]


def last_completed_period(before: _dt.datetime | None = None
                          ) -> tuple[_dt.datetime, _dt.datetime]:
    """The month that ended last before ``before`` (Nova's default audit period)."""
    when = before or now()
    end = when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    begin = (end - _dt.timedelta(days=1)).replace(day=1)
    return begin, end


def _held(server: Record, begin: _dt.datetime, end: _dt.datetime) -> bool:
    created = server_time(server.get("created"))
    ended = server_time(server.get("OS-SRV-USG:terminated_at"))
    return created is not None and created < end and (ended is None or ended >= begin)


def _naive(value: _dt.datetime) -> str:
    return str(value.astimezone(_dt.timezone.utc).replace(tzinfo=None))


def audit_log(store: Store, before: _dt.datetime | None = None) -> Record:
    """The audit of the period completed before ``before``, in Nova's words."""
    begin, end = last_completed_period(before)
    hosts = {s["host"]: s for s in store.table("compute_services").values()
             if s["binary"] == "nova-compute"}
    held: dict[str, int] = dict.fromkeys(hosts, 0)
    servers = [*live_servers(store), *(s for s in store.table("servers").values()
                                       if s["status"] in ("DELETED", "SOFT_DELETED"))]
    for server in servers:
        host = server.get("OS-EXT-SRV-ATTR:host")
        if host in held and _held(server, begin, end):
            held[host] += 1
    latest = begin == last_completed_period()[0]
    ran = sorted(h for h, svc in hosts.items()
                 if not (latest and (svc["state"] != "up" or svc.get("forced_down")))
                 and (server_time(svc.get("_created")) or end) < end)
    log = {host: {"state": "DONE", "instances": held[host], "errors": 0,
                  "message": f"Instance usage audit ran for host {host}, {held[host]} "
                             f"instances in 0.{held[host] % 9 + 1} seconds."}
           for host in ran}
    missing = sorted(set(hosts) - set(ran))
    done = "ALL" if len(ran) == len(hosts) else f"{len(ran)} of {len(hosts)}"
    return {"period_beginning": _naive(begin), "period_ending": _naive(end),
            "num_hosts": len(hosts), "num_hosts_done": len(ran), "num_hosts_running": 0,
            "num_hosts_not_run": len(missing), "hosts_not_run": missing,
            "total_instances": sum(held[h] for h in ran), "total_errors": 0,
            "overall_status": f"{done} hosts done. 0 errors.", "log": log}


async def _index(request: Request) -> Response:
    ctx = Ctx.of(request)
    ctx.require_admin("os_compute_api:os-instance-usage-audit-log:list")
    return ctx.reply({"instance_usage_audit_logs": audit_log(ctx.store)})


async def _show(request: Request) -> Response:
    ctx = Ctx.of(request)
    ctx.require_admin("os_compute_api:os-instance-usage-audit-log:show")
    text = request.path_params["before_timestamp"]
    try:
        before = _dt.datetime.strptime(
            text, "%Y-%m-%d %H:%M:%S.%f" if "." in text else "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise NOVA.bad(f"Invalid timestamp for date {text}") from None
    return ctx.reply({"instance_usage_audit_log": audit_log(
        ctx.store, before.replace(tzinfo=_dt.timezone.utc))})


def routes() -> list[BaseRoute]:
    base = "/v2.1/os-instance_usage_audit_log"
    return [Route(base, _index, methods=["GET"]),
            Route(base + "/{before_timestamp}", _show, methods=["GET"])]
