"""Application credentials: ``/v3/users/{user_id}/application_credentials``.

The secret is returned once, by the create call; the store keeps only its hash.
"""

from __future__ import annotations

import datetime as _dt
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, auth, json_response, store_of
from ...store import Record, Store, Token, isotime, now
from ._common import (
    V3,
    base_url,
    collection,
    conflict,
    enforce,
    expand_implied,
    forbidden,
    get,
    hash_secret,
    new_hex_id,
    not_found,
    read_body,
)
from ._tokens import revoke_where

__all__ = ["routes"]


def _view(request: Request, cred: Record) -> Record:
    """The credential as Keystone shows it: each role in full, as the roles API has it now
    (the record keeps only ids), and ``access_rules`` only when it has some."""
    out = {k: v for k, v in cred.items() if not k.startswith("_")}
    roles = store_of(request).table("roles")
    out["roles"] = [{k: v for k, v in roles[r["id"]].items() if not k.startswith("_")}
                    for r in cred["roles"] if r["id"] in roles]
    if not out.get("access_rules"):
        out.pop("access_rules", None)
    out["links"] = {"self": f"{base_url(request)}{V3}/application_credentials/{cred['id']}"}
    return out


def _roles(store: Store, token: Token, refs: Any) -> list[Record]:
    """The roles a new credential carries: those asked for and every role they imply (as
    Keystone adds them), or all the token's roles; each must be one the token holds."""
    roles_table = store.table("roles")
    held = {r["id"]: r for r in roles_table.values() if r["name"] in token.roles}
    if not refs:
        return [{"id": rid} for rid in held]
    asked: list[str] = []
    for ref in refs:
        if not isinstance(ref, dict):
            raise ApiError(400, "Invalid input for field 'roles': expected objects with "
                                "'id' or 'name'.")
        if ref.get("id"):
            role = roles_table.get(str(ref["id"]))
        else:
            role = next((r for r in roles_table.values() if r["name"] == ref.get("name")),
                        None)
        if role is None:
            raise not_found("role", str(ref.get("id") or ref.get("name")))
        asked.append(role["id"])
    chosen = expand_implied(store, asked)
    if any(rid not in held for rid in chosen):
        raise ApiError(400, "Invalid application credential: Cannot create an application "
                            "credential with unassigned role")
    return [{"id": rid} for rid in chosen]


def _parse_expiry(value: Any) -> _dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid input for field 'expires_at': {value!r} is not of "
                            "type 'string' or 'null'.")
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if when.tzinfo is not None and not value.endswith("Z"):
            # Keystone parses with its own formats: naive or "Z", never an offset.
            raise ApiError(400, "Timestamp not in expected format. The server could not "
                                "comply with the request since it is either malformed or "
                                "otherwise incorrect. The client is assumed to be in error.")
    except ValueError:
        raise ApiError(400, f"Invalid input for field 'expires_at': {value!r} is not a "
                            "valid date-time.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    if when <= now():
        raise ApiError(400, "The provided expires_at is in the past.")
    return when


async def create(request: Request) -> Response:
    uid = request.path_params["uid"]
    token = auth(request)
    store = store_of(request)
    if token.user_id != uid:
        raise forbidden("create_application_credential")
    get(store, "users", "user", uid)
    if token.project_id is None:
        raise ApiError(401, "The request you have made requires authentication: an "
                            "application credential needs a project-scoped token.")
    if token.application_credential_id:
        parent = store.table("application_credentials").get(
            token.application_credential_id, {})
        if not parent.get("unrestricted"):
            raise ApiError(403, "Using method 'application_credential' is not allowed for "
                                "managing additional application credentials.")
    obj = await read_body(request, "application_credential", required=("name",), types={
        "name": (str,), "description": (str, type(None)), "secret": (str, type(None)),
        "roles": (list,), "unrestricted": (bool,), "access_rules": (list,)})
    creds = store.table("application_credentials")
    if any(c["user_id"] == uid and c["name"] == obj["name"] for c in creds.values()):
        raise conflict("application_credential", f"Duplicate entry found with name "
                                                 f"{obj['name']}")
    expires = _parse_expiry(obj.get("expires_at"))
    chosen = _roles(store, token, obj.get("roles"))
    secret = obj.get("secret") or secrets.token_urlsafe(64)
    cid = new_hex_id()
    rules = [{**rule, "id": rule.get("id") or new_hex_id()}
             for rule in obj.get("access_rules") or [] if isinstance(rule, dict)]
    cred: Record = {"id": cid, "name": obj["name"], "description": obj.get("description"),
                    "user_id": uid, "project_id": token.project_id, "roles": chosen,
                    "expires_at": isotime(expires, micro=True, zulu=False) if expires else None,
                    "unrestricted": obj.get("unrestricted"), "system": None,
                    "_secret_hash": hash_secret(cid, secret), "_expires": expires}
    if rules:
        cred["access_rules"] = rules
    creds[cid] = cred
    return json_response({"application_credential": {**_view(request, cred),
                                                     "secret": secret}}, 201)


async def list_creds(request: Request) -> Response:
    uid = request.path_params["uid"]
    enforce(request, "list_application_credentials", allow_self=uid)
    store = store_of(request)
    get(store, "users", "user", uid)
    name = request.query_params.get("name")
    items = [_view(request, c) for c in store.table("application_credentials").values()
             if c["user_id"] == uid and (name is None or c["name"] == name)]
    return json_response(collection(request, "application_credentials", items))


def _cred(request: Request, action: str) -> Record:
    uid, cid = request.path_params["uid"], request.path_params["cid"]
    enforce(request, action, allow_self=uid)
    cred = store_of(request).table("application_credentials").get(cid)
    if cred is None or cred["user_id"] != uid:
        raise not_found("application credential", cid)
    return cred


async def show(request: Request) -> Response:
    cred = _cred(request, "get_application_credential")
    return json_response({"application_credential": _view(request, cred)})


async def delete(request: Request) -> Response:
    cred = _cred(request, "delete_application_credential")
    store = store_of(request)
    del store.table("application_credentials")[cred["id"]]
    revoke_where(store, app_cred_id=cred["id"])
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    base = "/v3/users/{uid}/application_credentials"
    return [Route(base, list_creds, methods=["GET"]),
            Route(base, create, methods=["POST"]),
            Route(base + "/{cid}", show, methods=["GET"]),
            Route(base + "/{cid}", delete, methods=["DELETE"])]
