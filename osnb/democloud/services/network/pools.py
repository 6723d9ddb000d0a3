"""Address scopes and subnet pools: where a subnet's CIDR may come from.

A pool holds prefixes of one IP version (optionally in an address scope, where no two
pools overlap); a subnet asks it for a ``prefixlen`` (or names a CIDR inside it) and gets
the first free block. A pool with subnets, or a scope with pools, cannot be deleted; the
prefixes a subnet uses cannot be removed.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record, Store
from . import model
from ._common import (
    BOOL,
    NULLABLE,
    ONCE,
    RO,
    InUse,
    NeutronCollection,
    bad,
    common,
    conflict,
    document,
    required,
)
from .rbac import reaches

__all__ = ["ADDRESS_SCOPES", "SUBNETPOOLS", "allocate", "routes", "seed"]

Net = ipaddress.IPv4Network | ipaddress.IPv6Network
_NAMESPACE = uuid.UUID("a3c1f0de-2b4e-4c6a-9d7e-5f8b1e2c3d40")


def _visible(object_type: str) -> Any:
    def visible(ctx: Ctx, record: Record) -> bool:
        return bool(record["project_id"] == ctx.token.project_id or record["shared"]
                    or reaches(ctx.store, object_type, record["id"], ctx.token.project_id))
    return visible


# -- address scopes ----------------------------------------------------------------------

class AddressScopes(NeutronCollection):
    """Address scopes: no standard attributes; an admin's to share."""

    admin_attrs = ("shared",)
    stamped = False

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        return new_scope(ctx.store, self.dialect.new_id(), project_id, attrs.get("name", ""),
                         attrs["ip_version"], shared=attrs.get("shared", False))


def new_scope(store: Store, scope_id: str, project_id: str, name: str, ip_version: int,
              *, shared: bool = False) -> Record:
    scope = {"id": scope_id, "name": name, "tenant_id": project_id, "project_id": project_id,
             "ip_version": ip_version, "shared": shared}
    store.table("address_scopes")[scope_id] = scope
    return scope


ADDRESS_SCOPES = AddressScopes(
    "address_scope", "address_scopes", path="address-scopes", tags=False,
    visibility=_visible("address_scope"),
    in_use=(InUse("subnetpools", ("address_scope_id",), "Unable to complete operation on "
                  "address scope {id}. There are one or more subnet pools in use on the "
                  "address scope.", "AddressScopeInUse"),), fields={
        "id": RO, "name": Field(max_length=255), "project_id": ONCE, "tenant_id": ONCE,
        "ip_version": Field(type="any", choices=(4, 6), required=True, create_only=True),
        "shared": BOOL})


# -- subnet pools ------------------------------------------------------------------------

def _prefixes(values: Iterable[Any], version: int | None = None) -> list[Net]:
    nets: list[Net] = []
    for value in values:
        try:
            nets.append(ipaddress.ip_network(value, strict=False))
        except (TypeError, ValueError):
            raise bad(f"Invalid input for prefixes. Reason: '{value}' is not a valid IP "
                      "subnet.") from None
    versions = {n.version for n in nets} | ({version} if version else set())
    if len(versions) > 1:
        raise bad("Illegal subnetpool prefix bounds: prefixes of mixed IP versions.",
                  type="PrefixVersionMismatch")
    return nets


def _collapse(nets: list[Net]) -> list[str]:
    return [str(n) for n in ipaddress.collapse_addresses(nets)]  # type: ignore[type-var]


def _subnets_of(store: Store, pool_id: str) -> list[Record]:
    return [s for s in store.table("subnets").values() if s.get("subnetpool_id") == pool_id]


