"""Credentials (``/v3/credentials``): a user's EC2 keys, TOTP secrets and certificates.

The ``blob`` is a JSON text. An ``ec2`` credential must name its project and carry an
``access`` key, and its id is the SHA-256 of that key (so one access key is one
credential: 409 on a second); an update may change its blob, even the access key (the id
stays), but not the scope inside (``trust_id``, ``app_cred_id``, ``access_token_id``,
``access_id``). A user manages its own credentials (a member lists only its own); an
admin all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field, Query
from ...http import ApiError
from ...store import Record
from ._common import Resource

__all__ = ["CREDENTIALS", "routes"]

_FIXED_IN_BLOB = ("trust_id", "app_cred_id", "access_token_id", "access_id")
"""What an update may not change in an ec2 blob (Keystone checks ``access_id``, not the
``access`` key its id was made from: a new access key keeps the old id)."""


def _blob(value: Any) -> dict[str, Any]:
    """An ec2 blob as Keystone reads it: a JSON object with an ``access`` key."""
    try:
        blob = json.loads(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid blob in credential") from None
    if not blob or not isinstance(blob, dict):
        raise _invalid("blob")
    if blob.get("access") is None:
        raise _invalid("access")
    return blob


def _invalid(attribute: str) -> ApiError:
    return ApiError(400, f"Expecting to find {attribute} in credential. The server could "
                         "not comply with the request since it is either malformed or "
                         "otherwise incorrect. The client is assumed to be in error.")


class _Credentials(Resource):
    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        """Admins; a user for its own (the record, or the body's ``user_id``, decides)."""
        if ctx.admin or action in ("list", "create"):
            return
        record = self.records(ctx.store).get(ident or "")
        if record is None or record["user_id"] != ctx.token.user_id:
            raise self.dialect.forbidden(self.rule(action))

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        if ctx.admin:
            return None
        return [c for c in self.records(ctx.store).values()
                if c["user_id"] == ctx.token.user_id]

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        if not ctx.admin and record["user_id"] != ctx.token.user_id:
            raise self.dialect.forbidden(self.rule("create"))
        if record["type"].lower() == "ec2":
            if "project_id" not in body:  # the key: Keystone's schema lets it be null
                raise self.dialect.bad("Invalid input for field 'credential': 'project_id' "
                                       "is a required property.")
            blob = _blob(record["blob"])
            record["id"] = hashlib.sha256(str(blob["access"]).encode()).hexdigest()
            if record["id"] in self.records(ctx.store):
                raise self.dialect.conflict("credential", f"Duplicate ID, {record['id']}")
        elif body.get("id"):
            record["id"] = str(body["id"])
        record.setdefault("project_id", None)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        extra = sorted(set(changes) - {"blob"})
        if extra:
            raise self.dialect.bad(f"Invalid input for field 'credential': Additional "
                                   f"properties are not allowed ({', '.join(map(repr, extra))} "
                                   "unexpected).")
        if "blob" in changes and record["type"].lower() == "ec2":
            old, new = _blob(record["blob"]), _blob(changes["blob"])
            for key in _FIXED_IN_BLOB:
                if old.get(key) != new.get(key):
                    raise self.dialect.bad(f"{key} can not be updated for credential")


CREDENTIALS = _Credentials("credential", "credentials", fields={
    "blob": Field(required=True),
    "type": Field(required=True, filter="exact"),
    "user_id": Field(required=True, filter="exact"),
    "project_id": Field(nullable=True),
})


def routes() -> list[BaseRoute]:
    return CREDENTIALS.routes("/v3")
