"""Role grants, ``/v3/role_assignments``, implied roles, group membership and the
user-centred lists (``/v3/users/{id}/projects``, ``/groups``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, parse, select
from ...http import ApiError, json_response
from ...store import Store
from ._common import (
    INHERITED,
    V3,
    base_url,
    checks,
    effective_role_ids,
    enforce,
    implications,
    link,
    listing,
    reachable,
    related,
    truth,
)
from ._dialect import KEYSTONE
from ._resources import DOMAINS, GROUPS, PROJECTS, ROLES, USERS

__all__ = ["routes"]

_SCOPES = {"projects": ("project", PROJECTS), "domains": ("domain", DOMAINS)}
_ACTORS = {"users": ("user", USERS), "groups": ("group", GROUPS)}
_COLLECTIONS = {"user": USERS, "group": GROUPS, "project": PROJECTS, "domain": DOMAINS,
                "role": ROLES}


_GRANT_RULES = checks("create_grant", "check_grant", "revoke_grant")
_SYSTEM_RULES = checks(*(f"{verb}_system_grant_for_{{}}" for verb in ("create", "check",
                                                                    "revoke")))


async def grants(request: Request) -> Response:
    """``/v3/{projects,domains}/{sid}/{users,groups}/{aid}/roles[/{rid}]``: list the roles
    granted, or grant (``PUT``), check (``GET``/``HEAD``: 204) or revoke one. Under
    ``/v3/OS-INHERIT/…/inherited_to_projects`` the same for a grant its projects inherit
    (a domain's projects, or a project's subtree), which the target itself does not hold.
    Under ``/v3/system/{users,groups}/{aid}/roles`` the same on the system (the whole
    deployment), which a system-scoped token carries; a domain-specific role cannot be
    granted there (400)."""
    ctx, p = Ctx.of(request), request.path_params
    system = "scope" not in p
    if p["actor"] not in _ACTORS or not (system or p["scope"] in _SCOPES):
        raise HTTPException(404)
    inherited = request.url.path.endswith("/inherited_to_projects")
    rid = p.get("rid", "")
    actor, actors = _ACTORS[p["actor"]]
    if system:
        enforce(ctx, _SYSTEM_RULES[request.method].format(actor) if rid
                else f"list_system_grants_for_{actor}")
        scope, sid = "system", "all"
    else:
        rule = _GRANT_RULES[request.method] if rid else "list_grants"
        enforce(ctx, rule.replace("grant", "inherited_grant") if inherited and rid else rule)
        scope, scopes = _SCOPES[p["scope"]]
        sid = scopes.lookup(ctx.store, p["sid"])["id"]
    aid = actors.lookup(ctx.store, p["aid"])["id"]
    assignments, key = ctx.store.table("role_assignments"), f"{actor}|{aid}|{scope}|{sid}|"
    tail = INHERITED if inherited else ""
    if not rid:
        return listing(request, "roles", [ROLES.render(ctx, r) for r in ROLES.records(
            ctx.store).values() if key + r["id"] + tail in assignments])
    role = ROLES.lookup(ctx.store, rid)
    key += rid + tail
    if request.method == "PUT":
        if system and role.get("domain_id"):
            raise ApiError(400, f"Role {rid} is a domain-specific role. Unable to use a "
                                "domain-specific role in a system assignment.")
        target: dict[str, Any] = {scope: {"all": True} if system else {"id": sid}}
        if inherited:
            target["OS-INHERIT:inherited_to"] = "projects"
        assignments[key] = {"role": {"id": rid}, "scope": target, actor: {"id": aid}}
    elif key not in assignments:
        raise ApiError(404, f"Could not find role assignment with role: {rid}, user or "
                            f"group: {aid}, project, domain, or system: "
                            f"{'system' if system else sid}.")
    elif request.method == "DELETE":
        del assignments[key]
        if not system:
            _recheck(ctx.store, [aid] if actor == "user" else [
                m["user_id"] for m in ctx.store.table("group_members").values()
                if m["group_id"] == aid])
    return json_response(None, 204)


def _recheck(store: Store, user_ids: list[str]) -> None:
    """After a grant went away: the users' project- and domain-scoped tokens that hold no
    role there any more stop validating (Keystone recomputes a token's roles when it
    validates it; no revocation event is recorded)."""
    wanted = set(user_ids)
    for token in store.tokens.values():
        if token.user_id not in wanted or token.revoked or token.application_credential_id:
            continue
        if store.table("_token_info").get(token.id, {}).get("trust_id"):
            continue
        target = ("project", token.project_id) if token.project_id else \
            ("domain", token.domain_id) if token.domain_id else None
        if target is not None and not effective_role_ids(store, token.user_id, *target):
            token.revoked = True


# --- /v3/role_assignments -----------------------------------------------------------------

def _subtree(store: Store, root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for p in store.table("projects").values():
        children.setdefault(p.get("parent_id") or "", []).append(p["id"])
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _named(store: Store, kind: str, ident: str) -> dict[str, Any]:
    record = _COLLECTIONS[kind].records(store).get(ident)
    if record is None:
        return {"id": ident}
    out: dict[str, Any] = {"id": ident, "name": record["name"]}
    domain_id = record.get("domain_id")
    if kind != "domain" and domain_id:
        domain = store.table("domains").get(domain_id, {"name": ""})
        out["domain"] = {"id": domain_id, "name": domain["name"]}
    return out


async def list_role_assignments(request: Request) -> Response:
    q = request.query_params
    ctx = Ctx.of(request)
    store = ctx.store
    user_filter, group_filter, role_filter, project_filter, domain_filter, system_filter = (
        q.get(k) for k in ("user.id", "group.id", "role.id", "scope.project.id",
                           "scope.domain.id", "scope.system"))
    enforce(ctx, "list_role_assignments", allow_self=user_filter)
    effective, names, subtree = (name in q and truth(name, q[name]) for name in (
        "effective", "include_names", "include_subtree"))
    if subtree and not project_filter:
        raise ApiError(400, "scope.project.id needs to be specified if include_subtree is "
                            "also specified.")
    # One actor and one target per assignment: Keystone refuses filters naming two.
    for first, second, message in (
            (domain_filter, project_filter, "Specify a domain or project, not both"),
            (domain_filter, system_filter, "Specify system or domain, not both"),
            (project_filter, system_filter, "Specify system or project, not both"),
            (user_filter, group_filter, "Specify a user or group, not both")):
        if first and second:
            raise ApiError(400, message)
    if effective and group_filter:
        raise ApiError(400, "Combining effective and group filter will always result in an "
                            "empty list.")
    projects = _subtree(store, project_filter) if subtree and project_filter else (
        {project_filter} if project_filter else None)
    root = base_url(request) + V3
    members: dict[str, list[str]] = {}
    for m in store.table("group_members").values() if effective else ():
        members.setdefault(m["group_id"], []).append(m["user_id"])
    implied = implications(store) if effective else {}

    def ref(kind: str, ident: str) -> dict[str, Any]:
        return _named(store, kind, ident) if names else {"id": ident}

    inherited_only = q.get("scope.OS-INHERIT:inherited_to") == "projects"
    roles = store.table("roles")
    all_projects = store.table("projects")
    out: list[dict[str, Any]] = []
    for a in store.table("role_assignments").values():
        scope_kind = next(k for k in ("project", "domain", "system") if k in a["scope"])
        scope_id = "all" if scope_kind == "system" else a["scope"][scope_kind]["id"]
        inherited = a["scope"].get("OS-INHERIT:inherited_to") == "projects"
        if inherited_only and not inherited:
            continue
        actor_kind = "user" if "user" in a else "group"
        actor_id = a[actor_kind]["id"]
        target = "system" if scope_kind == "system" else f"{scope_kind}s/{scope_id}"
        assignment = f"{root}/{target}/{actor_kind}s/{actor_id}/roles/{a['role']['id']}"
        targets = [(scope_kind, scope_id)]
        if inherited:
            assignment = f"{root}/OS-INHERIT/{assignment[len(root) + 1:]}/inherited_to_projects"
            if effective:  # the projects that inherit it hold it; the target does not
                heirs = [p["id"] for p in all_projects.values() if p["domain_id"] == scope_id] \
                    if scope_kind == "domain" else \
                    [p for p in _subtree(store, scope_id) if p != scope_id]
                targets = [("project", h) for h in heirs]
        targets = [(k, i) for k, i in targets if not (
            (projects is not None and (k != "project" or i not in projects))
            or (domain_filter and (k != "domain" or i != domain_filter))
            or (system_filter and k != "system"))]
        actors: list[tuple[str, str, str | None]] = [(actor_kind, actor_id, None)]
        if effective and actor_kind == "group":
            actors = [("user", u, f"{root}/groups/{actor_id}/users/{u}")
                      for u in members.get(actor_id, [])]
        for (kind, ident, membership), (tkind, tid) in (
                (x, t) for x in actors for t in targets):
            if (user_filter and (kind != "user" or ident != user_filter)) or \
                    (group_filter and (kind != "group" or ident != group_filter)):
                continue
            chain: list[tuple[str, str | None]] = [(a["role"]["id"], None)]
            for role_id, _ in chain if effective else ():  # grows as implied roles are found
                chain += [(n, role_id) for n in implied.get(role_id, [])
                          if n not in {c for c, _ in chain}]
            for role_id, prior in chain:
                if (role_filter and role_id != role_filter) or (
                        effective and roles.get(role_id, {}).get("domain_id")):
                    continue  # effective: a domain-specific role stands for what it implies
                links = {"assignment": assignment, "membership": membership,
                         "prior_role": prior and f"{root}/roles/{prior}/implies/{role_id}"}
                scope: dict[str, Any] = {"system": {"all": True}} if tkind == "system" \
                    else {tkind: ref(tkind, tid)}
                if inherited and not effective:
                    scope["OS-INHERIT:inherited_to"] = "projects"
                out.append({"links": {k: v for k, v in links.items() if v},
                            "role": ref("role", role_id), "scope": scope,
                            kind: ref(kind, ident)})
    return listing(request, "role_assignments", out)


# --- implied roles ------------------------------------------------------------------------

def _role_ref(request: Request, store: Store, rid: str) -> dict[str, Any]:
    role = ROLES.lookup(store, rid)
    return {"id": rid, "name": role["name"],
            "links": {"self": f"{base_url(request)}{V3}/roles/{rid}"}}


async def list_implied(request: Request) -> Response:
    ctx = Ctx.of(request)
    enforce(ctx, "list_implied_roles")
    prior = request.path_params["prior"]
    implies = [_role_ref(request, ctx.store, r) for r in implications(ctx.store).get(prior, [])]
    return json_response({"role_inference": {"prior_role": _role_ref(request, ctx.store, prior),
                                             "implies": implies},
                          "links": {"self": str(request.url)}})


async def list_inferences(request: Request) -> Response:
    ctx = Ctx.of(request)
    enforce(ctx, "list_role_inference_rules")
    rules = [{"prior_role": _role_ref(request, ctx.store, prior),
              "implies": [_role_ref(request, ctx.store, r) for r in implied]}
             for prior, implied in implications(ctx.store).items()]
    return json_response({"role_inferences": rules})  # no links, as in Keystone


_INFERENCE_RULES = {"PUT": "create_implied_role", "GET": "get_implied_role",
                    "HEAD": "get_implied_role", "DELETE": "delete_implied_role"}


async def implied_role(request: Request) -> Response:
    """``PUT``, ``GET``/``HEAD`` and ``DELETE`` of one inference rule."""
    ctx = Ctx.of(request)
    enforce(ctx, _INFERENCE_RULES[request.method])
    prior, implied = request.path_params["prior"], request.path_params["implied"]
    body = {"role_inference": {"prior_role": _role_ref(request, ctx.store, prior),
                               "implies": _role_ref(request, ctx.store, implied)},
            "links": {"self": str(request.url)}}
    rules, key = ctx.store.table("implied_roles"), f"{prior}|{implied}"
    if request.method == "PUT":
        if prior == implied:
            raise ApiError(403, "A role cannot imply itself.")
        if ROLES.lookup(ctx.store, implied).get("domain_id"):
            raise ApiError(403, f"{implied} cannot be an implied roles.")  # Keystone's words
        rules[key] = {"prior_role_id": prior, "implied_role_id": implied}
        return json_response(body, 201)
    if key not in rules:
        raise KEYSTONE.not_found("implied role", f"{prior} implies {implied}")
    if request.method == "DELETE":
        del rules[key]
    return json_response(None if request.method != "GET" else body,
                         200 if request.method == "GET" else 204)


# --- group membership and the user's own lists --------------------------------------------

membership = link(
    checks("add_user_to_group", "check_user_in_group", "remove_user_from_group"),
    "group_members", (("gid", GROUPS, "group_id"), ("uid", USERS, "user_id")),
    "User {1} is not a member of group {0}.")
"""``PUT``, ``GET``/``HEAD`` (204 when a member) and ``DELETE`` of one membership."""
group_users = related("list_users_in_group", "group_members", ("gid", GROUPS, "group_id"),
                      ("uid", USERS, "user_id"))
user_groups = related("list_groups_for_user", "group_members", ("uid", USERS, "user_id"),
                      ("gid", GROUPS, "group_id"), allow_self=True,
                      # Keystone adds it (null but for a federated membership)
                      extra={"membership_expires_at": None})


_USER_PROJECTS = dataclasses.replace(PROJECTS, dialect=KEYSTONE)
"""The projects' filters, unpaged and in the order the grants give."""


