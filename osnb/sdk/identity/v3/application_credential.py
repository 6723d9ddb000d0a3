"""Application credentials: a user's delegated, revocable secrets
(Keystone ``/v3/users/{user_id}/application_credentials``)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

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

    def _envelope(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Keystone refuses a UTC offset in ``expires_at`` (``+00:00``; it appends ``Z``
        to whatever it gets) but takes UTC written with ``Z``: send that."""
        when = payload.get("expires_at")
        if isinstance(when, str) and len(when) > 6 and when[-6] in "+-" and when[-3] == ":":
            moment = datetime.fromisoformat(when).astimezone(timezone.utc)
            payload = {**payload, "expires_at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        return super()._envelope(payload)
