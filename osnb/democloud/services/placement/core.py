"""Placement: resource providers, inventories, usages, allocations, allocation candidates.

Derived, not copied: each hypervisor (table ``hypervisors``, kept by
the compute service) is one root resource provider with the same uuid and its hostname as
name; its VCPU / MEMORY_MB / DISK_GB inventory comes from the hypervisor's size and
allocation ratios, its usage from the hypervisor's counters, and allocations from the
servers placed on it. Host aggregates are the providers' placement aggregates; disabled
compute services give the ``COMPUTE_STATUS_DISABLED`` trait, as Nova sets it.

Providers made through the API (:mod:`.writes`) live in table
``resource_providers`` beside them, in the same private shape: ``_rp_inventories`` (which,
set on a hypervisor, also overrides its derived inventory), ``_generation``, ``_parent``,
``_root``, ``_traits``, ``_aggregates``. The accessors below read either kind.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...http import ApiError, auth, json_response, microversion, microversion_headers, store_of
from ...store import Record, Store, Token
from ...world import RESERVED_HOST_MEMORY_MB, flavor_resources, host_index, live_servers

__all__ = ["MAX_VERSION", "MIN_VERSION", "PREFIX", "read_routes", "seed"]

PREFIX = "/placement"
MIN_VERSION = "1.0"
MAX_VERSION = "1.39"

STANDARD_CLASSES = [
    "VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "SRIOV_NET_VF", "NUMA_SOCKET", "NUMA_CORE",
    "NUMA_THREAD", "NUMA_MEMORY_MB", "IPV4_ADDRESS", "VGPU", "VGPU_DISPLAY_HEAD",
    "NET_BW_EGR_KILOBIT_PER_SEC", "NET_BW_IGR_KILOBIT_PER_SEC", "PCPU", "MEM_ENCRYPTION_CONTEXT",
    "FPGA", "PGPU", "NET_PACKET_RATE_KILOPACKET_PER_SEC",
    "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC", "NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
]
_HOST_TRAITS = ["COMPUTE_NET_ATTACH_INTERFACE", "COMPUTE_VOLUME_ATTACH_WITH_TAG",
                "COMPUTE_VOLUME_EXTEND", "COMPUTE_IMAGE_TYPE_QCOW2", "COMPUTE_IMAGE_TYPE_RAW",
                "COMPUTE_DEVICE_TAGGING", "HW_CPU_X86_AVX2", "HW_CPU_X86_AESNI",
                "HW_CPU_X86_SSE42", "HW_CPU_X86_VMX", "COMPUTE_NODE"]
_CLASS_TRAITS = {"gpu": ["COMPUTE_ACCELERATORS", "HW_GPU_API_CUDA_V11_0"],
                 "highmem": ["CUSTOM_HIGHMEM"], "legacy": [], "standard": ["HW_CPU_X86_AVX512F"]}
_EXTRA_TRAITS = ["COMPUTE_STATUS_DISABLED", "HW_CPU_X86_AVX512F", "COMPUTE_TRUSTED_CERTS",
                 "STORAGE_DISK_SSD", "STORAGE_DISK_HDD", "HW_NIC_SRIOV", "MISC_SHARES_VIA_AGGREGATE"]
_RESOURCES = re.compile(r"^([A-Z0-9_]+):(\d+)$")
MANUAL = "resource_providers"
"""The table of providers created through the API (not derived from a hypervisor)."""


class Ctx:
    """One placement request: the world, the caller, the microversion."""

    def __init__(self, request: Request, rule: str) -> None:
        self.request = request
        self.store: Store = store_of(request)
        self.token: Token = auth(request)
        self.mv = microversion(request, "placement", MIN_VERSION, MAX_VERSION)
        if not self.token.is_admin:
            raise ApiError(403, f"Policy does not allow placement:{rule} to be performed.")

    def at_least(self, minor: int) -> bool:
        return self.mv >= (1, minor)

    def reply(self, body: Any, status: int = 200) -> Response:
        return json_response(body, status, headers=microversion_headers("placement", self.mv))


def seed(store: Store) -> None:
    """Nothing to copy: providers are the hypervisors, read through at request time."""
    store.table("hypervisors")
    store.table(MANUAL)


def is_manual(rp: Record) -> bool:
    """Whether ``rp`` was made through the API rather than derived from a hypervisor."""
    return "hypervisor_hostname" not in rp


def rp_name(rp: Record) -> str:
    name: str = rp["name"] if is_manual(rp) else rp.get("_rp_name") or \
        rp["hypervisor_hostname"]
    return name


def rp_parent(rp: Record) -> str | None:
    parent: str | None = rp.get("_parent")
    return parent


def rp_root(rp: Record) -> str:
    root: str = rp.get("_root") or rp["id"]
    return root


# --- derived views --------------------------------------------------------------------

def _inventory(hyp: Record) -> dict[str, Record]:
    written: dict[str, Record] | None = hyp.get("_rp_inventories")
    if written is not None:
        return written
    return {
        "VCPU": {"total": hyp["vcpus"], "reserved": 0, "min_unit": 1,
                 "max_unit": hyp["vcpus"], "step_size": 1,
                 "allocation_ratio": hyp["_cpu_ratio"]},
        "MEMORY_MB": {"total": hyp["memory_mb"], "reserved": RESERVED_HOST_MEMORY_MB,
                      "min_unit": 1, "max_unit": hyp["memory_mb"], "step_size": 1,
                      "allocation_ratio": hyp["_ram_ratio"]},
        "DISK_GB": {"total": hyp["local_gb"], "reserved": 0, "min_unit": 1,
                    "max_unit": hyp["local_gb"], "step_size": 1,
                    "allocation_ratio": hyp["_disk_ratio"]},
    }


def _usages(hyp: Record) -> dict[str, int]:
    if is_manual(hyp):
        return {rc: 0 for rc in _inventory(hyp)}
    return {"VCPU": hyp["vcpus_used"],
            "MEMORY_MB": hyp["memory_mb_used"] - RESERVED_HOST_MEMORY_MB,
            "DISK_GB": hyp["local_gb_used"]}


def _capacity(inv: Record) -> int:
    return int((inv["total"] - inv["reserved"]) * inv["allocation_ratio"])


def _generation(hyp: Record) -> int:
    return int(hyp.get("_generation", 1))


def _traits(hyp: Record) -> list[str]:
    if is_manual(hyp):
        return sorted(hyp.get("_traits", []))
    traits = _HOST_TRAITS + _CLASS_TRAITS.get(hyp.get("_class", ""), [])
    if hyp["status"] == "disabled":
        traits = [*traits, "COMPUTE_STATUS_DISABLED"]
    return sorted(set(traits))


def _aggregates(rp: Record, by_host: dict[str, list[str]]) -> list[str]:
    if is_manual(rp):
        return list(rp.get("_aggregates", []))
    return by_host.get(rp["hypervisor_hostname"], [])


def _aggregates_by_host(store: Store) -> dict[str, list[str]]:
    by_host: dict[str, list[str]] = {}
    for agg in store.table("aggregates").values():
        for host in agg["hosts"]:
            by_host.setdefault(host, []).append(agg["uuid"])
    return by_host


def _links(ctx: Ctx, uuid: str) -> list[Record]:
    base = f"{PREFIX}/resource_providers/{uuid}"
    links = [{"rel": "self", "href": base}, {"rel": "inventories", "href": base + "/inventories"},
             {"rel": "usages", "href": base + "/usages"}]
    if ctx.at_least(1):
        links.append({"rel": "aggregates", "href": base + "/aggregates"})
    if ctx.at_least(6):
        links.append({"rel": "traits", "href": base + "/traits"})
    if ctx.at_least(11):
        links.append({"rel": "allocations", "href": base + "/allocations"})
    return links


def _provider(ctx: Ctx, hyp: Record) -> Record:
    view: Record = {"uuid": hyp["id"], "name": rp_name(hyp),
                    "generation": _generation(hyp), "links": _links(ctx, hyp["id"])}
    if ctx.at_least(14):
        view["parent_provider_uuid"] = rp_parent(hyp)
        view["root_provider_uuid"] = rp_root(hyp)
    return view


def _get_provider(ctx: Ctx) -> Record:
    uuid = ctx.request.path_params["uuid"]
    hyp = ctx.store.table("hypervisors").get(uuid) or ctx.store.table(MANUAL).get(uuid)
    if hyp is None:
        raise ApiError(404, f"No resource provider with uuid {uuid} found")
    return hyp


def parse_resources(text: str) -> dict[str, int]:
    """``VCPU:1,MEMORY_MB:512`` as a mapping, or placement's 400."""
    wanted: dict[str, int] = {}
    for part in text.split(","):
        match = _RESOURCES.match(part.strip())
        if not match:
            raise ApiError(400, "Badly formed resources parameter. Expected resources query "
                                "string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. "
                                f"Got: {part.strip()}.")
        rc, amount = match.group(1), int(match.group(2))
        if rc not in STANDARD_CLASSES and not rc.startswith("CUSTOM_"):
            raise ApiError(400, f"Invalid resource class in resources parameter: No such "
                                f"resource class {rc}.")
        if amount < 1:
            raise ApiError(400, f"Requested resource {rc} expected positive integer amount.")
        wanted[rc] = wanted.get(rc, 0) + amount
    return wanted


