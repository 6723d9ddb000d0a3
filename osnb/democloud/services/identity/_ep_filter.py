"""OS-EP-FILTER: endpoint groups and project-endpoint associations, which narrow the
catalog a project-scoped token carries.

A project with no association sees every endpoint; once an endpoint or an endpoint group
is associated with it, its tokens' catalog holds only those endpoints (Keystone's
``[endpoint_filter] return_all_endpoints_if_no_filter``). A group's ``filters`` select
endpoints by ``service_id``, ``region_id`` and ``interface``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._catalog import ENDPOINTS
from ._common import (
    Resource,
    checks,
    enforce,
    link,
    listing,
    purge,
    refuse_additional,
    related,
)
from ._resources import PROJECTS

__all__ = ["ENDPOINT_GROUPS", "allowed_endpoints", "routes"]

EP = "OS-EP-FILTER"
_FILTER_KEYS = frozenset({"service_id", "region_id", "interface"})


def _check_filters(filters: Any) -> None:
    if not isinstance(filters, dict) or not filters or set(filters) - _FILTER_KEYS:
        raise ApiError(400, "Expecting to find service_id or region_id or interface in "
                            "endpoint_group. The server could not comply with the request "
                            "since it is either malformed or otherwise incorrect. The "
                            "client is assumed to be in error.")


class _EndpointGroups(Resource):
    async def body(self, request: Request) -> dict[str, Any]:
        raw = await super().body(request)
        refuse_additional(self.singular, self.fields, raw)
        return raw

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        _check_filters(record.get("filters"))

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if "filters" in changes:
            _check_filters(changes["filters"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        purge(ctx.store.table("project_endpoint_groups"),
              lambda k, _: k.startswith(record["id"] + "|"))


ENDPOINT_GROUPS = _EndpointGroups(
    "endpoint_group", "endpoint_groups", path=f"{EP}/endpoint_groups",
    fields={"name": Field(required=True, filter="exact"),
            "description": Field(nullable=True, default=None),
            "filters": Field(type="dict", required=True)})


def _matching(store: Store, group: Record) -> list[Record]:
    filters = group["filters"]
    return [e for e in ENDPOINTS.records(store).values()
            if all(e.get(k) == v for k, v in filters.items())]


def allowed_endpoints(store: Store, project_id: str | None) -> set[str] | None:
    """The endpoint ids a token scoped to ``project_id`` may see in its catalog, or None
    when the project has no association (every endpoint)."""
    if project_id is None:
        return None
    direct = [v["endpoint_id"] for v in store.table("project_endpoints").values()
              if v["project_id"] == project_id]
    groups = ENDPOINT_GROUPS.records(store)
    linked = [groups[v["endpoint_group_id"]] for v in store.table(
        "project_endpoint_groups").values() if v["project_id"] == project_id and
        v["endpoint_group_id"] in groups]
    if not direct and not linked:
        return None
    return set(direct) | {e["id"] for g in linked for e in _matching(store, g)}


project_endpoint = link(
    checks("add_endpoint_to_project", "check_endpoint_in_project",
           "remove_endpoint_from_project"), "project_endpoints",
    (("pid", PROJECTS, "project_id"), ("eid", ENDPOINTS, "endpoint_id")),
    "Could not find project endpoint: {0}, {1}.")
"""Associate (``PUT``), check (``GET``/``HEAD``) or dissociate an endpoint."""


async def project_endpoints(request: Request) -> Response:
    """The endpoints a project's catalog holds: associated, or through its groups."""
    ctx = Ctx.of(request)
    enforce(ctx, "list_endpoints_for_project")
    pid = PROJECTS.lookup(ctx.store, request.path_params["pid"])["id"]
    allowed = allowed_endpoints(ctx.store, pid) or set()
    return listing(request, "endpoints", [ENDPOINTS.render(ctx, e) for e in ENDPOINTS.records(
        ctx.store).values() if e["id"] in allowed])


_GROUP = ("gid", ENDPOINT_GROUPS, "endpoint_group_id")
_PROJECT = ("pid", PROJECTS, "project_id")
endpoint_projects = related("list_projects_for_endpoint", "project_endpoints",
                            ("eid", ENDPOINTS, "endpoint_id"), _PROJECT)
group_projects = related("list_projects_associated_with_endpoint_group",
                         "project_endpoint_groups", _GROUP, _PROJECT)
project_groups = related("list_endpoint_groups_for_project", "project_endpoint_groups",
                         _PROJECT, _GROUP)
group_project = link(
    checks("add_endpoint_group_to_project", "get_endpoint_group_in_project",
           "remove_endpoint_group_from_project"), "project_endpoint_groups", (_GROUP, _PROJECT),
    "Could not find endpoint group project association: {0}, {1}.",
    shown=lambda gid, pid: {"project_endpoint_group": {
        "endpoint_group_id": gid, "project_id": pid,
        "links": {"self": f"/{EP}/endpoint_groups/{gid}/projects/{pid}"}}})
"""Associate (``PUT``), show (``GET``) or dissociate a group and a project."""


async def group_endpoints(request: Request) -> Response:
    ctx = Ctx.of(request)
    enforce(ctx, "list_endpoints_associated_with_endpoint_group")
    group = ENDPOINT_GROUPS.lookup(ctx.store, request.path_params["gid"])
    return listing(request, "endpoints", [ENDPOINTS.render(ctx, e)
                                          for e in _matching(ctx.store, group)])


def routes() -> list[BaseRoute]:
    base = f"/v3/{EP}"
    return [*ENDPOINT_GROUPS.routes("/v3"),
            Route(base + "/endpoint_groups/{gid}/endpoints", group_endpoints, methods=["GET"]),
            Route(base + "/endpoint_groups/{gid}/projects", group_projects, methods=["GET"]),
            Route(base + "/endpoint_groups/{gid}/projects/{pid}", group_project,
                  methods=["PUT", "GET", "HEAD", "DELETE"]),
            Route(base + "/projects/{pid}/endpoint_groups", project_groups, methods=["GET"]),
            Route(base + "/projects/{pid}/endpoints", project_endpoints, methods=["GET"]),
            Route(base + "/projects/{pid}/endpoints/{eid}", project_endpoint,
                  methods=["PUT", "GET", "HEAD", "DELETE"]),
            Route(base + "/endpoints/{eid}/projects", endpoint_projects, methods=["GET"])]
