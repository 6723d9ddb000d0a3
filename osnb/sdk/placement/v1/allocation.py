"""A consumer's allocations (``/allocations/{consumer_uuid}``), and several consumers'
at once (``POST /allocations``)."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop

__all__ = ["Allocation"]


class Allocation(Resource):
    """What one consumer (a server, a migration) holds; ``id`` is the consumer's uuid.

    ``allocations`` maps provider uuids to ``{"resources": {class: amount}}`` (and the
    provider's ``generation`` when read). A write replaces them all and names the
    consumer's generation (``None`` for a new consumer; a stale one is a 409 Conflict);
    placement refuses what a provider's inventory cannot hold (409).
    """

    base_path = "/allocations"
    service = "placement"
    allow_retrieve = allow_update = allow_delete = True
    commit_sends_all = True  # the PUT replaces the consumer's allocations
    max_microversion = "1.38"

    allocations: dict | None = prop("allocations")
    consumer_generation: int | None = prop("consumer_generation")
    consumer_type: str | None = prop("consumer_type")
    project_id: str | None = prop("project_id")
    user_id: str | None = prop("user_id")

    @classmethod
    def set(cls, session: Any, allocations: dict[str, dict[str, Any]]) -> None:
        """Replace the allocations of several consumers in one atomic request (all or
        nothing): ``{consumer: {"allocations": …, "project_id": …, "user_id": …,
        "consumer_generation": …, "consumer_type": …}}``."""
        session.post(cls.base_path, json=allocations, **cls._request_args(session))
