"""CRUD for domains, projects, users, groups and roles."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, auth, json_response, query_bool, store_of
from ...store import Record, Store
from ._common import (
    OPT_S,
    B,
    S,
    apply_patch,
    check_password,
    collection,
    crud_routes,
    enforce,
    extra_of,
    filtered,
    forbidden,
    get,
    hash_secret,
    new_hex_id,
    read_body,
    show_handler,
    unique,
    view,
)
from ._lists import paged, tagged
from ._tokens import revoke_where

__all__ = ["resource_routes"]


def _default_domain(request: Request, obj: Record) -> str:
    """``domain_id`` from the body, else the domain the caller's token is scoped in."""
    store = store_of(request)
    token = auth(request)
    domain_id = obj.get("domain_id")
    if domain_id is None:
        if token.domain_id:
            domain_id = token.domain_id
        elif token.project_id and token.project_id in store.table("projects"):
            domain_id = store.table("projects")[token.project_id]["domain_id"]
        else:
            domain_id = "default"
    if domain_id not in store.table("domains"):
        raise ApiError(404, f"Could not find domain: {domain_id}.")
    return str(domain_id)


def _drop_assignments(store: Store, ident: str) -> None:
    table = store.table("role_assignments")
    for key in [k for k in table if f"|{ident}|" in f"|{k}|"]:
        del table[key]


# --- domains ------------------------------------------------------------------------------

_DOMAIN_TYPES = {"name": S, "description": OPT_S, "enabled": B, "tags": (list,),
                 "options": (dict,), "explicit_domain_id": S}


async def list_domains(request: Request) -> Response:
    enforce(request, "list_domains")
    store = store_of(request)
    items = filtered(request, store.table("domains").values(), ("name", "enabled"))
    return json_response(collection(request, "domains", [view(request, "domains", d)
                                                         for d in items]))


async def create_domain(request: Request) -> Response:
    enforce(request, "create_domain")
    store = store_of(request)
    obj = await read_body(request, "domain", required=("name",), types=_DOMAIN_TYPES)
    unique(store, "domains", "domain", obj["name"], None)
    did = obj.pop("explicit_domain_id", None) or new_hex_id()
    record: Record = {"id": did, "name": obj["name"], "description": obj.get("description", ""),
                      "enabled": obj.get("enabled", True), "tags": obj.get("tags", []),
                      "options": obj.get("options", {})}
    store.table("domains")[did] = record
    return json_response({"domain": view(request, "domains", record)}, 201)


async def get_domain(request: Request) -> Response:
    store = store_of(request)
    did = request.path_params["id"]
    token = auth(request)
    project = store.table("projects").get(token.project_id or "")
    mine = token.domain_id == did or (project is not None and project["domain_id"] == did)
    if not token.is_admin and not mine:
        raise forbidden("get_domain")
    return json_response({"domain": view(request, "domains",
                                         get(store, "domains", "domain", did))})


async def update_domain(request: Request) -> Response:
    enforce(request, "update_domain")
    store = store_of(request)
    record = get(store, "domains", "domain", request.path_params["id"])
    obj = await read_body(request, "domain", types=_DOMAIN_TYPES)
    if "name" in obj:
        unique(store, "domains", "domain", obj["name"], None, skip=record["id"])
    apply_patch(record, obj)
    if not record.get("enabled", True):
        revoke_where(store, domain_id=record["id"])
    return json_response({"domain": view(request, "domains", record)})


async def delete_domain(request: Request) -> Response:
    enforce(request, "delete_domain")
    store = store_of(request)
    record = get(store, "domains", "domain", request.path_params["id"])
    if record.get("enabled", True):
        raise ApiError(403, "Cannot delete a domain that is enabled, please disable it "
                            "first.")
    did = record["id"]
    for table in ("projects", "users", "groups"):
        for rid in [r["id"] for r in store.table(table).values() if r["domain_id"] == did]:
            _forget(store, table, rid)
    _drop_assignments(store, did)
    del store.table("domains")[did]
    return json_response(None, 204)


