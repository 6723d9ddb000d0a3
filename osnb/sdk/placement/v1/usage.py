"""A project's (or user's) usages, by consumer type (``GET /usages``)."""

from __future__ import annotations

from typing import Any

from ... import exceptions as exc
from ...resource import Query, Records, Resource, prop

__all__ = ["Usage"]


class Usage(Resource):
    """What the consumers of one type (``INSTANCE``, ``MIGRATION``, ``unknown``; from
    microversion 1.38) of a project hold in all: ``resources`` (class → amount) and
    ``consumer_count``. Before 1.38 placement sends one group without a type."""

    base_path = "/usages"
    # ``usages`` maps consumer types to their sums (before 1.38, classes to amounts): no
    # resources_key, _records takes it apart.
    service = "placement"
    allow_list = True
    max_microversion = "1.38"
    query = Query("project_id", "user_id", "consumer_type")

    consumer_type: str | None = prop("consumer_type")
    consumer_count: int | None = prop("consumer_count")
    resources: dict | None = prop("resources")

    @classmethod
    def _records(cls, body: Any, response: Any) -> Records:
        usages = body.get("usages") if isinstance(body, dict) else None
        if not isinstance(usages, dict):
            raise exc.InvalidResponse(f"Usage list: the response from {response.url} has "
                                      "no 'usages' mapping")
        if not all(isinstance(v, dict) for v in usages.values()):
            return [{"consumer_type": None, "consumer_count": None, "resources": usages}]
        return [{"consumer_type": kind, "consumer_count": group.get("consumer_count"),
                 "resources": {k: v for k, v in group.items() if k != "consumer_count"}}
                for kind, group in usages.items()]
