"""Per-project default volume types (``/v3/default-types``, microversion 3.62, admins).

A project's default type is what a volume created there without a ``volume_type`` gets
(before the cloud's ``__DEFAULT__``). In ``/v3/default-types/{project}`` the project is
the one whose default is set, not the caller's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ... import http
from ...engine import Ctx
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, admin_ctx, both, envelope, served
from .extra import TYPES

__all__ = ["TABLE", "routes"]

TABLE = "volume_default_types"
"""By project id (:mod:`.extra`'s volume create reads it by this name)."""
SINCE = (3, 62)


def _check(request: Request, action: str) -> Ctx:
    CINDER.gate(request, SINCE)
    ctx = admin_ctx(request, f"volume_extension:default_{action}")
    return ctx


def _missing(project: str) -> ApiError:
    return ApiError(404, f"Default type for project {project} could not be found.")


async def index(request: Request) -> Response:
    ctx = _check(request, "get_all")
    return http.json_response({"default_types": list(ctx.store.table(TABLE).values())})


async def one(request: Request) -> Response:
    """``GET``, ``PUT`` (set: a type's name or id) and ``DELETE`` one project's."""
    project = request.path_params["project"]
    ctx = _check(request, {"GET": "get", "PUT": "set_or_update",
                           "DELETE": "unset"}[request.method])
    table = ctx.store.table(TABLE)
    if request.method == "GET":
        if project not in table:
            raise _missing(project)
        return http.json_response({"default_type": table[project]})
    if request.method == "DELETE":
        if table.pop(project, None) is None:
            raise _missing(project)
        return http.json_response(None, 204)
    if project not in ctx.store.table("projects"):
        raise ApiError(404, f"Project {project} could not be found.")
    name = envelope(await http.json_body(request), "default_type").get("volume_type")
    if not isinstance(name, str) or not name:
        raise CINDER.bad("Invalid input for field/attribute default_type. 'volume_type' is "
                         "a required property")
    vtype = TYPES.get(ctx, name)
    record: Record = {"project_id": project, "volume_type_id": vtype["id"]}
    table[project] = record
    return http.json_response({"default_type": record})


def routes() -> list[BaseRoute]:
    """As the api-ref writes them, and under the caller's project like every Cinder route
    (what a catalog endpoint with the project id reaches)."""
    return [Route("/v3/default-types/", served(index), methods=["GET"]),
            *both("/default-types", index, ["GET"]),
            *both("/default-types/{project}", one, ["GET", "PUT", "DELETE"])]
