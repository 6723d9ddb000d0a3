"""BGPVPN in the demo cloud over HTTP: an admin makes a VPN for a project, the project
associates its networks, routers and ports; the VPN shows them; duplicates and l2
routers refused; a VPN's deletion takes its associations."""

from __future__ import annotations

import uuid

import pytest

from osnb import democloud

from .test_network import Api

B = "/bgpvpn/bgpvpns"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_vpn_for_a_project(admin: Api, member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "osnb-bgpvpn-net"}},
                      expect=201)["network"]
    router = member.call("POST", "/routers", {"router": {"name": "osnb-bgpvpn-r"}},
                         expect=201)["router"]
    member.error("POST", B, {"bgpvpn": {"name": "mine"}}, 403, "PolicyNotAuthorized")
    vpn = admin.call("POST", B, {"bgpvpn": {
        "name": "osnb-vpn", "project_id": net["project_id"], "route_targets": "64512:1",
        "route_distinguishers": ["10.0.0.1:5"]}}, expect=201)["bgpvpn"]
    assert vpn["route_targets"] == ["64512:1"] and vpn["type"] == "l3"
    admin.error("POST", B, {"bgpvpn": {"route_targets": ["nonsense"]}}, 400,
                "HTTPBadRequest")
    url = f"{B}/{vpn['id']}"
    assoc = member.call("POST", url + "/network_associations", {"network_association": {
        "network_id": net["id"]}}, expect=201)["network_association"]
    assert assoc["project_id"] == net["project_id"]
    member.error("POST", url + "/network_associations", {"network_association": {
        "network_id": net["id"]}}, 409, "BGPVPNNetworkAssocAlreadyExists")
    member.error("POST", url + "/network_associations", {"network_association": {
        "network_id": str(uuid.uuid4())}}, 404, "NetworkNotFound")
    member.call("POST", url + "/router_associations", {"router_association": {
        "router_id": router["id"]}}, expect=201)
    got = member.get(url)["bgpvpn"]
    assert got["networks"] == [net["id"]] and got["routers"] == [router["id"]]
    member.error("PUT", url, {"bgpvpn": {"route_targets": ["1:1"]}}, 403,
                 "PolicyNotAuthorized")
    member.error("GET", f"{url}/network_associations/{uuid.uuid4()}", None, 404,
                 "NetworkAssociationNotFound")
    l2 = admin.call("POST", B, {"bgpvpn": {"type": "l2", "project_id": net["project_id"]}},
                    expect=201)["bgpvpn"]
    member.error("POST", f"{B}/{l2['id']}/router_associations", {"router_association": {
        "router_id": router["id"]}}, 400, "BGPVPNRouterAssociationNotSupported")
    admin.call("DELETE", url, expect=204)
    admin.call("DELETE", f"{B}/{l2['id']}", expect=204)
    admin.error("GET", f"{url}/network_associations/{assoc['id']}", None, 404,
                "BgpvpnNotFound")
    member.call("DELETE", f"/routers/{router['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_port_association_routes(admin: Api) -> None:
    vpn = admin.get(B)["bgpvpns"][0]
    port = admin.get(f"{B}/{vpn['id']}/port_associations")["port_associations"][0]
    url = f"{B}/{vpn['id']}/port_associations/{port['id']}"
    got = admin.call("PUT", url, {"port_association": {"routes": [
        {"type": "bgpvpn", "bgpvpn_id": vpn["id"], "local_pref": 111}],
        "advertise_fixed_ips": False}}, expect=200)["port_association"]
    assert got["routes"][0]["type"] == "bgpvpn" and got["advertise_fixed_ips"] is False
    admin.error("PUT", url, {"port_association": {"routes": [{"type": "odd"}]}}, 400,
                "HTTPBadRequest")
    admin.error("PUT", url, {"port_association": {"port_id": port["port_id"]}}, 400,
                "HTTPBadRequest")
    admin.call("PUT", url, {"port_association": {  # as seeded, for the tests that follow
        "routes": port["routes"], "advertise_fixed_ips": port["advertise_fixed_ips"]}},
        expect=200)
