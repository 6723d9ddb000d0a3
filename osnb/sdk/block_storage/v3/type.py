"""Volume types (Cinder ``/types``) and their extra specs."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["Type", "TypeExtraSpecs"]


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
