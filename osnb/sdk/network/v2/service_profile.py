"""Service profiles: a driver and its settings behind network flavors (Neutron
``/service_profiles``, admin only)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ServiceProfile"]


class ServiceProfile(Resource):
    """``driver`` with ``meta_info``."""

    resource_key = "service_profile"
    resources_key = "service_profiles"
    base_path = "/service_profiles"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "driver", "project_id", "fields", "sort_key", "sort_dir",
                  is_enabled="enabled")

    description: str | None = prop("description")
    driver: str | None = prop("driver")
    is_enabled: bool | None = prop("enabled")
    meta_info: str | None = prop("metainfo")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
