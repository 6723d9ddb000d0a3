"""Network flavors: what a router (or another service's instance) is made with, through
their service profiles (Neutron ``/flavors``; an admin's to change)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Flavor"]


class Flavor(Resource):
    """A flavor of ``service_type``, served by ``service_profile_ids``."""

    resource_key = "flavor"
    resources_key = "flavors"
    base_path = "/flavors"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "service_type", "fields", "sort_key", "sort_dir",
                  is_enabled="enabled")

    description: str | None = prop("description")
    service_type: str | None = prop("service_type")
    is_enabled: bool | None = prop("enabled")
    service_profile_ids: list[str] | None = prop("service_profiles")

    def associate_flavor_with_service_profile(self, session: Any,
                                              service_profile_id: str) -> dict[str, Any]:
        """Serve the flavor with a profile too; Neutron's answer."""
        answer: dict[str, Any] = session.post(
            f"{self._item_path()}/service_profiles",
            json={"service_profile": {"id": service_profile_id}}).json()
        return answer

    def disassociate_flavor_from_service_profile(self, session: Any,
                                                 service_profile_id: str) -> None:
        session.delete(f"{self._item_path()}/service_profiles/{service_profile_id}")
