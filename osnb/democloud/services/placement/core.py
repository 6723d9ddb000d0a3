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
from ...world import RESERVED_HOST_MEMORY_MB
from .consumers import provider_allocations, provider_usage, usage_index

__all__ = ["CLASSES", "MAX_VERSION", "MIN_VERSION", "PLACEMENT", "UNDEFINED", "PlacementError", "PREFIX", "PROVIDERS", "TRAITS",
           "aggregates_of", "all_traits", "is_uuid", "known_class", "read_routes", "seed",
           "traits_of", "usages"]

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
CLASSES = "placement_resource_classes"
"""The custom resource classes (``CUSTOM_*``) made through the API, by name."""
TRAITS = "placement_traits"
"""The custom traits (``CUSTOM_*``) made through the API, by name."""
STANDARD_TRAITS = frozenset(_HOST_TRAITS + _EXTRA_TRAITS + ["HW_GPU_API_CUDA_V11_0",
                                                            "COMPUTE_ACCELERATORS"])
"""The standard traits the demo world knows (os-traits has hundreds more)."""


UNDEFINED = "placement.undefined_code"


class PlacementError(ApiError):
    """An error with Placement's machine-readable ``code`` (sent from 1.23)."""

    def __init__(self, status: int, message: str, code: str = UNDEFINED) -> None:
        super().__init__(status, message)
        self.code = code


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
    def of(cls, request: Request, rule: str = "", since: int = 0, *,
           service_only: bool = False, project: str | None = None) -> Ctx:
        """The request's context once the caller may ``placement:<rule>`` and the
        microversion (``1.<since>`` on) serves the route (404 otherwise).

        Placement's default policy: the admin or service role; the service role alone
        for ``service_only`` rules (the reshaper, which only Nova should drive); for a
        rule about ``project`` (usages), also a reader (or member) of that project.
        """
        ctx = cls(request, store_of(request), auth(request),
                  microversion(request, "placement", MIN_VERSION, MAX_VERSION))
        roles = set(ctx.token.roles)
        allowed = "service" in roles if service_only else bool(
            roles & {"admin", "service"} or (
                project is not None and project == ctx.token.project_id
                and roles & {"reader", "member"}))
        if not allowed:
            raise PLACEMENT.forbidden(rule)
        if not ctx.at_least(since):
            raise ApiError(404, "The resource could not be found.")
        return ctx

    def at_least(self, minor: int) -> bool:
        return self.mv >= (1, minor)

    def location(self, path: str) -> dict[str, str]:
        """A ``Location`` header for ``path`` (under the placement prefix), absolute as
        Placement's WSGI stack writes it: clients follow it as it is."""
        url = self.request.url
        return {"Location": f"{url.scheme}://{url.netloc}{PREFIX}{path}"}

    def reply(self, body: Any, status: int = 200) -> Response:
        return json_response(body, status, headers=microversion_headers("placement", self.mv))


def seed(store: Store) -> None:
    """Nothing to copy: providers are the hypervisors, read through at request time. The
    custom trait the highmem hosts carry exists, as Nova's operators would have made it."""
    store.table("hypervisors")
    store.table(MANUAL)
    store.table(CLASSES)
    store.table(TRAITS)["CUSTOM_HIGHMEM"] = {"id": "CUSTOM_HIGHMEM", "name": "CUSTOM_HIGHMEM"}


def all_traits(store: Store) -> list[str]:
    """Every trait that exists: the standard ones and the custom ones made."""
    return sorted(STANDARD_TRAITS | set(store.table(TRAITS)))


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


