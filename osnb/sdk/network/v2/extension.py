"""The API extensions a Neutron serves (``/extensions``): what a client may rely on."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Extension"]


class Extension(Resource):
    """One extension, identified by its ``alias`` (``trunk``, ``qos``, ``segment``…)."""

    resource_key = "extension"
    resources_key = "extensions"
    base_path = "/extensions"
    service = "network"
    allow_retrieve = allow_list = True
    query = Query("fields")

    alias: str | None = prop("alias", alternate_id=True)
    name: str | None = prop("name")
    description: str | None = prop("description")
    links: list | None = prop("links")
    updated_at: datetime | None = prop("updated")
