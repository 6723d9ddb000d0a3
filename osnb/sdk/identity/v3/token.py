"""Tokens (Keystone ``/v3/auth/tokens`` with ``X-Subject-Token``): validate, check and
revoke one."""

from __future__ import annotations

from datetime import datetime

from ...resource import Resource, prop

__all__ = ["Token"]


class Token(Resource):
    """A validated token: who it is for, its scope, roles and catalog. The proxy's
    ``validate_token``, ``check_token`` and ``revoke_token`` name it by its id in the
    ``X-Subject-Token`` header."""

    resource_key = "token"
    base_path = "/auth/tokens"
    service = "identity"
    display_columns = ("user.name", "project.name", "expires_at", "methods")

    audit_ids: list[str] | None = prop("audit_ids")
    catalog: list[dict] | None = prop("catalog")
    expires_at: datetime | None = prop("expires_at")
    issued_at: datetime | None = prop("issued_at")
    methods: list[str] | None = prop("methods")
    user: dict | None = prop("user")
    project: dict | None = prop("project")
    domain: dict | None = prop("domain")
    is_domain: bool | None = prop("is_domain")
    system: dict | None = prop("system")
    roles: list[dict] | None = prop("roles")
