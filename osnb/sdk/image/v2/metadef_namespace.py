"""Glance's metadata definitions catalog: namespaces (``/v2/metadefs/namespaces``) and
the resource types they apply to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["MetadefNamespace", "MetadefResourceType", "MetadefResourceTypeAssociation"]


class MetadefNamespace(Resource):
    """A namespace of property definitions (``OS::Compute::Hypervisor``…), addressed by
    its ``namespace``."""

    resources_key = "namespaces"
    base_path = "/metadefs/namespaces"
    service = "image"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("limit", "marker", "resource_types", "sort_dir", "sort_key", "visibility")

    namespace: str | None = prop("namespace", alternate_id=True)
    display_name: str | None = prop("display_name")
    description: str | None = prop("description")
    visibility: str | None = prop("visibility")
    is_protected: bool | None = prop("protected")
    owner: str | None = prop("owner")
    resource_type_associations: list[dict[str, Any]] | None = prop(
        "resource_type_associations")
    properties: dict[str, Any] | None = prop("properties")
    objects: list[dict[str, Any]] | None = prop("objects")
    tags: list[dict[str, Any]] | None = prop("tags")
    schema: str | None = prop("schema")
    self_link: str | None = prop("self")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class MetadefResourceType(Resource):
    """A kind of resource a namespace can apply to (``OS::Glance::Image``…)."""

    resources_key = "resource_types"
    base_path = "/metadefs/resource_types"
    service = "image"
    allow_list = True

    name: str | None = prop("name", alternate_id=True)
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class MetadefResourceTypeAssociation(Resource):
    """A namespace applied to a resource type, with the ``prefix`` its properties take
    there (``hw_`` on images, ``hw:`` in flavor extra specs)."""

    resources_key = "resource_type_associations"
    base_path = "/metadefs/namespaces/%(namespace_name)s/resource_types"
    service = "image"
    allow_create = allow_delete = allow_list = True

    namespace_name: str | None = uri("namespace_name")
    name: str | None = prop("name", alternate_id=True)
    prefix: str | None = prop("prefix")
    properties_target: str | None = prop("properties_target")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
