"""What consumers hold on one provider (``/resource_providers/{uuid}/allocations``, a
mapping keyed by consumer)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ResourceProviderAllocation"]


class ResourceProviderAllocation(Resource):
    """One consumer's allocation on one provider; ``id`` is the consumer's uuid."""

    base_path = "/resource_providers/%(resource_provider_id)s/allocations"
    resources_key = "allocations"
    mapping_key = "consumer_id"
    shared_keys = ("resource_provider_generation",)
    service = "placement"
    allow_list = True
    max_microversion = "1.39"

    resource_provider_id: str | None = uri("resource_provider_id")
    consumer_id: str | None = prop("consumer_id", alternate_id=True)
    resources: dict | None = prop("resources")
    consumer_generation: int | None = prop("consumer_generation")
    resource_provider_generation: int | None = prop("resource_provider_generation")
