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
``_root``, ``_traits``, ``_aggregates``. The accessors below read either kind; the
providers are one :class:`Providers` collection in Placement's dialect (:data:`PLACEMENT`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import engine
from ...engine import Collection, Dialect, Field, Filter, Query, parse
from ...http import ApiError, auth, json_response, microversion, microversion_headers, store_of
from ...store import Record, Store
from ...world import RESERVED_HOST_MEMORY_MB, flavor_resources, host_index, live_servers

__all__ = ["MAX_VERSION", "MIN_VERSION", "PLACEMENT", "PREFIX", "PROVIDERS", "read_routes",
           "seed"]

PREFIX = "/placement"
MIN_VERSION = "1.0"
MAX_VERSION = "1.39"
MAX_INT = 2147483647

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


@dataclass(frozen=True)
class PlacementDialect(Dialect):
    """Placement: flat bodies, no pages, its JSON-schema 400s ("JSON does not validate")
    and its policy names; unknown query parameters are refused per microversion by
    :func:`check_params`, not by the engine."""

    style: str = "placement"
    envelope: bool = False
    pagination: str = "none"
    unknown_filters_refused: bool = False

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        if name == "name":
            why = "'name' is a required property and must be a string of 1 to 200 characters"
        elif reason == "required":
            why = f"'{name}' is a required property"
        elif name in INVENTORY and name != "allocation_ratio":
            low = INVENTORY[name].minimum
            why = f"{value!r} is not a valid '{name}' (an integer from {low:g} to {MAX_INT})"
        else:
            kind = {"is not a valid UUID": "a 'uuid'", "is not a number": "of type 'number'"
                    }.get(facts.get("detail", ""), "of type 'string'")
            why = f"{value!r} is not {kind}"
        return self.bad(f"JSON does not validate: {why}")

    def unknown(self, names: Any) -> ApiError:
        return self.bad("JSON does not validate: Additional properties are not allowed "
                        f"({', '.join(repr(k) for k in names)} "
                        f"{'was' if len(names) == 1 else 'were'} unexpected)")

    def not_found(self, singular: str, ident: str) -> ApiError:
        return ApiError(404, f"No resource provider with uuid {ident} found")

    def forbidden(self, action: str) -> ApiError:
        return ApiError(403, f"Policy does not allow placement:{action} to be performed.")


PLACEMENT = PlacementDialect()
INVENTORY = {
    "total": Field(type="int", required=True, minimum=1, maximum=MAX_INT),
    "reserved": Field(type="int", minimum=0, maximum=MAX_INT, default=0),
    "min_unit": Field(type="int", minimum=1, maximum=MAX_INT, default=1),
    "max_unit": Field(type="int", minimum=1, maximum=MAX_INT, default=MAX_INT),
    "step_size": Field(type="int", minimum=1, maximum=MAX_INT, default=1),
    "allocation_ratio": Field(type="float", default=1.0),
}
"""One inventory of a provider (``PUT …/inventories/{rc}``, an entry of ``inventories``)."""


@dataclass
class Ctx(engine.Ctx):
    """One placement request: the world, the caller, the microversion."""

    mv: tuple[int, int] = (1, 0)

    @classmethod
    def of(cls, request: Request, rule: str = "", since: int = 0) -> Ctx:
        """The request's context once the caller may ``placement:<rule>`` (admins only)
        and the microversion (``1.<since>`` on) serves the route (404 otherwise)."""
        ctx = cls(request, store_of(request), auth(request),
                  microversion(request, "placement", MIN_VERSION, MAX_VERSION))
        if not ctx.admin:
            raise PLACEMENT.forbidden(rule)
        if not ctx.at_least(since):
            raise ApiError(404, "The resource could not be found.")
        return ctx

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

def inventory(hyp: Record) -> dict[str, Record]:
    written: dict[str, Record] | None = hyp.get("_rp_inventories")
    if written is not None:
        return written
    out = {}
    for rc, total, reserved, ratio in (
            ("VCPU", hyp["vcpus"], 0, hyp["_cpu_ratio"]),
            ("MEMORY_MB", hyp["memory_mb"], RESERVED_HOST_MEMORY_MB, hyp["_ram_ratio"]),
            ("DISK_GB", hyp["local_gb"], 0, hyp["_disk_ratio"])):
        out[rc] = {"total": total, "reserved": reserved, "min_unit": 1, "max_unit": total,
                   "step_size": 1, "allocation_ratio": ratio}
    return out


def usages(hyp: Record) -> dict[str, int]:
    if is_manual(hyp):
        return {rc: 0 for rc in inventory(hyp)}
    return {"VCPU": hyp["vcpus_used"],
            "MEMORY_MB": hyp["memory_mb_used"] - RESERVED_HOST_MEMORY_MB,
            "DISK_GB": hyp["local_gb_used"]}


