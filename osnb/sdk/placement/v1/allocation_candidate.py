"""Allocation candidates: where a request for resources could be placed
(``/allocation_candidates``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ... import exceptions as exc
from ...resource import Query, Records, Resource, _json, collector_paused, prop

__all__ = ["AllocationCandidate", "GroupedQuery"]

_GROUP = re.compile(r"^(resources|required|member_of|in_tree)[A-Za-z0-9_-]{1,64}$")


class GroupedQuery(Query):
    """The declared parameters, and numbered request groups of them (``resources1``,
    ``required_NET``…, microversion 1.25 on), whose names the caller makes up."""

    def transpose(self, owner: type, params: Mapping[str, Any]) -> dict[str, Any]:
        groups = [k for k in params if k not in self.mapping and _GROUP.match(k)]
        return Query(*self.mapping, *groups).transpose(owner, params)


class AllocationCandidate(Resource):
    """One way to satisfy the request: ``allocations`` to make (provider → resources),
    ``mappings`` (request group → providers, 1.34) and the ``provider_summaries`` of the
    providers it names (capacity, usage, traits).

    Query: ``resources`` (``VCPU:1,MEMORY_MB:512``), ``required`` (``A,!B``, ``in:A,B``),
    ``member_of``, ``in_tree``, ``limit``, numbered groups (``resources1``,
    ``required1``, …) with ``group_policy``, ``root_required``, ``same_subtree``.
    """

    base_path = "/allocation_candidates"
    # The list is ``allocation_requests`` beside the shared ``provider_summaries``: no
    # resources_key, _records joins them.
    service = "placement"
    allow_list = True
    max_microversion = "1.39"
    query = GroupedQuery("resources", "required", "member_of", "in_tree", "limit",
                         "group_policy", "root_required", "same_subtree")

    allocations: Any = prop("allocations")
    mappings: dict | None = prop("mappings")
    provider_summaries: dict | None = prop("provider_summaries")

    @classmethod
    def _records(cls, body: Any, response: Any) -> Records:
        """One record per allocation request, with the summaries of its providers."""
        requests = body.get("allocation_requests") if isinstance(body, dict) else None
        if not isinstance(requests, list):
            raise exc.InvalidResponse(f"AllocationCandidate list: the response from "
                                      f"{response.url} has no 'allocation_requests' list")
        summaries = body.get("provider_summaries") or {}
        out = []
        for request in requests:
            allocations = request.get("allocations") or {}
            named = set(allocations) if isinstance(allocations, dict) else {
                a["resource_provider"]["uuid"] for a in allocations}
            out.append({**request, "provider_summaries": {
                rp: summary for rp, summary in summaries.items() if rp in named}})
        return out

    @classmethod
    def summaries(cls, session: Any, **query: Any) -> dict[str, Any]:
        """The response's ``provider_summaries`` whole, keyed by provider uuid: every
        provider a candidate names and, from 1.29, every other provider of its tree."""
        response = session.request(cls.base_path, "GET", params=cls.query.transpose(
            cls, query), **cls._request_args(session))
        with collector_paused():
            body = _json(response)
        summaries = body.get("provider_summaries") if isinstance(body, dict) else None
        if not isinstance(summaries, dict):
            raise exc.InvalidResponse(f"AllocationCandidate summaries: the response from "
                                      f"{response.url} has no 'provider_summaries' object")
        return summaries