def usages(store: Store, rp: Record,
           index: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    """What the consumers hold of each class ``rp`` has inventory of (``index``: a
    :func:`.consumers.usage_index` already made; without one, ``rp``'s own consumers are
    summed)."""
    used = provider_usage(store, rp["id"]) if index is None else index.get(rp["id"], {})
    return {rc: used.get(rc, 0) for rc in inventory(rp)}


def capacity(inv: Record) -> int:
    return int((inv["total"] - inv["reserved"]) * inv["allocation_ratio"])


def generation(hyp: Record) -> int:
    return int(hyp.get("_generation", 1))


def traits_of(hyp: Record) -> list[str]:
    if is_manual(hyp) or "_rp_traits" in hyp:
        return sorted(hyp.get("_traits" if is_manual(hyp) else "_rp_traits", []))
    traits = _HOST_TRAITS + _CLASS_TRAITS.get(hyp.get("_class", ""), [])
    if hyp["status"] == "disabled":
        traits = [*traits, "COMPUTE_STATUS_DISABLED"]
    return sorted(set(traits))


def aggregates_of(store: Store, rp: Record) -> list[str]:
    if is_manual(rp) or "_rp_aggregates" in rp:
        return list(rp.get("_aggregates" if is_manual(rp) else "_rp_aggregates", []))
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


def parse_resources(store: Store, text: str) -> dict[str, int]:
    """``VCPU:1,MEMORY_MB:512`` as a mapping, or placement's 400."""
    wanted: dict[str, int] = {}
    for part in text.split(","):
        match = _RESOURCES.match(part.strip())
        if not match:
            raise ApiError(400, "Badly formed resources parameter. Expected resources query "
                                "string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. "
                                f"Got: {part.strip()}.")
        rc, amount = match.group(1), int(match.group(2))
        if not known_class(store, rc):
            raise ApiError(400, f"Invalid resource class in resources parameter: No such "
                                f"resource class {rc}.")
        if amount < 1:
            raise ApiError(400, f"Requested resource {rc} expected positive integer amount.")
        wanted[rc] = wanted.get(rc, 0) + amount
    return wanted


def known_class(store: Store, rc: str) -> bool:
    """Whether resource class ``rc`` exists (standard, or custom and made)."""
    return rc in STANDARD_CLASSES or rc in store.table(CLASSES)


def fits(rp: Record, wanted: dict[str, int], used: dict[str, int]) -> bool:
    """Whether ``rp``, of which ``used`` is taken, has room for ``wanted`` within its
    inventories' units and capacity."""
    inventories = inventory(rp)
    return all((inv := inventories.get(rc)) is not None and
               inv["min_unit"] <= amount <= inv["max_unit"] and
               amount % inv["step_size"] == 0 and
               used.get(rc, 0) + amount <= capacity(inv) for rc, amount in wanted.items())


def is_uuid(text: str) -> bool:
    try:
        engine.coerce("uuid", text)
    except ValueError:
        return False
    return True


def _uuids(values: list[str]) -> Callable[[Any], bool]:
    """``uuid=…``: a uuid (a 400 otherwise, as Placement's schema says)."""
    bad = next((v for v in values if not is_uuid(v)), None)
    if bad is not None:
        raise ApiError(400, f"Invalid query string parameters: '{bad}' is not a 'uuid'")
    return lambda rid: rid == values[-1]


def trait_matcher(store: Store, values: list[str], mv: tuple[int, int] = (1, 39)
                  ) -> Callable[[Record], bool]:
    """``required``: each value ``A,!B`` (the provider has A and not B; ``!`` from 1.22)
    or ``in:A,C`` (A or C, from 1.39); repeated values all hold (from 1.39; before, the
    last one counts). A trait that does not exist is placement's 400."""
    groups: list[tuple[bool, list[str]]] = []
    for value in values if mv >= (1, 39) else values[-1:]:
        any_of = value.startswith("in:") and mv >= (1, 39)
        names = [t.strip() for t in value.removeprefix("in:" if any_of else "").split(",")]
        if not all(names) or (any_of and any(n.startswith("!") for n in names)):
            raise ApiError(400, f"Invalid query string parameters: Expected 'required' "
                                f"parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. "
                                f"Got: {value}")
        if mv < (1, 22) and any(n.startswith("!") for n in names):
            raise ApiError(400, "Invalid query string parameters: Expected 'required' "
                                "parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. "
                                f"Got: {value}")
        groups.append((any_of, names))
    known = set(all_traits(store))
    unknown = sorted({n.lstrip("!") for _, names in groups for n in names} - known)
    if unknown:
        raise ApiError(400, f"No such trait(s): {', '.join(unknown)}.")

    def match(rp: Record) -> bool:
        has = set(traits_of(rp))
        return all(any(n in has for n in names) if any_of else
                   all((n.lstrip("!") in has) != n.startswith("!") for n in names)
                   for any_of, names in groups)
    return match


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
        """The providers, narrowed by the filters that read the store: ``in_tree``,
        ``member_of``, ``resources`` (room, after what the consumers hold) and
        ``required`` (traits that exist)."""
        assert isinstance(ctx, Ctx)
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
            if not all(is_uuid(a) for a in aggs):
                raise ApiError(400, "Expected 'member_of' parameter to contain valid UUID(s)."
                                    f" Got: {raw}")
            rps = [h for h in rps if bool(aggs & set(aggregates_of(ctx.store, h))) != negate]
        if "resources" in q:
            wanted = parse_resources(ctx.store, q.getlist("resources")[-1])
            used = usage_index(ctx.store)
            rps = [h for h in rps if fits(h, wanted, used.get(h["id"], {}))]
        if "required" in q:
            has = trait_matcher(ctx.store, q.getlist("required"), ctx.mv)
            rps = [h for h in rps if has(h)]
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
    filters={"name": Filter(key=rp_name), "uuid": Filter(key="id", match=_uuids)},
    visibility="admin", write="admin", allow_create=False, allow_update=False,
    allow_delete=False)
