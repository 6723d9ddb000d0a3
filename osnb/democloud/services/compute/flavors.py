"""Nova flavors: list/detail/show, create/delete (admin), extra specs and flavor access."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, json_body
from ...store import Record, Store
from .common import Ctx, bad_request, context, reply, validation_error
from .views import flavor_view

__all__ = ["FLAVORS", "new_flavor", "routes", "seed_flavors"]

# (id, name, vcpus, ram MB, disk GB, ephemeral GB, swap MB, public, extra specs, description)
FLAVORS: list[tuple[str, str, int, int, int, int, int, bool, dict[str, str], str | None]] = [
    ("1", "m1.tiny", 1, 512, 1, 0, 0, True, {}, None),
    ("2", "m1.small", 1, 2048, 20, 0, 0, True, {}, None),
    ("3", "m1.medium", 2, 4096, 40, 0, 0, True, {}, None),
    ("4", "m1.large", 4, 8192, 80, 0, 0, True, {}, None),
    ("5", "m1.xlarge", 8, 16384, 160, 0, 0, True, {}, None),
    ("c2.large", "c2.large", 8, 16384, 40, 0, 0, True,
     {"hw:cpu_policy": "dedicated", "hw:cpu_thread_policy": "prefer"},
     "Compute optimised, dedicated cores"),
    ("c2.xlarge", "c2.xlarge", 16, 32768, 40, 0, 0, True,
     {"hw:cpu_policy": "dedicated", "hw:cpu_thread_policy": "prefer"},
     "Compute optimised, dedicated cores"),
    ("r2.xlarge", "r2.xlarge", 8, 65536, 80, 0, 4096, True,
     {"aggregate_instance_extra_specs:highmem": "true"}, "Memory optimised"),
    ("r2.2xlarge", "r2.2xlarge", 16, 131072, 160, 0, 8192, True,
     {"aggregate_instance_extra_specs:highmem": "true"}, "Memory optimised"),
    ("g1.a100", "gpu.a100.1", 12, 98304, 200, 100, 0, False,
     {"pci_passthrough:alias": "a100:1", "aggregate_instance_extra_specs:gpu": "true",
      "hw:cpu_policy": "dedicated"}, "One NVIDIA A100 (request access from the GPU team)"),
    ("d1.local", "d1.local-nvme", 4, 16384, 40, 400, 0, True,
     {"hw:disk_bus": "virtio", "quota:disk_total_iops_sec": "20000"},
     "Local NVMe ephemeral disk"),
]


def new_flavor(store: Store, *, fid: str, name: str, vcpus: int, ram: int, disk: int,
               ephemeral: int = 0, swap: int = 0, is_public: bool = True,
               extra_specs: dict[str, str] | None = None, description: str | None = None,
               rxtx_factor: float = 1.0) -> Record:
    rec: Record = {
        "id": fid, "name": name, "ram": ram, "disk": disk, "swap": swap,
        "OS-FLV-EXT-DATA:ephemeral": ephemeral, "OS-FLV-DISABLED:disabled": False,
        "vcpus": vcpus, "os-flavor-access:is_public": is_public, "rxtx_factor": rxtx_factor,
        "description": description, "extra_specs": dict(extra_specs or {}), "_access": [],
    }
    store.table("flavors")[fid] = rec
    return rec


def seed_flavors(store: Store, project_ids: list[str]) -> None:
    for fid, name, vcpus, ram, disk, eph, swap, public, specs, desc in FLAVORS:
        rec = new_flavor(store, fid=fid, name=name, vcpus=vcpus, ram=ram, disk=disk,
                         ephemeral=eph, swap=swap, is_public=public, extra_specs=specs,
                         description=desc)
        if not public and project_ids:
            rec["_access"] = project_ids[: max(1, len(project_ids) // 3)]


def _visible(ctx: Ctx, flavor: Record) -> bool:
    return ctx.admin or flavor["os-flavor-access:is_public"] or \
        ctx.token.project_id in flavor["_access"]


def get_flavor(ctx: Ctx, flavor_id: str) -> Record:
    flavor = ctx.store.table("flavors").get(flavor_id)
    if flavor is None or not _visible(ctx, flavor):
        raise ApiError(404, f"Flavor {flavor_id} could not be found.")
    return flavor


def _int_param(q: Any, name: str) -> int | None:
    if name not in q:
        return None
    try:
        return int(q[name])
    except ValueError:
        raise bad_request(f"Invalid {name} filter [{q[name]}]") from None


_FLAVOR_SORT = {"id": lambda f: _sortable_id(f["id"]), "flavorid": lambda f: _sortable_id(
    f["id"]), "name": lambda f: f["name"], "memory_mb": lambda f: f["ram"],
    "vcpus": lambda f: f["vcpus"], "root_gb": lambda f: f["disk"],
    "ephemeral_gb": lambda f: f["OS-FLV-EXT-DATA:ephemeral"], "swap": lambda f: f["swap"],
    "rxtx_factor": lambda f: f["rxtx_factor"], "disabled": lambda f: False,
    "is_public": lambda f: f["os-flavor-access:is_public"], "created_at": lambda f: 0,
    "description": lambda f: f.get("description") or ""}


def _sortable_id(fid: str) -> tuple[int, str]:
    return (0, f"{int(fid):020d}") if fid.isdigit() else (1, fid)


async def _list(request: Request, detail: bool) -> Response:
    ctx = context(request)
    q = request.query_params
    flavors = [f for f in ctx.store.table("flavors").values() if _visible(ctx, f)]
    is_public = q.get("is_public")
    if ctx.admin and is_public is not None:
        low = is_public.lower()
        if low in ("none",):
            pass
        elif low in ("1", "true", "t", "yes", "y", "on"):
            flavors = [f for f in flavors if f["os-flavor-access:is_public"]]
        elif low in ("0", "false", "f", "no", "n", "off"):
            flavors = [f for f in flavors if not f["os-flavor-access:is_public"]]
        else:
            raise bad_request(f"Invalid is_public filter [{is_public}]")
    elif ctx.admin:
        flavors = [f for f in flavors if f["os-flavor-access:is_public"]]
    min_ram, min_disk = _int_param(q, "minRam"), _int_param(q, "minDisk")
    if min_ram is not None:
        flavors = [f for f in flavors if f["ram"] >= min_ram]
    if min_disk is not None:
        flavors = [f for f in flavors if f["disk"] >= min_disk]
    sort_key = q.get("sort_key", "flavorid")
    sort_dir = q.get("sort_dir", "asc")
    if sort_key not in _FLAVOR_SORT:
        raise bad_request(f"Invalid input for query parameters sort_key. Value: {sort_key}.")
    if sort_dir not in ("asc", "desc"):
        raise bad_request(f"Invalid input for query parameters sort_dir. Value: {sort_dir}.")
    flavors.sort(key=_FLAVOR_SORT[sort_key], reverse=sort_dir == "desc")
    marker = q.get("marker")
    if marker is not None:
        ids = [f["id"] for f in flavors]
        if marker not in ids:
            raise bad_request(f"marker [{marker}] not found")
        flavors = flavors[ids.index(marker) + 1:]
    limit = _int_param(q, "limit")
    limit = 1000 if limit is None else min(limit, 1000)
    if limit < 0:
        raise bad_request("limit must be >= 0")
    page = flavors[:limit]
    body: dict[str, Any] = {"flavors": [flavor_view(ctx.base, f, ctx.mv, detail=detail,
                                                    admin=ctx.admin) for f in page]}
    if page and len(page) == limit:
        from urllib.parse import urlencode

        params = [(k, v) for k, v in q.multi_items() if k != "marker"]
        params.append(("marker", page[-1]["id"]))
        body["flavors_links"] = [{"href": f"{ctx.base}{request.url.path}?"
                                          f"{urlencode(params)}", "rel": "next"}]
    return reply(ctx, body)


async def list_flavors(request: Request) -> Response:
    return await _list(request, False)


async def list_flavors_detail(request: Request) -> Response:
    return await _list(request, True)


async def show_flavor(request: Request) -> Response:
    ctx = context(request)
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    return reply(ctx, {"flavor": flavor_view(ctx.base, flavor, ctx.mv, admin=ctx.admin)})


def _nonneg_int(name: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise validation_error(f"flavor/{name}", value,
                               f"{value!r} is not a valid integer >= {minimum}")
    return value


async def create_flavor(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-flavor-manage:create")
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("flavor"), dict):
        raise bad_request("'flavor' is a required property")
    spec = body["flavor"]
    allowed = {"name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap",
               "rxtx_factor", "os-flavor-access:is_public", "description"}
    extra = set(spec) - allowed
    if extra:
        raise validation_error("flavor", spec, "Additional properties are not allowed "
                               f"({', '.join(repr(e) for e in sorted(extra))} was unexpected)")
    for required in ("name", "ram", "vcpus", "disk"):
        if required not in spec:
            raise validation_error("flavor", spec, f"'{required}' is a required property")
    name = spec["name"]
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise validation_error("flavor/name", name, "is not a valid flavor name")
    fid = spec.get("id")
    if fid is None:
        import uuid

        fid = str(uuid.uuid4())
    fid = str(fid)
    flavors = ctx.store.table("flavors")
    if fid in flavors:
        raise ApiError(409, f"Flavor with ID {fid} already exists.")
    if any(f["name"] == name for f in flavors.values()):
        raise ApiError(409, f"Flavor with name {name} already exists.")
    is_public = spec.get("os-flavor-access:is_public", True)
    if not isinstance(is_public, bool):
        raise validation_error("flavor/os-flavor-access:is_public", is_public,
                               "is not of type 'boolean'")
    rec = new_flavor(ctx.store, fid=fid, name=name, vcpus=_nonneg_int("vcpus", spec["vcpus"], 1),
                     ram=_nonneg_int("ram", spec["ram"], 1),
                     disk=_nonneg_int("disk", spec["disk"]),
                     ephemeral=_nonneg_int("OS-FLV-EXT-DATA:ephemeral",
                                           spec.get("OS-FLV-EXT-DATA:ephemeral", 0)),
                     swap=_nonneg_int("swap", spec.get("swap", 0)), is_public=is_public,
                     description=spec.get("description"),
                     rxtx_factor=float(spec.get("rxtx_factor", 1.0)))
    return reply(ctx, {"flavor": flavor_view(ctx.base, rec, ctx.mv, admin=True)})


async def delete_flavor(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-flavor-manage:delete")
    fid = request.path_params["flavor_id"]
    if ctx.store.table("flavors").pop(fid, None) is None:
        raise ApiError(404, f"Flavor {fid} could not be found.")
    return Response(status_code=202, headers=ctx.headers)


async def flavor_update(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-flavor-manage:update")
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    if not ctx.at_least(2, 55):
        raise ApiError(405, "The method is not allowed for the requested URL.")
    body = await json_body(request)
    spec = body.get("flavor") if isinstance(body, dict) else None
    if not isinstance(spec, dict) or set(spec) != {"description"}:
        raise bad_request("'description' is a required property")
    flavor["description"] = spec["description"]
    return reply(ctx, {"flavor": flavor_view(ctx.base, flavor, ctx.mv, admin=True)})


# -- extra specs --------------------------------------------------------------------------

def _specs_body(body: Any) -> dict[str, str]:
    if not isinstance(body, dict) or not isinstance(body.get("extra_specs"), dict):
        raise bad_request("'extra_specs' is a required property")
    specs = body["extra_specs"]
    for k, v in specs.items():
        if not 1 <= len(k) <= 255 or not isinstance(v, (str, int, float, bool)):
            raise validation_error("extra_specs", specs, f"{k!r} is not a valid extra spec")
    return {k: str(v) if not isinstance(v, str) else v for k, v in specs.items()}


async def extra_specs(request: Request) -> Response:
    ctx = context(request)
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    if request.method == "GET":
        return reply(ctx, {"extra_specs": flavor["extra_specs"]})
    ctx.require_admin("os_compute_api:os-flavor-extra-specs:create")
    specs = _specs_body(await json_body(request))
    flavor["extra_specs"].update(specs)
    return reply(ctx, {"extra_specs": specs})


async def extra_spec(request: Request) -> Response:
    ctx = context(request)
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    key = request.path_params["key"]
    if request.method == "GET":
        if key not in flavor["extra_specs"]:
            raise ApiError(404, f"Flavor {flavor['id']} has no extra specs with key {key}.")
        return reply(ctx, {key: flavor["extra_specs"][key]})
    if request.method == "DELETE":
        ctx.require_admin("os_compute_api:os-flavor-extra-specs:delete")
        if key not in flavor["extra_specs"]:
            raise ApiError(404, f"Flavor {flavor['id']} has no extra specs with key {key}.")
        del flavor["extra_specs"][key]
        return Response(status_code=200, headers=ctx.headers)
    ctx.require_admin("os_compute_api:os-flavor-extra-specs:update")
    body = await json_body(request)
    if not isinstance(body, dict) or len(body) != 1:
        raise bad_request("Request body contains too many items")
    if key not in body:
        raise bad_request("Request body and URI mismatch")
    value = body[key]
    flavor["extra_specs"][key] = value if isinstance(value, str) else str(value)
    return reply(ctx, {key: flavor["extra_specs"][key]})


# -- flavor access ------------------------------------------------------------------------

def _access_list(flavor: Record) -> dict[str, Any]:
    return {"flavor_access": [{"flavor_id": flavor["id"], "tenant_id": p}
                              for p in flavor["_access"]]}


async def flavor_access(request: Request) -> Response:
    ctx = context(request)
    ctx.require_admin("os_compute_api:os-flavor-access")
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    if flavor["os-flavor-access:is_public"]:
        raise ApiError(404, "Access list not available for public flavors.")
    return reply(ctx, _access_list(flavor))


async def flavor_action(request: Request) -> Response:
    ctx = context(request)
    flavor = get_flavor(ctx, request.path_params["flavor_id"])
    body = await json_body(request)
    if not isinstance(body, dict) or len(body) != 1:
        raise bad_request("Malformed request body")
    action, arg = next(iter(body.items()))
    if action not in ("addTenantAccess", "removeTenantAccess"):
        raise ApiError(404, f"There is no such action: {action}")
    ctx.require_admin(f"os_compute_api:os-flavor-access:{'add' if action[0] == 'a' else 'remove'}"
                      "_tenant_access")
    if not isinstance(arg, dict) or not isinstance(arg.get("tenant"), str):
        raise validation_error(action, arg, "'tenant' is a required property")
    tenant = arg["tenant"]
    if flavor["os-flavor-access:is_public"]:
        raise ApiError(409, "Can not add access to a public flavor.")
    if action == "addTenantAccess":
        if tenant in flavor["_access"]:
            raise ApiError(409, f"Flavor access already exists for flavor {flavor['id']} "
                                f"and project {tenant} combination.")
        flavor["_access"].append(tenant)
    else:
        if tenant not in flavor["_access"]:
            raise ApiError(404, f"Flavor access not found for {flavor['id']} / {tenant} "
                                "combination.")
        flavor["_access"].remove(tenant)
    return reply(ctx, _access_list(flavor))


def routes() -> list[BaseRoute]:
    f = "/v2.1/flavors/{flavor_id}"
    return [
        Route("/v2.1/flavors", list_flavors, methods=["GET"]),
        Route("/v2.1/flavors", create_flavor, methods=["POST"]),
        Route("/v2.1/flavors/detail", list_flavors_detail, methods=["GET"]),
        Route(f, show_flavor, methods=["GET"]),
        Route(f, flavor_update, methods=["PUT"]),
        Route(f, delete_flavor, methods=["DELETE"]),
        Route(f"{f}/action", flavor_action, methods=["POST"]),
        Route(f"{f}/os-flavor-access", flavor_access, methods=["GET"]),
        Route(f"{f}/os-extra_specs", extra_specs, methods=["GET", "POST"]),
        Route(f"{f}/os-extra_specs/{{key}}", extra_spec, methods=["GET", "PUT", "DELETE"]),
    ]
