"""Federation service providers: other clouds this Keystone vouches for (Keystone
``/v3/OS-FEDERATION/service_providers``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ServiceProvider"]


class ServiceProvider(Resource):
    """A service provider; created by ``PUT`` to its id, which is also its ``name``."""

    resource_key = "service_provider"
    resources_key = "service_providers"
    base_path = "/OS-FEDERATION/service_providers"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    create_method = "PUT"
    commit_method = "PATCH"
    query = Query("id", is_enabled="enabled")
    display_columns = ("id", "is_enabled", "auth_url", "sp_url")

    name: str | None = prop("name", alias="id")
    auth_url: str | None = prop("auth_url")
    description: str | None = prop("description")
    is_enabled: bool | None = prop("enabled")
    relay_state_prefix: str | None = prop("relay_state_prefix")
    sp_url: str | None = prop("sp_url")
    links: dict | None = prop("links")
