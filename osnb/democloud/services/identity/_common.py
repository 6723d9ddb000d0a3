"""What the Keystone handlers share: ids, links, errors, body checks, lookups, policy."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, auth, json_body, json_response, query_bool, store_of
from ...store import Record, Store, Token, new_id

__all__ = [
    "B",
    "Handler",
    "OPT_S",
    "S",
    "V3",
    "apply_patch",
    "crud_routes",
    "endpoint_url",
    "filtered",
    "unique",
    "view",
    "base_url",
    "challenge",
    "check_password",
    "collection",
    "conflict",
    "effective_role_ids",
    "enforce",
    "entity",
    "extra_of",
    "forbidden",
    "get",
    "hash_secret",
    "hex_id",
    "is_self",
    "new_hex_id",
    "not_found",
    "read_body",
    "show_handler",
    "user_group_ids",
]

V3 = "/identity/v3"


def hex_id(store: Store) -> str:
    """A seeded Keystone-style id: a uuid4 as 32 hex digits, no dashes."""
    return store.uuid().replace("-", "")


def new_hex_id() -> str:
    return new_id().replace("-", "")


def hash_secret(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def check_password(user: Record, password: str) -> bool:
    stored = user.get("_password_hash")
    return bool(stored) and stored == hash_secret(user["id"], password)


def base_url(request: Request) -> str:
    store = store_of(request)
    return store.base_url or str(request.base_url).rstrip("/")


def entity(request: Request, collection_name: str, record: Record) -> Record:
    """``record`` without private keys, with Keystone's ``links.self``."""
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    out["links"] = {"self": f"{base_url(request)}{V3}/{collection_name}/{record['id']}"}
    return out


def collection(request: Request, key: str, items: Iterable[Record]) -> dict[str, Any]:
    """A list document that is never paged (``next`` is ``null``); projects and users are
    paged, see :func:`paged`."""
    return {key: list(items), "links": {"self": str(request.url), "previous": None,
                                         "next": None}}


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, f"Could not find {kind}: {ident}.")


def forbidden(action: str) -> ApiError:
    return ApiError(403, f"You are not authorized to perform the requested action: "
                         f"identity:{action}.")


def conflict(kind: str, detail: str) -> ApiError:
    return ApiError(409, f"Conflict occurred attempting to store {kind} - {detail}.")


def get(store: Store, table: str, kind: str, ident: str) -> Record:
    record = store.table(table).get(ident)
    if record is None:
        raise not_found(kind, ident)
    return record


def enforce(request: Request, action: str, *, allow_self: str | None = None,
            allow_project: str | None = None) -> Token:
    """The caller's token when it may do ``action``: admins always; a member only on itself
    (``allow_self`` = a user id) or its own project (``allow_project`` = a project id)."""
    token = auth(request)
    if token.is_admin:
        return token
    if allow_self is not None and allow_self == token.user_id:
        return token
    if allow_project is not None and allow_project == token.project_id:
        return token
    raise forbidden(action)


def is_self(token: Token, user_id: str) -> bool:
    return token.user_id == user_id


_TYPES: dict[type, str] = {str: "string", bool: "boolean", dict: "object", list: "array",
                           int: "integer"}
_SECRET_FIELDS = frozenset({"password", "original_password", "secret"})
"""Fields whose value an error message never repeats (it would land in logs)."""


async def read_body(request: Request, key: str, *, required: Iterable[str] = (),
                    types: dict[str, tuple[type, ...]] | None = None) -> Record:
    """The object under ``key`` in the request body, checked as Keystone's JSON schemas do."""
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise ApiError(400, f"Invalid input for field '{key}': a JSON object named "
                            f"'{key}' is required.")
    obj: Record = body[key]
    for name in required:
        if name not in obj:
            raise ApiError(400, f"Invalid input for field '{key}': '{name}' is a "
                                "required property.")
    for name, allowed in (types or {}).items():
        if name not in obj:
            continue
        value = obj[name]
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            kinds = " or ".join("null" if t is type(None) else _TYPES.get(t, t.__name__)
                                for t in allowed)
            shown = "The value" if name in _SECRET_FIELDS else repr(value)
            raise ApiError(400, f"Invalid input for field '{name}': {shown} is not "
                                f"of type '{kinds}'.")
        if name in ("name", "id") and isinstance(value, str) and not value.strip():
            raise ApiError(400, f"Invalid input for field '{name}': '' is too short.")
    return obj


def user_group_ids(store: Store, user_id: str) -> list[str]:
    return [m["group_id"] for m in store.table("group_members").values()
            if m["user_id"] == user_id]


