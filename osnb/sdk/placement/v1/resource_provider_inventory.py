"""Inventories: how much of each resource class a provider has
(``/resource_providers/{uuid}/inventories``, a mapping keyed by resource class)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ResourceProviderInventory"]


class ResourceProviderInventory(Resource):
    """One resource class of one provider; ``id`` is the resource class.

    Writes carry ``resource_provider_generation``: a stale one is a 409 Conflict. An
    update of an inventory that was read sends all of it with the changes (placement's PUT
    replaces it); an update by resource class alone sends only what it is given.
    Capacity is ``(total - reserved) * allocation_ratio``.
    """

    base_path = "/resource_providers/%(resource_provider_id)s/inventories"
    resources_key = "inventories"
    mapping_key = "resource_class"
    shared_keys = ("resource_provider_generation",)
    service = "placement"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_sends_all = True  # PUT replaces: what is not sent goes back to its default
    max_microversion = "1.39"

    resource_provider_id: str | None = uri("resource_provider_id")
    resource_class: str | None = prop("resource_class", alternate_id=True)
    resource_provider_generation: int | None = prop("resource_provider_generation")
    total: int | None = prop("total")
    reserved: int | None = prop("reserved")
    min_unit: int | None = prop("min_unit")
    max_unit: int | None = prop("max_unit")
    step_size: int | None = prop("step_size")
    allocation_ratio: float | None = prop("allocation_ratio")