def _capacity(inv: Record) -> int:
    return int((inv["total"] - inv["reserved"]) * inv["allocation_ratio"])


def generation(hyp: Record) -> int:
    return int(hyp.get("_generation", 1))


def _traits(hyp: Record) -> list[str]:
    if is_manual(hyp):
        return sorted(hyp.get("_traits", []))
    traits = _HOST_TRAITS + _CLASS_TRAITS.get(hyp.get("_class", ""), [])
    if hyp["status"] == "disabled":
        traits = [*traits, "COMPUTE_STATUS_DISABLED"]
    return sorted(set(traits))


def _aggregates(store: Store, rp: Record) -> list[str]:
    if is_manual(rp):
        return list(rp.get("_aggregates", []))
    host = rp["hypervisor_hostname"]
    return [a["uuid"] for a in store.table("aggregates").values() if host in a["hosts"]]


def _links(ctx: Ctx, uuid: str) -> list[Record]:
    base = f"{PREFIX}/resource_providers/{uuid}"
    links = [{"rel": "self", "href": base}]
    for rel, since in (("inventories", 0), ("usages", 0), ("aggregates", 1), ("traits", 6),
                       ("allocations", 11)):
        if ctx.at_least(since):
            links.append({"rel": rel, "href": f"{base}/{rel}"})
    return links


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
        if not known_class(rc):
            raise ApiError(400, f"Invalid resource class in resources parameter: No such "
                                f"resource class {rc}.")
        if amount < 1:
            raise ApiError(400, f"Requested resource {rc} expected positive integer amount.")
        wanted[rc] = wanted.get(rc, 0) + amount
    return wanted


def known_class(rc: str) -> bool:
    return rc in STANDARD_CLASSES or rc.startswith("CUSTOM_")


def _fits(wanted: dict[str, int]) -> Callable[[Record], bool]:
    def fits(hyp: Record) -> bool:
        inv_, used = inventory(hyp), usages(hyp)
        return all((inv := inv_.get(rc)) is not None and
                   inv["min_unit"] <= amount <= inv["max_unit"] and
                   used.get(rc, 0) + amount <= _capacity(inv) for rc, amount in wanted.items())
    return fits


def _is_uuid(text: str) -> bool:
    try:
        engine.coerce("uuid", text)
    except ValueError:
        return False
    return True


def _uuids(values: list[str]) -> Callable[[Any], bool]:
    """``uuid=…``: a uuid (a 400 otherwise, as Placement's schema says)."""
    bad = next((v for v in values if not _is_uuid(v)), None)
    if bad is not None:
        raise ApiError(400, f"Invalid query string parameters: '{bad}' is not a 'uuid'")
    return lambda rid: rid == values[-1]


def _required(values: list[str]) -> Callable[[Record], bool]:
    """``required=A,!B``: the provider has trait A and not trait B."""
    wanted = [t.strip() for t in values[-1].split(",")]
    return lambda rp: all((t.lstrip("!") in _traits(rp)) != t.startswith("!") for t in wanted)


# --- the providers --------------------------------------------------------------------

# The query parameters Placement's JSON schemas accept, by the microversion that added them
# (``GET /resource_providers`` and ``GET /allocation_candidates``); anything else is a 400.
_PROVIDER_PARAMS = ((0, "name"), (0, "uuid"), (3, "member_of"), (4, "resources"),
                    (14, "in_tree"), (18, "required"))
_CANDIDATE_PARAMS = ((10, "resources"), (16, "limit"), (17, "required"), (21, "member_of"),
                     (25, "group_policy"), (31, "in_tree"), (35, "root_required"),
                     (36, "same_subtree"))
_GRANULAR = re.compile(r"^(resources|required|member_of|in_tree)[A-Za-z0-9_-]{1,64}$")


def check_params(ctx: Ctx, known: tuple[tuple[int, str], ...]) -> None:
    """Refuse the query parameters the microversion's schema does not have, all named."""
    allowed = {name for minor, name in known if ctx.at_least(minor)}
    granular = ctx.at_least(25) and known is _CANDIDATE_PARAMS
    unexpected = [k for k in ctx.request.query_params
                  if k not in allowed and not (granular and _GRANULAR.match(k))]
    if unexpected:
        raise ApiError(400, "Invalid query string parameters: " +
                       PLACEMENT.unknown(unexpected).message.split(": ", 1)[1])