def effective_role_ids(store: Store, user_id: str, scope_type: str, scope_id: str,
                       group_ids: list[str] | None = None) -> list[str]:
    """Roles the user holds on a project or domain: direct, through groups, and implied."""
    assignments = store.table("role_assignments")
    actors = [("user", user_id)] + [("group", g) for g in (
        group_ids if group_ids is not None else user_group_ids(store, user_id))]
    direct = [r for r in store.table("roles")
              if any(f"{t}|{a}|{scope_type}|{scope_id}|{r}" in assignments
                     for t, a in actors)]
    return expand_implied(store, direct)


def expand_implied(store: Store, role_ids: list[str]) -> list[str]:
    """``role_ids`` plus every role they imply, transitively, in a stable order."""
    implied: dict[str, list[str]] = {}
    for rule in store.table("implied_roles").values():
        implied.setdefault(rule["prior_role_id"], []).append(rule["implied_role_id"])
    out: list[str] = []
    todo = list(role_ids)
    while todo:
        rid = todo.pop(0)
        if rid not in out:
            out.append(rid)
            todo.extend(implied.get(rid, []))
    return out


Handler = Callable[[Request], Awaitable[Response]]
S = (str,)
OPT_S = (str, type(None))
B = (bool,)


def endpoint_url(store: Store, endpoint: Record) -> str:
    """The endpoint's url as Keystone stores it (``$(project_id)s`` left in place)."""
    url: str = endpoint["url"]
    return store.base_url + url if endpoint.get("_relative") else url


def view(request: Request, table: str, record: Record) -> Record:
    """A record as the API shows it (endpoints get their absolute url)."""
    out = entity(request, table, record)
    if table == "endpoints":
        out["url"] = endpoint_url(store_of(request), record)
    return out


def filtered(request: Request, records: Any, names: tuple[str, ...]) -> list[Record]:
    """Records matching the query's exact-value filters (booleans parsed)."""
    wanted: dict[str, Any] = {}
    for name in names:
        if name in request.query_params:
            wanted[name] = (query_bool(request, name) if name in ("enabled", "is_domain")
                            else request.query_params[name])
    return [r for r in records if all(r.get(k) == v for k, v in wanted.items())]


def unique(store: Store, table: str, kind: str, name: str, domain_id: str | None,
            skip: str | None = None) -> None:
    for other in store.table(table).values():
        if other["name"] == name and other.get("domain_id") == domain_id and \
                other["id"] != skip:
            where = f" at domain ID {domain_id}" if domain_id else ""
            raise conflict(kind, f"Duplicate entry found with name {name}{where}")


def apply_patch(record: Record, obj: Record, immutable: tuple[str, ...] = ("id",)) -> None:
    for key, value in obj.items():
        if key.startswith("_") or key == "links":
            continue
        if key in immutable and value != record.get(key):
            raise ApiError(400, f"Update of `{key}` is not allowed.")
        record[key] = value


def extra_of(record: Record, attributes: frozenset[str]) -> Record:
    """The attributes Keystone keeps in its ``extra`` column: every public key of
    ``record`` that is not one of the model's own ``attributes`` (a user's ``email``)."""
    return {k: v for k, v in record.items()
            if not k.startswith("_") and k not in attributes and k != "links"}


def challenge(handler: Handler) -> Handler:
    """``handler`` with Keystone's ``WWW-Authenticate: Keystone uri="…/v3"`` on its 401s,
    naming where to authenticate (Keystone's ``application._handle_keystone_exception``)."""
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as err:
            if err.status == 401:
                err.headers.setdefault("WWW-Authenticate",
                                       f'Keystone uri="{base_url(request)}{V3}"')
            raise
    return wrapped


def show_handler(table: str, kind: str) -> Handler:
    """``GET /v3/<table>/{id}`` for an object whose read needs only the ``get_<kind>``
    policy (roles, groups, services, endpoints)."""
    async def show(request: Request) -> Response:
        enforce(request, f"get_{kind}")
        record = get(store_of(request), table, kind, request.path_params["id"])
        return json_response({kind: view(request, table, record)})
    show.__name__ = f"get_{kind}"
    return show


def crud_routes(plural: str, handlers: dict[str, Handler]) -> list[BaseRoute]:
    return [
        Route(f"/v3/{plural}", handlers["list"], methods=["GET"]),
        Route(f"/v3/{plural}", handlers["create"], methods=["POST"]),
        Route(f"/v3/{plural}/{{id}}", handlers["get"], methods=["GET"]),
        Route(f"/v3/{plural}/{{id}}", handlers["update"], methods=["PATCH"]),
        Route(f"/v3/{plural}/{{id}}", handlers["delete"], methods=["DELETE"]),
    ]
