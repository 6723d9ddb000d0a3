"""The auto-allocated topology: a project's network, subnet and router made on first ask
(Neutron ``/auto-allocated-topology/{project_id}``)."""

from __future__ import annotations

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
