"""Volume transfers (Cinder ``/volume-transfers``, microversion 3.55): one project offers
a volume, another accepts it with the auth key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Transfer"]


class Transfer(Resource):
    """A volume offered to another project. ``auth_key`` is in the create's answer only:
    hand it over with the id."""

    resource_key = "transfer"
    resources_key = "transfers"
    base_path = "/volume-transfers"
    service = "block-storage"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "3.55"
    max_microversion = "3.57"
    query = Query("name", "volume_id", all_projects="all_tenants")

    created_at: datetime | None = prop("created_at")
    volume_id: str | None = prop("volume_id")
    auth_key: str | None = prop("auth_key", secret=True)
    links: list | None = prop("links")
    no_snapshots: bool | None = prop("no_snapshots")
    is_accepted: bool | None = prop("accepted")
    source_project_id: str | None = prop("source_project_id")
    destination_project_id: str | None = prop("destination_project_id")

    def accept(self, session: Any, *, auth_key: str) -> Transfer:
        """Take the volume into the caller's project; returns the accepted transfer."""
        response = self._action(session, {"accept": {"auth_key": auth_key}}, path="accept")
        return Transfer._from_body(response.json()["transfer"], proxy=session)
