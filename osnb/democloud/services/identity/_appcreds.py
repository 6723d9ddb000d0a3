"""Application credentials: ``/v3/users/{uid}/application_credentials``.

The secret is returned once, by the create call; the store keeps only its hash.
"""

from __future__ import annotations

import datetime as _dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, isotime
from ._access_rules import remember
from ._common import Resource, expand_implied, future_time, hash_secret, revoke_where
from ._resources import ROLES, USERS

__all__ = ["APP_CREDS", "routes"]


class _AppCreds(Resource):
    """A user's own: its owner (or an admin) lists, shows and deletes them."""

    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        if ctx.token.user_id != ctx.request.path_params["uid"] and \
                (action == "create" or not ctx.admin):
            raise self.dialect.forbidden(self.rule(action))

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """Each role in full, as the roles API has it now (the record keeps only ids), and
        ``access_rules`` only when it has some."""
        roles = ROLES.records(ctx.store)
        record["roles"] = [{k: v for k, v in roles[r["id"]].items() if k[:1] != "_"}
                           for r in record["roles"] if r["id"] in roles]
        if not record.get("access_rules"):
            record.pop("access_rules", None)
        return super().shape(ctx, record)

    def may_change(self, ctx: Ctx, record: Record | None, action: str) -> None:
        """Only the user itself creates one, with a project-scoped token, and not through
        a restricted application credential."""
        if record is not None:
            return
        self.authorize(ctx, action)
        token = ctx.token
        USERS.lookup(ctx.store, token.user_id)
        if token.project_id is None:
            raise ApiError(401, "The request you have made requires authentication: an "
                                "application credential needs a project-scoped token.")
        parent = self.records(ctx.store).get(token.application_credential_id or "", {})
        if token.application_credential_id and not parent.get("unrestricted"):
            raise ApiError(403, "Using method 'application_credential' is not allowed for "
                                "managing additional application credentials.")

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        uid, cid, name = ctx.token.user_id, record["id"], record["name"]
        if any(c["user_id"] == uid and c["name"] == name
               for c in self.records(ctx.store).values()):
            raise self.dialect.conflict(self.singular, f"Duplicate entry found with name "
                                                       f"{name}")
        expires = _parse_expiry(record.get("expires_at"))
        roles = _roles(ctx, record.get("roles"))
        secret = record.get("secret") or secrets.token_urlsafe(64)
        rules = remember(ctx.store, uid, record.get("access_rules"), self.dialect.new_id)
        desc, unrestricted = record.get("description"), record.get("unrestricted")
        record.clear()
        record.update({
            "id": cid, "name": name, "description": desc, "user_id": uid,
            "project_id": ctx.token.project_id, "roles": roles,
            "expires_at": isotime(expires, micro=True, zulu=False) if expires else None,
            "unrestricted": unrestricted, "system": None,
            "_secret_hash": hash_secret(cid, secret), "_expires": expires, "_secret": secret})
        if rules:
            record["access_rules"] = rules

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """The secret shown once, by the create call, then forgotten."""
        out = super().render(ctx, record, fields)
        if "_secret" in record:
            out["secret"] = record.pop("_secret")
        return out

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        # No revocation event: Keystone checks the credential when a token is validated.
        revoke_where(ctx.store, event=False, application_credential_id=record["id"])


APP_CREDS = _AppCreds("application_credential", "application_credentials", fields={
    "name": Field(required=True, filter="exact"),
    "description": Field(nullable=True),
    "secret": Field(nullable=True),
    "roles": Field(type="list"),
    "unrestricted": Field(type="bool"),
    "access_rules": Field(type="list"),
    "expires_at": Field(type="any"),
}, user_key="user_id", allow_update=False)


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
    return future_time(value, offsets=False)


def routes() -> list[BaseRoute]:
    return APP_CREDS.routes("/v3/users/{uid}")
