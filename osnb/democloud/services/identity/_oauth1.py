"""OS-OAUTH1: consumers, and the access tokens users delegated to them.

A consumer's secret is shown once, by the create call. Deleting a consumer deletes the
access tokens it holds. An admin lists, shows and revokes (``DELETE``) a user's access
tokens and reads the roles each delegates (Keystone 30 lets no user do it for itself); the
signed handshake that makes new ones (request token, authorize, access token) is
:mod:`._oauth1_flow`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record
from ._common import V3, Resource, base_url, listing, purge
from ._resources import ROLES

__all__ = ["ACCESS_TOKENS", "CONSUMERS", "routes"]


class _Consumers(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        record["_secret"] = secrets.token_hex(16)
        record["_secret_kept"] = record["_secret"]  # what signed requests are checked with

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        out = super().render(ctx, record, fields)
        if "_secret" in record:  # the create call's answer, then never again
            out["secret"] = record.pop("_secret")
        return out

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "secret" in changes:  # Keystone's schema: {"not": {"required": ["secret"]}}
            raise self.dialect.bad(f"{ {'secret': changes['secret']} } should not be valid "
                                   "under {'required': ['secret']}")
        if "id" in changes and changes["id"] != record["id"]:
            raise self.dialect.bad("Cannot change ID")
        super().on_update(ctx, record, changes)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        purge(ACCESS_TOKENS.records(ctx.store), lambda _, t: t["consumer_id"] == record["id"])


CONSUMERS = _Consumers("consumer", "consumers", path="OS-OAUTH1/consumers",
                       table="oauth1_consumers",
                       fields={"description": Field(nullable=True)})


class _AccessTokens(Resource):
    """``/v3/users/{uid}/OS-OAUTH1/access_tokens``: admins only (Keystone 30's policy,
    even for the user's own)."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        url = (f"{base_url(ctx.request)}{V3}/users/{record['authorizing_user_id']}"
               f"/OS-OAUTH1/access_tokens/{record['id']}")
        record["links"] = {"roles": url + "/roles", "self": url}
        return record


ACCESS_TOKENS = _AccessTokens(
    "access_token", "access_tokens", path="OS-OAUTH1/access_tokens", table="oauth1_tokens",
    user_key="authorizing_user_id", allow_create=False, allow_update=False, fields={
        "consumer_id": Field(read_only=True), "project_id": Field(read_only=True),
        "authorizing_user_id": Field(read_only=True), "expires_at": Field(read_only=True)},
    rules={"list": "list_access_tokens", "show": "get_access_token",
           "delete": "delete_access_token"})


async def token_roles(request: Request) -> Response:
    """The roles an access token delegates, or one of them, each without its
    ``description`` (Keystone's ``_format_role_entity`` drops it); one asked of another
    user's token is refused as Keystone does (401 ``User IDs do not match``)."""
    ctx = Ctx.of(request)
    rid = request.path_params.get("rid")
    if rid is not None:
        ACCESS_TOKENS.authorize(ctx, "show")
        found_token = ACCESS_TOKENS.lookup(ctx.store, request.path_params["tid"])
        if found_token["authorizing_user_id"] != request.path_params["uid"]:
            raise ApiError(401, "User IDs do not match")
    token = ACCESS_TOKENS.get(ctx, request.path_params["tid"])
    roles = ROLES.records(ctx.store)
    held = [{k: v for k, v in ROLES.render(ctx, roles[r]).items()
             if k not in ("description", "enabled")}
            for r in token["_role_ids"] if r in roles]
    if rid is None:
        return listing(request, "roles", held)
    found = next((r for r in held if r["id"] == rid), None)
    if found is None:
        raise ROLES.dialect.not_found("role", rid)
    return json_response({"role": found})


def routes() -> list[BaseRoute]:
    base = "/v3/users/{uid}/OS-OAUTH1/access_tokens/{tid}/roles"
    return [*CONSUMERS.routes("/v3"), *ACCESS_TOKENS.routes("/v3/users/{uid}"),
            Route(base, token_roles, methods=["GET"]),
            Route(base + "/{rid}", token_roles, methods=["GET"])]
