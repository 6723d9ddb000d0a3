"""Port forwardings: a floating IP's external port sent to a port's fixed IP (Neutron
``/floatingips/{id}/port_forwardings``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["PortForwarding"]


class PortForwarding(Resource):
    """``external_port`` of the floating IP to ``internal_ip_address``:``internal_port`` of
    ``internal_port_id``, for one ``protocol``."""

    resource_key = "port_forwarding"
    resources_key = "port_forwardings"
    base_path = "/floatingips/%(floatingip_id)s/port_forwardings"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("fields", "internal_port_id", "external_port", "protocol", "sort_key",
                  "sort_dir")

    floatingip_id: str | None = uri("floatingip_id")
    internal_port_id: str | None = prop("internal_port_id")
    internal_ip_address: str | None = prop("internal_ip_address")
    internal_port: int | None = prop("internal_port")
    external_port: int | None = prop("external_port")
    internal_port_range: str | None = prop("internal_port_range")
    external_port_range: str | None = prop("external_port_range")
    protocol: str | None = prop("protocol")
    description: str | None = prop("description")
