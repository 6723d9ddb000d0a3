"""Usages: how much of each resource class is allocated from a provider
(``/resource_providers/{uuid}/usages``, a mapping of resource class to amount)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ResourceProviderUsage"]


class ResourceProviderUsage(Resource):
    """The amount of one resource class in use on one provider; ``id`` is the class."""

    base_path = "/resource_providers/%(resource_provider_id)s/usages"
    resources_key = "usages"
    mapping_key = "resource_class"
    mapping_value_key = "usage"
    shared_keys = ("resource_provider_generation",)
    service = "placement"
    allow_list = True
    max_microversion = "1.39"

    resource_provider_id: str | None = uri("resource_provider_id")
    resource_class: str | None = prop("resource_class", alternate_id=True)
    usage: int | None = prop("usage")
    resource_provider_generation: int | None = prop("resource_provider_generation")