def _forget(store: Store, table: str, ident: str) -> None:
    """Delete a project, user or group and everything that hangs off it."""
    store.table(table).pop(ident, None)
    _drop_assignments(store, ident)
    if table == "projects":
        revoke_where(store, project_id=ident)
    elif table in ("users", "groups"):
        members = store.table("group_members")
        for key in [k for k, m in members.items()
                    if m["user_id" if table == "users" else "group_id"] == ident]:
            del members[key]
        if table == "users":
            revoke_where(store, user_id=ident)
            creds = store.table("application_credentials")
            for cid in [c["id"] for c in creds.values() if c["user_id"] == ident]:
                del creds[cid]


# --- projects -----------------------------------------------------------------------------

_PROJECT_TYPES = {"name": S, "description": OPT_S, "enabled": B, "domain_id": OPT_S,
                  "parent_id": OPT_S, "is_domain": B, "tags": (list,), "options": (dict,)}


def _domain_as_project(request: Request, domain: Record) -> Record:
    out = view(request, "projects", domain)
    out.update({"domain_id": None, "parent_id": None, "is_domain": True})
    return out


# The columns of Keystone's project model; anything else is kept in ``extra``, which a
# PATCH response shows (``to_dict(include_extra_dict=True)``).
_PROJECT_ATTRIBUTES = frozenset({"id", "name", "domain_id", "description", "enabled",
                                 "parent_id", "is_domain", "tags", "options"})


async def list_projects(request: Request) -> Response:
    enforce(request, "list_projects")
    store = store_of(request)
    if "is_domain" in request.query_params and query_bool(request, "is_domain"):
        domains = filtered(request, store.table("domains").values(), ("name", "enabled"))
        items = [_domain_as_project(request, d) for d in tagged(request, domains)]
    else:
        records = filtered(request, store.table("projects").values(),
                            ("name", "domain_id", "enabled", "parent_id", "is_domain"))
        items = [view(request, "projects", p) for p in tagged(request, records)]
    return json_response(paged(request, "projects", items, full_page_truncates=True))


async def create_project(request: Request) -> Response:
    enforce(request, "create_project")
    store = store_of(request)
    obj = await read_body(request, "project", required=("name",), types=_PROJECT_TYPES)
    if obj.get("is_domain"):
        raise ApiError(400, "Invalid input for field 'is_domain': create a domain with "
                            "POST /v3/domains.")
    parent_id = obj.get("parent_id")
    if parent_id is not None and parent_id not in store.table("domains"):
        parent = get(store, "projects", "project", parent_id)
        domain_id = obj.get("domain_id") or parent["domain_id"]
        if domain_id != parent["domain_id"]:
            raise ApiError(400, "Cannot create project, the parent is in a different "
                                "domain.")
    else:
        domain_id = obj["domain_id"] = parent_id or _default_domain(request, obj)
        if domain_id not in store.table("domains"):
            raise ApiError(404, f"Could not find domain: {domain_id}.")
    unique(store, "projects", "project", obj["name"], domain_id)
    pid = new_hex_id()
    record: Record = {"id": pid, "name": obj["name"], "domain_id": domain_id,
                      "description": obj.get("description", ""),
                      "enabled": obj.get("enabled", True),
                      "parent_id": parent_id or domain_id, "is_domain": False,
                      "tags": obj.get("tags", []), "options": obj.get("options", {})}
    for key, value in obj.items():
        record.setdefault(key, value)
    store.table("projects")[pid] = record
    return json_response({"project": view(request, "projects", record)}, 201)


async def get_project(request: Request) -> Response:
    pid = request.path_params["id"]
    enforce(request, "get_project", allow_project=pid)
    store = store_of(request)
    return json_response({"project": view(request, "projects",
                                          get(store, "projects", "project", pid))})


async def update_project(request: Request) -> Response:
    enforce(request, "update_project")
    store = store_of(request)
    record = get(store, "projects", "project", request.path_params["id"])
    obj = await read_body(request, "project", types=_PROJECT_TYPES)
    if "name" in obj:
        unique(store, "projects", "project", obj["name"], record["domain_id"],
                skip=record["id"])
    apply_patch(record, obj, immutable=("id", "domain_id", "parent_id", "is_domain"))
    if not record.get("enabled", True):
        revoke_where(store, project_id=record["id"])
    out = view(request, "projects", record)
    out["extra"] = extra_of(record, _PROJECT_ATTRIBUTES)
    return json_response({"project": out})