"""Reads from the engine; writes are Placement's own (generations, trees): :mod:`.writes`."""


# --- what a provider has ---------------------------------------------------------------

def _allocations(ctx: Ctx, rp: Record) -> Record:
    """The consumers holding something on ``rp`` (with their generation from 1.28)."""
    out: Record = {}
    for cid, record in provider_allocations(ctx.store, rp["id"]).items():
        out[cid] = {"resources": dict(record["allocations"][rp["id"]])}
        if ctx.at_least(28):
            out[cid]["consumer_generation"] = record["generation"]
    return {"allocations": out}


_VIEWS: dict[str, tuple[int, Callable[[Ctx, Record], Record]]] = {
    "inventories": (0, lambda ctx, rp: {"inventories": inventory(rp)}),
    "usages": (0, lambda ctx, rp: {"usages": usages(ctx.store, rp)}),
    "allocations": (0, _allocations),
    "aggregates": (1, lambda ctx, rp: {"aggregates": aggregates_of(ctx.store, rp)}),
    "traits": (6, lambda ctx, rp: {"traits": traits_of(rp)}),
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


def _groups(ctx: Ctx) -> dict[str, dict[str, list[str]]]:
    """The numbered request groups (1.25 on): ``resources1=``, ``required1=``,
    ``member_of1=``, ``in_tree1=``, by suffix."""
    groups: dict[str, dict[str, list[str]]] = {}
    if not ctx.at_least(25):
        return groups
    for key in ctx.request.query_params:
        match = _GRANULAR.match(key)
        if match:
            suffix = key[len(match.group(1)):]
            groups.setdefault(suffix, {})[match.group(1)] = \
                ctx.request.query_params.getlist(key)
    return groups


def _in_group(ctx: Ctx, rp: Record, group: dict[str, list[str]]) -> bool:
    """Whether ``rp`` has a numbered group's traits and aggregates."""
    if "required" in group and not trait_matcher(ctx.store, group["required"], ctx.mv)(rp):
        return False
    if "in_tree" in group and rp_root(rp) != rp_root(
            PROVIDERS.records(ctx.store).get(group["in_tree"][-1]) or {"id": ""}):
        return False
    for raw in group.get("member_of", []):
        negate = raw.startswith("!") and ctx.at_least(32)
        aggs = {v.strip() for v in raw.removeprefix("!" if negate else "")
                .removeprefix("in:").split(",") if v.strip()}
        if bool(aggs & set(aggregates_of(ctx.store, rp))) == negate:
            return False
    return True


def _check_groups(ctx: Ctx, groups: dict[str, dict[str, list[str]]]) -> None:
    """Placement's checks of the request groups: from 1.36 a group without resources
    must be named in ``same_subtree``; before, traits or aggregates need resources."""
    resourceless = [suffix for suffix, g in groups.items() if "resources" not in g]
    if ctx.at_least(36):
        subtree = {s for v in ctx.request.query_params.getlist("same_subtree")
                   for s in v.split(",")}
        bad = [s for s in resourceless if s not in subtree]
        if bad:
            raise PlacementError(400, "Resourceless suffixed group request should be "
                                      "specified in `same_subtree` query param: bad "
                                      f"group(s) - {bad}.", "placement.query.bad_value")
    else:
        for key, words in (("required", "traits parameters must be associated with "
                                        "resources.  Found the following orphaned traits"),
                           ("member_of", "member_of parameters must be associated with "
                                         "resources. Found the following orphaned "
                                         "member_of")):
            orphans = [key + s for s in resourceless if key in groups[s]]
            if orphans:
                raise ApiError(400, f"All {words} keys: {', '.join(orphans)}")
        if resourceless:
            raise ApiError(400, "All request groups must specify resources.")
    if not any("resources" in g for g in groups.values()):
        raise ApiError(400, "At least one request group (`resources` or `resources{$S}`) "
                            "is required.")


async def _allocation_candidates(request: Request) -> Response:
    """Single providers with room for every request group (the unnumbered one and, from
    1.25, ``resources1=`` …): the demo cloud's providers carry their own inventory, so a
    candidate is one provider; ``group_policy=isolate`` with two numbered groups or more
    (which asks for as many providers) therefore has none. ``root_required`` (1.35)
    reads the traits of the candidate's root; ``same_subtree`` (1.36), which relates
    groups on different providers, has nothing to relate here. From 1.29 the summaries
    hold every provider of each candidate's tree, as Placement's (its
    ``_build_provider_summaries`` reads whole trees)."""
    ctx = Ctx.of(request, "allocation_candidates:list", since=10)
    check_params(ctx, _CANDIDATE_PARAMS)
    q = request.query_params
    groups = _groups(ctx)
    numbered = {k: parse_resources(ctx.store, g["resources"][-1])
                for k, g in groups.items() if "resources" in g}
    raw = q.get("resources")
    if not raw and not ctx.at_least(25):
        raise ApiError(400, "Invalid query string parameters: 'resources' is a required "
                            "property")
    unnumbered = {k: q.getlist(k) for k in ("resources", "required", "member_of", "in_tree")
                  if k in q}
    _check_groups(ctx, {"": unnumbered, **groups} if unnumbered else dict(groups))
    if len(numbered) > 1 and "group_policy" not in q:
        raise ApiError(400, 'The "group_policy" parameter is required when specifying more '
                            'than one "resources{N}" parameter.')
    policy = q.get("group_policy", "none")
    if policy not in ("none", "isolate"):
        raise ApiError(400, f"Invalid query string parameters: '{policy}' is not one of "
                            "['none', 'isolate']")
    wanted = parse_resources(ctx.store, raw) if raw else {}
    total = dict(wanted)
    for group_wants in numbered.values():
        for rc, amount in group_wants.items():
            total[rc] = total.get(rc, 0) + amount
    limit = q.get("limit")
    if limit is not None and (not limit.isdigit() or int(limit) < 1):
        raise ApiError(400, f"Invalid query string parameters: '{limit}' does not match "
                            "'^[1-9][0-9]*$'")
    used_by = usage_index(ctx.store)
    providers = PROVIDERS.records(ctx.store)
    roots = [trait_matcher(ctx.store, q.getlist("root_required"), ctx.mv)] \
        if "root_required" in q else []
    rps = [] if policy == "isolate" and len(numbered) > 1 else [
        rp for rp in PROVIDERS.matching(ctx)
        if fits(rp, total, used_by.get(rp["id"], {}))
        and all(_in_group(ctx, rp, g) for g in groups.values())
        and all(has(providers[rp_root(rp)]) for has in roots)]
    requests_: list[Record] = []
    chosen = rps[:int(limit) if limit else None]
    for rp in chosen:
        if ctx.at_least(12):
            req: Record = {"allocations": {rp["id"]: {"resources": dict(total)}}}
        else:
            req = {"allocations": [{"resource_provider": {"uuid": rp["id"]},
                                    "resources": dict(total)}]}
        if ctx.at_least(34):
            req["mappings"] = {suffix: [rp["id"]] for suffix in
                               ([""] if wanted else []) + sorted(numbered)}
        requests_.append(req)
    summarized = chosen
    if ctx.at_least(29):  # nested-aware: every provider of each candidate's tree
        trees = {rp_root(rp) for rp in chosen}
        summarized = [rp for rp in providers.values() if rp_root(rp) in trees]
    summaries: dict[str, Record] = {}
    for rp in summarized:
        inventories, used = inventory(rp), usages(ctx.store, rp, used_by)
        classes = inventories if ctx.at_least(27) else {
            rc: inventories[rc] for rc in total if rc in inventories}
        summary: Record = {"resources": {rc: {"capacity": capacity(inv),
                                              "used": used.get(rc, 0)}
                                         for rc, inv in classes.items()}}
        if ctx.at_least(17):
            summary["traits"] = traits_of(rp)
        if ctx.at_least(29):
            summary["parent_provider_uuid"] = rp_parent(rp)
            summary["root_provider_uuid"] = rp_root(rp)
        summaries[rp["id"]] = summary
    return ctx.reply({"allocation_requests": requests_, "provider_summaries": summaries})


def read_routes() -> list[Route]:
    rp = "/resource_providers/{id}"
    return [
        Route("/", _root, methods=["GET"]),
        *[r for r in PROVIDERS.routes() if isinstance(r, Route)],
        *[Route(f"{rp}/{part}", _view(part), methods=["GET"]) for part in _VIEWS],
        Route(rp + "/inventories/{resource_class}", _inventory_one, methods=["GET"]),
        Route("/allocation_candidates", _allocation_candidates, methods=["GET"]),
    ]
