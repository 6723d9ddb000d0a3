"""The protocols an identity provider speaks (Keystone
``/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["FederationProtocol"]


class FederationProtocol(Resource):
    """A protocol (``saml2``, ``openid``, ``mapped``) of one identity provider, and the
    mapping that turns its assertions into users and groups; its id is its name."""

    resource_key = "protocol"
    resources_key = "protocols"
    base_path = "/OS-FEDERATION/identity_providers/%(idp_id)s/protocols"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    create_method = "PUT"
    commit_method = "PATCH"
    query = Query("id")

    name: str | None = prop("name", alias="id")
    idp_id: str | None = uri("idp_id")
    mapping_id: str | None = prop("mapping_id")
    remote_id_attribute: str | None = prop("remote_id_attribute")
    links: dict | None = prop("links")
