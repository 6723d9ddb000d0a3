"""The traits one provider carries (``/resource_providers/{uuid}/traits``)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ResourceProviderTrait"]


class ResourceProviderTrait(Resource):
    """A provider's whole set of traits; setting it replaces the set and names the
    provider's generation (a stale one is a 409 Conflict)."""

    base_path = "/resource_providers/%(resource_provider_id)s/traits"
    service = "placement"
    requires_id = False
    allow_retrieve = allow_update = allow_delete = True
    commit_sends_all = True  # the PUT carries the traits and the generation together
    max_microversion = "1.6"

    resource_provider_id: str | None = uri("resource_provider_id")
    traits: list[str] | None = prop("traits")
    resource_provider_generation: int | None = prop("resource_provider_generation")
