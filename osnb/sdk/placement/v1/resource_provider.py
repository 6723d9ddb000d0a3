"""Resource providers: what placement allocates from (``/resource_providers``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["ResourceProvider"]


class ResourceProvider(Resource):
    """A provider of resources (a compute node, a NUMA cell, a pool); ``id`` is its uuid.

    Filters need microversions: ``member_of`` 1.3, ``resources`` 1.4, ``in_tree`` 1.14,
    ``required`` 1.18 (``!TRAIT`` 1.22).
    """

    resources_key = "resource_providers"
    base_path = "/resource_providers"
    service = "placement"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    max_microversion = "1.39"
    query = Query("name", "member_of", "resources", "in_tree", "required", id="uuid")

    id: str | None = prop("uuid", alternate_id=True)
    generation: int | None = prop("generation")
    parent_provider_id: str | None = prop("parent_provider_uuid")
    root_provider_id: str | None = prop("root_provider_uuid")
    links: list[dict] | None = prop("links")
    aggregates: list[str] | None = prop("aggregates")
    usages: dict | None = prop("usages")

    def _part(self, session: Any, part: str, method: str = "GET", body: Any = None) -> Any:
        """A provider's part (``aggregates``, ``usages``, ``inventories``): its answer,
        with the provider's generation taken from it."""
        response = session.request(f"{self._item_path()}/{part}", method, json=body,
                                   **self._request_args(session))
        answer = response.json() if response.content else {}
        if "resource_provider_generation" in answer:
            self._body["generation"] = answer["resource_provider_generation"]
        return answer

    def fetch_aggregates(self, session: Any) -> ResourceProvider:
        """Read the aggregates (uuids) the provider is in into ``aggregates``."""
        self._body["aggregates"] = self._part(session, "aggregates")["aggregates"]
        return self

    def set_aggregates(self, session: Any, aggregates: list[str]) -> ResourceProvider:
        """Replace the provider's aggregates, naming its generation (a stale one is a
        409; read it first when not known)."""
        if self.generation is None:
            self.fetch_aggregates(session)
        body = {"aggregates": list(aggregates), "resource_provider_generation": self.generation}
        self._body["aggregates"] = self._part(session, "aggregates", "PUT", body)["aggregates"]
        return self

    def fetch_usages(self, session: Any) -> ResourceProvider:
        """Read what is allocated of each class into ``usages``."""
        self._body["usages"] = self._part(session, "usages")["usages"]
        return self

    def set_inventories(self, session: Any, inventories: dict[str, dict[str, Any]],
                        resource_provider_generation: int) -> ResourceProvider:
        """Replace every inventory of the provider at once."""
        self._part(session, "inventories", "PUT", {
            "inventories": inventories,
            "resource_provider_generation": resource_provider_generation})
        return self

    def delete_inventories(self, session: Any) -> None:
        """Remove every inventory (refused while allocations use one)."""
        self._part(session, "inventories", "DELETE")
