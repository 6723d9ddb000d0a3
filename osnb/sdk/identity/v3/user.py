"""Users: people and services that authenticate (Keystone ``/v3/users``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["User"]


class User(Resource):
    """A user; ``password`` is write-only and masked in reprs and ``to_dict()``."""

    resource_key = "user"
    resources_key = "users"
    base_path = "/users"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("domain_id", "name", "password_expires_at", "unique_id", "idp_id",
                  "protocol_id", is_enabled="enabled")

    default_project_id: str | None = prop("default_project_id")
    description: str | None = prop("description")
    domain_id: str | None = prop("domain_id")
    email: str | None = prop("email")
    is_enabled: bool | None = prop("enabled")
    password: str | None = prop("password", secret=True, request_only=True)
    password_expires_at: datetime | None = prop("password_expires_at")
    federated: list | None = prop("federated")
    options: dict | None = prop("options")
    links: dict | None = prop("links")
