"""Nova quotas, limits and simple tenant usage (part of the compute admin APIs).

Limits a project was given are kept in table ``compute_quotas`` (``{"id": project, <resource>:
limit, …}``, only the resources that differ from the defaults). What is in use is always
counted from the ``servers`` table (cached per change generation of the compute state), so
``in_use`` agrees with what ``GET /servers`` says.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Field, check_body, parse, select
from ...http import ApiError, json_body, query_bool
from ...store import Record, Store, now
from ...world import project_ids
from ._dialect import LIMIT_WORDS, NOVA, NOVA_BODY, Ctx, NovaCollection
from .admin import flavor_resources, live_servers
from .common import state

__all__ = ["DEFAULTS", "defaults_of", "limits_of", "routes", "seed", "usage_of"]

DEFAULTS: dict[str, int] = {
    "instances": 10, "cores": 20, "ram": 51200, "key_pairs": 100, "metadata_items": 128,
    "server_groups": 10, "server_group_members": 10,
    "injected_files": 5, "injected_file_content_bytes": 10240, "injected_file_path_bytes": 255,
    "fixed_ips": -1, "floating_ips": 10, "security_groups": 10, "security_group_rules": 20,
    "networks": -1,
}
_NEW = ("cores", "instances", "key_pairs", "metadata_items", "ram", "server_groups",
        "server_group_members")
_INJECTED = ("injected_file_content_bytes", "injected_file_path_bytes", "injected_files")
_NETWORK = ("fixed_ips", "floating_ips", "security_group_rules", "security_groups")
CLASSES = "compute_quota_classes"
"""Quota classes by name (``default`` is the one Nova reads), only what was set."""


def _resources(ctx: Ctx) -> tuple[str, ...]:
    names: tuple[str, ...] = _NEW
    if not ctx.at_least(2, 57):
        names += _INJECTED
    if not ctx.at_least(2, 36):
        names += _NETWORK
    return names


def usage_of(store: Store) -> dict[str, dict[str, int]]:
    """Per project: instances, cores, ram in use (counted from the servers table)."""
    st = state(store)
    cache: dict[str, Any] = store.meta.setdefault("_compute_usage", {})
    if cache.get("generation") == st.generation and "usage" in cache:
        usage: dict[str, dict[str, int]] = cache["usage"]
        return usage
    usage = {}
    # Servers share flavor documents (world generation): each one's sizes worked out once.
    sizes: dict[int, tuple[Any, tuple[int, int, int]]] = {}
    for server in live_servers(store):
        row = usage.setdefault(server.get("tenant_id") or "",
                               {"instances": 0, "cores": 0, "ram": 0})
        flavor = server.get("flavor")
        found = sizes.get(id(flavor))
        if found is None or found[0] is not flavor:
            found = sizes[id(flavor)] = (flavor, flavor_resources(server))
        vcpus, ram, _ = found[1]
        row["instances"] += 1
        row["cores"] += vcpus
        row["ram"] += ram
    cache.update(generation=st.generation, usage=usage)
    return usage


def _in_use(store: Store, project_id: str, user_id: str | None) -> dict[str, int]:
    used = {k: 0 for k in DEFAULTS}
    used.update(usage_of(store).get(project_id, {}))
    used["server_groups"] = sum(1 for g in store.table("server_groups").values()
                                if g.get("project_id") == project_id)
    if user_id:
        used["key_pairs"] = sum(1 for k in store.table("keypairs").values()
                                if k.get("user_id") == user_id)
    return used


def defaults_of(store: Store) -> dict[str, int]:
    """The limits a project has unless given its own: the ``default`` quota class over
    Nova's configured defaults (an operator raises every project's default there)."""
    return {**DEFAULTS, **{k: v for k, v in store.table(CLASSES).get("default", {}).items()
                           if k in DEFAULTS}}


def limits_of(store: Store, project_id: str) -> dict[str, int]:
    """The project's quota limits: its overrides over the defaults."""
    limits = defaults_of(store)
    limits.update({k: v for k, v in store.table("compute_quotas").get(project_id, {}).items()
                   if k in DEFAULTS})
    return limits


