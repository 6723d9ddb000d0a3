"""Resource classes: the kinds of resource placement counts (``/resource_classes``)."""

from __future__ import annotations

from urllib.parse import quote

from ...resource import Resource, prop

__all__ = ["ResourceClass"]


class ResourceClass(Resource):
    """A resource class (``VCPU``, ``CUSTOM_FPGA``); ``id`` is its name.

    Standard classes always exist and cannot change; custom ones (``CUSTOM_`` and
    ``A``-``Z``, ``0``-``9``, ``_``) are made, renamed (microversion 1.2, as here) and
    deleted while no inventory has them.
    """

    resources_key = "resource_classes"
    base_path = "/resource_classes"
    service = "placement"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    max_microversion = "1.2"

    name: str | None = prop("name", alternate_id=True)
    links: list[dict] | None = prop("links")

    def _item_path(self, base_path: str | None = None) -> str:
        """The class as it is named now: a rename sends the new name in the body."""
        stored = self._body.get("name")
        if stored is None:
            return super()._item_path(base_path)
        return f"{self._path(self._uri_values(), base_path)}/{quote(str(stored), safe='')}"
