"""System role assignments: ``/v3/system/{users,groups}/{id}/roles[/{role_id}]``.

A grant on the system (the whole deployment, not one project or domain) is what a
system-scoped token carries (``"system": {"all": true}``). Admins list, check, grant and
revoke them; a domain-specific role cannot be granted on the system (400).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, json_response
from ._common import enforce, listing
from ._resources import GROUPS, ROLES, USERS

__all__ = ["routes"]

_ACTORS = {"users": ("user", USERS), "groups": ("group", GROUPS)}
_RULES = {"PUT": "create_system_grant_for_{}", "GET": "check_system_grant_for_{}",
          "HEAD": "check_system_grant_for_{}", "DELETE": "revoke_system_grant_for_{}"}


async def system_grants(request: Request) -> Response:
    """List a user's or group's roles on the system, or grant (``PUT``), check
    (``GET``/``HEAD``: 204) or revoke one (all 204)."""
    ctx, p = Ctx.of(request), request.path_params
    if p["actor"] not in _ACTORS:
        raise HTTPException(404)
    actor, actors = _ACTORS[p["actor"]]
    rid = p.get("rid", "")
    enforce(ctx, _RULES[request.method].format(actor) if rid
            else f"list_system_grants_for_{actor}")
    aid = actors.lookup(ctx.store, p["aid"])["id"]
    assignments, key = ctx.store.table("role_assignments"), f"{actor}|{aid}|system|all|"
    if not rid:
        return listing(request, "roles", [ROLES.render(ctx, r) for r in ROLES.records(
            ctx.store).values() if key + r["id"] in assignments])
    role = ROLES.lookup(ctx.store, rid)
    key += rid
    if request.method == "PUT":
        if role.get("domain_id"):
            raise ApiError(400, f"Role {rid} is a domain-specific role. Unable to use a "
                                "domain-specific role in a system assignment.")
        assignments[key] = {"role": {"id": rid}, "scope": {"system": {"all": True}},
                            actor: {"id": aid}}
    elif key not in assignments:
        raise ApiError(404, f"Could not find role assignment with role: {rid}, user or "
                            f"group: {aid}, project, domain, or system: system.")
    elif request.method == "DELETE":
        del assignments[key]
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    base = "/v3/system/{actor}/{aid}/roles"
    return [Route(base, system_grants, methods=["GET"]),
            Route(base + "/{rid}", system_grants, methods=["PUT", "GET", "HEAD", "DELETE"])]