def _may_see(ctx: Ctx, project_id: str, rule: str) -> None:
    if not ctx.admin and ctx.token.project_id != project_id:
        raise NOVA.forbidden(rule)


# --- os-quota-sets --------------------------------------------------------------------

async def _show_quota(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    pid = request.path_params["project_id"]
    detail = request.url.path.endswith("/detail")
    _may_see(ctx, pid, "os_compute_api:os-quota-sets:" + ("detail" if detail else "show"))
    limits = limits_of(ctx.store, pid)
    body: Record = {"id": pid}
    if detail:
        used = _in_use(ctx.store, pid, request.query_params.get("user_id")
                       or ctx.token.user_id)
        for key in _resources(ctx):
            body[key] = {"limit": limits[key], "in_use": used[key], "reserved": 0}
    else:
        body.update({key: limits[key] for key in _resources(ctx)})
    return QUOTA_SET.respond(ctx, {"quota_set": body})


async def _quota_defaults(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    body: Record = {"id": request.path_params["project_id"]}
    defaults = defaults_of(ctx.store)
    body.update({key: defaults[key] for key in _resources(ctx)})
    return QUOTA_SET.respond(ctx, {"quota_set": body})


_SCHEMAS = "{value!r} is not valid under any of the given schemas"
QUOTA_SET = NovaCollection(
    "quota_set", "compute_quotas", replace(
        NOVA_BODY, path="quota_set", field_words="{path}/{name}",
        reasons={**dict.fromkeys(DEFAULTS, _SCHEMAS), "force": "{value!r} is not of type "
                                                              "'boolean'"}),
    fields={**{k: Field(type="int", lenient=True, minimum=-1, maximum=0x7FFFFFFF)
               for k in DEFAULTS}, "force": Field(type="bool", lenient=True)},
    project_key=None)
"""A project's limits where they differ from the defaults (keyed by the project)."""


async def _update_quota(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    ctx.require_admin("os_compute_api:os-quota-sets:update")
    pid, words = request.path_params["project_id"], QUOTA_SET.dialect
    raw = await json_body(request)
    if not isinstance(raw, dict) or set(raw) != {"quota_set"} or \
            not isinstance(raw["quota_set"], dict):
        raise NOVA.schema("quota_set", raw, "'quota_set' is a required property")
    allowed = {*_resources(ctx), "force", *(() if ctx.at_least(2, 36) else ("networks",))}
    spec = words.check_keys(raw["quota_set"], allowed)
    for key, value in spec.items():  # a limit is an integer or its text, never a float
        if isinstance(value, float) and key != "force":
            raise words.invalid(key, value, "type")
    new = check_body(words, QUOTA_SET.fields, spec, create=False)
    force = new.pop("force", False)
    if pid not in ctx.store.table("projects"):
        raise NOVA.bad(f"Project ID {pid} is not a valid project.")
    used = _in_use(ctx.store, pid, None)
    if not force:
        for key, limit in new.items():
            if key in ("instances", "cores", "ram") and limit != -1 and limit < used[key]:
                raise NOVA.bad(f"Quota limit {limit} for {key} must be greater than or "
                               f"equal to already used and reserved {used[key]}.")
    QUOTA_SET.records(ctx.store).setdefault(pid, {"id": pid}).update(new)
    limits = limits_of(ctx.store, pid)
    return QUOTA_SET.respond(ctx, {"quota_set": {key: limits[key] for key in _resources(ctx)}})


async def _reset_quota(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    ctx.require_admin("os_compute_api:os-quota-sets:delete")
    QUOTA_SET.records(ctx.store).pop(request.path_params["project_id"], None)
    return QUOTA_SET.respond(ctx, None, 202)


# --- os-quota-class-sets ---------------------------------------------------------------

def _class_resources(ctx: Ctx) -> tuple[str, ...]:
    """A class's resources: server groups from 2.50, where the network ones go, and the
    injected files go at 2.57 (later than in ``os-quota-sets``)."""
    if ctx.at_least(2, 57):
        return _NEW
    if ctx.at_least(2, 50):
        return _NEW + _INJECTED
    return tuple(k for k in _NEW if not k.startswith("server_group")) + _INJECTED + _NETWORK


async def _show_class(request: Request) -> Response:
    ctx = QUOTA_CLASS.context(request)
    ctx.require_admin("os_compute_api:os-quota-class-sets:show")
    name = request.path_params["id"]
    values = {**DEFAULTS, **QUOTA_CLASS.records(ctx.store).get(name, {})}
    return QUOTA_CLASS.respond(ctx, {"quota_class_set": {
        "id": name, **{key: values[key] for key in _class_resources(ctx)}}})


QUOTA_CLASS = replace(QUOTA_SET, singular="quota_class_set", table=CLASSES, dialect=replace(
    QUOTA_SET.dialect, path="quota_class_set"))


async def _update_class(request: Request) -> Response:
    ctx = QUOTA_CLASS.context(request)
    ctx.require_admin("os_compute_api:os-quota-class-sets:update")
    name, words = request.path_params["id"], QUOTA_CLASS.dialect
    if len(name) > 255:
        raise NOVA.bad("quota_class_name has more than 255 characters.")
    raw = await json_body(request)
    if not isinstance(raw, dict) or set(raw) != {"quota_class_set"} or \
            not isinstance(raw["quota_class_set"], dict):
        raise NOVA.schema("quota_class_set", raw, "'quota_class_set' is a required property")
    allowed = set(_class_resources(ctx)) | ({"server_groups", "server_group_members"}
                                            if not ctx.at_least(2, 50) else set())
    spec = words.check_keys(raw["quota_class_set"], allowed)
    for key, value in spec.items():
        if isinstance(value, float):
            raise words.invalid(key, value, "type")
    new = check_body(words, QUOTA_CLASS.fields, spec, create=False)
    QUOTA_CLASS.records(ctx.store).setdefault(name, {"id": name}).update(new)
    values = {**DEFAULTS, **QUOTA_CLASS.records(ctx.store)[name]}
    return QUOTA_CLASS.respond(ctx, {"quota_class_set": {
        key: values[key] for key in _class_resources(ctx)}})


# --- limits ---------------------------------------------------------------------------

async def _limits(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    pid = request.query_params.get("tenant_id") or ctx.token.project_id or ""
    if pid != ctx.token.project_id:
        ctx.require_admin("os_compute_api:limits:other_project")
    limits = limits_of(ctx.store, pid)
    used = _in_use(ctx.store, pid, None)
    absolute: Record = {
        "maxServerMeta": limits["metadata_items"], "maxTotalCores": limits["cores"],
        "maxTotalInstances": limits["instances"], "maxTotalKeypairs": limits["key_pairs"],
        "maxTotalRAMSize": limits["ram"], "maxServerGroups": limits["server_groups"],
        "maxServerGroupMembers": limits["server_group_members"],
        "totalCoresUsed": used["cores"], "totalInstancesUsed": used["instances"],
        "totalRAMUsed": used["ram"], "totalServerGroupsUsed": used["server_groups"],
    }
    if not ctx.at_least(2, 57):
        absolute.update(maxPersonality=limits["injected_files"],
                        maxPersonalitySize=limits["injected_file_content_bytes"])
    if not ctx.at_least(2, 39):
        absolute["maxImageMeta"] = limits["metadata_items"]
    if not ctx.at_least(2, 36):
        absolute.update(maxSecurityGroupRules=limits["security_group_rules"],
                        maxSecurityGroups=limits["security_groups"],
                        maxTotalFloatingIps=limits["floating_ips"],
                        totalSecurityGroupsUsed=0, totalFloatingIpsUsed=0)
    return QUOTA_SET.respond(ctx, {"limits": {"rate": [], "absolute": absolute}})


# --- os-simple-tenant-usage -----------------------------------------------------------

_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f")


def parse_time(text: str | None) -> _dt.datetime:
    """A time as Nova's usage API reads it (naive UTC); ``now`` when absent."""
    if not text:
        return now()
    for fmt in _FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt).replace(tzinfo=_dt.timezone.utc)
        except ValueError:
            continue
    raise ApiError(400, "Invalid datetime string: Datetime is in invalid format")


def server_time(value: Any) -> _dt.datetime | None:
    """A server record's timestamp (``2026-01-02T03:04:05Z`` or with micro/offset)."""
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)


def _usage_time(value: _dt.datetime) -> str:
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None).isoformat()


def _server_usage(server: Record, start: _dt.datetime, stop: _dt.datetime,
                  at: _dt.datetime) -> Record | None:
    launched = server_time(server.get("OS-SRV-USG:launched_at")) or \
        server_time(server.get("created"))
    ended = server_time(server.get("OS-SRV-USG:terminated_at"))
    if launched is None or launched > stop or (ended is not None and ended < start):
        return None
    begin, finish = max(launched, start), min(ended or stop, stop)
    hours = max(0.0, (finish - begin).total_seconds() / 3600.0)
    vcpus, ram, _ = flavor_resources(server)
    flavor = server.get("flavor") or {}
    vm_state = str(server.get("OS-EXT-STS:vm_state") or server.get("status", "")).lower()
    return {
        "instance_id": server["id"], "name": server.get("name", ""),
        "tenant_id": server.get("tenant_id"), "hours": hours, "vcpus": vcpus,
        "memory_mb": ram, "local_gb": int(flavor.get("disk") or 0)
        + int(flavor.get("ephemeral") or 0),
        "flavor": flavor.get("original_name") or flavor.get("name") or "",
        "started_at": _usage_time(launched),
        "ended_at": _usage_time(ended) if ended else None,
        "state": "terminated" if ended else (vm_state or "active"),
        "uptime": int(((ended or at) - launched).total_seconds()),
    }


_USAGE_WORDS = replace(LIMIT_WORDS, marker_words="Marker {marker} could not be found.")
USAGE = NovaCollection("tenant_usage", "tenant_usages", _USAGE_WORDS, project_key=None,
                       tie_break=None, sort_by={"created": lambda u: 0},
                       default_sort_keys=(("created", "asc"),))
"""Usage rows, paged by instance from 2.40 in the order the servers were created."""
USAGE_UNPAGED = replace(USAGE, dialect=replace(_USAGE_WORDS, ignored_params=frozenset(
    {*_USAGE_WORDS.ignored_params, "limit", "marker"})))


def _tenant_usages(ctx: Ctx, project_id: str | None) -> tuple[list[Record], str | None]:
    params = ctx.request.query_params
    start, stop = parse_time(params.get("start")), parse_time(params.get("end"))
    if start > stop:
        raise ApiError(400, "Invalid start time. The start time cannot occur after the end "
                            "time.")
    servers = [s for s in ctx.store.table("servers").values()
               if project_id is None or s.get("tenant_id") == project_id]
    servers.sort(key=lambda s: (s.get("created", ""), s["id"]))
    at = now()
    usages = [u for u in (_server_usage(s, start, stop, at) for s in servers) if u]
    coll = USAGE if ctx.at_least(2, 40) else USAGE_UNPAGED
    usages, more = select(coll, parse(ctx.request, coll, ctx.admin), usages,
                          {u["instance_id"]: u for u in usages})
    nxt = usages[-1]["instance_id"] if more and usages else None
    tenants: dict[str, Record] = {}
    for u in usages:
        row = tenants.setdefault(u["tenant_id"], {
            "tenant_id": u["tenant_id"], "total_local_gb_usage": 0.0,
            "total_vcpus_usage": 0.0, "total_memory_mb_usage": 0.0, "total_hours": 0.0,
            "start": _usage_time(start), "stop": _usage_time(stop), "server_usages": []})
        row["total_local_gb_usage"] += u["local_gb"] * u["hours"]
        row["total_vcpus_usage"] += u["vcpus"] * u["hours"]
        row["total_memory_mb_usage"] += u["memory_mb"] * u["hours"]
        row["total_hours"] += u["hours"]
        row["server_usages"].append(u)
    return list(tenants.values()), nxt


async def _list_usage(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    ctx.require_admin("os_compute_api:os-simple-tenant-usage:list")
    detailed = query_bool(request, "detailed", False)
    rows, nxt = _tenant_usages(ctx, None)
    if not detailed:
        for row in rows:
            row.pop("server_usages")
    links = NOVA.next_links(request, "tenant_usages", nxt) if nxt else {}
    return QUOTA_SET.respond(ctx, {"tenant_usages": rows, **links})


async def _show_usage(request: Request) -> Response:
    ctx = QUOTA_SET.context(request)
    pid = request.path_params["project_id"]
    _may_see(ctx, pid, "os_compute_api:os-simple-tenant-usage:show")
    rows, nxt = _tenant_usages(ctx, pid)
    links = NOVA.next_links(request, "tenant_usage", nxt) if nxt else {}
    return QUOTA_SET.respond(ctx, {"tenant_usage": rows[0] if rows else {}, **links})


# --- seed -----------------------------------------------------------------------------

_STEPS = [20, 40, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]


def _roomy(used: int, default: int, unit: int = 1) -> int:
    """A round limit that leaves the project comfortable room (used below ~60%)."""
    if used <= default * 0.6:
        return default
    for step in _STEPS:
        if used <= step * unit * 0.6:
            return step * unit
    return int(math.ceil(used / 0.6))


def seed(store: Store) -> None:
    """Give every project limits that fit it; a few near their limits, one or two over."""
    usage = usage_of(store)
    quotas = store.table("compute_quotas")
    member_project = next((p["id"] for p in store.table("projects").values()
                           if p.get("name") == store.meta.get("member_project")), None)
    projects = project_ids(store)
    for pid in projects:
        used = usage.get(pid, {"instances": 0, "cores": 0, "ram": 0})
        record: Record = {"id": pid}
        for key, unit in (("instances", 1), ("cores", 1), ("ram", 1024)):
            limit = _roomy(used[key], DEFAULTS[key], unit if key == "ram" else 1)
            if key == "ram" and limit != DEFAULTS["ram"]:
                limit = max(limit, DEFAULTS["ram"])
            if limit != DEFAULTS[key]:
                record[key] = limit
        if len(record) > 1:
            quotas[pid] = record
    # The tight ones: the busiest projects other than the member's own.
    busy = sorted((p for p in projects if p != member_project and usage.get(p, {}).get(
        "instances", 0) >= 2), key=lambda p: (-usage[p]["instances"], p))
    plans: list[tuple[str, float]] = [("instances", 0.0), ("cores", 0.9), ("ram", 0.85),
                                      ("instances", 0.95), ("cores", 0.0)]
    for pid, (key, ratio) in zip(busy, plans, strict=False):
        used_n = usage[pid][key]
        if ratio == 0.0:  # over: the limit was lowered after the servers were built
            limit = max(1, used_n - max(1, used_n // 5))
        else:  # near: 80-99 % used
            limit = max(used_n + 1, int(math.ceil(used_n / ratio)))
            if key == "ram":
                limit = max(used_n + 1, int(math.ceil(used_n / ratio / 256.0) * 256))
        quotas.setdefault(pid, {"id": pid})[key] = limit


def routes() -> list[BaseRoute]:
    qs = "/v2.1/os-quota-sets/{project_id}"
    usage = "/v2.1/os-simple-tenant-usage"
    return [
        Route("/v2.1/limits", _limits, methods=["GET"]),
        Route("/v2.1/os-quota-class-sets/{id}", _show_class, methods=["GET"]),
        Route("/v2.1/os-quota-class-sets/{id}", _update_class, methods=["PUT"]),
        Route(qs, _show_quota, methods=["GET"]),
        Route(qs, _update_quota, methods=["PUT", "POST"]),
        Route(qs, _reset_quota, methods=["DELETE"]),
        Route(qs + "/detail", _show_quota, methods=["GET"]),
        Route(qs + "/defaults", _quota_defaults, methods=["GET"]),
        Route(usage, _list_usage, methods=["GET"]),
        Route(usage + "/{project_id}", _show_usage, methods=["GET"]),
    ]
