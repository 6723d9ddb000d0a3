"""Nova's os-aggregates API: CRUD and the add_host / remove_host / set_metadata actions."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, json_body
from ...store import Record, Store, isotime, now
from .admin import host_index, new_aggregate, reindex
from .common import Ctx, context, reply, validation_error
from .hypervisors import fields

__all__ = ["routes"]


def _agg_view(agg: Record, full: bool = True) -> Record:
    view = dict(agg)
    if not full:
        view.pop("hosts")
        view.pop("metadata")
    return view


def _get_aggregate(ctx: Ctx, agg_id: str) -> Record:
    agg = ctx.store.table("aggregates").get(agg_id)
    if agg is None:
        raise ApiError(404, f"Aggregate {agg_id} could not be found.")
    return agg


def _check_name(value: Any, field_name: str, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 255 or \
            value != value.strip():
        raise validation_error(field_name, value, "It must be a string of 1 to 255 "
                                                  "characters without leading or trailing "
                                                  "whitespace.")


async def _list_aggregates(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-aggregates:index")
    aggs = sorted(ctx.store.table("aggregates").values(), key=lambda a: a["id"])
    return reply(ctx, {"aggregates": [_agg_view(a) for a in aggs]})


async def _create_aggregate(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-aggregates:create")
    outer = fields(await json_body(request), {"aggregate"}, {"aggregate"})
    body = fields(outer["aggregate"], {"name", "availability_zone"}, {"name"})
    _check_name(body["name"], "name")
    _check_name(body.get("availability_zone"), "availability_zone", nullable=True)
    if any(a["name"] == body["name"] for a in ctx.store.table("aggregates").values()):
        raise ApiError(409, f"Aggregate {body['name']} already exists.")
    agg = new_aggregate(ctx.store, body["name"], body.get("availability_zone"), {})
    agg["created_at"] = isotime(now(), micro=True, zulu=False)
    return reply(ctx, {"aggregate": _agg_view(agg, full=False)})


async def _show_aggregate(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-aggregates:show")
    return reply(ctx, {"aggregate": _agg_view(_get_aggregate(ctx, request.path_params["aggregate_id"]))})


async def _update_aggregate(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-aggregates:update")
    agg = _get_aggregate(ctx, request.path_params["aggregate_id"])
    outer = fields(await json_body(request), {"aggregate"}, {"aggregate"})
    body = fields(outer["aggregate"], {"name", "availability_zone"})
    if not body:
        raise validation_error("aggregate", body, "{} does not have enough properties")
    if "name" in body:
        _check_name(body["name"], "name")
        if any(a["name"] == body["name"] and a is not agg
               for a in ctx.store.table("aggregates").values()):
            raise ApiError(409, f"Aggregate {body['name']} already exists.")
        agg["name"] = body["name"]
    if "availability_zone" in body:
        _check_name(body["availability_zone"], "availability_zone", nullable=True)
        _set_az(ctx.store, agg, body["availability_zone"])
    agg["updated_at"] = isotime(now(), micro=True, zulu=False)
    return reply(ctx, {"aggregate": _agg_view(agg)})


async def _delete_aggregate(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-aggregates:delete")
    agg = _get_aggregate(ctx, request.path_params["aggregate_id"])
    if agg["hosts"]:
        raise ApiError(400, f"Cannot perform action 'delete' on aggregate {agg['id']}. "
                            "Reason: Host aggregate is not empty.")
    del ctx.store.table("aggregates")[str(agg["id"])]
    return reply(ctx, None, 200)


def _set_az(store: Store, agg: Record, az: str | None) -> None:
    agg["availability_zone"] = az
    if az:
        agg["metadata"]["availability_zone"] = az
    else:
        agg["metadata"].pop("availability_zone", None)
    for host in agg["hosts"]:
        _host_zone(store, host)


def _host_zone(store: Store, host: str) -> None:
    """Recompute a host's AZ from the aggregates it is in (default ``nova``)."""
    zone = next((a["availability_zone"] for a in store.table("aggregates").values()
                 if host in a["hosts"] and a["availability_zone"]), "nova")
    for svc in store.table("compute_services").values():
        if svc["host"] == host and svc["binary"] == "nova-compute":
            svc["zone"] = zone
    hid = host_index(store)["by_name"].get(host)
    if hid:
        store.table("hypervisors")[hid]["_az"] = zone
        reindex(store)


async def _aggregate_action(request: Request) -> Response:
    ctx = context(request)
    agg = _get_aggregate(ctx, request.path_params["aggregate_id"])
    raw = await json_body(request)
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ApiError(400, "Invalid input for field/attribute body. Exactly one action of "
                            "add_host, remove_host, set_metadata is required.")
    action, arg = next(iter(raw.items()))
    if action not in ("add_host", "remove_host", "set_metadata"):
        raise ApiError(400, f"Invalid input for field/attribute body. Additional properties "
                            f"are not allowed ('{action}' was unexpected)")
    ctx.require_admin(f"os_compute_api:os-aggregates:{action}")
    if action == "set_metadata":
        meta = fields(arg, {"metadata"}, {"metadata"})["metadata"]
        if not isinstance(meta, dict) or not all(
                isinstance(k, str) and 1 <= len(k) <= 255
                and (v is None or isinstance(v, (str, int, float))) for k, v in meta.items()):
            raise validation_error("metadata", meta, "It must be an object of string keys "
                                                     "and string or null values.")
        for key, value in meta.items():
            if key == "availability_zone":
                _set_az(ctx.store, agg, None if value is None else str(value))
            elif value is None:
                agg["metadata"].pop(key, None)
            else:
                agg["metadata"][key] = str(value)
    else:
        host = fields(arg, {"host"}, {"host"})["host"]
        _check_name(host, "host")
        if action == "add_host":
            if host not in host_index(ctx.store)["by_name"]:
                raise ApiError(404, f"Compute host {host} could not be found.")
            if host in agg["hosts"]:
                raise ApiError(409, f"Aggregate {agg['id']} already has host {host}.")
            zone = next((a["availability_zone"] for a in ctx.store.table("aggregates").values()
                         if host in a["hosts"] and a["availability_zone"]), None)
            if agg["availability_zone"] and zone and zone != agg["availability_zone"]:
                raise ApiError(409, f"Cannot add host to aggregate {agg['id']}. Reason: One "
                                    "or more hosts already in availability zone(s) "
                                    f"['{zone}'].")
            agg["hosts"].append(host)
        else:
            if host not in agg["hosts"]:
                raise ApiError(404, f"Aggregate {agg['id']} has no host {host}.")
            agg["hosts"].remove(host)
        _host_zone(ctx.store, host)
    agg["updated_at"] = isotime(now(), micro=True, zulu=False)
    return reply(ctx, {"aggregate": _agg_view(agg)})


def routes() -> list[BaseRoute]:
    return [
        Route("/v2.1/os-aggregates", _list_aggregates, methods=["GET"]),
        Route("/v2.1/os-aggregates", _create_aggregate, methods=["POST"]),
        Route("/v2.1/os-aggregates/{aggregate_id}", _show_aggregate, methods=["GET"]),
        Route("/v2.1/os-aggregates/{aggregate_id}", _update_aggregate, methods=["PUT"]),
        Route("/v2.1/os-aggregates/{aggregate_id}", _delete_aggregate, methods=["DELETE"]),
        Route("/v2.1/os-aggregates/{aggregate_id}/action", _aggregate_action,
              methods=["POST"]),
    ]
