"""BGP dynamic routing: speakers and their peers (Neutron ``/bgp-speakers``,
``/bgp-peers``, admin)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["BgpPeer", "BgpSpeaker"]


class BgpSpeaker(Resource):
    """A bgp speaker (Neutron ``/bgp-speakers``)."""

    resource_key = "bgp_speaker"
    resources_key = "bgp_speakers"
    base_path = "/bgp-speakers"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query()

    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    ip_version: Any = prop("ip_version")
    advertise_floating_ip_host_routes: Any = prop("advertise_floating_ip_host_routes")
    advertise_tenant_networks: Any = prop("advertise_tenant_networks")
    local_as: Any = prop("local_as")
    networks: list | None = prop("networks")
    peers: list | None = prop("peers")

    def _put(self, session: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._action(session, body, path=path, method="PUT")
        result: dict[str, Any] = response.json() if response.content else {}
        return result

    def add_bgp_peer(self, session: Any, peer_id: str) -> dict[str, Any]:
        return self._put(session, "add_bgp_peer", {"bgp_peer_id": peer_id})

    def remove_bgp_peer(self, session: Any, peer_id: str) -> None:
        self._put(session, "remove_bgp_peer", {"bgp_peer_id": peer_id})

    def add_gateway_network(self, session: Any, network_id: str) -> dict[str, Any]:
        return self._put(session, "add_gateway_network", {"network_id": network_id})

    def remove_gateway_network(self, session: Any, network_id: str) -> None:
        self._put(session, "remove_gateway_network", {"network_id": network_id})

    def _get_sub(self, session: Any, path: str) -> dict[str, Any]:
        result: dict[str, Any] = session.request(
            f"{self._item_path()}/{path}", "GET", **self._request_args(session)).json()
        return result

    def get_advertised_routes(self, session: Any) -> dict[str, Any]:
        """``{"advertised_routes": [{"cidr", "nexthop"}…]}``."""
        return self._get_sub(session, "get_advertised_routes")

    def get_bgp_dragents(self, session: Any) -> dict[str, Any]:
        """``{"agents": [...]}``: the dragents hosting the speaker."""
        return self._get_sub(session, "bgp-dragents")


class BgpPeer(Resource):
    """A bgp peer (Neutron ``/bgp-peers``)."""

    resource_key = "bgp_peer"
    resources_key = "bgp_peers"
    base_path = "/bgp-peers"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query()

    name: str | None = prop("name")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    auth_type: Any = prop("auth_type")
    remote_as: Any = prop("remote_as")
    peer_ip: Any = prop("peer_ip")
    password: str | None = prop("password", secret=True, request_only=True)
