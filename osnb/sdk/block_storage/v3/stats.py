"""Backend pools and their capacity (Cinder ``/scheduler-stats/get_pools``), admin only."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["Pool"]


class Pool(Resource):
    """A scheduler pool (``host@backend#pool``); ``capabilities`` holds its capacity."""

    resources_key = "pools"
    base_path = "/scheduler-stats/get_pools?detail=true"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    capabilities: dict | None = prop("capabilities")
