"""``conn.placement``: the Placement v1 proxy, negotiating microversions per resource."""

from __future__ import annotations

from typing import Any

from ...proxy import Proxy as _BaseProxy
from ...resource_list import ResourceList
from .allocation import Allocation
from .allocation_candidate import AllocationCandidate
from .inventory_cache import InventoryCache
from .resource_class import ResourceClass
from .resource_provider import ResourceProvider
from .resource_provider_allocation import ResourceProviderAllocation
from .resource_provider_inventory import ResourceProviderInventory
from .resource_provider_trait import ResourceProviderTrait
from .resource_provider_usage import ResourceProviderUsage
from .trait import Trait
from .usage import Usage

__all__ = ["Proxy"]

Inventory = ResourceProviderInventory


class Proxy(_BaseProxy):
    """Placement API: resource providers and their inventories, traits, aggregates and
    allocations; consumers' allocations, usages, resource classes, traits, allocation
    candidates."""

    service_type = "placement"
    api_version = "1"

    def __init__(self, session: Any, **kwargs: Any) -> None:
        super().__init__(session, **kwargs)
        self.inventory_cache = InventoryCache()
        """Inventories by provider, with the generation they were read at
        (:meth:`resource_provider_inventories_by_class`)."""

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

    def resource_provider_inventories_by_class(
            self, resource_provider: str | ResourceProvider, *, refresh: bool = False
    ) -> dict[str, Inventory]:
        """The provider's inventories by resource class, read again only when
        ``resource_provider`` (as just listed) shows another generation than the one they
        were read at (:attr:`inventory_cache`; every inventory write bumps it), or with
        ``refresh``."""
        ident, listed = _id(resource_provider), getattr(resource_provider, "generation", None)
        kept = None if refresh else self.inventory_cache.get(ident, listed)
        if kept is not None:
            return kept
        found = {str(i.resource_class): i for i in self.resource_provider_inventories(ident)}
        read_at = next((i.resource_provider_generation for i in found.values()
                        if isinstance(i.resource_provider_generation, int)), listed)
        self.inventory_cache.put(ident, read_at, found)
        return found

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


    def fetch_resource_provider_usages(self, resource_provider: str | ResourceProvider
                                       ) -> ResourceProvider:
        """The provider with ``usages`` (class → amount allocated) read."""
        return self._resource(ResourceProvider, resource_provider).fetch_usages(self)

    def usages(self, project_id: str, user_id: str | None = None,
               consumer_type: str | None = None) -> ResourceList[Usage]:
        """What a project's (or one user's) consumers hold, one record per consumer type
        (``consumer_type``: one type, ``all`` or ``unknown``)."""
        query = {k: v for k, v in (("user_id", user_id), ("consumer_type", consumer_type))
                 if v is not None}
        return self._list(Usage, project_id=project_id, **query)

    # -- inventories of a whole provider --------------------------------------------------
    def set_resource_provider_inventories(self, resource_provider: str | ResourceProvider,
                                          inventories: dict[str, dict[str, Any]],
                                          resource_provider_generation: int
                                          ) -> ResourceProvider:
        """Replace every inventory of the provider (classes left out go away)."""
        return self._resource(ResourceProvider, resource_provider).set_inventories(
            self, inventories, resource_provider_generation)

    def delete_resource_provider_inventories(self, resource_provider: str | ResourceProvider
                                             ) -> None:
        """Remove every inventory of the provider (409 while allocations use one)."""
        self._resource(ResourceProvider, resource_provider).delete_inventories(self)

    # -- aggregates and traits of a provider ----------------------------------------------
    def fetch_resource_provider_aggregates(self, resource_provider: str | ResourceProvider
                                           ) -> ResourceProvider:
        """The provider with ``aggregates`` (uuids) and its generation read."""
        return self._resource(ResourceProvider, resource_provider).fetch_aggregates(self)

    def get_resource_provider_aggregates(self, resource_provider: str | ResourceProvider
                                         ) -> ResourceProvider:
        """Same as :meth:`fetch_resource_provider_aggregates`."""
        return self.fetch_resource_provider_aggregates(resource_provider)

    def set_resource_provider_aggregates(self, resource_provider: str | ResourceProvider,
                                         *aggregates: str) -> ResourceProvider:
        """Replace the provider's aggregates (with its generation: the instance's, else
        read first)."""
        return self._resource(ResourceProvider, resource_provider).set_aggregates(
            self, list(aggregates))

    def get_resource_provider_trait(self, resource_provider: str | ResourceProvider
                                    ) -> ResourceProviderTrait:
        """The provider's traits and generation."""
        return self._get(ResourceProviderTrait, resource_provider_id=_id(resource_provider))

    def set_resource_provider_trait(self, resource_provider_trait: ResourceProviderTrait,
                                    **attrs: Any) -> ResourceProviderTrait:
        """Replace the provider's traits (``traits=[…]``), naming the generation the
        instance was read with (409 when stale)."""
        return self._update(ResourceProviderTrait, resource_provider_trait, **attrs)

    def delete_resource_provider_trait(self, resource_provider: str | ResourceProvider,
                                       ignore_missing: bool = True) -> None:
        """Remove every trait of the provider."""
        self._delete(ResourceProviderTrait, None, ignore_missing=ignore_missing,
                     resource_provider_id=_id(resource_provider))

    # -- allocations ----------------------------------------------------------------------
    def resource_provider_allocations(self, resource_provider: str | ResourceProvider
                                      ) -> ResourceList[ResourceProviderAllocation]:
        """One record per consumer holding something on the provider."""
        return self._list(ResourceProviderAllocation,
                          resource_provider_id=_id(resource_provider))

    def get_allocation(self, consumer: str | Allocation) -> Allocation:
        """What a consumer holds (``allocations`` empty when nothing)."""
        return self._get(Allocation, consumer)

    def update_allocation(self, consumer: str | Allocation, **attrs: Any) -> Allocation:
        """Replace what a consumer holds: ``allocations``, ``project_id``, ``user_id``,
        ``consumer_generation`` (None for a new consumer), ``consumer_type``."""
        return self._update(Allocation, consumer, **attrs)

    def create_allocations(self, allocations: dict[str, dict[str, Any]]) -> None:
        """Replace several consumers' allocations at once, all or nothing."""
        Allocation.set(self, allocations)

    def delete_allocation(self, consumer: str | Allocation, ignore_missing: bool = True
                          ) -> None:
        """Remove everything a consumer holds."""
        self._delete(Allocation, consumer, ignore_missing=ignore_missing)

    def allocation_candidates(self, **query: Any) -> ResourceList[AllocationCandidate]:
        """Where ``resources=VCPU:1,MEMORY_MB:512`` (and ``required``, ``member_of``,
        ``in_tree``, numbered groups with ``group_policy``, ``limit``) could be placed."""
        return self._list(AllocationCandidate, **query)

    def allocation_candidate_summaries(self, **query: Any) -> dict[str, Any]:
        """The ``provider_summaries`` of :meth:`allocation_candidates`, whole, by provider
        uuid: ``resources`` (class → ``capacity`` and ``used``; every class the provider
        has from 1.27, the requested ones before), ``traits`` (1.17), parent and root
        (1.29, and then every provider of each candidate's tree). What is allocated on
        every provider with room for ``resources``, in one request."""
        return AllocationCandidate.summaries(self, **query)

    # -- resource classes -----------------------------------------------------------------
    def resource_classes(self, **query: Any) -> ResourceList[ResourceClass]:
        """The standard resource classes and the custom ones made."""
        return self._list(ResourceClass, **query)

    def get_resource_class(self, resource_class: str | ResourceClass) -> ResourceClass:
        return self._get(ResourceClass, resource_class)

    def create_resource_class(self, **attrs: Any) -> ResourceClass:
        """Make a custom class: ``name="CUSTOM_…"`` (409 if it exists)."""
        return self._create(ResourceClass, **attrs)

    def update_resource_class(self, resource_class: str | ResourceClass, **attrs: Any
                              ) -> ResourceClass:
        """Rename a custom class (``name=``)."""
        return self._update(ResourceClass, resource_class, **attrs)

    def delete_resource_class(self, resource_class: str | ResourceClass,
                              ignore_missing: bool = True) -> None:
        """Delete a custom class no inventory has (409 otherwise)."""
        self._delete(ResourceClass, resource_class, ignore_missing=ignore_missing)

    # -- traits ---------------------------------------------------------------------------
    def traits(self, **query: Any) -> ResourceList[Trait]:
        """Every trait: ``name="in:A,B"`` or ``"startswith:CUSTOM_"``, ``associated``."""
        return self._list(Trait, **query)

    def get_trait(self, trait: str | Trait) -> Trait:
        """The trait if it exists (NotFound otherwise)."""
        return self._get(Trait, trait)

    def create_trait(self, name: str) -> Trait:
        """Make custom trait ``name`` (``CUSTOM_…``); one that exists is kept."""
        return self._create(Trait, name=name)

    def delete_trait(self, trait: str | Trait, ignore_missing: bool = True) -> None:
        """Delete a custom trait no provider carries (409 otherwise)."""
        self._delete(Trait, trait, ignore_missing=ignore_missing)


def _id(value: Any) -> Any:
    return getattr(value, "id", value)


def _provider_uri(resource_provider: Any, by_id: bool = False) -> dict[str, Any]:
    """``resource_provider_id`` for the URL, when given (an instance carries its own)."""
    if resource_provider is None:
        return {}
    return {"resource_provider_id": _id(resource_provider) if by_id else resource_provider}
