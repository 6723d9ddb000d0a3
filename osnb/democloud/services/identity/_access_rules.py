"""Application-credential access rules: ``/v3/users/{uid}/access_rules``.

An application credential created with ``access_rules`` (a service type, a path and a
method it may call) stores each rule once per user: a rule sent again, or by its ``id``,
is the same rule. A user lists, shows and deletes their own rules (a system reader reads
anyone's, a system admin deletes them; a project admin is no one special here); a
rule an application credential still uses cannot be deleted (403).
"""

from __future__ import annotations

from typing import Any

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._common import Resource

__all__ = ["ACCESS_RULES", "remember", "routes"]


READERS = frozenset({"reader", "member", "admin"})
"""The roles that imply ``reader`` in Keystone's default role hierarchy."""


class _AccessRules(Resource):
    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        """Keystone 30's ``SYSTEM_READER_OR_OWNER`` for reads and ``SYSTEM_ADMIN_OR_OWNER``
        for a delete (``keystone/common/policies/access_rule.py``): a project-scoped admin
        may not read another user's rules."""
        token = ctx.token
        if token.user_id == ctx.request.path_params["uid"] or token.system is not None and (
                token.is_admin or action in ("list", "show") and READERS & set(token.roles)):
            return
        raise self.dialect.forbidden(self.rule(action))

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        for cred in ctx.store.table("application_credentials").values():
            if any(r.get("id") == record["id"] for r in cred.get("access_rules") or []):
                raise ApiError(403, f"Cannot delete access rule {record['id']} while it "
                                    "is in use by an application credential.")


ACCESS_RULES = _AccessRules("access_rule", "access_rules", free_form=False, user_key="_user_id",
                            allow_create=False, allow_update=False, fields={
                                "service": Field(read_only=True, filter="exact"),
                                "path": Field(read_only=True, filter="exact"),
                                "method": Field(read_only=True, filter="exact")})


def remember(store: Store, user_id: str, rules: Any, new_id: Any) -> list[Record]:
    """The access rules of a new application credential, each stored once per user;
    ``new_id()`` makes the id of a rule not seen before."""
    table = ACCESS_RULES.records(store)
    out: list[Record] = []
    for rule in rules or []:
        if not isinstance(rule, dict):
            raise ApiError(400, f"Invalid input for field 'access_rules': {rule!r} is not "
                                "of type 'object'.")
        if rule.get("id"):
            found = table.get(str(rule["id"]))
            if found is None or found["_user_id"] != user_id:
                raise ApiError(404, f"Could not find access rule: {rule['id']}.")
        else:
            for key in ("service", "path", "method"):
                if not isinstance(rule.get(key), str):
                    raise ApiError(400, f"Invalid input for field 'access_rules': '{key}' "
                                        "is a required property.")
            found = next((r for r in table.values() if r["_user_id"] == user_id and
                          (r["service"], r["path"], r["method"]) ==
                          (rule["service"], rule["path"], rule["method"])), None)
            if found is None:
                found = {"id": new_id(), "service": rule["service"], "path": rule["path"],
                         "method": rule["method"], "_user_id": user_id}
                table[found["id"]] = found
        out.append({k: found[k] for k in ("id", "service", "path", "method")})
    return out


def routes() -> list[Any]:
    return ACCESS_RULES.routes("/v3/users/{uid}")
