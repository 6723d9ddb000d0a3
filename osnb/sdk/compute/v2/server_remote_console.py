"""Remote consoles of a server (Nova ``/servers/{id}/remote-consoles``, 2.6+) and what
their tokens connect to (``/os-console-auth-tokens/{token}``, admin)."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["ConsoleAuthToken", "ServerRemoteConsole"]


class ServerRemoteConsole(Resource):
    """A console URL for a server: ``protocol`` (vnc, spice, serial, rdp, mks) and
    ``type`` (novnc, spice-html5, serial, …)."""

    resource_key = "remote_console"
    base_path = "/servers/%(server_id)s/remote-consoles"
    service = "compute"
    allow_create = True
    min_microversion = "2.6"
    max_microversion = "2.99"

    server_id: str | None = uri("server_id")
    protocol: str | None = prop("protocol")
    type: str | None = prop("type")
    url: str | None = prop("url")


class ConsoleAuthToken(Resource):
    """Where a console token leads: the server and the hypervisor's console endpoint."""

    resource_key = "console"
    base_path = "/os-console-auth-tokens"
    service = "compute"
    allow_retrieve = True
    min_microversion = "2.31"
    max_microversion = "2.99"

    instance_uuid: str | None = prop("instance_uuid")
    host: str | None = prop("host")
    port: int | None = prop("port")
    tls_port: int | None = prop("tls_port")
    internal_access_path: str | None = prop("internal_access_path")
