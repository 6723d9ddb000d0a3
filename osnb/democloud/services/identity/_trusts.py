"""Trusts (``/v3/OS-TRUST/trusts``): a trustor delegates some of its roles on a project to
a trustee.

Only the trustor creates one (with its own token), delegating roles it holds on the
project (404 for a role it lacks; 403 when a project is named without roles). The trustor
or an admin lists a trustor's trusts (``?trustor_user_id=``), the trustee or an admin a
trustee's; only an admin lists them all. The trustor or trustee reads one and its roles
and so does an admin; the trustor or an admin deletes it. Deleting the trustor or the trustee deletes the trust.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query
from ...http import ApiError, json_response
from ...store import Record, isotime
from ._common import V3, Resource, base_url, effective_role_ids, future_time
from ._resources import ROLES, USERS

__all__ = ["TRUSTS", "routes"]

def _forbidden(action: str) -> ApiError:
    return ApiError(403, f"You are not authorized to perform the requested action: {action}.")


class _Trusts(Resource):
    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        """Checked per action below, against the trust (Keystone's ``target.trust``)."""

    def get(self, ctx: Ctx, ident: str) -> Record:
        record = self.lookup(ctx.store, ident)
        related = ctx.token.user_id in (record["trustor_user_id"], record["trustee_user_id"])
        if ctx.request.method == "DELETE":
            if not (ctx.admin or ctx.token.user_id == record["trustor_user_id"]):
                raise self.dialect.forbidden("delete_trust")
        elif not (ctx.admin or related):
            raise self.dialect.forbidden("get_trust")
        return record

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        args = ctx.request.query_params
        table = self.records(ctx.store).values()
        for key, rule in (("trustor_user_id", "list_trusts_for_trustor"),
                          ("trustee_user_id", "list_trusts_for_trustee")):
            if args.get(key):
                if not ctx.admin and args[key] != ctx.token.user_id:
                    raise self.dialect.forbidden(rule)
                return [t for t in table if t[key] == args[key]]
        if not ctx.admin:
            raise self.dialect.forbidden("list_trusts")
        return None

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        out = super().render(ctx, record, fields)
        if ctx.request.method == "GET" and "id" not in ctx.request.path_params:
            out.pop("roles", None)  # a list leaves the roles out
            out.pop("roles_links", None)
        return out

    def shape(self, ctx: Ctx, record: Record) -> Record:
        base = f"{base_url(ctx.request)}{V3}"
        record["links"] = {"self": f"{base}/OS-TRUST/trusts/{record['id']}"}
        record["roles"] = _roles(ctx, record["roles"])
        record["roles_links"] = _roles_links(base, record["id"])
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        if ctx.token.user_id != record["trustor_user_id"]:
            raise _forbidden("identity:create_trust")
        if record.get("project_id") and not record.get("roles"):
            raise _forbidden("At least one role should be specified")
        USERS.lookup(ctx.store, record["trustee_user_id"])
        asked = [_role_id(ctx, ref) for ref in record.get("roles") or []]
        if record.get("project_id"):
            held = effective_role_ids(ctx.store, record["trustor_user_id"], "project",
                                      str(record["project_id"]))
            for rid in asked:
                if rid not in held:
                    raise ROLES.dialect.not_found("role", rid)
        elif asked:
            raise ROLES.dialect.not_found("role", asked[0])
        record["roles"] = [{"id": rid} for rid in asked]
        record["expires_at"] = _expiry(record.get("expires_at"))
        redelegate = record.pop("allow_redelegation", None)
        record["redelegation_count"] = 3 if redelegate else 0  # [trust] max_redelegation_count
        if redelegate and record.get("remaining_uses") is not None:
            raise ApiError(400, "Invalid input for field 'remaining_uses': it must not be "
                                "set when redelegation is allowed.")
        record.setdefault("remaining_uses", None)
        record.setdefault("project_id", None)
        record.update(redelegated_trust_id=None, deleted_at=None)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        """The tokens the trust scoped stop working (Keystone drops them on deletion)."""
        info = ctx.store.table("_token_info")
        for token in ctx.store.tokens.values():
            if info.get(token.id, {}).get("trust_id") == record["id"]:
                token.revoked = True


def _roles_links(base: str, trust_id: str) -> Record:
    """Keystone's links of a trust's roles: ``{v3}/{trust_id}/roles``, without the
    ``OS-TRUST/trusts`` segment (its ``_normalize_trust_roles``)."""
    return {"self": f"{base}/{trust_id}/roles", "next": None, "previous": None}


def _role_id(ctx: Ctx, ref: Any) -> str:
    if not isinstance(ref, dict) or not (ref.get("id") or ref.get("name")):
        raise ApiError(400, "Invalid input for field 'roles': each role is an object with "
                            "an 'id' or a 'name'.")
    if ref.get("id"):
        return str(ROLES.lookup(ctx.store, str(ref["id"]))["id"])
    for role in ROLES.records(ctx.store).values():
        if role["name"] == ref["name"] and role.get("domain_id") is None:
            return str(role["id"])
    raise ROLES.dialect.not_found("role", str(ref["name"]))


def _roles(ctx: Ctx, refs: list[Record]) -> list[Record]:
    """Each delegated role in full (as ``GET /v3/roles/{id}`` shows it), gone ones left out."""
    table = ROLES.records(ctx.store)
    return [ROLES.render(ctx, table[r["id"]]) for r in refs if r["id"] in table]


def _expiry(value: Any) -> str | None:
    if value is None:
        return None
    when = future_time(value)
    # Keystone's DateTime column keeps whole seconds; it shows them with six zeros.
    return isotime(when.astimezone(_dt.timezone.utc).replace(microsecond=0), micro=True)


TRUSTS = _Trusts("trust", "trusts", fields={
    "trustor_user_id": Field(required=True, filter="exact"),
    "trustee_user_id": Field(required=True, filter="exact"),
    "impersonation": Field(type="bool", required=True),
    "project_id": Field(nullable=True),
    "roles": Field(type="list"),
    "expires_at": Field(nullable=True),
    "remaining_uses": Field(type="int", nullable=True, minimum=1),
    "allow_redelegation": Field(type="bool", nullable=True),
}, path="OS-TRUST/trusts", free_form=False, allow_update=False)


async def trust_roles(request: Request) -> Response:
    """``GET /v3/OS-TRUST/trusts/{id}/roles[/{role_id}]``: the delegated roles."""
    ctx = Ctx.of(request)
    trust = TRUSTS.get(ctx, request.path_params["id"])
    roles = _roles(ctx, trust["roles"])
    rid = request.path_params.get("rid")
    if rid is None:
        return json_response({"roles": roles, "links": _roles_links(
            f"{base_url(request)}{V3}", trust["id"])})
    role = next((r for r in roles if r["id"] == rid), None)
    if role is None:
        raise ROLES.dialect.not_found("role", rid)
    return json_response({"role": role})


def routes() -> list[BaseRoute]:
    return [*TRUSTS.routes("/v3"),
            Route("/v3/OS-TRUST/trusts/{id}/roles", trust_roles, methods=["GET"]),
            Route("/v3/OS-TRUST/trusts/{id}/roles/{rid}", trust_roles,
                  methods=["GET", "HEAD"])]
