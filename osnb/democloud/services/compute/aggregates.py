"""Nova's os-aggregates: an admin-only engine collection, plus its add_host /
remove_host / set_metadata actions and what a zone change does to the hosts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_body
from ...store import Record, Store
from ._dialect import NOVA, NOVA_BODY, NovaCollection
from ._dialect import Ctx as NovaCtx
from .admin import host_index, new_aggregate, reindex
from .hypervisors import UUID_RE

__all__ = ["AGGREGATE", "routes"]

_NAME = "It must be a string of 1 to 255 characters without leading or trailing whitespace."
WORDS = replace(NOVA_BODY, reasons={"name": _NAME, "availability_zone": _NAME, "host": _NAME},
                ignored_params=frozenset({"fields", "limit", "marker", "sort_key", "sort_dir"}))


def _name(field: str, value: Any) -> None:
    if isinstance(value, str) and (not value.strip() or value != value.strip()):
        raise WORDS.invalid(field, value, "type")


class Aggregates(NovaCollection):
    """Host aggregates: names unique, a zone passed on to their hosts."""

    def get(self, ctx: Ctx, ident: str) -> Record:
        if not ctx.admin:
            raise self.dialect.forbidden(self.rule("show"))
        return super().get(ctx, ident)

    def shape(self, ctx: Ctx, record: Record) -> Record:
        if ctx.request.method == "POST":  # a new aggregate is shown without hosts
            return {k: v for k, v in record.items() if k not in ("hosts", "metadata")}
        return record

    def _unique(self, ctx: Ctx, name: str, record: Record | None = None) -> None:
        _name("name", name)
        if any(a["name"] == name and a is not record for a in self.records(ctx.store).values()):
            raise ApiError(409, f"Aggregate {name} already exists.")

    def new_record(self, ctx: Ctx, values: Mapping[str, Any]) -> Record:
        self._unique(ctx, values["name"])
        _name("availability_zone", values.get("availability_zone"))
        agg = new_aggregate(ctx.store, values["name"], values.get("availability_zone"), {})
        agg["created_at"] = self.dialect.stamp()
        return agg

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if not changes:
            raise NOVA.schema("aggregate", changes, "{} does not have enough properties")
        if "name" in changes:
            self._unique(ctx, changes["name"], record)
        if "availability_zone" in changes:
            _name("availability_zone", changes["availability_zone"])
            _set_az(ctx.store, record, changes["availability_zone"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record["hosts"]:
            raise ApiError(400, f"Cannot perform action 'delete' on aggregate {record['id']}. "
                                "Reason: Host aggregate is not empty.")


AGGREGATE = Aggregates(
    "aggregate", "aggregates", WORDS, path="os-aggregates",
    fields={"name": Field(required=True, max_length=255),
            "availability_zone": Field(nullable=True, max_length=255)},
    visibility="admin", write="admin", policy_first=True, project_key=None,
    default_sort_keys=(("id", "asc"),),
    rules={"list": "os_compute_api:os-aggregates:index",
           **{a: f"os_compute_api:os-aggregates:{a}"
              for a in ("show", "create", "update", "delete")}},
    create_status=200, delete_status=200)


def _set_az(store: Store, agg: Record, az: str | None) -> None:
    agg["availability_zone"] = az
    if az:
        agg["metadata"]["availability_zone"] = az
    else:
        agg["metadata"].pop("availability_zone", None)
    for host in agg["hosts"]:
        _host_zone(store, host)


def _zone_of(store: Store, host: str) -> str | None:
    return next((a["availability_zone"] for a in AGGREGATE.records(store).values()
                 if host in a["hosts"] and a["availability_zone"]), None)


def _host_zone(store: Store, host: str) -> None:
    """Recompute a host's AZ from the aggregates it is in (default ``nova``)."""
    zone = _zone_of(store, host) or "nova"
    for svc in store.table("compute_services").values():
        if svc["host"] == host and svc["binary"] == "nova-compute":
            svc["zone"] = zone
    hid = host_index(store)["by_name"].get(host)
    if hid:
        store.table("hypervisors")[hid]["_az"] = zone
        reindex(store)


