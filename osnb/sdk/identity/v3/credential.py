"""Credentials: a user's EC2 keys, TOTP secrets and certificates
(Keystone ``/v3/credentials``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Credential"]


class Credential(Resource):
    """A credential; its ``blob`` (a JSON text for ``ec2``) holds the secret, masked in
    reprs and ``to_dict()`` (``to_dict(reveal_secrets=True)`` shows it).

    An ``ec2`` credential needs ``project_id`` (null allowed) and its id is the SHA-256 of
    its access key; only the blob changes on update, and not the ``trust_id`` in it.
    """

    resource_key = "credential"
    resources_key = "credentials"
    base_path = "/credentials"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("type", "user_id")

    blob: str | None = prop("blob", secret=True)
    project_id: str | None = prop("project_id")
    type: str | None = prop("type")
    user_id: str | None = prop("user_id")
    links: dict | None = prop("links")
