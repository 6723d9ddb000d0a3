"""Neutron quotas: limits (defaults plus per-project overrides) and usage counted from
the tables, enforced on create with Neutron's 409 ``OverQuota``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Field, check_body
from ...http import ApiError, auth, json_response, store_of
from ...store import Store
from . import model
from ._common import admin_ctx, bad, body_of, strip_json
from ._dialect import NEUTRON

__all__ = ["COUNTED", "check_quota", "limits", "routes", "usage", "wire"]


def limits(store: Store, project_id: str) -> dict[str, int]:
    return {**model.DEFAULT_QUOTAS, **store.table("network_quotas").get(project_id, {})}


COUNTED = {"network": "networks", "subnet": "subnets", "router": "routers",
           "security_group": "security_groups", "security_group_rule": "security_group_rules",
           "rbac_policy": "rbac_policies", "subnetpool": "subnetpools", "trunk": "trunks"}
"""Quota resource -> the table whose records count against their ``project_id`` (ports
and floating IPs are counted from :func:`.model.index`)."""


def wire(store: Store) -> None:
    """Index the counted tables by project (before they are made: see
    :meth:`~...store.Store.index`)."""
    for table in COUNTED.values():
        store.index(table, "project_id")


def usage(store: Store, project_id: str) -> dict[str, int]:
    """How much of each quota ``project_id`` uses, from its own records."""
    ix = model.index(store)
    used = {resource: len(store.index(table, "project_id").ids(project_id))
            for resource, table in COUNTED.items()}
    ports = store.table("ports")
    fips = store.table("floatingips")
    used["port"] = sum(1 for i in ix.ports_by_project.get(project_id, {}) if i in ports)
    used["floatingip"] = sum(1 for i in ix.fips_by_project.get(project_id, {}) if i in fips)
    # a router's routes are limited per router, checked as they are set: Neutron 29 counts
    # none against the project (``ExtraRoute_dbonly_mixin.get_router_routes_count``)
    used["router_route"] = 0
    return used


def check_quota(store: Store, project_id: str, resource: str, wanted: int = 1) -> None:
    """Raise Neutron's 409 ``OverQuota`` when ``wanted`` more would exceed the limit."""
    limit = limits(store, project_id)[resource]
    if limit < 0:
        return
    if usage(store, project_id)[resource] + wanted > limit:
        raise ApiError(409, f"Quota exceeded for resources: ['{resource}'].",
                       type="OverQuota")


_LIMITS = {key: Field(type="int", lenient=True) for key in model.DEFAULT_QUOTAS}
_FLAGS = {key: Field(type="bool", lenient=True) for key in ("check_limit", "force")}


def ident(request: Request) -> str:
    return strip_json(request.path_params["project_id"])


def _project(request: Request) -> str:
    pid = ident(request)
    token = auth(request)
    if pid != token.project_id and not token.is_admin:
        raise NEUTRON.forbidden("get_quota")
    return pid


async def list_quotas(request: Request) -> Response:
    store = admin_ctx(request, "get_quota").store
    out = [{**limits(store, pid), "project_id": pid, "tenant_id": pid}
           for pid in store.table("network_quotas")]
    return json_response({"quotas": out})


async def show_quota(request: Request) -> Response:
    pid = _project(request)
    return json_response({"quota": limits(store_of(request), pid)})


async def quota_details(request: Request) -> Response:
    pid = _project(request)
    store = store_of(request)
    lim, used = limits(store, pid), usage(store, pid)
    return json_response({"quota": {k: {"limit": v, "used": used.get(k, 0), "reserved": 0}
                                    for k, v in lim.items()}})


async def quota_defaults(request: Request) -> Response:
    _project(request)
    return json_response({"quota": dict(model.DEFAULT_QUOTAS)})


async def own_quota(request: Request) -> Response:
    token = auth(request)
    return json_response({"tenant": {"tenant_id": token.project_id},
                          "project": {"project_id": token.project_id}})


async def update_quota(request: Request) -> Response:
    store = admin_ctx(request, "update_quota").store
    pid = ident(request)
    changes: dict[str, int] = {}
    body = dict(await body_of(request, "quota"))
    # quota-check-limit: refuse a limit under what the project already uses ("force",
    # its old opposite, is accepted and means no check)
    flags = check_body(NEUTRON, _FLAGS, {k: body.pop(k) for k in list(body) if k in _FLAGS},
                       create=False)
    for key, value in body.items():  # the first bad key is named
        changes.update(check_body(NEUTRON, _LIMITS, {key: value}, create=False))
    for key, number in changes.items():
        if number < -1:
            raise bad(f"Invalid input for {key}. Reason: '{number}' should be an integer "
                      "greater than or equal to -1.")
    if flags.get("check_limit") and not flags.get("force"):
        used = usage(store, pid)
        unders = sorted(k for k, n in changes.items() if n != -1 and n < used.get(k, 0))
        if unders:
            raise ApiError(409, "Change would make usage less than 0 for the following "
                           f"resources: {unders}.", type="InvalidQuotaValue")
    store.table("network_quotas").setdefault(pid, {}).update(changes)
    return json_response({"quota": limits(store, pid)})


async def reset_quota(request: Request) -> Response:
    admin_ctx(request, "delete_quota").store.table("network_quotas").pop(ident(request), None)
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    q = "/v2.0/quotas"
    out: list[BaseRoute] = []
    for suffix in ("", ".json"):
        out += [Route(q + suffix, list_quotas, methods=["GET"]),
                Route(q + "/tenant" + suffix, own_quota, methods=["GET"]),
                Route(q + "/project" + suffix, own_quota, methods=["GET"]),
                Route(q + "/{project_id}/details" + suffix, quota_details, methods=["GET"]),
                Route(q + "/{project_id}/default" + suffix, quota_defaults, methods=["GET"])]
    out += [Route(q + "/{project_id}", show_quota, methods=["GET"]),
            Route(q + "/{project_id}", update_quota, methods=["PUT"]),
            Route(q + "/{project_id}", reset_quota, methods=["DELETE"])]
    return out
