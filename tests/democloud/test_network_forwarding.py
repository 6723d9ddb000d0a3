"""Floating IP port forwardings, conntrack helpers, NDP proxies and floating IP pools in the
demo cloud over HTTP: the 409s that keep one external port per floating IP and protocol,
the floating IP's own view of its forwardings, and python-openstackclient driving them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api, _cli


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture(scope="module")
def public(member: Api) -> str:
    nets = member.get("/networks", **{"router:external": "true"})["networks"]
    return str(nets[0]["id"])


@pytest.fixture(scope="module")
def site(member: Api, public: str) -> Any:
    """A member's network behind a router on ``public``, two ports and a floating IP."""
    net = member.call("POST", "/networks", {"network": {"name": "pf-net"}},
                      expect=201)["network"]
    sub = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.251.0.0/24"}},
        expect=201)["subnet"]
    router = member.call("POST", "/routers", {"router": {
        "name": "pf-router", "external_gateway_info": {"network_id": public}}},
        expect=201)["router"]
    member.call("PUT", f"/routers/{router['id']}/add_router_interface",
                {"subnet_id": sub["id"]}, expect=200)
    ports = [member.call("POST", "/ports", {"port": {"network_id": net["id"],
                                                     "name": f"pf-{i}"}},
                         expect=201)["port"] for i in range(2)]
    fip = member.call("POST", "/floatingips", {"floatingip": {
        "floating_network_id": public}}, expect=201)["floatingip"]
    return {"net": net, "subnet": sub, "router": router, "ports": ports, "fip": fip}


def _pf(port: dict[str, Any], external: int, internal: int = 22,
        protocol: str = "tcp") -> dict[str, Any]:
    return {"port_forwarding": {"protocol": protocol, "internal_port_id": port["id"],
                                "internal_port": internal, "external_port": external}}


def test_port_forwarding_lifecycle(member: Api, site: Any) -> None:
    fip, ports = site["fip"], site["ports"]
    base = f"/floatingips/{fip['id']}/port_forwardings"
    made = member.call("POST", base, _pf(ports[0], 2022), expect=201)["port_forwarding"]
    assert set(made) == {"id", "protocol", "internal_ip_address", "internal_port",
                         "internal_port_id", "external_port", "description"}
    assert made["internal_ip_address"] == ports[0]["fixed_ips"][0]["ip_address"]
    shown = member.get(f"/floatingips/{fip['id']}")["floatingip"]
    assert shown["port_forwardings"] == [{"protocol": "tcp", "internal_port": 22,
                                          "external_port": 2022, "internal_ip_address":
                                          made["internal_ip_address"]}]
    assert shown["router_id"] == site["router"]["id"]
    # One external port per floating IP and protocol; the same port over UDP is free.
    member.error("POST", base, _pf(ports[1], 2022), 409, "NeutronDbObjectDuplicateEntry")
    member.call("POST", base, _pf(ports[1], 2022, protocol="udp"), expect=201)
    # One internal socket too.
    member.error("POST", base, _pf(ports[0], 2023), 409, "NeutronDbObjectDuplicateEntry")
    member.error("POST", base, _pf(ports[0], 2024, internal=70000), 400, "HTTPBadRequest")
    member.error("POST", base, {"port_forwarding": {
        **_pf(ports[0], 2025)["port_forwarding"], "internal_ip_address": "10.9.9.9"}},
        400, "BadRequest")
    listed = member.get(base, protocol="udp")["port_forwardings"]
    assert [p["external_port"] for p in listed] == [2022]
    updated = member.call("PUT", f"{base}/{made['id']}", {"port_forwarding": {
        "external_port": 2222, "description": "ssh"}}, expect=200)["port_forwarding"]
    assert updated["external_port"] == 2222 and updated["description"] == "ssh"
    # A floating IP that forwards cannot be bound to a port.
    member.error("PUT", f"/floatingips/{fip['id']}", {"floatingip": {
        "port_id": ports[1]["id"]}}, 409, "FipInUseByPortForwarding")
    member.error("GET", f"{base}/{uuid.uuid4()}", None, 404, "PortForwardingNotFound")
    member.call("DELETE", f"{base}/{made['id']}", expect=204)
    assert len(member.get(base)["port_forwardings"]) == 1


def test_port_forwarding_needs_a_free_reachable_fip(member: Api, site: Any,
                                                   public: str) -> None:
    bound = member.call("POST", "/floatingips", {"floatingip": {
        "floating_network_id": public, "port_id": site["ports"][1]["id"]}},
        expect=201)["floatingip"]
    member.error("POST", f"/floatingips/{bound['id']}/port_forwardings",
                 _pf(site["ports"][0], 3000), 409, "FipInUseByPortForwarding")
    lonely = member.call("POST", "/networks", {"network": {"name": "pf-lonely"}},
                         expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": lonely["id"], "ip_version": 4,
                                                "cidr": "10.252.0.0/24"}}, expect=201)
    port = member.call("POST", "/ports", {"port": {"network_id": lonely["id"]}},
                       expect=201)["port"]
    member.error("POST", f"/floatingips/{site['fip']['id']}/port_forwardings",
                 _pf(port, 3001), 404, "ExternalGatewayForFloatingIPNotFound")
    member.call("DELETE", f"/floatingips/{bound['id']}", expect=204)


