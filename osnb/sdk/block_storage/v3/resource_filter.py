"""The filters each Cinder list takes (``/resource_filters``, 3.33)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ResourceFilter"]


class ResourceFilter(Resource):
    """One resource (``volume``, ``backup``…) and the filters its list takes."""

    resources_key = "resource_filters"
    base_path = "/resource_filters"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.33"
    max_microversion = "3.33"
    query = Query("resource")

    filters: list | None = prop("filters")
    resource: str | None = prop("resource", alternate_id=True)
