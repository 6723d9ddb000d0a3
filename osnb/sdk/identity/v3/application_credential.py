"""Application credentials: a user's delegated, revocable secrets
(Keystone ``/v3/users/{user_id}/application_credentials``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop, uri

__all__ = ["ApplicationCredential"]


class ApplicationCredential(Resource):
    """An application credential; ``secret`` comes back once, from the create call.

    Keystone has no update: delete and create again.
    """

    resource_key = "application_credential"
    resources_key = "application_credentials"
    base_path = "/users/%(user_id)s/application_credentials"
    service = "identity"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    query = Query("name")

    user_id: str | None = uri("user_id")
    description: str | None = prop("description")
    secret: str | None = prop("secret", secret=True)
    project_id: str | None = prop("project_id")
    expires_at: datetime | None = prop("expires_at")
    roles: list[dict] | None = prop("roles")
    unrestricted: bool | None = prop("unrestricted")
    access_rules: list[dict] | None = prop("access_rules")
    system: str | None = prop("system")
    links: dict | None = prop("links")
