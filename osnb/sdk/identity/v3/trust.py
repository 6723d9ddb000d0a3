"""Trusts: a trustor delegates roles on a project to a trustee
(Keystone ``/v3/OS-TRUST/trusts``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Trust"]


class Trust(Resource):
    """A trust; only the trustor creates it (with its own token), delegating roles it
    holds on ``project_id``. Keystone has no update: delete and create again.

    A list is filtered by ``trustor_user_id`` or ``trustee_user_id`` (one's own, unless
    admin); only an admin lists every trust. A listed trust has no ``roles``.
    """

    resource_key = "trust"
    resources_key = "trusts"
    base_path = "/OS-TRUST/trusts"
    service = "identity"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    query = Query("trustor_user_id", "trustee_user_id")
    display_columns = ("id", "trustor_user_id", "trustee_user_id", "project_id",
                       "is_impersonation", "expires_at", "remaining_uses")

    allow_redelegation: bool | None = prop("allow_redelegation")
    expires_at: datetime | None = prop("expires_at")
    is_impersonation: bool | None = prop("impersonation")
    links: dict | None = prop("links")
    project_id: str | None = prop("project_id")
    # openstacksdk's name; Keystone's key is "roles_links" (openstacksdk reads "role_links")
    role_links: dict | None = prop("roles_links")
    roles: list[dict] | None = prop("roles")
    redelegated_trust_id: str | None = prop("redelegated_trust_id")
    redelegation_count: int | None = prop("redelegation_count")
    remaining_uses: int | None = prop("remaining_uses")
    trustee_user_id: str | None = prop("trustee_user_id")
    trustor_user_id: str | None = prop("trustor_user_id")
    deleted_at: datetime | None = prop("deleted_at")
