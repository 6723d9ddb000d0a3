"""Application credentials: ``/v3/users/{uid}/application_credentials``.

The secret is returned once, by the create call; the store keeps only its hash.
"""

from __future__ import annotations

import datetime as _dt
import secrets
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query, check_body
from ...http import ApiError, json_response
from ...store import Record, Token, isotime, now
from ._common import Resource, expand_implied, hash_secret, revoke_where
from ._resources import ROLES, USERS

__all__ = ["APP_CREDS", "routes"]


class _AppCreds(Resource):
    """A user's own: its owner (or an admin) lists, shows and deletes them."""

    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        if ctx.token.user_id != ctx.request.path_params["uid"] and \
                (action == "create" or not ctx.admin):
            raise self.dialect.forbidden(self.rule(action))

    def get(self, ctx: Ctx, ident: str) -> Record:
        record = super().get(ctx, ident)
        if record["user_id"] != ctx.request.path_params["uid"]:
            raise self.dialect.not_found(self.singular, ident)
        return record

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record]:
        uid = USERS.lookup(ctx.store, ctx.request.path_params["uid"])["id"]
        return [c for c in self.records(ctx.store).values() if c["user_id"] == uid]

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """Each role in full, as the roles API has it now (the record keeps only ids), and
        ``access_rules`` only when it has some."""
        roles = ROLES.records(ctx.store)
        record["roles"] = [{k: v for k, v in roles[r["id"]].items() if k[:1] != "_"}
                           for r in record["roles"] if r["id"] in roles]
        if not record.get("access_rules"):
            record.pop("access_rules", None)
        return super().shape(ctx, record)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        revoke_where(ctx.store, application_credential_id=record["id"])


APP_CREDS = _AppCreds("application_credential", "application_credentials", fields={
    "name": Field(required=True, filter="exact"),
    "description": Field(nullable=True),
    "secret": Field(nullable=True),
    "roles": Field(type="list"),
    "unrestricted": Field(type="bool"),
    "access_rules": Field(type="list"),
    "expires_at": Field(type="any"),
}, allow_create=False, allow_update=False)


def _roles(ctx: Ctx, refs: Any) -> list[Record]:
    """The roles a new credential carries: those asked for and every role they imply (as
    Keystone adds them), or all the token's roles; each must be one the token holds."""
    roles_table = ROLES.records(ctx.store)
    held = {r["id"]: r for r in roles_table.values() if r["name"] in ctx.token.roles}
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
            raise ROLES.dialect.not_found("role", str(ref.get("id") or ref.get("name")))
        asked.append(role["id"])
    chosen = expand_implied(ctx.store, asked)
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


def _may_create(ctx: Ctx, token: Token) -> None:
    """Only the user itself, with a project-scoped token, and not through a restricted
    application credential."""
    APP_CREDS.authorize(ctx, "create")
    USERS.lookup(ctx.store, token.user_id)
    if token.project_id is None:
        raise ApiError(401, "The request you have made requires authentication: an "
                            "application credential needs a project-scoped token.")
    if token.application_credential_id:
        parent = APP_CREDS.records(ctx.store).get(token.application_credential_id, {})
        if not parent.get("unrestricted"):
            raise ApiError(403, "Using method 'application_credential' is not allowed for "
                                "managing additional application credentials.")


async def create(request: Request) -> Response:
    ctx = Ctx.of(request)
    token, uid = ctx.token, ctx.token.user_id
    _may_create(ctx, token)
    obj = check_body(APP_CREDS.dialect, APP_CREDS.fields, await APP_CREDS.body(request),
                     create=True, extra=lambda _k: True)
    creds = APP_CREDS.records(ctx.store)
    if any(c["user_id"] == uid and c["name"] == obj["name"] for c in creds.values()):
        raise APP_CREDS.dialect.conflict("application_credential", "Duplicate entry found "
                                                                   f"with name {obj['name']}")
    expires = _parse_expiry(obj.get("expires_at"))
    chosen = _roles(ctx, obj.get("roles"))
    secret = obj.get("secret") or secrets.token_urlsafe(64)
    cid = APP_CREDS.dialect.new_id()
    rules = [{**rule, "id": rule.get("id") or APP_CREDS.dialect.new_id()}
             for rule in obj.get("access_rules") or [] if isinstance(rule, dict)]
    cred: Record = {"id": cid, "name": obj["name"], "description": obj.get("description"),
                    "user_id": uid, "project_id": token.project_id, "roles": chosen,
                    "expires_at": isotime(expires, micro=True, zulu=False) if expires else None,
                    "unrestricted": obj.get("unrestricted"), "system": None,
                    "_secret_hash": hash_secret(cid, secret), "_expires": expires}
    if rules:
        cred["access_rules"] = rules
    creds[cid] = cred
    return json_response({"application_credential": {**APP_CREDS.render(ctx, cred),
                                                     "secret": secret}}, 201)


def routes() -> list[BaseRoute]:
    return [Route("/v3/users/{uid}/application_credentials", create, methods=["POST"]),
            *APP_CREDS.routes("/v3/users/{uid}")]
