"""The JSON schemas Glance publishes (``/v2/schemas/…``): what an image, member or task
may hold, and the metadata definitions' own."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop

__all__ = ["MetadefSchema", "Schema"]


class Schema(Resource):
    """``/v2/schemas/{name}``: ``image``, ``images``, ``member(s)``, ``task(s)``."""

    base_path = "/schemas"
    service = "image"
    allow_retrieve = True

    properties: dict[str, Any] | None = prop("properties")
    additional_properties: Any = prop("additionalProperties")
    links: list[dict[str, Any]] | None = prop("links")


class MetadefSchema(Resource):
    """``/v2/schemas/metadefs/{name}``: ``namespace(s)``, ``object(s)``, ``property``,
    ``properties``, ``tag(s)``, ``resource_type(s)``."""

    base_path = "/schemas/metadefs"
    service = "image"
    allow_retrieve = True

    properties: dict[str, Any] | None = prop("properties")
    additional_properties: Any = prop("additionalProperties")
    definitions: dict[str, Any] | None = prop("definitions")
    required: list[str] | None = prop("required")
    links: list[dict[str, Any]] | None = prop("links")
