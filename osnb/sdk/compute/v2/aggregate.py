"""Host aggregates: named sets of hosts with metadata (Nova ``/os-aggregates``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Resource, prop

__all__ = ["Aggregate"]


class Aggregate(Resource):
    """A group of compute hosts; its metadata steers scheduling, its zone is an AZ."""

    resource_key = "aggregate"
    resources_key = "aggregates"
    base_path = "/os-aggregates"
    service = "compute"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.81"

    # Nova's integer id, the one its URLs take; ``uuid`` from 2.41.
    id: int | None = prop("id")  # type: ignore[assignment]
    uuid: str | None = prop("uuid")
    availability_zone: str | None = prop("availability_zone")
    hosts: list[str] | None = prop("hosts")
    metadata: dict | None = prop("metadata")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
    deleted_at: datetime | None = prop("deleted_at")
    is_deleted: bool | None = prop("deleted")

    def add_host(self, session: Any, host: str) -> Aggregate:
        self._absorb(self._action(session, {"add_host": {"host": host}}))
        return self

    def remove_host(self, session: Any, host: str) -> Aggregate:
        self._absorb(self._action(session, {"remove_host": {"host": host}}))
        return self

    def set_metadata(self, session: Any, metadata: dict[str, str | None]) -> Aggregate:
        """Merge ``metadata`` into the aggregate's; a None value removes that key."""
        self._absorb(self._action(session, {"set_metadata": {"metadata": metadata}}))
        return self

    def precache_images(self, session: Any, images: list[dict[str, str]]) -> None:
        """Ask the aggregate's hosts to cache ``images`` (``[{"id": …}]``, 2.81): Nova
        checks them with Glance, answers 202 and does the work on the hosts."""
        self._action(session, {"cache": images}, path="images")
