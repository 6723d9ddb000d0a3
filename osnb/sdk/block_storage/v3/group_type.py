"""Group types (Cinder ``/group_types``, 3.11) and their group specs."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["GroupType"]


class GroupType(Resource):
    """What a group is (``consistent_group_snapshot_enabled``…); admins write them."""

    resource_key = "group_type"
    resources_key = "group_types"
    base_path = "/group_types"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.11"
    max_microversion = "3.11"
    query = Query("is_public")

    description: str | None = prop("description")
    group_specs: dict | None = prop("group_specs")
    is_public: bool | None = prop("is_public")

    def _specs(self, key: str | None = None) -> str:
        return f"{self._item_path()}/group_specs" + (f"/{key}" if key else "")

    def fetch_group_specs(self, session: Any) -> GroupType:
        """The type with its ``group_specs`` read."""
        response = session.get(self._specs(), **self._request_args(session))
        self._body["group_specs"] = response.json()["group_specs"]
        return self

    def create_group_specs(self, session: Any, specs: dict[str, Any]) -> GroupType:
        """Add or change specs; the type with them all."""
        response = session.post(self._specs(), json={"group_specs": specs},
                                **self._request_args(session))
        self._body["group_specs"] = {**(self._body.get("group_specs") or {}),
                                     **response.json()["group_specs"]}
        return self

    def get_group_specs_property(self, session: Any, prop: str) -> str | None:
        response = session.get(self._specs(prop), **self._request_args(session))
        value: str | None = response.json().get(prop)
        return value

    def update_group_specs_property(self, session: Any, prop: str, val: str) -> str:
        response = session.put(self._specs(prop), json={prop: val},
                               **self._request_args(session))
        value: str = response.json()[prop]
        return value

    def delete_group_specs_property(self, session: Any, prop: str) -> None:
        session.delete(self._specs(prop), **self._request_args(session))
