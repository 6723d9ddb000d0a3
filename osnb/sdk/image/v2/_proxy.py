"""``conn.image``: the Image (Glance) v2 proxy."""

from __future__ import annotations

from typing import Any

from ...proxy import Proxy as _BaseProxy
from ...resource_list import ResourceList
from .image import Image

__all__ = ["Proxy"]


class Proxy(_BaseProxy):
    """Image API: image records."""

    service_type = "image"
    api_version = "2"

    def images(self, **query: Any) -> ResourceList[Image]:
        """List images: ``visibility``, ``owner``, ``status``, ``size_min``, ``tag``,
        ``is_hidden``, ``sort``… (Glance filters ``created_at``/``updated_at`` with
        operators: ``"gte:2024-01-01T00:00:00Z"``)."""
        return self._list(Image, **query)

    def get_image(self, image: str | Image) -> Image:
        return self._get(Image, image)

    def find_image(self, name_or_id: str, ignore_missing: bool = False) -> Image | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Image, name_or_id, ignore_missing=ignore_missing)

    def create_image(self, **attrs: Any) -> Image:
        """Create an image record (``queued``, no data): ``name``, ``disk_format``…"""
        return self._create(Image, **attrs)

    def update_image(self, image: str | Image, **attrs: Any) -> Image:
        """Change attributes with a JSON-patch; ``None`` removes a property."""
        return self._update(Image, image, **attrs)

    def delete_image(self, image: str | Image, ignore_missing: bool = True) -> None:
        """Delete an image; a protected one is refused (Forbidden)."""
        self._delete(Image, image, ignore_missing=ignore_missing)
