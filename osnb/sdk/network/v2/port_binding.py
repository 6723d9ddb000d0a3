"""Port bindings: a port's host binding and the inactive ones a live migration prepares
(Neutron ``/ports/{port_id}/bindings``, admin)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["PortBinding"]


class PortBinding(Resource):
    """A binding of ``port_id`` to ``host``; ``status`` ``ACTIVE`` or ``INACTIVE``."""

    resource_key = "binding"
    resources_key = "bindings"
    base_path = "/ports/%(port_id)s/bindings"
    service = "network"
    allow_create = allow_delete = allow_list = True
    query = Query("host", "vif_type", "vnic_type", "status")

    port_id: str | None = uri("port_id")
    host: str | None = prop("host", alternate_id=True)
    status: str | None = prop("status")
    vif_type: str | None = prop("vif_type")
    vnic_type: str | None = prop("vnic_type")
    profile: dict | None = prop("profile")
    vif_details: dict | None = prop("vif_details")

    def activate(self, session: Any) -> PortBinding:
        """Make this binding the port's active one (the old one turns inactive)."""
        self._absorb(self._action(session, {}, path="activate", method="PUT"), session)
        return self
