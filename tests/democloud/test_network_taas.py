"""Tap as a service in the demo cloud over HTTP: tap services on a project's port, flows
mirrored into them (deleted with their service), mirrors to a remote collector with
unique tunnel ids."""

from __future__ import annotations

import pytest

from osnb import democloud

from .test_network import Api

T = "/taas"


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


def test_tap_lifecycle(member: Api, admin: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "osnb-taas"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.234.0.0/24"}}, expect=201)
    sink, source = (member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                                expect=201)["port"] for _ in range(2))
    service = member.call("POST", f"{T}/tap_services", {"tap_service": {
        "name": "ids", "port_id": sink["id"]}}, expect=201)["tap_service"]
    assert service["status"] == "DOWN"  # its port is not bound to anything yet
    member.error("POST", f"{T}/tap_services", {"tap_service": {"port_id": sink["id"]}}, 409,
                 "TapServicePortInUse")
    flow = member.call("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": source["id"], "direction": "IN",
        "vlan_filter": "9,18,27-36"}}, expect=201)["tap_flow"]
    member.error("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": sink["id"], "direction": "IN"}},
        400, "InvalidInput")
    member.error("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": source["id"], "direction": "UP"}},
        400, "HTTPBadRequest")
    member.error("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": source["id"], "direction": "IN",
        "vlan_filter": "5000"}}, 400, "InvalidVLANFilter")
    foreign = next(p for p in admin.get("/ports")["ports"]
                   if p["project_id"] and p["project_id"] != net["project_id"])
    # a flow is made in its service's project; TaaS checks no source port's project
    admin.error("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": source["id"], "direction": "IN"}},
        403, "TapServiceNotBelongToTenant")
    member.error("POST", f"{T}/tap_flows", {"tap_flow": {
        "tap_service_id": service["id"], "source_port": foreign["id"], "direction": "IN"}},
        404, "PortNotFound")
    mirrored = admin.call("POST", f"{T}/tap_flows", {"tap_flow": {
        "project_id": net["project_id"], "tap_service_id": service["id"],
        "source_port": foreign["id"], "direction": "IN"}}, expect=201)["tap_flow"]
    assert mirrored["tenant_id"] == net["project_id"]
    member.call("DELETE", f"{T}/tap_services/{service['id']}", expect=204)
    member.error("GET", f"{T}/tap_flows/{flow['id']}", None, 404, "TapFlowNotFound")
    mirror = member.call("POST", f"{T}/tap_mirrors", {"tap_mirror": {
        "port_id": source["id"], "directions": {"IN": 7, "OUT": 8},
        "remote_ip": "198.51.100.7", "mirror_type": "gre"}}, expect=201)["tap_mirror"]
    member.error("POST", f"{T}/tap_mirrors", {"tap_mirror": {
        "port_id": sink["id"], "directions": {"OUT": 7}, "remote_ip": "198.51.100.7",
        "mirror_type": "gre"}}, 409, "TapMirrorTunnelConflict")
    member.error("POST", f"{T}/tap_mirrors", {"tap_mirror": {
        "port_id": sink["id"], "directions": {"SIDEWAYS": 9}, "remote_ip": "198.51.100.7",
        "mirror_type": "gre"}}, 400, "HTTPBadRequest")
    member.error("PUT", f"{T}/tap_mirrors/{mirror['id']}", {"tap_mirror": {
        "remote_ip": "198.51.100.8"}}, 400, "HTTPBadRequest")
    member.call("DELETE", f"{T}/tap_mirrors/{mirror['id']}", expect=204)
    for port in (sink, source):
        member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)
