"""Where an image's data is (``/v2/images/{image_id}/locations``, a service's view)."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop, uri

__all__ = ["ImageLocation"]


class ImageLocation(Resource):
    """One location: its ``url`` and ``metadata`` (the store)."""

    base_path = "/images/%(image_id)s/locations"
    service = "image"
    allow_create = allow_list = True

    image_id: str | None = uri("image_id")
    url: str | None = prop("url")
    metadata: dict[str, Any] | None = prop("metadata")
    validation_data: dict[str, Any] | None = prop("validation_data", request_only=True)