def _fits(hyp: Record, wanted: dict[str, int]) -> bool:
    inventory, used = _inventory(hyp), _usages(hyp)
    for rc, amount in wanted.items():
        inv = inventory.get(rc)
        if inv is None or amount > inv["max_unit"] or amount < inv["min_unit"] or \
                used.get(rc, 0) + amount > _capacity(inv):
            return False
    return True


def _member_of(ctx: Ctx, by_host: dict[str, list[str]]) -> list[tuple[bool, set[str]]]:
    groups = []
    for raw in ctx.request.query_params.getlist("member_of"):
        negate = raw.startswith("!") and ctx.at_least(32)
        value = raw[1:] if negate else raw
        value = value[3:] if value.startswith("in:") else value
        groups.append((negate, {v.strip() for v in value.split(",") if v.strip()}))
    return groups


def _filtered(ctx: Ctx) -> list[Record]:
    params = ctx.request.query_params
    hyps: list[Record] = sorted(ctx.store.table("hypervisors").values(),
                                key=lambda h: h["_int_id"])
    hyps += ctx.store.table(MANUAL).values()
    if "name" in params:
        hyps = [h for h in hyps if rp_name(h) == params["name"]]
    if "uuid" in params:
        hyps = [h for h in hyps if h["id"] == params["uuid"]]
    if "in_tree" in params and ctx.at_least(14):
        tree = next((h for h in hyps if h["id"] == params["in_tree"]), None)
        hyps = [h for h in hyps if tree is not None and rp_root(h) == rp_root(tree)]
    if "resources" in params and ctx.at_least(4):
        wanted = parse_resources(params["resources"])
        hyps = [h for h in hyps if _fits(h, wanted)]
    if "member_of" in params and ctx.at_least(3):
        by_host = _aggregates_by_host(ctx.store)
        for negate, aggs in _member_of(ctx, by_host):
            hyps = [h for h in hyps if bool(aggs & set(_aggregates(h, by_host))) != negate]
    if "required" in params and ctx.at_least(18):
        for trait in params["required"].split(","):
            trait = trait.strip()
            negate = trait.startswith("!")
            name = trait[1:] if negate else trait
            hyps = [h for h in hyps if (name in _traits(h)) != negate]
    return hyps


