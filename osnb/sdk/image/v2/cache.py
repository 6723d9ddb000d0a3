"""Glance's image cache (``/v2/cache``, an administrator's): the images the API nodes
keep locally after serving them."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop

__all__ = ["Cache"]


class Cache(Resource):
    """``cached_images`` (``image_id``, ``hits``, ``size``, times) and ``queued_images``."""

    base_path = "/cache"
    service = "image"
    allow_retrieve = True
    requires_id = False

    cached_images: list[dict[str, Any]] | None = prop("cached_images")
    queued_images: list[str] | None = prop("queued_images")
