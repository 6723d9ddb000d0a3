"""The API extensions Cinder loads (``/extensions``)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["Extension"]


class Extension(Resource):
    """Names follow openstacksdk's ``Extension``; the alias is its id."""

    resources_key = "extensions"
    base_path = "/extensions"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    alias: str | None = prop("alias", alternate_id=True)
    description: str | None = prop("description")
    links: list | None = prop("links")
    updated_at: str | None = prop("updated")
