"""Role grants, ``/v3/role_assignments``, implied roles, group membership and the
user-centred lists (``/v3/users/{id}/projects``, ``/groups``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, json_response, query_bool, store_of
from ...store import Record, Store
from ._common import (
    V3,
    base_url,
    collection,
    enforce,
    get,
    not_found,
    user_group_ids,
    view,
)

__all__ = ["routes"]

_SCOPES = {"projects": ("project", "projects"), "domains": ("domain", "domains")}
_ACTORS = {"users": ("user", "users"), "groups": ("group", "groups")}


def _grant_key(request: Request) -> tuple[str, str, str, str, str, str]:
    """``(actor, actor_id, scope, scope_id, role_id, key)`` of the grant in the path,
    checking that actor, target and role exist."""
    store = store_of(request)
    p = request.path_params
    scope, scope_table = _SCOPES[p["scope"]]
    actor, actor_table = _ACTORS[p["actor"]]
    get(store, scope_table, scope, p["sid"])
    get(store, actor_table, actor, p["aid"])
    rid = p.get("rid", "")
    if rid:
        get(store, "roles", "role", rid)
    return actor, p["aid"], scope, p["sid"], rid, f"{actor}|{p['aid']}|{scope}|{p['sid']}|{rid}"


async def list_grants(request: Request) -> Response:
    enforce(request, "list_grants")
    actor, aid, scope, sid, _, _ = _grant_key(request)
    store = store_of(request)
    assignments = store.table("role_assignments")
    roles = [view(request, "roles", r) for r in store.table("roles").values()
             if f"{actor}|{aid}|{scope}|{sid}|{r['id']}" in assignments]
    return json_response(collection(request, "roles", roles))


async def put_grant(request: Request) -> Response:
    enforce(request, "create_grant")
    actor, aid, scope, sid, rid, key = _grant_key(request)
    store_of(request).table("role_assignments")[key] = {
        "role": {"id": rid}, "scope": {scope: {"id": sid}}, actor: {"id": aid}}
    return json_response(None, 204)


def _grant_missing(rid: str, aid: str, sid: str) -> ApiError:
    return ApiError(404, f"Could not find role assignment with role: {rid}, user or group: "
                         f"{aid}, project, domain, or system: {sid}.")


async def check_grant(request: Request) -> Response:
    enforce(request, "check_grant")
    _, aid, _, sid, rid, key = _grant_key(request)
    if key not in store_of(request).table("role_assignments"):
        raise _grant_missing(rid, aid, sid)
    return json_response(None, 204)


async def delete_grant(request: Request) -> Response:
    enforce(request, "revoke_grant")
    _, aid, _, sid, rid, key = _grant_key(request)
    assignments = store_of(request).table("role_assignments")
    if key not in assignments:
        raise _grant_missing(rid, aid, sid)
    del assignments[key]
    return json_response(None, 204)


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


def _implications(store: Store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in store.table("implied_roles").values():
        out.setdefault(rule["prior_role_id"], []).append(rule["implied_role_id"])
    return out


def _named(store: Store, kind: str, ident: str) -> dict[str, Any]:
    table = {"user": "users", "group": "groups", "project": "projects", "domain": "domains",
             "role": "roles"}[kind]
    record = store.table(table).get(ident)
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
    user_filter = q.get("user.id")
    enforce(request, "list_role_assignments", allow_self=user_filter)
    store = store_of(request)
    effective = "effective" in q and query_bool(request, "effective", True)
    names = "include_names" in q and query_bool(request, "include_names", True)
    subtree = "include_subtree" in q and query_bool(request, "include_subtree", True)
    project_filter = q.get("scope.project.id")
    if subtree and not project_filter:
        raise ApiError(400, "scope.project.id needs to be specified if include_subtree is "
                            "also specified.")
    projects = _subtree(store, project_filter) if subtree and project_filter else (
        {project_filter} if project_filter else None)
    domain_filter, group_filter, role_filter = (q.get("scope.domain.id"), q.get("group.id"),
                                                q.get("role.id"))
    system_filter = q.get("scope.system")
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
    root = base_url(request) + V3
    members: dict[str, list[str]] = {}
    if effective:
        for m in store.table("group_members").values():
            members.setdefault(m["group_id"], []).append(m["user_id"])
    implied = _implications(store) if effective else {}
    out: list[dict[str, Any]] = []
    for a in store.table("role_assignments").values():
        scope_kind = next(k for k in ("project", "domain", "system") if k in a["scope"])
        scope_id = "all" if scope_kind == "system" else a["scope"][scope_kind]["id"]
        if projects is not None and (scope_kind != "project" or scope_id not in projects):
            continue
        if domain_filter and (scope_kind != "domain" or scope_id != domain_filter):
            continue
        if system_filter and scope_kind != "system":
            continue
        actor_kind = "user" if "user" in a else "group"
        actor_id = a[actor_kind]["id"]
        target = "system" if scope_kind == "system" else f"{scope_kind}s/{scope_id}"
        assignment_link = (f"{root}/{target}/{actor_kind}s/{actor_id}/roles/"
                           f"{a['role']['id']}")
        actors: list[tuple[str, str, str | None]]
        if effective and actor_kind == "group":
            actors = [("user", u, f"{root}/groups/{actor_id}/users/{u}")
                      for u in members.get(actor_id, [])]
        else:
            actors = [(actor_kind, actor_id, None)]
        for kind, ident, membership in actors:
            if user_filter and (kind != "user" or ident != user_filter):
                continue
            if group_filter and (kind != "group" or ident != group_filter):
                continue
            chain = [(a["role"]["id"], None)]
            if effective:
                seen = {a["role"]["id"]}
                i = 0
                while i < len(chain):
                    for nxt in implied.get(chain[i][0], []):
                        if nxt not in seen:
                            seen.add(nxt)
                            chain.append((nxt, chain[i][0]))
                    i += 1
            for role_id, prior in chain:
                if role_filter and role_id != role_filter:
                    continue
                links: dict[str, str] = {"assignment": assignment_link}
                if membership:
                    links["membership"] = membership
                if prior:
                    links["prior_role"] = f"{root}/roles/{prior}/implies/{role_id}"
                item: dict[str, Any] = {
                    "links": links,
                    "role": _named(store, "role", role_id) if names else {"id": role_id},
                    "scope": {"system": {"all": True}} if scope_kind == "system" else
                             {scope_kind: _named(store, scope_kind, scope_id) if names
                              else {"id": scope_id}},
                    kind: _named(store, kind, ident) if names else {"id": ident}}
                out.append(item)
    return json_response(collection(request, "role_assignments", out))


# --- implied roles ------------------------------------------------------------------------

def _role_ref(request: Request, store: Store, rid: str) -> dict[str, Any]:
    role = get(store, "roles", "role", rid)
    return {"id": rid, "name": role["name"],
            "links": {"self": f"{base_url(request)}{V3}/roles/{rid}"}}


async def list_implied(request: Request) -> Response:
    enforce(request, "list_implied_roles")
    store = store_of(request)
    prior = request.path_params["prior"]
    implies = [_role_ref(request, store, r) for r in _implications(store).get(prior, [])]
    return json_response({"role_inference": {"prior_role": _role_ref(request, store, prior),
                                             "implies": implies},
                          "links": {"self": str(request.url)}})


async def list_inferences(request: Request) -> Response:
    enforce(request, "list_role_inference_rules")
    store = store_of(request)
    rules = [{"prior_role": _role_ref(request, store, prior),
              "implies": [_role_ref(request, store, r) for r in implied]}
             for prior, implied in _implications(store).items()]
    return json_response({"role_inferences": rules, "links": {"self": str(request.url)}})


def _inference(request: Request) -> tuple[Store, str, dict[str, Any]]:
    store = store_of(request)
    prior, implied = request.path_params["prior"], request.path_params["implied"]
    body = {"role_inference": {"prior_role": _role_ref(request, store, prior),
                               "implies": _role_ref(request, store, implied)},
            "links": {"self": str(request.url)}}
    return store, f"{prior}|{implied}", body


async def put_implied(request: Request) -> Response:
    enforce(request, "create_implied_role")
    store, key, body = _inference(request)
    prior, implied = key.split("|")
    if prior == implied:
        raise ApiError(403, "A role cannot imply itself.")
    store.table("implied_roles")[key] = {"prior_role_id": prior, "implied_role_id": implied}
    return json_response(body, 201)


async def get_implied(request: Request) -> Response:
    enforce(request, "get_implied_role")
    store, key, body = _inference(request)
    if key not in store.table("implied_roles"):
        raise not_found("implied role", key.replace("|", " implies "))
    if request.method == "HEAD":
        return json_response(None, 204)
    return json_response(body)


async def delete_implied(request: Request) -> Response:
    enforce(request, "delete_implied_role")
    store, key, _ = _inference(request)
    if store.table("implied_roles").pop(key, None) is None:
        raise not_found("implied role", key.replace("|", " implies "))
    return json_response(None, 204)


# --- group membership and the user's own lists --------------------------------------------

def _membership(request: Request) -> tuple[Store, str]:
    store = store_of(request)
    gid, uid = request.path_params["gid"], request.path_params["uid"]
    get(store, "groups", "group", gid)
    get(store, "users", "user", uid)
    return store, f"{gid}|{uid}"


async def add_member(request: Request) -> Response:
    enforce(request, "add_user_to_group")
    store, key = _membership(request)
    gid, uid = key.split("|")
    store.table("group_members")[key] = {"group_id": gid, "user_id": uid}
    return json_response(None, 204)


async def check_member(request: Request) -> Response:
    enforce(request, "check_user_in_group")
    store, key = _membership(request)
    if key not in store.table("group_members"):
        gid, uid = key.split("|")
        raise ApiError(404, f"User {uid} is not a member of group {gid}.")
    return json_response(None, 204)


async def remove_member(request: Request) -> Response:
    enforce(request, "remove_user_from_group")
    store, key = _membership(request)
    if store.table("group_members").pop(key, None) is None:
        gid, uid = key.split("|")
        raise ApiError(404, f"User {uid} is not a member of group {gid}.")
    return json_response(None, 204)


async def group_users(request: Request) -> Response:
    enforce(request, "list_users_in_group")
    store = store_of(request)
    gid = request.path_params["gid"]
    get(store, "groups", "group", gid)
    users = store.table("users")
    items = [view(request, "users", users[m["user_id"]])
             for m in store.table("group_members").values()
             if m["group_id"] == gid and m["user_id"] in users]
    return json_response(collection(request, "users", items))


async def user_groups(request: Request) -> Response:
    uid = request.path_params["uid"]
    enforce(request, "list_groups_for_user", allow_self=uid)
    store = store_of(request)
    get(store, "users", "user", uid)
    groups = store.table("groups")
    items = [view(request, "groups", groups[g]) for g in user_group_ids(store, uid)
             if g in groups]
    return json_response(collection(request, "groups", items))


async def user_projects(request: Request) -> Response:
    uid = request.path_params["uid"]
    enforce(request, "list_user_projects", allow_self=uid)
    store = store_of(request)
    get(store, "users", "user", uid)
    groups = set(user_group_ids(store, uid))
    projects = store.table("projects")
    seen: list[str] = []
    for a in store.table("role_assignments").values():
        target = a["scope"].get("project")
        if target and (a.get("user", {}).get("id") == uid or
                       a.get("group", {}).get("id") in groups) and target["id"] not in seen:
            seen.append(target["id"])
    records: list[Record] = [projects[p] for p in seen if p in projects]
    for key in ("name", "enabled", "domain_id"):
        if key in request.query_params:
            value: Any = request.query_params[key]
            if key == "enabled":
                value = query_bool(request, key)
            records = [r for r in records if r.get(key) == value]
    return json_response(collection(request, "projects",
                                    [view(request, "projects", p) for p in records]))


def routes() -> list[BaseRoute]:
    out: list[BaseRoute] = [
        Route("/v3/role_assignments", list_role_assignments, methods=["GET"]),
        Route("/v3/role_inferences", list_inferences, methods=["GET"]),
        Route("/v3/roles/{prior}/implies", list_implied, methods=["GET"]),
        Route("/v3/roles/{prior}/implies/{implied}", put_implied, methods=["PUT"]),
        Route("/v3/roles/{prior}/implies/{implied}", get_implied, methods=["GET", "HEAD"]),
        Route("/v3/roles/{prior}/implies/{implied}", delete_implied, methods=["DELETE"]),
        Route("/v3/groups/{gid}/users", group_users, methods=["GET"]),
        Route("/v3/groups/{gid}/users/{uid}", add_member, methods=["PUT"]),
        Route("/v3/groups/{gid}/users/{uid}", check_member, methods=["GET", "HEAD"]),
        Route("/v3/groups/{gid}/users/{uid}", remove_member, methods=["DELETE"]),
        Route("/v3/users/{uid}/groups", user_groups, methods=["GET"]),
        Route("/v3/users/{uid}/projects", user_projects, methods=["GET"]),
    ]
    for scope in _SCOPES:
        for actor in _ACTORS:
            path = f"/v3/{scope}/{{sid}}/{actor}/{{aid}}/roles"
            fixed = {"scope": scope, "actor": actor}
            out += [
                Route(path, _with(list_grants, fixed), methods=["GET"]),
                Route(path + "/{rid}", _with(put_grant, fixed), methods=["PUT"]),
                Route(path + "/{rid}", _with(check_grant, fixed), methods=["GET", "HEAD"]),
                Route(path + "/{rid}", _with(delete_grant, fixed), methods=["DELETE"]),
            ]
    return out


def _with(handler: Any, fixed: dict[str, str]) -> Any:
    """``handler`` with fixed path parameters (scope and actor kinds) added."""
    async def endpoint(request: Request) -> Response:
        request.scope["path_params"] = {**request.path_params, **fixed}
        result: Response = await handler(request)
        return result

    return endpoint
