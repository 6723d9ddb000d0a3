"""Access rules of a user's application credentials (Keystone
``/v3/users/{user_id}/access_rules``)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["AccessRule"]


class AccessRule(Resource):
    """One call an application credential may make (a service type, a path, a method);
    kept once per user, deletable only when no credential uses it."""

    resource_key = "access_rule"
    resources_key = "access_rules"
    base_path = "/users/%(user_id)s/access_rules"
    service = "identity"
    allow_retrieve = allow_delete = allow_list = True
    display_columns = ("id", "service", "method", "path")

    user_id: str | None = uri("user_id")
    method: str | None = prop("method")
    path: str | None = prop("path")
    service: str | None = prop("service")  # type: ignore[no-redef]
    links: dict | None = prop("links")
