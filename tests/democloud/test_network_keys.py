"""The port and network keys Neutron's current api-ref documents beyond the core ones:
present on every record (the seeded world's too), settable where the API lets them be."""

from __future__ import annotations

import pytest

from osnb import democloud

from .test_network import Api

PORT_KEYS = {"data_plane_status", "dns_domain", "hardware_offload_type", "trusted",
             "pvlan_type", "pvlan_community"}
NETWORK_KEYS = {"qinq", "vlan_transparent", "pvlan"}


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_every_record_has_them(admin: Api) -> None:
    ports = admin.get("/ports")["ports"]
    assert ports and all(PORT_KEYS <= set(p) for p in ports)
    nets = admin.get("/networks")["networks"]
    assert all(NETWORK_KEYS <= set(n) and n["vlan_transparent"] is False for n in nets)
    aliases = {e["alias"] for e in admin.get("/extensions")["extensions"]}
    assert {"qinq", "vlan-transparent", "data-plane-status", "dns-domain-ports",
            "port-hardware-offload-type", "port-trusted-vif", "trunk", "qos",
            "rbac-policies"} <= aliases


def test_set_as_documented(admin: Api, member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {
        "name": "keys-net", "vlan_transparent": True, "qinq": "false"}},
        expect=201)["network"]
    assert net["vlan_transparent"] is True and net["qinq"] is False
    member.error("PUT", f"/networks/{net['id']}", {"network": {"vlan_transparent": False}},
                 400, "HTTPBadRequest")  # fixed at creation
    assert member.call("PUT", f"/networks/{net['id']}", {"network": {"pvlan": True}},
                       expect=200)["network"]["pvlan"] is True
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.252.0.0/24"}}, expect=201)
    port = member.call("POST", "/ports", {"port": {
        "network_id": net["id"], "dns_domain": "example.org.", "hardware_offload_type": "",
        "pvlan_type": "community", "pvlan_community": "community_1"}}, expect=201)["port"]
    assert port["dns_domain"] == "example.org." and port["pvlan_type"] == "community"
    assert port["trusted"] is None and port["data_plane_status"] is None
    member.error("POST", "/ports", {"port": {"network_id": net["id"], "trusted": True}}, 403,
                 "PolicyNotAuthorized")
    member.error("PUT", f"/ports/{port['id']}", {"port": {"data_plane_status": "DOWN"}}, 403,
                 "PolicyNotAuthorized")
    member.error("PUT", f"/ports/{port['id']}", {"port": {"hardware_offload_type": ""}}, 400,
                 "HTTPBadRequest")
    admin.error("PUT", f"/ports/{port['id']}", {"port": {"data_plane_status": "BROKEN"}}, 400,
                "HTTPBadRequest")
    changed = admin.call("PUT", f"/ports/{port['id']}", {"port": {
        "data_plane_status": "DOWN", "trusted": True}}, expect=200)["port"]
    assert changed["data_plane_status"] == "DOWN" and changed["trusted"] is True
    assert admin.get("/ports", data_plane_status="DOWN")["ports"][0]["id"] == port["id"]
    member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_subnets_say_whether_their_network_is_external(admin: Api) -> None:
    nets = {n["id"]: n for n in admin.get("/networks")["networks"]}
    subnets = admin.get("/subnets")["subnets"]
    assert all(s["router:external"] is nets[s["network_id"]]["router:external"]
               for s in subnets)
    public = admin.get("/subnets", name="public-subnet")["subnets"][0]
    assert public["router:external"] is True
    assert admin.get(f"/subnets/{public['id']}")["subnet"]["router:external"] is True
