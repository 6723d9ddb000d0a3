"""The volumes' summary (Cinder ``/volumes/summary``, microversion 3.12)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["BlockStorageSummary"]


class BlockStorageSummary(Resource):
    """Count and total size of the volumes one sees, and the values of their metadata
    keys (3.36)."""

    resource_key = "volume-summary"
    base_path = "/volumes/summary"
    service = "block-storage"
    allow_retrieve = True
    requires_id = False
    min_microversion = "3.12"
    max_microversion = "3.36"
    query = Query(all_projects="all_tenants")

    total_size: int | None = prop("total_size")
    total_count: int | None = prop("total_count")
    metadata: dict | None = prop("metadata")
