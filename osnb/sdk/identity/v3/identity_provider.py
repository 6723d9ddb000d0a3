"""Federated identity providers (Keystone ``/v3/OS-FEDERATION/identity_providers``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["IdentityProvider"]


class IdentityProvider(Resource):
    """An identity provider; created by ``PUT`` to the id its creator chooses, which is
    also its ``name``. Without a ``domain_id`` Keystone makes it a domain of its own."""

    resource_key = "identity_provider"
    resources_key = "identity_providers"
    base_path = "/OS-FEDERATION/identity_providers"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    create_method = "PUT"
    commit_method = "PATCH"
    query = Query("id", is_enabled="enabled")
    display_columns = ("id", "domain_id", "is_enabled", "remote_ids", "description")

    name: str | None = prop("name", alias="id")
    domain_id: str | None = prop("domain_id")
    description: str | None = prop("description")
    is_enabled: bool | None = prop("enabled")
    remote_ids: list[str] | None = prop("remote_ids")
    authorization_ttl: int | None = prop("authorization_ttl")
    links: dict | None = prop("links")