async def delete_project(request: Request) -> Response:
    enforce(request, "delete_project")
    store = store_of(request)
    record = get(store, "projects", "project", request.path_params["id"])
    if any(p.get("parent_id") == record["id"] for p in store.table("projects").values()):
        raise ApiError(403, f"Cannot delete the project {record['id']} since it is not a "
                            "leaf in the hierarchy. Use the cascade option if you want to "
                            "delete a whole subtree.")
    _forget(store, "projects", record["id"])
    return json_response(None, 204)


# --- users --------------------------------------------------------------------------------

_USER_TYPES = {"name": S, "description": OPT_S, "enabled": B, "domain_id": S,
               "password": OPT_S, "default_project_id": OPT_S, "email": OPT_S,
               "options": (dict,)}


# The user model's columns (``description`` and ``email`` live in ``extra``).
_USER_ATTRIBUTES = frozenset({"id", "name", "domain_id", "enabled", "default_project_id",
                              "password_expires_at", "options"})


async def list_users(request: Request) -> Response:
    enforce(request, "list_users")
    store = store_of(request)
    records = filtered(request, store.table("users").values(),
                        ("name", "domain_id", "enabled"))
    return json_response(paged(request, "users", [view(request, "users", u)
                                                  for u in records]))


async def create_user(request: Request) -> Response:
    enforce(request, "create_user")
    store = store_of(request)
    obj = await read_body(request, "user", required=("name",), types=_USER_TYPES)
    domain_id = _default_domain(request, obj)
    unique(store, "users", "user", obj["name"], domain_id)
    uid = new_hex_id()
    record: Record = {"id": uid, "name": obj["name"], "domain_id": domain_id,
                      "enabled": obj.get("enabled", True), "password_expires_at": None,
                      "options": obj.get("options", {})}
    for key, value in obj.items():
        if key not in ("password", "domain_id"):
            record.setdefault(key, value)
    if obj.get("password"):
        record["_password_hash"] = hash_secret(uid, obj["password"])
    store.table("users")[uid] = record
    return json_response({"user": view(request, "users", record)}, 201)


async def get_user(request: Request) -> Response:
    uid = request.path_params["id"]
    enforce(request, "get_user", allow_self=uid)
    store = store_of(request)
    return json_response({"user": view(request, "users", get(store, "users", "user", uid))})


async def update_user(request: Request) -> Response:
    enforce(request, "update_user")
    store = store_of(request)
    record = get(store, "users", "user", request.path_params["id"])
    obj = await read_body(request, "user", types=_USER_TYPES)
    if "name" in obj:
        unique(store, "users", "user", obj["name"], record["domain_id"], skip=record["id"])
    password = obj.pop("password", None)
    apply_patch(record, obj, immutable=("id", "domain_id"))
    if password:
        record["_password_hash"] = hash_secret(record["id"], password)
    if not record.get("enabled", True) or password:
        revoke_where(store, user_id=record["id"])
    out = view(request, "users", record)
    out["extra"] = extra_of(record, _USER_ATTRIBUTES)
    return json_response({"user": out})


async def delete_user(request: Request) -> Response:
    enforce(request, "delete_user")
    store = store_of(request)
    record = get(store, "users", "user", request.path_params["id"])
    _forget(store, "users", record["id"])
    return json_response(None, 204)


async def change_password(request: Request) -> Response:
    uid = request.path_params["id"]
    store = store_of(request)
    obj = await read_body(request, "user", required=("password", "original_password"),
                          types={"password": S, "original_password": S})
    record = get(store, "users", "user", uid)
    if not check_password(record, obj["original_password"]):
        raise ApiError(401, "The request you have made requires authentication.")
    record["_password_hash"] = hash_secret(uid, obj["password"])
    revoke_where(store, user_id=uid)
    return json_response(None, 204)


# --- groups -------------------------------------------------------------------------------

_GROUP_TYPES = {"name": S, "description": OPT_S, "domain_id": S}


async def list_groups(request: Request) -> Response:
    enforce(request, "list_groups")
    store = store_of(request)
    records = filtered(request, store.table("groups").values(), ("name", "domain_id"))
    return json_response(collection(request, "groups", [view(request, "groups", g)
                                                        for g in records]))


