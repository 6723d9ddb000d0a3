"""Regions (Keystone ``/v3/regions``); a region's id is its name."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Region"]


class Region(Resource):
    """A region, optionally inside a parent region; create may choose the ``id``."""

    resource_key = "region"
    resources_key = "regions"
    base_path = "/regions"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("parent_region_id")

    description: str | None = prop("description")
    parent_region_id: str | None = prop("parent_region_id")
    links: dict | None = prop("links")
