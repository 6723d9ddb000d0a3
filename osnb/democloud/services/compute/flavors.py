"""Nova flavors: one engine collection (list/detail/show, create/update/delete for admins),
plus their own extra specs and tenant access."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx as EngineCtx
from ...engine import Field, Filter, Pairs, Query
from ...http import ApiError, json_body
from ...store import Record, Store
from ._dialect import NOVA, NOVA_ADMIN, Ctx, NovaCollection
from .views import flavor_view

__all__ = ["FLAVOR", "FLAVORS", "routes", "seed_flavors"]

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
PUBLIC = "os-flavor-access:is_public"
EPHEMERAL = "OS-FLV-EXT-DATA:ephemeral"


def _size(minimum: int, default: Any = None) -> Field:
    return Field(type="int", lenient=True, minimum=minimum, create_only=True,
                 required=default is None, default=0 if default is None else default)


def _reason(minimum: int) -> str:
    return "{value!r} is not a valid integer >= " + str(minimum)


def _sortable_id(flavor: Record) -> str:
    fid = flavor["id"]
    return f"0{int(fid):020d}" if fid.isdigit() else "1" + fid


def _at_least(name: str) -> Callable[[list[str]], Callable[[Any], bool]]:
    def match(values: list[str]) -> Callable[[Any], bool]:
        try:
            bound = int(values[-1])
        except ValueError:
            raise NOVA.bad(f"Invalid {name} filter [{values[-1]}]") from None
        return lambda v: v >= bound
    return match


def _public(values: list[str]) -> Callable[[Any], bool]:
    low = values[-1].lower()
    if low == "none":
        return lambda v: True
    if low in ("1", "true", "t", "yes", "y", "on", "0", "false", "f", "no", "n", "off"):
        wanted = low in ("1", "true", "t", "yes", "y", "on")
        return lambda v: bool(v) is wanted
    raise NOVA.bad(f"Invalid is_public filter [{values[-1]}]")


class Flavors(NovaCollection):
    """A flavor is seen by everyone when public, else by the projects on its access list."""

    def candidates(self, ctx: EngineCtx, query: Query) -> Iterable[Record] | None:
        if ctx.admin and "is_public" not in query.filters:  # an admin's default: public
            return (f for f in self.records(ctx.store).values() if f[PUBLIC])
        return None

    def shape(self, ctx: EngineCtx, record: Record) -> Record:
        assert isinstance(ctx, Ctx)
        return flavor_view(ctx.base, record, ctx.mv, admin=ctx.admin)

    def may_change(self, ctx: EngineCtx, record: Record | None, action: str) -> None:
        super().may_change(ctx, record, action)
        assert isinstance(ctx, Ctx)
        if action == "update" and not ctx.at_least(2, 55):
            raise ApiError(405, "The method is not allowed for the requested URL.")

    async def body(self, request: Request) -> dict[str, Any]:
        if request.method == "PUT":  # only the description changes (2.55)
            doc = await json_body(request)
            spec = doc.get("flavor") if isinstance(doc, dict) else None
            if not isinstance(spec, dict) or set(spec) != {"description"}:
                raise NOVA.bad("'description' is a required property")
            return spec
        return await super().body(request)

    def on_create(self, ctx: EngineCtx, record: Record, body: Mapping[str, Any]) -> None:
        record["id"] = str(record["id"] or self.dialect.new_id())
        name = record["name"]
        if not name.strip():
            raise self.dialect.invalid("name", name, "type")
        flavors = self.records(ctx.store)
        if record["id"] in flavors:
            raise ApiError(409, f"Flavor with ID {record['id']} already exists.")
        if any(f["name"] == name for f in flavors.values()):
            raise ApiError(409, f"Flavor with name {name} already exists.")
        record["rxtx_factor"] = float(record["rxtx_factor"])
        record["_access"] = []


FLAVOR = Flavors(
    "flavor", "flavors", replace(
        NOVA_ADMIN, path="flavor", default_sort=(("flavorid", "asc"),), default_limit=1000,
        bad_limit_words="Invalid limit filter [{value}]", negative_limit_words="limit must be >= 0",
        reasons={"name": "is not a valid flavor name", "ram": _reason(1),
                 "vcpus": _reason(1), "disk": _reason(0), EPHEMERAL: _reason(0),
                 "swap": _reason(0), PUBLIC: "is not of type 'boolean'"}),
    fields={
        "id": Field(type="any", create_only=True, nullable=True, default=None),
        "name": Field(required=True, max_length=255, create_only=True),
        "ram": _size(1), "disk": _size(0), "swap": _size(0, 0), EPHEMERAL: _size(0, 0),
        "OS-FLV-DISABLED:disabled": Field(type="bool", read_only=True, default=False),
        "vcpus": _size(1),
        PUBLIC: Field(type="bool", create_only=True, default=True),
        "rxtx_factor": Field(type="float", lenient=True, create_only=True, default=1.0),
        "description": Field(type="any", nullable=True, default=None),
        "extra_specs": Field(type="dict", read_only=True, default={}),
    },
    filters={"is_public": Filter(admin_only=True, key=PUBLIC, match=_public),
             "minRam": Filter(key="ram", match=_at_least("minRam")),
             "minDisk": Filter(key="disk", match=_at_least("minDisk"))},
    sort_by={"flavorid": _sortable_id, "id": _sortable_id, "name": "name",
              "memory_mb": "ram", "vcpus": "vcpus", "root_gb": "disk",
              "ephemeral_gb": EPHEMERAL, "swap": "swap", "rxtx_factor": "rxtx_factor",
              "disabled": lambda f: False, "is_public": PUBLIC, "created_at": lambda f: 0,
              "description": lambda f: f.get("description") or ""},
    project_key=None, timestamps=None, write="admin", policy_first=True, tie_break=None,
    brief=("id", "links", "name", "description"),
    visibility=lambda ctx, f: bool(f[PUBLIC]) or ctx.token.project_id in f["_access"],
    rules={a: f"os_compute_api:os-flavor-manage:{a}" for a in ("create", "update", "delete")},
    create_status=200, delete_status=202)


def seed_flavors(store: Store, project_ids: list[str]) -> None:
    table = FLAVOR.records(store)
    for fid, name, vcpus, ram, disk, eph, swap, public, specs, desc in FLAVORS:
        table[fid] = {
            "id": fid, "name": name, "ram": ram, "disk": disk, "swap": swap, EPHEMERAL: eph,
            "OS-FLV-DISABLED:disabled": False, "vcpus": vcpus, PUBLIC: public,
            "rxtx_factor": 1.0, "description": desc, "extra_specs": dict(specs),
            "_access": project_ids[: max(1, len(project_ids) // 3)]
            if not public and project_ids else []}


# -- extra specs --------------------------------------------------------------------------

class Specs(Pairs):
    """A flavor's extra specs: anyone who sees the flavor reads them, admins change them
    (a merge answers with what it was sent; the map is never replaced)."""

    def values(self, ctx: EngineCtx, doc: Any, envelope: str | None) -> dict[str, Any]:
        specs = NOVA.inner(doc, "extra_specs")
        for k, v in specs.items():
            if not 1 <= len(k) <= 255 or not isinstance(v, (str, int, float, bool)):
                raise NOVA.schema("extra_specs", specs, f"{k!r} is not a valid extra spec")
        return {k: v if isinstance(v, str) else str(v) for k, v in specs.items()}

    def one(self, ctx: EngineCtx, doc: Any, key: str) -> Any:
        value = NOVA.one_item(doc, key)
        return value if isinstance(value, str) else str(value)

    def allow(self, ctx: EngineCtx, record: Record, method: str) -> None:
        assert isinstance(ctx, Ctx)
        ctx.require_admin("os_compute_api:os-flavor-extra-specs:" + {
            "POST": "create", "PUT": "update", "DELETE": "delete"}[method])


SPECS = Specs(FLAVOR, "extra_specs", segment="os-extra_specs", item_key=None,
              methods=("GET", "POST"), echo=True)


# -- flavor access ------------------------------------------------------------------------

def _access_list(flavor: Record) -> dict[str, Any]:
    return {"flavor_access": [{"flavor_id": flavor["id"], "tenant_id": p}
                              for p in flavor["_access"]]}


async def flavor_access(request: Request) -> Response:
    ctx = FLAVOR.context(request)
    ctx.require_admin("os_compute_api:os-flavor-access")
    flavor = FLAVOR.get(ctx, request.path_params["id"])
    if flavor[PUBLIC]:
        raise ApiError(404, "Access list not available for public flavors.")
    return FLAVOR.respond(ctx, _access_list(flavor))


async def flavor_action(request: Request) -> Response:
    ctx = FLAVOR.context(request)
    flavor = FLAVOR.get(ctx, request.path_params["id"])
    action, arg = NOVA.action_of(await json_body(request))
    if action not in ("addTenantAccess", "removeTenantAccess"):
        raise ApiError(404, f"There is no such action: {action}")
    ctx.require_admin(f"os_compute_api:os-flavor-access:{'add' if action[0] == 'a' else 'remove'}"
                      "_tenant_access")
    if not isinstance(arg, dict) or not isinstance(arg.get("tenant"), str):
        raise NOVA.schema(action, arg, "'tenant' is a required property")
    tenant, access = arg["tenant"], flavor["_access"]
    if flavor[PUBLIC]:
        raise ApiError(409, "Can not add access to a public flavor.")
    if action == "addTenantAccess":
        if tenant in access:
            raise ApiError(409, f"Flavor access already exists for flavor {flavor['id']} "
                                f"and project {tenant} combination.")
        access.append(tenant)
    elif tenant in access:
        access.remove(tenant)
    else:
        raise ApiError(404, f"Flavor access not found for {flavor['id']} / {tenant} "
                            "combination.")
    return FLAVOR.respond(ctx, _access_list(flavor))


def routes() -> list[BaseRoute]:
    f = "/v2.1/flavors/{id}"
    return [
        *FLAVOR.routes("/v2.1"),
        Route(f"{f}/action", flavor_action, methods=["POST"]),
        Route(f"{f}/os-flavor-access", flavor_access, methods=["GET"]),
        *SPECS.routes("/v2.1"),
    ]
