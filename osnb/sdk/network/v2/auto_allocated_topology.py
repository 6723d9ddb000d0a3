"""The auto-allocated topology: a project's network, subnet and router made on first ask
(Neutron ``/auto-allocated-topology/{project_id}``)."""

from __future__ import annotations

from typing import Any

from ...resource import Resource, prop

__all__ = ["AutoAllocatedTopology"]


class AutoAllocatedTopology(Resource):
    """The project's topology, known by its network's ``id``."""

    resource_key = "auto_allocated_topology"
    base_path = "/auto-allocated-topology"
    service = "network"
    allow_retrieve = allow_delete = True

    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")

    def validate(self, session: Any) -> AutoAllocatedTopology:
        """Neutron's dry run (``?fields=dry-run``): the answer's ``id`` is ``dry-run=pass``
        when the topology could be made (a default external network and a default subnet
        pool exist), and nothing is made; a missing requirement is Neutron's 409, raised as
        :class:`Conflict` (openstacksdk's ``ValidateTopology``)."""
        answer = session.request(self._item_path(), "GET", params={"fields": "dry-run"},
                                 **self._request_args(session)).json()
        self._body.update(answer.get(self.resource_key) or {})
        return self