class SubnetPools(NeutronCollection):
    """Subnet pools: prefixes of one IP version, bounds that hold, one default per
    version, no overlap inside an address scope."""

    admin_attrs = ("shared", "is_default")
    private = True  # the engine's render, so that ``shape`` words the prefix lengths

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """The prefix lengths as texts, as Neutron's ``_make_subnetpool_dict`` sends them."""
        return {**record, **{k: str(record[k]) for k in (
            "min_prefixlen", "default_prefixlen", "max_prefixlen")}}

    def _check(self, ctx: Ctx, pool: dict[str, Any], skip: str = "") -> None:
        nets = _prefixes(pool["prefixes"])
        low, default, high = (pool[k] for k in ("min_prefixlen", "default_prefixlen",
                                                 "max_prefixlen"))
        top = 32 if pool["ip_version"] == 4 else 128
        if not 0 <= low <= default <= high <= top:
            raise bad(f"Illegal prefix bounds: min_prefixlen={low}, default_prefixlen="
                      f"{default}, max_prefixlen={high}.", type="IllegalSubnetPoolPrefixBounds")
        for net in nets:
            if net.prefixlen > high:
                raise bad(f"Illegal prefix bounds: prefix {net} is smaller than "
                          f"max_prefixlen {high}.", type="IllegalSubnetPoolPrefixBounds")
        scope_id = pool.get("address_scope_id")
        if scope_id:
            scope = ADDRESS_SCOPES.get(ctx, scope_id)
            if scope["ip_version"] != pool["ip_version"]:
                raise bad(f"Illegal subnetpool association: subnetpool {pool['id']} cannot "
                          f"be associated with address scope {scope_id} because subnetpool "
                          f"ip_version is not {scope['ip_version']}.",
                          type="IllegalSubnetPoolIpVersionAssociationWithAddressScope")
            for other in self.records(ctx.store).values():
                if other["id"] not in (pool["id"], skip) and \
                        other["address_scope_id"] == scope_id and \
                        any(a.overlaps(b) for a in nets for b in _prefixes(other["prefixes"])):
                    raise bad(f"Illegal subnetpool association: subnetpool {pool['id']} "
                              f"cannot associate with address scope {scope_id} because "
                              "subnetpool prefixes overlap.",
                              type="IllegalSubnetPoolAssociationToAddressScope")
        if pool.get("is_default"):
            for other in self.records(ctx.store).values():
                if other["id"] not in (pool["id"], skip) and other["is_default"] and \
                        other["ip_version"] == pool["ip_version"]:
                    raise bad(f"Invalid input for operation: A default subnetpool for this "
                              f"IP family ({pool['ip_version']}) has already been set.",
                              type="InvalidInput")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        nets = _prefixes(attrs["prefixes"])
        if not nets:
            raise bad("Invalid input for prefixes. Reason: a subnet pool needs at least one "
                      "prefix.")
        version = nets[0].version
        low = attrs.get("min_prefixlen", 8 if version == 4 else 64)
        pool = new_pool(ctx.store, self.dialect.new_id(), project_id, attrs.get("name", ""),
                        [str(n) for n in nets], min_prefixlen=low,
                        default_prefixlen=attrs.get("default_prefixlen", low),
                        max_prefixlen=attrs.get("max_prefixlen", 32 if version == 4 else 128),
                        address_scope_id=attrs.get("address_scope_id"),
                        shared=attrs.get("shared", False),
                        is_default=attrs.get("is_default", False),
                        default_quota=attrs.get("default_quota"),
                        description=attrs.get("description", ""), store_it=False)
        self._check(ctx, pool)
        ctx.store.table("subnetpools")[pool["id"]] = pool
        return pool

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "prefixes" in changes:
            kept = _prefixes(changes["prefixes"], record["ip_version"])
            _keep_used(ctx.store, record, kept)
            changes["prefixes"] = _collapse(kept)
        self._check(ctx, {**record, **changes}, skip=record["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if _subnets_of(ctx.store, record["id"]):
            raise conflict(f"Unable to complete operation on subnet pool {record['id']}. "
                           "Subnet pool has existing allocations.", "SubnetPoolInUse")


def _keep_used(store: Store, pool: Record, kept: list[Net]) -> None:
    """Refuse prefixes that would leave a subnet of the pool outside them."""
    for subnet in _subnets_of(store, pool["id"]):
        cidr = ipaddress.ip_network(subnet["cidr"])
        if not any(cidr.subnet_of(n) for n in kept if n.version == cidr.version):  # type: ignore[arg-type]
            raise conflict(f"Illegal update to prefixes: subnet {subnet['id']} of pool "
                           f"{pool['id']} uses {cidr}.", "IllegalSubnetPoolPrefixUpdate")


def new_pool(store: Store, pool_id: str, project_id: str, name: str, prefixes: list[str],
             *, min_prefixlen: int, default_prefixlen: int, max_prefixlen: int,
             address_scope_id: str | None = None, shared: bool = False,
             is_default: bool = False, default_quota: int | None = None,
             description: str = "", store_it: bool = True) -> Record:
    nets = _prefixes(prefixes)
    ts = model.timestamp()
    pool = {"id": pool_id, "name": name, "tenant_id": project_id, "project_id": project_id,
            "description": description, "tags": [], "created_at": ts, "updated_at": ts,
            "revision_number": 0, "prefixes": _collapse(nets),
            "ip_version": nets[0].version, "min_prefixlen": min_prefixlen,
            "default_prefixlen": default_prefixlen, "max_prefixlen": max_prefixlen,
            "default_quota": default_quota, "is_default": is_default, "shared": shared,
            "address_scope_id": address_scope_id}
    if store_it:
        store.table("subnetpools")[pool_id] = pool
    return pool


_PREFIXLEN = Field(type="int", lenient=True, minimum=0, maximum=128)
SUBNETPOOLS = SubnetPools("subnetpool", "subnetpools", visibility=_visible("subnetpool"),
                          fields=common({
                              "prefixes": Field(type="list", items="str", required=True),
                              "ip_version": RO, "min_prefixlen": _PREFIXLEN,
                              "default_prefixlen": _PREFIXLEN, "max_prefixlen": _PREFIXLEN,
                              "default_quota": Field(type="int", lenient=True, nullable=True,
                                                     minimum=0),
                              "is_default": BOOL, "shared": BOOL,
                              "address_scope_id": NULLABLE}))


def allocate(ctx: Ctx, pool_id: str | None, ip_version: int, cidr: Net | None,
             prefixlen: int | None) -> tuple[Record, Net]:
    """The pool (``None``: the default pool of ``ip_version``) and the CIDR a new subnet
    gets from it: ``cidr`` if it lies in a free part of the pool, else the first free
    block of ``prefixlen`` (the pool's default)."""
    if pool_id is None:
        pool = next((p for p in SUBNETPOOLS.records(ctx.store).values()
                     if p["is_default"] and p["ip_version"] == ip_version
                     and SUBNETPOOLS.visible(ctx, p)), None)
        if pool is None:
            raise bad(f"Bad subnets request: No default subnetpool found for IPv{ip_version}.",
                      type="BadRequest")
    else:
        pool = SUBNETPOOLS.get(ctx, pool_id)
    if pool["ip_version"] != ip_version:
        raise bad(f"Invalid input for operation: Cannot allocate IPv{ip_version} subnet "
                  f"from IPv{pool['ip_version']} subnet pool.", type="InvalidInput")
    prefixes = _prefixes(pool["prefixes"])
    taken = [ipaddress.ip_network(s["cidr"]) for s in _subnets_of(ctx.store, pool["id"])]
    if cidr is not None:
        if not any(cidr.subnet_of(p) for p in prefixes):  # type: ignore[arg-type]
            raise bad(f"Bad subnets request: Cidr {cidr} is not in the subnet pool's "
                      "prefixes.", type="BadRequest")
        if any(cidr.overlaps(t) for t in taken):
            raise conflict(f"Failed to allocate subnet: Cidr {cidr} overlaps an allocation "
                           "of the subnet pool.", "SubnetAllocationError")
        return pool, cidr
    size = pool["default_prefixlen"] if prefixlen is None else prefixlen
    if not pool["min_prefixlen"] <= size <= pool["max_prefixlen"]:
        raise bad(f"Invalid input for operation: Unsupported prefix length {size}: it must "
                  f"be from {pool['min_prefixlen']} to {pool['max_prefixlen']}.",
                  type="InvalidInput")
    for prefix in prefixes:
        if prefix.prefixlen > size:
            continue
        for block in prefix.subnets(new_prefix=size):
            if not any(block.overlaps(t) for t in taken):
                return pool, block
    raise conflict(f"Failed to allocate subnet: Insufficient prefix space to allocate subnet "
                   f"size /{size}.", "SubnetAllocationError")


async def _prefix_action(request: Request, add: bool) -> Response:
    ctx = Ctx.of(request)
    pool = SUBNETPOOLS.get(ctx, request.path_params["id"])
    SUBNETPOOLS.may_change(ctx, pool, "update")
    given = _prefixes(await required(request, "prefixes", list,
                                     reason="is required and must be a list"),
                      pool["ip_version"])
    held = _prefixes(pool["prefixes"])
    if add:
        kept = held + given
    else:
        kept = []
        for net in held:
            parts = [net]
            for gone in given:
                parts = [q for p in parts for q in (p.address_exclude(gone)  # type: ignore[arg-type]
                                                    if gone.subnet_of(p) else  # type: ignore[arg-type]
                                                    [] if p.subnet_of(gone) else [p])]  # type: ignore[arg-type]
            kept += parts
        _keep_used(ctx.store, pool, kept)
    candidate = {**pool, "prefixes": _collapse(kept)}
    SUBNETPOOLS._check(ctx, candidate, skip=pool["id"])
    pool["prefixes"] = candidate["prefixes"]
    model.stamp(pool)
    return json_response({"prefixes": pool["prefixes"]})


async def add_prefixes(request: Request) -> Response:
    return await _prefix_action(request, True)


async def remove_prefixes(request: Request) -> Response:
    return await _prefix_action(request, False)


async def onboard_network_subnets(request: Request) -> Response:
    """Move a network's subnets of the pool's IP version into the pool, their CIDRs joining
    its prefixes (Neutron's ``subnet-onboard``); a CIDR overlapping what the pool already
    handed out is refused. The answer lists the subnets onboarded."""
    ctx = Ctx.of(request)
    pool = SUBNETPOOLS.get(ctx, request.path_params["id"])
    if not ctx.admin and pool["project_id"] != ctx.token.project_id:
        raise SUBNETPOOLS.dialect.forbidden("onboard_network_subnets")
    body = await document(request)
    network_id = body.get("network_id") if isinstance(body, dict) else None
    if not network_id:
        raise bad("Invalid input for operation: network_id must be specified.",
                  type="InvalidInput")
    network = ctx.store.table("networks").get(str(network_id))
    if network is None or not (ctx.admin or network["project_id"] == ctx.token.project_id
                               or network.get("shared")):
        raise ApiError(404, f"Network {network_id} could not be found.",
                       type="NetworkNotFound")
    subnets = [s for s in ctx.store.table("subnets").values()
               if s["network_id"] == network["id"] and s["ip_version"] == pool["ip_version"]]
    allocated = [ipaddress.ip_network(s["cidr"]) for s in _subnets_of(ctx.store, pool["id"])]
    for subnet in subnets:
        cidr = ipaddress.ip_network(subnet["cidr"])
        if any(cidr.overlaps(a) for a in allocated):
            raise bad(f"Illegal subnetpool update : Onboarding subnet {subnet['id']}: "
                      f"{subnet['cidr']} conflicts with allocated prefixes in subnet pool "
                      f"{pool['id']}", type="IllegalSubnetPoolUpdate")
    candidate = {**pool, "prefixes": _collapse(
        _prefixes(pool["prefixes"]) + [ipaddress.ip_network(s["cidr"]) for s in subnets])}
    SUBNETPOOLS._check(ctx, candidate, skip=pool["id"])
    pool["prefixes"] = candidate["prefixes"]
    model.stamp(pool)
    for subnet in subnets:
        subnet["subnetpool_id"] = pool["id"]
        model.stamp(subnet)
    if subnets and pool["address_scope_id"]:
        network[f"ipv{pool['ip_version']}_address_scope"] = pool["address_scope_id"]
    return json_response([{"id": s["id"], "cidr": s["cidr"]} for s in subnets])


def seed(store: Store, admin_project_id: str) -> None:
    """A shared IPv4 scope with the default pool of each IP version, as an operator
    offers for self-service subnets (ids derived from names: no random draw)."""
    if not admin_project_id:
        return

    def ident(text: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{admin_project_id}:{text}"))

    scope = new_scope(store, ident("scope-v4"), admin_project_id, "routable-v4", 4,
                      shared=True)
    new_pool(store, ident("pool-v4"), admin_project_id, "default-v4", ["100.64.0.0/16"],
             min_prefixlen=20, default_prefixlen=26, max_prefixlen=28,
             address_scope_id=scope["id"], shared=True, is_default=True,
             description="Self-service IPv4 subnets, routable inside the cloud")
    new_pool(store, ident("pool-v6"), admin_project_id, "default-v6",
             ["2001:db8:1000::/48"], min_prefixlen=56, default_prefixlen=64,
             max_prefixlen=64, shared=True, is_default=True,
             description="Self-service IPv6 subnets")


def routes() -> list[BaseRoute]:
    return [*ADDRESS_SCOPES.routes(), *SUBNETPOOLS.routes(),
            Route("/v2.0/subnetpools/{id}/add_prefixes", add_prefixes, methods=["PUT"]),
            Route("/v2.0/subnetpools/{id}/remove_prefixes", remove_prefixes,
                  methods=["PUT"]),
            Route("/v2.0/subnetpools/{id}/onboard_network_subnets", onboard_network_subnets,
                  methods=["PUT"])]