# --- handlers -------------------------------------------------------------------------

async def _root(request: Request) -> Response:
    return json_response({"versions": [{
        "id": "v1.0", "max_version": MAX_VERSION, "min_version": MIN_VERSION,
        "status": "CURRENT", "links": [{"rel": "self", "href": ""}]}]})


# The query parameters Placement's JSON schemas accept, by the microversion that added them
# (``GET /resource_providers`` and ``GET /allocation_candidates``); anything else is a 400.
_PROVIDER_PARAMS = ((0, "name"), (0, "uuid"), (3, "member_of"), (4, "resources"),
                    (14, "in_tree"), (18, "required"))
_CANDIDATE_PARAMS = ((10, "resources"), (16, "limit"), (17, "required"), (21, "member_of"),
                     (25, "group_policy"), (31, "in_tree"), (35, "root_required"),
                     (36, "same_subtree"))
_GRANULAR = re.compile(r"^(resources|required|member_of|in_tree)[A-Za-z0-9_-]{1,64}$")


def _check_params(ctx: Ctx, known: tuple[tuple[int, str], ...]) -> None:
    allowed = {name for minor, name in known if ctx.at_least(minor)}
    granular = ctx.at_least(25) and known is _CANDIDATE_PARAMS
    unexpected = [k for k in ctx.request.query_params
                  if k not in allowed and not (granular and _GRANULAR.match(k))]
    if unexpected:
        shown = ", ".join(repr(k) for k in unexpected)
        verb = "was" if len(unexpected) == 1 else "were"
        raise ApiError(400, "Invalid query string parameters: Additional properties are "
                            f"not allowed ({shown} {verb} unexpected)")