class Providers(Collection):
    """The resource providers: the hypervisors (in their order), then the API's own."""

    def records(self, store: Store) -> dict[str, Record]:
        return {**store.table("hypervisors"), **store.table(MANUAL)}

    def candidates(self, ctx: engine.Ctx, query: Query) -> Iterable[Record]:
        """The providers, narrowed by ``in_tree`` and ``member_of`` (which read the
        store)."""
        hyps = sorted(ctx.store.table("hypervisors").values(), key=lambda h: h["_int_id"])
        rps = [*hyps, *ctx.store.table(MANUAL).values()]
        q = ctx.request.query_params
        if "in_tree" in q:
            tree = next((h for h in rps if h["id"] == q["in_tree"]), None)
            rps = [h for h in rps if tree is not None and rp_root(h) == rp_root(tree)]
        for raw in q.getlist("member_of"):
            negate = raw.startswith("!") and isinstance(ctx, Ctx) and ctx.at_least(32)
            value = raw[1:] if negate else raw
            aggs = {v.strip() for v in value.removeprefix("in:").split(",") if v.strip()}
            if not all(_is_uuid(a) for a in aggs):
                raise ApiError(400, "Expected 'member_of' parameter to contain valid UUID(s)."
                                    f" Got: {raw}")
            rps = [h for h in rps if bool(aggs & set(_aggregates(ctx.store, h))) != negate]
        return rps

    def render(self, ctx: engine.Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        assert isinstance(ctx, Ctx)
        view: Record = {"uuid": record["id"], "name": rp_name(record),
                        "generation": generation(record), "links": _links(ctx, record["id"])}
        if ctx.at_least(14):
            view["parent_provider_uuid"] = rp_parent(record)
            view["root_provider_uuid"] = rp_root(record)
        return view

    def matching(self, ctx: Ctx) -> list[Record]:
        """The providers the request's filters select, in their order (Placement has no
        sorting or paging: ``limit`` is allocation candidates' own)."""
        query = parse(ctx.request, self, True)
        return [r for r in self.visible_records(ctx, query)
                if all(match(r) for match in query.predicates)]

    async def index(self, request: Request) -> Response:
        ctx = Ctx.of(request, "resource_providers:list")
        check_params(ctx, _PROVIDER_PARAMS)
        return ctx.reply({"resource_providers": [self.render(ctx, r)
                                                 for r in self.matching(ctx)]})

    async def show(self, request: Request) -> Response:
        ctx = Ctx.of(request, "resource_providers:show")
        return ctx.reply(self.render(ctx, self.get(ctx, request.path_params["id"])))


PROVIDERS = Providers(
    "resource_provider", "resource_providers", PLACEMENT, project_key=None, timestamps=None,
    fields={"name": Field(required=True, max_length=200), "uuid": Field(type="uuid"),
            "parent_provider_uuid": Field(type="uuid", nullable=True)},
    filters={"name": Filter(key=rp_name), "uuid": Filter(key="id", match=_uuids),
             "resources": Filter(key=lambda rp: rp, match=lambda v: _fits(
                 parse_resources(v[-1]))),
             "required": Filter(key=lambda rp: rp, match=_required)},
    visibility="admin", write="admin", allow_create=False, allow_update=False,
    allow_delete=False)
"""Reads from the engine; writes are Placement's own (generations, trees): :mod:`.writes`."""


# --- what a provider has ---------------------------------------------------------------

def _server_resources(server: Record) -> dict[str, int]:
    vcpus, ram, disk = flavor_resources(server)
    res = {"VCPU": vcpus, "MEMORY_MB": ram, "DISK_GB": disk}
    return {k: v for k, v in res.items() if v}


def _host_name(server: Record) -> str | None:
    name: str | None = server.get("OS-EXT-SRV-ATTR:hypervisor_hostname") or \
        server.get("OS-EXT-SRV-ATTR:host")
    return name


def _host_of(store: Store, server: Record) -> Record | None:
    name = _host_name(server)
    hid = host_index(store)["by_name"].get(name) if name else None
    return store.table("hypervisors").get(hid) if hid else None


def _allocations(ctx: Ctx, rp: Record) -> Record:
    host = None if is_manual(rp) else rp["hypervisor_hostname"]
    return {"allocations": {s["id"]: {"resources": _server_resources(s)}
                            for s in live_servers(ctx.store)
                            if host is not None and _host_name(s) == host}}


_VIEWS: dict[str, tuple[int, Callable[[Ctx, Record], Record]]] = {
    "inventories": (0, lambda ctx, rp: {"inventories": inventory(rp)}),
    "usages": (0, lambda ctx, rp: {"usages": usages(rp)}),
    "allocations": (0, _allocations),
    "aggregates": (1, lambda ctx, rp: {"aggregates": _aggregates(ctx.store, rp)}),
    "traits": (6, lambda ctx, rp: {"traits": _traits(rp)}),
}
"""A provider's parts: the microversion that added each and its body (then the provider's
generation, for aggregates from 1.19)."""


def _view(part: str) -> Callable[[Request], Any]:
    since, body = _VIEWS[part]
    rule = "resource_providers:" + {"usages": "usages"}.get(part, part + ":list")

    async def handler(request: Request) -> Response:
        ctx = Ctx.of(request, rule, since=since)
        rp = PROVIDERS.get(ctx, request.path_params["id"])
        out = body(ctx, rp)
        if part != "aggregates" or ctx.at_least(19):
            out["resource_provider_generation"] = generation(rp)
        return ctx.reply(out)
    return handler


async def _inventory_one(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_providers:inventories:show")
    rp = PROVIDERS.get(ctx, request.path_params["id"])
    rc = request.path_params["resource_class"]
    inv = inventory(rp).get(rc)
    if inv is None:
        raise ApiError(404, f"No inventory of class {rc} for {rp['id']}")
    return ctx.reply({**inv, "resource_provider_generation": generation(rp)})


# --- the rest -------------------------------------------------------------------------

async def _root(request: Request) -> Response:
    return json_response({"versions": [{
        "id": "v1.0", "max_version": MAX_VERSION, "min_version": MIN_VERSION,
        "status": "CURRENT", "links": [{"rel": "self", "href": ""}]}]})


async def _consumer_allocations(request: Request) -> Response:
    ctx = Ctx.of(request, "allocations:list")
    server = ctx.store.table("servers").get(request.path_params["consumer_uuid"])
    live = server is not None and server.get("status") not in ("DELETED", "SOFT_DELETED")
    hyp = _host_of(ctx.store, server) if server is not None and live else None
    body: Record = {"allocations": {}}
    if server is not None and hyp is not None:
        body["allocations"] = {hyp["id"]: {"generation": generation(hyp),
                                           "resources": _server_resources(server)}}
        if ctx.at_least(12):
            body["project_id"] = server.get("tenant_id")
            body["user_id"] = server.get("user_id")
        if ctx.at_least(28):
            body["consumer_generation"] = 1
        if ctx.at_least(38):
            body["consumer_type"] = "INSTANCE"
    return ctx.reply(body)


async def _project_usages(request: Request) -> Response:
    ctx = Ctx.of(request, "usages", since=9)
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
        usages_: Record = {"INSTANCE": {"consumer_count": count, **totals}} if count else {}
        return ctx.reply({"usages": usages_})
    return ctx.reply({"usages": totals})


def _class_view(rc: str) -> Record:
    return {"name": rc, "links": [{"rel": "self", "href": f"{PREFIX}/resource_classes/{rc}"}]}


async def _resource_classes(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:list")
    return ctx.reply({"resource_classes": [_class_view(rc) for rc in STANDARD_CLASSES]})


async def _resource_class(request: Request) -> Response:
    ctx = Ctx.of(request, "resource_classes:show", since=2)
    rc = request.path_params["name"]
    if rc not in STANDARD_CLASSES:
        raise ApiError(404, f"No such resource class {rc}.")
    return ctx.reply(_class_view(rc))


async def _list_traits(request: Request) -> Response:
    ctx = Ctx.of(request, "traits:list", since=6)
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
    ctx = Ctx.of(request, "allocation_candidates:list", since=10)
    check_params(ctx, _CANDIDATE_PARAMS)
    raw = request.query_params.get("resources")
    if not raw:
        raise ApiError(400, "Invalid query string parameters: 'resources' is a required "
                            "property")
    wanted = parse_resources(raw)
    limit = request.query_params.get("limit")
    if limit is not None and (not limit.isdigit() or int(limit) < 1):
        raise ApiError(400, f"Invalid query string parameters: '{limit}' does not match "
                            "'^[1-9][0-9]*$'")
    hyps = PROVIDERS.matching(ctx)[:int(limit) if limit else None]
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
        inventories, used = inventory(hyp), usages(hyp)
        classes = inventories if ctx.at_least(27) else {rc: inventories[rc] for rc in wanted}
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
    rp = "/resource_providers/{id}"
    return [
        Route("/", _root, methods=["GET"]),
        *[r for r in PROVIDERS.routes() if isinstance(r, Route)],
        *[Route(f"{rp}/{part}", _view(part), methods=["GET"]) for part in _VIEWS],
        Route(rp + "/inventories/{resource_class}", _inventory_one, methods=["GET"]),
        Route("/allocations/{consumer_uuid}", _consumer_allocations, methods=["GET"]),
        Route("/usages", _project_usages, methods=["GET"]),
        Route("/resource_classes", _resource_classes, methods=["GET"]),
        Route("/resource_classes/{name}", _resource_class, methods=["GET"]),
        Route("/traits", _list_traits, methods=["GET"]),
        Route("/allocation_candidates", _allocation_candidates, methods=["GET"]),
    ]