async def user_projects(request: Request) -> Response:
    ctx = Ctx.of(request)
    uid = request.path_params["uid"]
    enforce(ctx, "list_user_projects", allow_self=uid)
    USERS.lookup(ctx.store, uid)
    projects = PROJECTS.records(ctx.store)
    seen = [projects[p] for p in reachable(ctx.store, uid, "project") if p in projects]
    query = parse(request, _USER_PROJECTS, ctx.admin)
    items, _ = select(_USER_PROJECTS, query, seen, projects)
    return listing(request, "projects", [PROJECTS.render(ctx, p) for p in items])


def routes() -> list[BaseRoute]:
    out: list[BaseRoute] = [
        Route("/v3/role_assignments", list_role_assignments, methods=["GET"]),
        Route("/v3/role_inferences", list_inferences, methods=["GET"]),
        Route("/v3/roles/{prior}/implies", list_implied, methods=["GET"]),
        Route("/v3/roles/{prior}/implies/{implied}", implied_role,
              methods=["PUT", "GET", "HEAD", "DELETE"]),
        Route("/v3/groups/{gid}/users", group_users, methods=["GET"]),
        Route("/v3/groups/{gid}/users/{uid}", membership,
              methods=["PUT", "GET", "HEAD", "DELETE"]),
        Route("/v3/users/{uid}/groups", user_groups, methods=["GET"]),
        Route("/v3/users/{uid}/projects", user_projects, methods=["GET"]),
    ]
    grant = "/v3/{scope}/{sid}/{actor}/{aid}/roles"
    out += [Route(grant, grants, methods=["GET"]),
            Route(grant + "/{rid}", grants, methods=["PUT", "GET", "HEAD", "DELETE"])]
    system = "/v3/system/{actor}/{aid}/roles"
    out += [Route(system, grants, methods=["GET"]),
            Route(system + "/{rid}", grants, methods=["PUT", "GET", "HEAD", "DELETE"])]
    inherit = "/v3/OS-INHERIT/{scope}/{sid}/{actor}/{aid}/roles"
    out += [Route(inherit + "/inherited_to_projects", grants, methods=["GET"]),
            Route(inherit + "/{rid}/inherited_to_projects", grants,
                  methods=["PUT", "GET", "HEAD", "DELETE"])]
    return out