async def _list_providers(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:list")
    _check_params(ctx, _PROVIDER_PARAMS)
    return ctx.reply({"resource_providers": [_provider(ctx, h) for h in _filtered(ctx)]})


async def _show_provider(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:show")
    return ctx.reply(_provider(ctx, _get_provider(ctx)))


async def _inventories(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:list")
    hyp = _get_provider(ctx)
    return ctx.reply({"inventories": _inventory(hyp),
                      "resource_provider_generation": _generation(hyp)})


async def _inventory_one(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:inventories:show")
    hyp = _get_provider(ctx)
    rc = request.path_params["resource_class"]
    inv = _inventory(hyp).get(rc)
    if inv is None:
        raise ApiError(404, f"No inventory of class {rc} for {hyp['id']}")
    return ctx.reply({**inv, "resource_provider_generation": _generation(hyp)})


async def _provider_usages(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:usages")
    hyp = _get_provider(ctx)
    return ctx.reply({"usages": _usages(hyp), "resource_provider_generation": _generation(hyp)})


def _server_resources(server: Record) -> dict[str, int]:
    vcpus, ram, disk = flavor_resources(server)
    res = {"VCPU": vcpus, "MEMORY_MB": ram, "DISK_GB": disk}
    return {k: v for k, v in res.items() if v}


def _host_of(store: Store, server: Record) -> Record | None:
    name = server.get("OS-EXT-SRV-ATTR:hypervisor_hostname") or \
        server.get("OS-EXT-SRV-ATTR:host")
    hid = host_index(store)["by_name"].get(name) if name else None
    return store.table("hypervisors").get(hid) if hid else None


async def _provider_allocations(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:allocations:list")
    hyp = _get_provider(ctx)
    host = None if is_manual(hyp) else hyp["hypervisor_hostname"]
    allocations = {s["id"]: {"resources": _server_resources(s)} for s in live_servers(ctx.store)
                   if host is not None and (s.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
                                            or s.get("OS-EXT-SRV-ATTR:host")) == host}
    return ctx.reply({"allocations": allocations,
                      "resource_provider_generation": _generation(hyp)})


async def _consumer_allocations(request: Request) -> Response:
    ctx = Ctx(request, "allocations:list")
    consumer = request.path_params["consumer_uuid"]
    server = ctx.store.table("servers").get(consumer)
    hyp = _host_of(ctx.store, server) if server and live_servers_of(server) else None
    body: Record = {"allocations": {}}
    if server is not None and hyp is not None:
        body["allocations"] = {hyp["id"]: {"generation": _generation(hyp),
                                           "resources": _server_resources(server)}}
        if ctx.at_least(12):
            body["project_id"] = server.get("tenant_id")
            body["user_id"] = server.get("user_id")
        if ctx.at_least(28):
            body["consumer_generation"] = 1
        if ctx.at_least(38):
            body["consumer_type"] = "INSTANCE"
    return ctx.reply(body)


def live_servers_of(server: Record) -> list[Record]:
    """``[server]`` when it exists (not deleted), else ``[]``."""
    deleted = server.get("status") in ("DELETED", "SOFT_DELETED")
    return [] if deleted else [server]


async def _project_usages(request: Request) -> Response:
    ctx = Ctx(request, "usages")
    if not ctx.at_least(9):
        raise ApiError(404, "The resource could not be found.")
    project = request.query_params.get("project_id")
    if not project:
        raise ApiError(400, "Invalid query string parameters: 'project_id' is a required "
                            "property")
    user = request.query_params.get("user_id")
    totals: dict[str, int] = {}
    count = 0
    for server in live_servers(ctx.store):
        if server.get("tenant_id") != project or (user and server.get("user_id") != user):
            continue
        if _host_of(ctx.store, server) is None:
            continue
        count += 1
        for rc, amount in _server_resources(server).items():
            totals[rc] = totals.get(rc, 0) + amount
    if ctx.at_least(38):
        usages: Record = {"INSTANCE": {"consumer_count": count, **totals}} if count else {}
        return ctx.reply({"usages": usages})
    return ctx.reply({"usages": totals})


async def _provider_aggregates(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:aggregates:list")
    if not ctx.at_least(1):
        raise ApiError(404, "The resource could not be found.")
    hyp = _get_provider(ctx)
    aggs = _aggregates(hyp, _aggregates_by_host(ctx.store))
    body: Record = {"aggregates": aggs}
    if ctx.at_least(19):
        body["resource_provider_generation"] = _generation(hyp)
    return ctx.reply(body)


async def _provider_traits(request: Request) -> Response:
    ctx = Ctx(request, "resource_providers:traits:list")
    if not ctx.at_least(6):
        raise ApiError(404, "The resource could not be found.")
    hyp = _get_provider(ctx)
    return ctx.reply({"traits": _traits(hyp), "resource_provider_generation": _generation(hyp)})


async def _resource_classes(request: Request) -> Response:
    ctx = Ctx(request, "resource_classes:list")
    return ctx.reply({"resource_classes": [
        {"name": rc, "links": [{"rel": "self", "href": f"{PREFIX}/resource_classes/{rc}"}]}
        for rc in STANDARD_CLASSES]})


async def _resource_class(request: Request) -> Response:
    ctx = Ctx(request, "resource_classes:show")
    if not ctx.at_least(2):
        raise ApiError(404, "The resource could not be found.")
    rc = request.path_params["name"]
    if rc not in STANDARD_CLASSES:
        raise ApiError(404, f"No such resource class {rc}.")
    return ctx.reply({"name": rc, "links": [{"rel": "self",
                                             "href": f"{PREFIX}/resource_classes/{rc}"}]})


async def _list_traits(request: Request) -> Response:
    ctx = Ctx(request, "traits:list")
    if not ctx.at_least(6):
        raise ApiError(404, "The resource could not be found.")
    names = sorted(set(_HOST_TRAITS + _EXTRA_TRAITS +
                       [t for ts in _CLASS_TRAITS.values() for t in ts]))
    spec = request.query_params.get("name")
    if spec:
        if spec.startswith("startswith:"):
            names = [n for n in names if n.startswith(spec[len("startswith:"):])]
        elif spec.startswith("in:"):
            wanted = set(spec[3:].split(","))
            names = [n for n in names if n in wanted]
        else:
            raise ApiError(400, f"Badly formatted name parameter. Expected name query string "
                                f"parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. "
                                f"Got: \"{spec}\"")
    return ctx.reply({"traits": names})


async def _allocation_candidates(request: Request) -> Response:
    ctx = Ctx(request, "allocation_candidates:list")
    if not ctx.at_least(10):
        raise ApiError(404, "The resource could not be found.")
    _check_params(ctx, _CANDIDATE_PARAMS)
    raw = request.query_params.get("resources")
    if not raw:
        raise ApiError(400, "Invalid query string parameters: 'resources' is a required "
                            "property")
    wanted = parse_resources(raw)
    hyps = [h for h in _filtered(ctx) if _fits(h, wanted)]
    limit = request.query_params.get("limit")
    if limit is not None and ctx.at_least(16):
        if not limit.isdigit() or int(limit) < 1:
            raise ApiError(400, f"Invalid query string parameters: '{limit}' does not match "
                                "'^[1-9][0-9]*$'")
        hyps = hyps[:int(limit)]
    requests_: list[Record] = []
    summaries: dict[str, Record] = {}
    for hyp in hyps:
        if ctx.at_least(12):
            req: Record = {"allocations": {hyp["id"]: {"resources": dict(wanted)}}}
        else:
            req = {"allocations": [{"resource_provider": {"uuid": hyp["id"]},
                                    "resources": dict(wanted)}]}
        if ctx.at_least(34):
            req["mappings"] = {"": [hyp["id"]]}
        requests_.append(req)
        inventory, used = _inventory(hyp), _usages(hyp)
        classes = inventory if ctx.at_least(27) else {rc: inventory[rc] for rc in wanted}
        summary: Record = {"resources": {rc: {"capacity": _capacity(inv),
                                              "used": used.get(rc, 0)}
                                         for rc, inv in classes.items()}}
        if ctx.at_least(17):
            summary["traits"] = _traits(hyp)
        if ctx.at_least(29):
            summary["parent_provider_uuid"] = rp_parent(hyp)
            summary["root_provider_uuid"] = rp_root(hyp)
        summaries[hyp["id"]] = summary
    return ctx.reply({"allocation_requests": requests_, "provider_summaries": summaries})


def read_routes() -> list[Route]:
    rp = "/resource_providers/{uuid}"
    return [
        Route("/", _root, methods=["GET"]),
        Route("/resource_providers", _list_providers, methods=["GET"]),
        Route(rp, _show_provider, methods=["GET"]),
        Route(rp + "/inventories", _inventories, methods=["GET"]),
        Route(rp + "/inventories/{resource_class}", _inventory_one, methods=["GET"]),
        Route(rp + "/usages", _provider_usages, methods=["GET"]),
        Route(rp + "/allocations", _provider_allocations, methods=["GET"]),
        Route(rp + "/aggregates", _provider_aggregates, methods=["GET"]),
        Route(rp + "/traits", _provider_traits, methods=["GET"]),
        Route("/allocations/{consumer_uuid}", _consumer_allocations, methods=["GET"]),
        Route("/usages", _project_usages, methods=["GET"]),
        Route("/resource_classes", _resource_classes, methods=["GET"]),
        Route("/resource_classes/{name}", _resource_class, methods=["GET"]),
        Route("/traits", _list_traits, methods=["GET"]),
        Route("/allocation_candidates", _allocation_candidates, methods=["GET"]),
    ]
