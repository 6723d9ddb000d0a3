"""Server interfaces: the ports attached to a server (Nova ``os-interface``)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ServerInterface"]


class ServerInterface(Resource):
    """A port attached to a server, addressed by the port's id."""

    resource_key = "interfaceAttachment"
    resources_key = "interfaceAttachments"
    base_path = "/servers/%(server_id)s/os-interface"
    service = "compute"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.70"

    server_id: str | None = uri("server_id")
    port_id: str | None = prop("port_id", alternate_id=True)
    net_id: str | None = prop("net_id")
    mac_addr: str | None = prop("mac_addr")
    port_state: str | None = prop("port_state")
    fixed_ips: list[dict] | None = prop("fixed_ips")
    tag: str | None = prop("tag")
