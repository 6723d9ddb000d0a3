"""Keypairs: SSH public keys injected into servers (Nova ``/os-keypairs``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Keypair"]


class Keypair(Resource):
    """An SSH or x509 key pair, owned by a user and addressed by its name."""

    resource_key = "keypair"
    resources_key = "keypairs"
    base_path = "/os-keypairs"
    service = "compute"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "2.1"
    # 2.92 stops generating keys (public_key becomes required); 2.10 brings user_id.
    max_microversion = "2.10"
    query = Query("user_id")
    wrapped_items = True  # list items come as {"keypair": {...}} (core change)

    name: str | None = prop("name", alternate_id=True)
    fingerprint: str | None = prop("fingerprint")
    public_key: str | None = prop("public_key")
    private_key: str | None = prop("private_key", secret=True)
    type: str | None = prop("type")
    user_id: str | None = prop("user_id")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
    deleted_at: datetime | None = prop("deleted_at")
    is_deleted: bool | None = prop("deleted")
