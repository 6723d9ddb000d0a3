"""Volume types (Cinder ``/types``) and their extra specs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["Type", "TypeEncryption", "TypeExtraSpecs"]


class Type(Resource):
    """A volume type: a name for a backend and its settings (``extra_specs``)."""

    resource_key = "volume_type"
    resources_key = "volume_types"
    base_path = "/types"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"
    query = Query("is_public", all_projects="all_tenants")

    description: str | None = prop("description")
    is_public: bool | None = prop("os-volume-type-access:is_public", alias="is_public")
    extra_specs: dict | None = prop("extra_specs")
    qos_specs_id: str | None = prop("qos_specs_id")

    def get_private_access(self, session: Any) -> list[dict[str, Any]]:
        """The projects on a private type's access list."""
        response = session.get(f"{self._item_path()}/os-volume-type-access")
        access: list[dict[str, Any]] = response.json()["volume_type_access"]
        return access

    def add_private_access(self, session: Any, project_id: str) -> None:
        self._action(session, {"addProjectAccess": {"project": project_id}})

    def remove_private_access(self, session: Any, project_id: str) -> None:
        self._action(session, {"removeProjectAccess": {"project": project_id}})


class TypeExtraSpecs(Resource):
    """The extra specs of one type: set some (create) or remove one key (delete by key)."""

    base_path = "/types/%(type_id)s/extra_specs"
    service = "block-storage"
    allow_create = allow_delete = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    type_id: str | None = uri("type_id")
    extra_specs: dict | None = prop("extra_specs")


class TypeEncryption(Resource):
    """How a type's volumes are encrypted (admin); ``encryption_id`` is its id."""

    resource_key = "encryption"
    base_path = "/types/%(type_id)s/encryption"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    type_id: str | None = uri("type_id")
    volume_type_id: str | None = prop("volume_type_id")
    encryption_id: str | None = prop("encryption_id", alternate_id=True)
    cipher: str | None = prop("cipher")
    control_location: str | None = prop("control_location")
    key_size: int | None = prop("key_size")
    provider: str | None = prop("provider")
    deleted: bool | None = prop("deleted")
    deleted_at: datetime | None = prop("deleted_at")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
