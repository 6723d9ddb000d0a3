"""Subnet pools and address scopes: where self-service subnets get their CIDRs (Neutron
``/subnetpools``, ``/address-scopes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop
from ._base import TAG_QUERY
from ._tag import TagMixin

__all__ = ["AddressScope", "SubnetPool"]


class SubnetPool(TagMixin, Resource):
    """Prefixes a subnet takes a block of (``subnetpool_id`` or ``use_default_subnetpool``
    on a subnet create), within the prefix length bounds."""

    resource_key = "subnetpool"
    resources_key = "subnetpools"
    base_path = "/subnetpools"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("address_scope_id", "description", "fields", "id", "ip_version",
                  "is_default", "name", "project_id", "tenant_id", "revision_number",
                  "sort_key", "sort_dir", is_shared="shared", **TAG_QUERY)

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    prefixes: list[str] | None = prop("prefixes")
    ip_version: int | None = prop("ip_version")
    minimum_prefix_length: int | None = prop("min_prefixlen", type=int)
    default_prefix_length: int | None = prop("default_prefixlen", type=int)
    maximum_prefix_length: int | None = prop("max_prefixlen", type=int)
    default_quota: int | None = prop("default_quota")
    is_default: bool | None = prop("is_default")
    is_shared: bool | None = prop("shared")
    address_scope_id: str | None = prop("address_scope_id")
    tags: list[str] | None = prop("tags")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def add_prefixes(self, session: Any, prefixes: list[str]) -> list[str]:
        """Grow the pool; the prefixes it then holds (collapsed)."""
        result: list[str] = self._action(session, {"prefixes": list(prefixes)},
                                         path="add_prefixes", method="PUT").json()["prefixes"]
        self._body["prefixes"] = result
        return result

    def remove_prefixes(self, session: Any, prefixes: list[str]) -> list[str]:
        """Shrink the pool (409 while a subnet uses what would go)."""
        result: list[str] = self._action(session, {"prefixes": list(prefixes)},
                                         path="remove_prefixes", method="PUT").json()["prefixes"]
        self._body["prefixes"] = result
        return result

    def subnet_onboard(self, session: Any, network_id: str) -> list[dict[str, str]]:
        """Move ``network_id``'s subnets of the pool's IP version into the pool; the
        subnets onboarded (``id``, ``cidr``)."""
        result: list[dict[str, str]] = self._action(
            session, {"network_id": network_id}, path="onboard_network_subnets",
            method="PUT").json()
        return result


class AddressScope(Resource):
    """A routing domain: the subnets of its pools never overlap."""

    resource_key = "address_scope"
    resources_key = "address_scopes"
    base_path = "/address-scopes"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("fields", "id", "name", "ip_version", "project_id", "tenant_id",
                  "sort_key", "sort_dir", is_shared="shared")

    name: str | None = prop("name")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    ip_version: int | None = prop("ip_version")
    is_shared: bool | None = prop("shared")