async def create_group(request: Request) -> Response:
    enforce(request, "create_group")
    store = store_of(request)
    obj = await read_body(request, "group", required=("name",), types=_GROUP_TYPES)
    domain_id = _default_domain(request, obj)
    unique(store, "groups", "group", obj["name"], domain_id)
    gid = new_hex_id()
    record: Record = {"id": gid, "name": obj["name"], "domain_id": domain_id,
                      "description": obj.get("description", "")}
    store.table("groups")[gid] = record
    return json_response({"group": view(request, "groups", record)}, 201)


get_group = show_handler("groups", "group")


async def update_group(request: Request) -> Response:
    enforce(request, "update_group")
    store = store_of(request)
    record = get(store, "groups", "group", request.path_params["id"])
    obj = await read_body(request, "group", types=_GROUP_TYPES)
    if "name" in obj:
        unique(store, "groups", "group", obj["name"], record["domain_id"],
                skip=record["id"])
    apply_patch(record, obj, immutable=("id", "domain_id"))
    return json_response({"group": view(request, "groups", record)})


async def delete_group(request: Request) -> Response:
    enforce(request, "delete_group")
    store = store_of(request)
    record = get(store, "groups", "group", request.path_params["id"])
    _forget(store, "groups", record["id"])
    return json_response(None, 204)


# --- roles ------------------------------------------------------------------------------------

_ROLE_TYPES = {"name": S, "description": OPT_S, "domain_id": OPT_S, "options": (dict,)}


async def list_roles(request: Request) -> Response:
    enforce(request, "list_roles")
    store = store_of(request)
    records = filtered(request, store.table("roles").values(), ("name", "domain_id"))
    return json_response(collection(request, "roles", [view(request, "roles", r)
                                                       for r in records]))


async def create_role(request: Request) -> Response:
    enforce(request, "create_role")
    store = store_of(request)
    obj = await read_body(request, "role", required=("name",), types=_ROLE_TYPES)
    domain_id = obj.get("domain_id")
    if domain_id is not None and domain_id not in store.table("domains"):
        raise ApiError(404, f"Could not find domain: {domain_id}.")
    unique(store, "roles", "role", obj["name"], domain_id)
    rid = new_hex_id()
    record: Record = {"id": rid, "name": obj["name"], "domain_id": domain_id,
                      "description": obj.get("description"), "options": obj.get("options",
                                                                                 {})}
    store.table("roles")[rid] = record
    return json_response({"role": view(request, "roles", record)}, 201)


get_role = show_handler("roles", "role")


async def update_role(request: Request) -> Response:
    enforce(request, "update_role")
    store = store_of(request)
    record = get(store, "roles", "role", request.path_params["id"])
    obj = await read_body(request, "role", types=_ROLE_TYPES)
    if "name" in obj:
        unique(store, "roles", "role", obj["name"], record.get("domain_id"),
                skip=record["id"])
    apply_patch(record, obj, immutable=("id", "domain_id"))
    return json_response({"role": view(request, "roles", record)})


async def delete_role(request: Request) -> Response:
    enforce(request, "delete_role")
    store = store_of(request)
    record = get(store, "roles", "role", request.path_params["id"])
    rid = record["id"]
    _drop_assignments(store, rid)
    rules = store.table("implied_roles")
    for key in [k for k in rules if rid in k.split("|")]:
        del rules[key]
    del store.table("roles")[rid]
    return json_response(None, 204)


def resource_routes() -> list[BaseRoute]:
    """The CRUD routes, relative to ``/identity``."""
    g = globals()
    out: list[BaseRoute] = [Route("/v3/users/{id}/password", change_password,
                                  methods=["POST"])]
    for plural, singular in (("domains", "domain"), ("projects", "project"),
                             ("users", "user"), ("groups", "group"), ("roles", "role")):
        out += crud_routes(plural, {"list": g[f"list_{plural}"],
                                    "create": g[f"create_{singular}"],
                                    "get": g[f"get_{singular}"],
                                    "update": g[f"update_{singular}"],
                                    "delete": g[f"delete_{singular}"]})
    return out