async def aggregate_action(request: Request) -> Response:
    ctx = AGGREGATE.context(request)
    agg = AGGREGATE.records(ctx.store).get(request.path_params["id"])
    if agg is None:  # the action's own policy is checked once the body names it
        raise WORDS.not_found("aggregate", request.path_params["id"])
    raw = await json_body(request)
    if not isinstance(raw, dict) or len(raw) != 1:
        raise NOVA.bad("Invalid input for field/attribute body. Exactly one action of "
                       "add_host, remove_host, set_metadata is required.")
    action, arg = next(iter(raw.items()))
    if action not in ("add_host", "remove_host", "set_metadata"):
        raise NOVA.bad("Invalid input for field/attribute body. Additional properties "
                       f"are not allowed ('{action}' was unexpected)")
    ctx.require_admin(f"os_compute_api:os-aggregates:{action}")
    if action == "set_metadata":
        meta = WORDS.check_keys(arg, ["metadata"], ["metadata"])["metadata"]
        if not isinstance(meta, dict) or not all(
                isinstance(k, str) and 1 <= len(k) <= 255
                and (v is None or isinstance(v, (str, int, float))) for k, v in meta.items()):
            raise NOVA.schema("metadata", meta, "It must be an object of string keys and "
                                                "string or null values.")
        for key, value in meta.items():
            if key == "availability_zone":
                _set_az(ctx.store, agg, None if value is None else str(value))
            elif value is None:
                agg["metadata"].pop(key, None)
            else:
                agg["metadata"][key] = str(value)
    else:
        host = WORDS.check_keys(arg, ["host"], ["host"])["host"]
        if not isinstance(host, str) or not 1 <= len(host) <= 255:
            raise WORDS.invalid("host", host, "type")
        _name("host", host)
        if action == "add_host":
            if host not in host_index(ctx.store)["by_name"]:
                raise ApiError(404, f"Compute host {host} could not be found.")
            if host in agg["hosts"]:
                raise ApiError(409, f"Aggregate {agg['id']} already has host {host}.")
            zone = _zone_of(ctx.store, host)
            if agg["availability_zone"] and zone and zone != agg["availability_zone"]:
                raise ApiError(409, f"Cannot add host to aggregate {agg['id']}. Reason: One "
                                    "or more hosts already in availability zone(s) "
                                    f"['{zone}'].")
            agg["hosts"].append(host)
        elif host in agg["hosts"]:
            agg["hosts"].remove(host)
        else:
            raise ApiError(404, f"Aggregate {agg['id']} has no host {host}.")
        _host_zone(ctx.store, host)
    agg["updated_at"] = WORDS.stamp()
    return AGGREGATE.respond(ctx, {"aggregate": agg})


async def cache_images(request: Request) -> Response:
    """``POST /os-aggregates/{id}/images`` (2.81): pre-cache images on the aggregate's hosts.

    Nova checks the body, the aggregate and that Glance has every image, then casts the
    work to the hosts and answers 202; the hosts' caches are not visible in the API, so
    nothing here records them."""
    ctx = AGGREGATE.context(request)
    assert isinstance(ctx, NovaCtx)
    NOVA.gate(ctx.request, (2, 81))
    ctx.require_admin("compute:aggregates:images")
    ident = request.path_params["id"]
    if not ident.isdigit():
        raise NOVA.bad(f"Invalid input for id. Reason: {ident} is not an integer.")
    raw = await json_body(request)
    cache = WORDS.check_keys(raw, ["cache"], ["cache"])["cache"]
    if not isinstance(cache, list) or not cache:
        raise NOVA.schema("cache", cache, f"{cache!r} is too short" if cache == [] else
                          f"{cache!r} is not of type 'array'")
    wanted: list[str] = []
    for item in cache:
        spec = WORDS.check_keys(item, ["id"], ["id"]) if isinstance(item, dict) else None
        if spec is None or not isinstance(spec["id"], str) or not UUID_RE.match(spec["id"]):
            raise NOVA.schema("cache", item, "It must be an object with an image uuid 'id'.")
        wanted.append(spec["id"])
    if len(set(wanted)) != len(wanted):
        raise NOVA.bad("Duplicate images in request")
    agg = AGGREGATE.records(ctx.store).get(ident)
    if agg is None:
        raise ApiError(404, f"Aggregate {ident} could not be found.")
    images = ctx.store.table("images")
    for image_id in wanted:
        if image_id not in images:
            raise NOVA.bad(f"Image {image_id} could not be found.")
    return AGGREGATE.respond(ctx, None, 202)


def routes() -> list[BaseRoute]:
    return [*AGGREGATE.routes("/v2.1"),
            Route("/v2.1/os-aggregates/{id}/action", aggregate_action, methods=["POST"]),
            Route("/v2.1/os-aggregates/{id}/images", cache_images, methods=["POST"])]