def test_port_forwardings_of_another_project(admin: Api, member: Api) -> None:
    fips = admin.get("/floatingips")["floatingips"]
    theirs = [f for f in fips if f["port_forwardings"]]
    mine = {f["id"] for f in member.get("/floatingips")["floatingips"]}
    other = next(f for f in theirs if f["id"] not in mine)
    assert admin.get(f"/floatingips/{other['id']}/port_forwardings")["port_forwardings"]
    member.error("GET", f"/floatingips/{other['id']}/port_forwardings", None, 404,
                 "FloatingIPNotFound")


def test_conntrack_helpers(admin: Api, member: Api, site: Any) -> None:
    base = f"/routers/{site['router']['id']}/conntrack_helpers"
    body = {"conntrack_helper": {"protocol": "udp", "port": 69, "helper": "tftp"}}
    made = member.call("POST", base, body, expect=201)["conntrack_helper"]
    assert set(made) == {"id", "protocol", "port", "helper"}
    router = member.get(f"/routers/{site['router']['id']}")["router"]
    assert router["conntrack_helpers"] == [{"protocol": "udp", "port": 69,
                                            "helper": "tftp"}]
    member.error("POST", base, body, 409, "NeutronDbObjectDuplicateEntry")
    member.error("POST", base, {"conntrack_helper": {"protocol": "udp", "port": 0,
                                                     "helper": "tftp"}}, 400,
                 "HTTPBadRequest")
    changed = member.call("PUT", f"{base}/{made['id']}", {"conntrack_helper": {
        "port": 6969}}, expect=200)["conntrack_helper"]
    assert changed["port"] == 6969
    seeded = admin.get("/routers")["routers"][0]["id"]
    assert admin.get(f"/routers/{seeded}/conntrack_helpers")["conntrack_helpers"][0][
        "helper"] == "ftp"
    member.call("DELETE", f"{base}/{made['id']}", expect=204)
    member.error("DELETE", f"{base}/{made['id']}", None, 404, "ConntrackHelperNotFound")


def test_ndp_proxy_refusals(member: Api, site: Any) -> None:
    port, router = site["ports"][0], site["router"]
    body = {"ndp_proxy": {"router_id": router["id"], "port_id": port["id"]}}
    member.error("POST", "/ndp_proxies", body, 409, "RouterNDPProxyNotEnable")
    # Neutron's _gateway_is_valid: the gateway needs an IPv6 address in an IPv6 address
    # scope (the full topology: test_network_core.py)
    member.error("PUT", f"/routers/{router['id']}", {"router": {"enable_ndp_proxy": True}},
                 409, "RouterGatewayNotValid")
    member.error("POST", "/ndp_proxies", {"ndp_proxy": {
        "router_id": str(uuid.uuid4()), "port_id": port["id"]}}, 404, "RouterNotFound")
    assert member.get("/ndp_proxies")["ndp_proxies"] == []


def test_floatingip_pools(member: Api, public: str) -> None:
    pools = member.get("/floatingip_pools")["floatingip_pools"]
    assert {p["network_id"] for p in pools} == {public}
    assert set(pools[0]) == {"subnet_id", "subnet_name", "network_id", "cidr", "project_id",
                             "tenant_id"}


def test_cli_port_forwarding(os_config: Path, admin: Api, site: Any) -> None:
    fip, port = site["fip"], site["ports"][1]
    made = _cli("floating", "ip", "port", "forwarding", "create", "--internal-ip-address",
                port["fixed_ips"][0]["ip_address"], "--port", port["id"],
                "--internal-protocol-port", "8080", "--external-protocol-port", "80",
                "--protocol", "tcp", fip["id"])
    assert made["external_port"] == 80 and made["internal_port_id"] == port["id"]
    listed = _cli("floating", "ip", "port", "forwarding", "list", fip["id"])
    assert made["id"] in {p["ID"] for p in listed}
    assert admin.get(f"/floatingips/{fip['id']}/port_forwardings/{made['id']}")[
        "port_forwarding"]["internal_port"] == 8080


def test_port_forwarding_ranges(member: Api, site: Any, public: str) -> None:
    fip = member.call("POST", "/floatingips", {"floatingip": {
        "floating_network_id": public}}, expect=201)["floatingip"]
    base = f"/floatingips/{fip['id']}/port_forwardings"
    port = site["ports"][0]
    ranged = {"protocol": "tcp", "internal_port_id": port["id"],
              "internal_port_range": "80:90", "external_port_range": "8080:8090"}
    made = member.call("POST", base, {"port_forwarding": ranged},
                       expect=201)["port_forwarding"]
    assert made["external_port_range"] == "8080:8090" and "external_port" not in made
    # an external port inside the range is taken; one past it is free
    member.error("POST", base, _pf(site["ports"][1], 8085), 409,
                 "NeutronDbObjectDuplicateEntry")
    member.call("POST", base, _pf(site["ports"][1], 8091), expect=201)
    member.error("POST", base, {"port_forwarding": {**ranged,
                                                    "external_port_range": "9000:9001"}},
                 400, "BadRequest")
    member.error("POST", base, {"port_forwarding": {**ranged, "internal_port": 22}}, 400,
                 "BadRequest")
    member.error("POST", base, {"port_forwarding": {**ranged,
                                                    "external_port_range": "9:x"}},
                 400, "HTTPBadRequest")
    summary = member.get(f"/floatingips/{fip['id']}")["floatingip"]["port_forwardings"]
    assert {"internal_port_range": "80:90", "external_port_range": "8080:8090",
            "protocol": "tcp", "internal_ip_address": made["internal_ip_address"]} in summary
    member.call("DELETE", f"/floatingips/{fip['id']}", expect=204)
    member.error("GET", base, None, 404, "FloatingIPNotFound")
