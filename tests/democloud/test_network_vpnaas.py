"""VPNaaS in the demo cloud over HTTP: a site-to-site tunnel built from its parts, each
part kept while the connection uses it (409s), the checks on routers, subnets, endpoint
groups and DPD."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api

VPN = "/vpn"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _post(api: Api, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    return api.call("POST", f"{VPN}/{path}", {key: body}, expect=201)[key]


@pytest.fixture()
def topology(member: Api) -> Any:
    """The member's router with a gateway on ``public`` and a subnet behind it."""
    public = next(n for n in member.get("/networks")["networks"] if n["name"] == "public")
    net = member.call("POST", "/networks", {"network": {"name": "osnb-vpn-net"}},
                      expect=201)["network"]
    subnet = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.232.0.0/24"}},
        expect=201)["subnet"]
    router = member.call("POST", "/routers", {"router": {
        "name": "osnb-vpn-router", "external_gateway_info": {"network_id": public["id"]}}},
        expect=201)["router"]
    member.call("PUT", f"/routers/{router['id']}/add_router_interface",
                {"subnet_id": subnet["id"]}, expect=200)
    yield router, subnet
    member.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                {"subnet_id": subnet["id"]}, expect=200)
    member.call("DELETE", f"/routers/{router['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_seeded_tunnel(admin: Api) -> None:
    site = admin.get(f"{VPN}/ipsec-site-connections")["ipsec_site_connections"][0]
    assert site["status"] == "ACTIVE" and site["auth_mode"] == "psk"
    assert site["dpd"] == {"action": "hold", "interval": 30, "timeout": 120}
    service = admin.get(f"{VPN}/vpnservices/{site['vpnservice_id']}")["vpnservice"]
    router = admin.get(f"/routers/{service['router_id']}")["router"]
    assert service["external_v4_ip"] == \
        router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"]
    local = admin.get(f"{VPN}/endpoint-groups/{site['local_ep_group_id']}")["endpoint_group"]
    assert local["type"] == "subnet" and local["endpoints"]
    for path, key, type_ in (
            ("ikepolicies", "ikepolicy_id", "IKEPolicyInUse"),
            ("ipsecpolicies", "ipsecpolicy_id", "IPsecPolicyInUse"),
            ("endpoint-groups", "local_ep_group_id", "EndpointGroupInUse"),
            ("vpnservices", "vpnservice_id", "VPNServiceInUse")):
        admin.error("DELETE", f"{VPN}/{path}/{site[key]}", None, 409, type_)
    admin.error("PUT", f"{VPN}/ikepolicies/{site['ikepolicy_id']}",
                {"ikepolicy": {"pfs": "group14"}}, 409, "IKEPolicyInUse")


def test_tunnel_lifecycle(member: Api, admin: Api, topology: Any) -> None:
    router, subnet = topology
    ike = _post(member, "ikepolicies", "ikepolicy", {"name": "osnb-ike"})
    assert (ike["auth_algorithm"], ike["encryption_algorithm"], ike["pfs"],
            ike["ike_version"], ike["lifetime"]) == \
        ("sha1", "aes-128", "group5", "v1", {"units": "seconds", "value": 3600})
    ipsec = _post(member, "ipsecpolicies", "ipsecpolicy", {
        "name": "osnb-ipsec", "lifetime": {"value": 7200}})
    assert ipsec["lifetime"] == {"units": "seconds", "value": 7200}
    member.error("POST", f"{VPN}/ikepolicies", {"ikepolicy": {"pfs": "group99"}}, 400,
                 "HTTPBadRequest")
    service = _post(member, "vpnservices", "vpnservice", {"router_id": router["id"]})
    assert service["external_v4_ip"] and service["subnet_id"] is None
    local = _post(member, "endpoint-groups", "endpoint_group", {
        "type": "subnet", "endpoints": [subnet["id"]]})
    peer = _post(member, "endpoint-groups", "endpoint_group", {
        "type": "cidr", "endpoints": ["192.168.77.0/24"]})
    member.error("POST", f"{VPN}/endpoint-groups", {"endpoint_group": {
        "type": "cidr", "endpoints": ["not-a-cidr"]}}, 400, "InvalidEndpointInEndpointGroup")
    base = {"psk": "s3cret", "peer_address": "203.0.113.9", "peer_id": "203.0.113.9",
            "vpnservice_id": service["id"], "ikepolicy_id": ike["id"],
            "ipsecpolicy_id": ipsec["id"]}
    member.error("POST", f"{VPN}/ipsec-site-connections", {"ipsec_site_connection": {
        **base, "local_ep_group_id": peer["id"], "peer_ep_group_id": local["id"]}}, 400,
        "WrongEndpointGroupType")
    member.error("POST", f"{VPN}/ipsec-site-connections", {"ipsec_site_connection": {
        **base, "peer_cidrs": ["192.168.78.0/24"], "local_ep_group_id": local["id"],
        "peer_ep_group_id": peer["id"]}}, 400, "PeerCidrsAndEndpointGroupsConflict")
    member.error("POST", f"{VPN}/ipsec-site-connections", {"ipsec_site_connection": {
        **base, "peer_cidrs": ["192.168.78.0/24"], "dpd": {"interval": 60, "timeout": 30}}},
        400, "IPsecSiteConnectionDpdIntervalValueError")
    # the local subnets are on the service's router, of the peer CIDRs' IP version
    # (neutron-vpnaas validate_ipsec_site_connection)
    v6 = _post(member, "endpoint-groups", "endpoint_group", {
        "type": "cidr", "endpoints": ["2001:db8:77::/64"]})
    member.error("POST", f"{VPN}/ipsec-site-connections", {"ipsec_site_connection": {
        **base, "local_ep_group_id": local["id"], "peer_ep_group_id": v6["id"]}}, 400,
        "MixedIPVersionsForIPSecConnection")
    other = next(s for s in admin.get("/subnets")["subnets"]
                 if s["id"] != subnet["id"] and s["ip_version"] == 4
                 and s["project_id"] == subnet["project_id"])
    away = _post(member, "endpoint-groups", "endpoint_group", {
        "type": "subnet", "endpoints": [other["id"]]})
    member.error("POST", f"{VPN}/ipsec-site-connections", {"ipsec_site_connection": {
        **base, "local_ep_group_id": away["id"], "peer_ep_group_id": peer["id"]}}, 400,
        "SubnetIsNotConnectedToRouter")
    for group in (v6, away):
        member.call("DELETE", f"{VPN}/endpoint-groups/{group['id']}", expect=204)
    site = _post(member, "ipsec-site-connections", "ipsec_site_connection", {
        **base, "mtu": "1400", "local_ep_group_id": local["id"],
        "peer_ep_group_id": peer["id"]})
    assert site["mtu"] == 1400 and site["status"] == "ACTIVE"
    down = member.call("PUT", f"{VPN}/vpnservices/{service['id']}",
                       {"vpnservice": {"admin_state_up": False}}, expect=200)["vpnservice"]
    assert down["status"] == "DOWN"
    assert member.get(f"{VPN}/ipsec-site-connections/{site['id']}")[
        "ipsec_site_connection"]["status"] == "DOWN"
    member.error("DELETE", f"{VPN}/ikepolicies/{ike['id']}", None, 409, "IKEPolicyInUse")
    # another project does not see the tunnel
    admin_view = admin.get(f"{VPN}/vpnservices")["vpnservices"]
    assert any(s["id"] == service["id"] for s in admin_view)
    member.call("DELETE", f"{VPN}/ipsec-site-connections/{site['id']}", expect=204)
    for path, obj in (("vpnservices", service), ("endpoint-groups", local),
                      ("endpoint-groups", peer), ("ikepolicies", ike),
                      ("ipsecpolicies", ipsec)):
        member.call("DELETE", f"{VPN}/{path}/{obj['id']}", expect=204)


def test_service_needs_a_gateway(member: Api) -> None:
    router = member.call("POST", "/routers", {"router": {"name": "osnb-no-gw"}},
                         expect=201)["router"]
    member.error("POST", f"{VPN}/vpnservices", {"vpnservice": {"router_id": router["id"]}},
                 400, "RouterIsNotExternal")
    member.error("POST", f"{VPN}/vpnservices", {"vpnservice": {
        "router_id": str(uuid.uuid4())}}, 400, "RouterNotFound")
    member.call("DELETE", f"/routers/{router['id']}", expect=204)


def test_other_project_sees_nothing(member: Api, admin: Api) -> None:
    theirs = _post(admin, "ikepolicies", "ikepolicy", {"name": "osnb-admin-ike"})
    assert theirs["id"] not in {p["id"] for p in member.get(f"{VPN}/ikepolicies")[
        "ikepolicies"]}
    member.error("GET", f"{VPN}/ikepolicies/{theirs['id']}", None, 404, "IkepolicyNotFound")
    member.error("DELETE", f"{VPN}/ikepolicies/{theirs['id']}", None, 404,
                 "IkepolicyNotFound")
    admin.call("DELETE", f"{VPN}/ikepolicies/{theirs['id']}", expect=204)
