"""Resource providers: what placement allocates from (``/resource_providers``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ResourceProvider"]


class ResourceProvider(Resource):
    """A provider of resources (a compute node, a NUMA cell, a pool); ``id`` is its uuid.

    Filters need microversions: ``member_of`` 1.3, ``resources`` 1.4, ``in_tree`` 1.14,
    ``required`` 1.18 (``!TRAIT`` 1.22).
    """

    resources_key = "resource_providers"
    base_path = "/resource_providers"
    service = "placement"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    max_microversion = "1.39"
    query = Query("name", "member_of", "resources", "in_tree", "required", id="uuid")

    id: str | None = prop("uuid", alternate_id=True)
    generation: int | None = prop("generation")
    parent_provider_id: str | None = prop("parent_provider_uuid")
    root_provider_id: str | None = prop("root_provider_uuid")
    links: list[dict] | None = prop("links")
