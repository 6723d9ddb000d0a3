"""``conn.placement``: the Placement v1 proxy, negotiating microversions per resource."""

from __future__ import annotations

from typing import Any

from ...proxy import Proxy as _BaseProxy
from ...resource_list import ResourceList
from .resource_provider import ResourceProvider
from .resource_provider_inventory import ResourceProviderInventory
from .resource_provider_usage import ResourceProviderUsage

__all__ = ["Proxy"]

Inventory = ResourceProviderInventory


class Proxy(_BaseProxy):
    """Placement API: resource providers, their inventories and usages."""

    service_type = "placement"
    api_version = "1"

    # -- resource providers ---------------------------------------------------------------
    def resource_providers(self, **query: Any) -> ResourceList[ResourceProvider]:
        """List providers: ``name``, ``id``/``uuid``, ``member_of`` (aggregate uuids,
        ``in:a,b``), ``resources`` (``VCPU:2,MEMORY_MB:512``: those with room),
        ``in_tree``, ``required`` (traits)."""
        return self._list(ResourceProvider, **query)

    def get_resource_provider(self, resource_provider: str | ResourceProvider
                              ) -> ResourceProvider:
        return self._get(ResourceProvider, resource_provider)

    def find_resource_provider(self, name_or_id: str, ignore_missing: bool = False
                               ) -> ResourceProvider | None:
        """By uuid, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(ResourceProvider, name_or_id, ignore_missing=ignore_missing)

    def create_resource_provider(self, **attrs: Any) -> ResourceProvider:
        """Create a provider: ``name``, and optionally ``id`` and ``parent_provider_id``."""
        return self._create(ResourceProvider, **attrs)

    def update_resource_provider(self, resource_provider: str | ResourceProvider,
                                 **attrs: Any) -> ResourceProvider:
        """Rename or re-parent a provider (placement wants ``name`` in every update)."""
        return self._update(ResourceProvider, resource_provider, **attrs)

    def delete_resource_provider(self, resource_provider: str | ResourceProvider,
                                 ignore_missing: bool = True) -> None:
        self._delete(ResourceProvider, resource_provider, ignore_missing=ignore_missing)

    # -- inventories ----------------------------------------------------------------------
    def resource_provider_inventories(self, resource_provider: str | ResourceProvider
                                      ) -> ResourceList[Inventory]:
        """One record per resource class the provider has inventory of."""
        return self._list(Inventory, resource_provider_id=resource_provider)

    def get_resource_provider_inventory(self, resource_provider_inventory: str | Inventory,
                                        resource_provider: str | ResourceProvider | None = None
                                        ) -> Inventory:
        """One inventory: by instance, or by resource class and ``resource_provider``."""
        return self._get(Inventory, resource_provider_inventory,
                         **_provider_uri(resource_provider))

    def create_resource_provider_inventory(self, resource_provider: str | ResourceProvider,
                                           resource_class: str, *, total: int,
                                           **attrs: Any) -> Inventory:
        """Add one resource class: ``total``, and ``reserved``, ``min_unit``, ``max_unit``,
        ``step_size``, ``allocation_ratio``."""
        return self._create(Inventory, resource_provider_id=_id(resource_provider),
                            resource_class=resource_class, total=total, **attrs)

    def update_resource_provider_inventory(
            self, resource_provider_inventory: str | Inventory,
            resource_provider: str | ResourceProvider | None = None, *,
            resource_provider_generation: int | None = None, **attrs: Any) -> Inventory:
        """Replace one inventory (``total`` is required by placement); the generation
        defaults to the one the inventory was read with."""
        if resource_provider_generation is None:
            resource_provider_generation = getattr(resource_provider_inventory,
                                                   "resource_provider_generation", None)
        if resource_provider_generation is not None:
            attrs["resource_provider_generation"] = resource_provider_generation
        return self._update(Inventory, resource_provider_inventory,
                            **_provider_uri(resource_provider, by_id=True), **attrs)

    def delete_resource_provider_inventory(self, resource_provider_inventory: str | Inventory,
                                           resource_provider: str | ResourceProvider | None
                                           = None, ignore_missing: bool = True) -> None:
        self._delete(Inventory, resource_provider_inventory, ignore_missing=ignore_missing,
                     **_provider_uri(resource_provider))

    # -- usages ---------------------------------------------------------------------------
    def resource_provider_usages(self, resource_provider: str | ResourceProvider
                                 ) -> ResourceList[ResourceProviderUsage]:
        """One record per resource class: ``usage``, the amount allocated."""
        return self._list(ResourceProviderUsage, resource_provider_id=resource_provider)


def _id(value: Any) -> Any:
    return getattr(value, "id", value)


def _provider_uri(resource_provider: Any, by_id: bool = False) -> dict[str, Any]:
    """``resource_provider_id`` for the URL, when given (an instance carries its own)."""
    if resource_provider is None:
        return {}
    return {"resource_provider_id": _id(resource_provider) if by_id else resource_provider}
