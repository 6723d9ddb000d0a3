"""What a Glance offers: its stores (``/v2/info/stores``), import methods
(``/v2/info/import``) and the caller's usage against its limits (``/v2/info/usage``)."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop

__all__ = ["Import", "Store", "Usage"]


class Store(Resource):
    """A backend the image data can live in; ``details`` adds its type and settings (an
    administrator's)."""

    resources_key = "stores"
    base_path = "/info/stores"
    service = "image"
    allow_list = True

    description: str | None = prop("description")
    is_default: bool | None = prop("default")
    is_read_only: bool | None = prop("read-only")
    type: str | None = prop("type")
    weight: int | None = prop("weight")
    properties: dict[str, Any] | None = prop("properties")


class Import(Resource):
    """The import methods this Glance accepts (``import-methods.value``)."""

    base_path = "/info/import"
    service = "image"
    allow_retrieve = True
    requires_id = False

    import_methods: dict[str, Any] | None = prop("import-methods")

    @property
    def methods(self) -> list[str]:
        """The method names (``glance-direct``, ``web-download``…)."""
        return list((self.import_methods or {}).get("value") or [])


class Usage(Resource):
    """The caller's project against Glance's unified limits: ``{"image_count_total":
    {"limit": 100, "usage": 3}, …}``."""

    base_path = "/info/usage"
    service = "image"
    allow_retrieve = True
    requires_id = False

    usage: dict[str, dict[str, int]] | None = prop("usage")
