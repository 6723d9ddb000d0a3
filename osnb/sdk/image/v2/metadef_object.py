"""A metadata definitions namespace's objects and properties."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Resource, prop, uri

__all__ = ["MetadefObject", "MetadefProperty"]


class MetadefObject(Resource):
    """A named group of property definitions in a namespace (``CPU Limits``)."""

    resources_key = "objects"
    base_path = "/metadefs/namespaces/%(namespace_name)s/objects"
    service = "image"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True

    namespace_name: str | None = uri("namespace_name")
    name: str | None = prop("name", alternate_id=True)
    description: str | None = prop("description")
    properties: dict[str, Any] | None = prop("properties")
    required: list[str] | None = prop("required")
    schema: str | None = prop("schema")
    self_link: str | None = prop("self")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class MetadefProperty(Resource):
    """One property definition: its JSON-schema ``type``, bounds and choices. Glance lists
    them as a mapping by name."""

    resources_key = "properties"
    base_path = "/metadefs/namespaces/%(namespace_name)s/properties"
    service = "image"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True

    namespace_name: str | None = uri("namespace_name")
    name: str | None = prop("name", alternate_id=True)
    title: str | None = prop("title")
    description: str | None = prop("description")
    type: str | None = prop("type")
    enum: list[Any] | None = prop("enum")
    default: Any = prop("default")
    minimum: int | None = prop("minimum")
    maximum: int | None = prop("maximum")
    min_length: int | None = prop("minLength", default=0)  # the schema's defaults
    max_length: int | None = prop("maxLength")
    pattern: str | None = prop("pattern")
    items: dict[str, Any] | None = prop("items")
    min_items: int | None = prop("minItems", default=0)
    max_items: int | None = prop("maxItems")
    require_unique_items: bool | None = prop("uniqueItems", default=False)
    allow_additional_items: bool | None = prop("additionalItems")
    operators: list[str] | None = prop("operators")
    is_readonly: bool | None = prop("readonly")
