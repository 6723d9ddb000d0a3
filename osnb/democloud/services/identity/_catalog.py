"""The catalog's admin API: regions, services and endpoints."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...http import ApiError, auth, json_response, store_of
from ...store import Record, Store
from ._common import (
    OPT_S,
    B,
    S,
    apply_patch,
    collection,
    conflict,
    crud_routes,
    enforce,
    filtered,
    get,
    new_hex_id,
    read_body,
    show_handler,
    view,
)

__all__ = ["catalog_routes"]


async def list_regions(request: Request) -> Response:
    auth(request)
    store = store_of(request)
    records = filtered(request, store.table("regions").values(), ("parent_region_id",))
    return json_response(collection(request, "regions", [view(request, "regions", r)
                                                         for r in records]))


async def create_region(request: Request) -> Response:
    enforce(request, "create_region")
    store = store_of(request)
    obj = await read_body(request, "region", types={"id": S, "description": OPT_S,
                                                    "parent_region_id": OPT_S})
    rid = obj.get("id") or new_hex_id()
    if rid in store.table("regions"):
        raise conflict("region", f"Duplicate ID, {rid}")
    parent = obj.get("parent_region_id")
    if parent is not None:
        get(store, "regions", "region", parent)
    record: Record = {"id": rid, "description": obj.get("description", ""),
                      "parent_region_id": parent}
    store.table("regions")[rid] = record
    return json_response({"region": view(request, "regions", record)}, 201)


async def get_region(request: Request) -> Response:
    auth(request)
    store = store_of(request)
    return json_response({"region": view(request, "regions", get(
        store, "regions", "region", request.path_params["id"]))})


async def update_region(request: Request) -> Response:
    enforce(request, "update_region")
    store = store_of(request)
    record = get(store, "regions", "region", request.path_params["id"])
    obj = await read_body(request, "region", types={"description": OPT_S,
                                                    "parent_region_id": OPT_S})
    apply_patch(record, obj)
    return json_response({"region": view(request, "regions", record)})


async def delete_region(request: Request) -> Response:
    enforce(request, "delete_region")
    store = store_of(request)
    record = get(store, "regions", "region", request.path_params["id"])
    del store.table("regions")[record["id"]]
    return json_response(None, 204)


_SERVICE_TYPES = {"type": S, "name": S, "enabled": B, "description": OPT_S}


async def list_services(request: Request) -> Response:
    enforce(request, "list_services")
    store = store_of(request)
    records = filtered(request, store.table("services").values(), ("type", "name"))
    return json_response(collection(request, "services", [view(request, "services", s)
                                                          for s in records]))


async def create_service(request: Request) -> Response:
    enforce(request, "create_service")
    store = store_of(request)
    obj = await read_body(request, "service", required=("type",), types=_SERVICE_TYPES)
    sid = new_hex_id()
    record: Record = {"id": sid, "type": obj["type"], "name": obj.get("name", ""),
                      "enabled": obj.get("enabled", True),
                      "description": obj.get("description", "")}
    store.table("services")[sid] = record
    return json_response({"service": view(request, "services", record)}, 201)


get_service = show_handler("services", "service")


async def update_service(request: Request) -> Response:
    enforce(request, "update_service")
    store = store_of(request)
    record = get(store, "services", "service", request.path_params["id"])
    apply_patch(record, await read_body(request, "service", types=_SERVICE_TYPES))
    return json_response({"service": view(request, "services", record)})


async def delete_service(request: Request) -> Response:
    enforce(request, "delete_service")
    store = store_of(request)
    record = get(store, "services", "service", request.path_params["id"])
    endpoints = store.table("endpoints")
    for eid in [e["id"] for e in endpoints.values() if e["service_id"] == record["id"]]:
        del endpoints[eid]
    del store.table("services")[record["id"]]
    return json_response(None, 204)


_ENDPOINT_TYPES = {"interface": S, "url": S, "service_id": S, "region_id": OPT_S,
                   "region": OPT_S, "enabled": B}


def _check_endpoint(store: Store, obj: Record) -> None:
    if "interface" in obj and obj["interface"] not in ("public", "internal", "admin"):
        raise ApiError(400, f"Invalid input for field 'interface': {obj['interface']!r} "
                            "does not match '^(?:admin|internal|public)$'.")
    if "service_id" in obj:
        get(store, "services", "service", obj["service_id"])
    region = obj.get("region_id") or obj.get("region")
    if region is not None:
        get(store, "regions", "region", region)
        obj["region_id"] = obj["region"] = region


async def list_endpoints(request: Request) -> Response:
    enforce(request, "list_endpoints")
    store = store_of(request)
    records = filtered(request, store.table("endpoints").values(),
                        ("interface", "service_id", "region_id"))
    return json_response(collection(request, "endpoints", [view(request, "endpoints", e)
                                                           for e in records]))


async def create_endpoint(request: Request) -> Response:
    enforce(request, "create_endpoint")
    store = store_of(request)
    obj = await read_body(request, "endpoint", required=("interface", "url", "service_id"),
                          types=_ENDPOINT_TYPES)
    _check_endpoint(store, obj)
    eid = new_hex_id()
    record: Record = {"id": eid, "interface": obj["interface"],
                      "region": obj.get("region_id"), "region_id": obj.get("region_id"),
                      "service_id": obj["service_id"], "url": obj["url"],
                      "enabled": obj.get("enabled", True)}
    store.table("endpoints")[eid] = record
    return json_response({"endpoint": view(request, "endpoints", record)}, 201)


get_endpoint = show_handler("endpoints", "endpoint")


async def update_endpoint(request: Request) -> Response:
    enforce(request, "update_endpoint")
    store = store_of(request)
    record = get(store, "endpoints", "endpoint", request.path_params["id"])
    obj = await read_body(request, "endpoint", types=_ENDPOINT_TYPES)
    _check_endpoint(store, obj)
    if "url" in obj:
        record.pop("_relative", None)
    apply_patch(record, obj)
    return json_response({"endpoint": view(request, "endpoints", record)})


async def delete_endpoint(request: Request) -> Response:
    enforce(request, "delete_endpoint")
    store = store_of(request)
    record = get(store, "endpoints", "endpoint", request.path_params["id"])
    del store.table("endpoints")[record["id"]]
    return json_response(None, 204)


def catalog_routes() -> list[BaseRoute]:
    """Routes relative to ``/identity``."""
    g = globals()
    out: list[BaseRoute] = []
    for plural, singular in (("regions", "region"), ("services", "service"),
                             ("endpoints", "endpoint")):
        out += crud_routes(plural, {"list": g[f"list_{plural}"],
                                    "create": g[f"create_{singular}"],
                                    "get": g[f"get_{singular}"],
                                    "update": g[f"update_{singular}"],
                                    "delete": g[f"delete_{singular}"]})
    return out
