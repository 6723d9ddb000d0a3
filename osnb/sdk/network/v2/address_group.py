"""Address groups: named sets of CIDRs a security group rule may take as its remote
(Neutron ``/address-groups``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["AddressGroup"]


class AddressGroup(Resource):
    """A project's ``addresses``, changed whole or by :meth:`add_addresses` /
    :meth:`remove_addresses`."""

    resource_key = "address_group"
    resources_key = "address_groups"
    base_path = "/address-groups"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "project_id", "fields", "sort_key", "sort_dir")

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    addresses: list[str] | None = prop("addresses")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def add_addresses(self, session: Any, addresses: Iterable[str]) -> AddressGroup:
        """Add CIDRs (a 400 when one is there already)."""
        self._absorb(self._action(session, {"addresses": list(addresses)},
                                  path="add_addresses", method="PUT"), session)
        return self

    def remove_addresses(self, session: Any, addresses: Iterable[str]) -> AddressGroup:
        """Remove CIDRs (a 404 when one is not there)."""
        self._absorb(self._action(session, {"addresses": list(addresses)},
                                  path="remove_addresses", method="PUT"), session)
        return self
