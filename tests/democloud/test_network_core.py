"""Neutron core calls the api-ref documents and the demo cloud answers as Neutron does:
``POST …/tags``, ``onboard_network_subnets``, a floating IP's writable ``router_id``, an
L3 agent asked again for a router it hosts, security group rules with their tags, the
project segment range an admin carved out (over HTTP: 400/403/404/409, member vs admin)."""

from __future__ import annotations

import pytest
import requests

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _status(api: Api, method: str, path: str, body: object) -> int:
    answer: requests.Response = api.session.request(method, api.base + path, json=body,
                                                    timeout=30)
    return answer.status_code


def test_post_tags_adds_to_the_records_own(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "tag-post"}},
                      expect=201)["network"]
    base = f"/networks/{net['id']}/tags"
    member.call("PUT", f"{base}/red", expect=201)
    added = member.call("POST", base, {"tags": ["red", "blue"]}, expect=201)
    assert added == {"tags": ["red", "blue"]}  # Neutron answers the body it was given
    assert member.get(base)["tags"] == ["red", "blue"]
    assert member.get(f"/networks/{net['id']}")["network"]["revision_number"] > 0
    member.error("POST", base, {"tags": [f"t{i}" for i in range(51)]}, 400, "BadRequest")
    member.error("POST", base, {"tags": "red"}, 400, "InvalidInput")
    public = next(n for n in member.get("/networks")["networks"] if n["name"] == "public")
    member.error("POST", f"/networks/{public['id']}/tags", {"tags": ["mine"]}, 403,
                 "PolicyNotAuthorized")
    assert "mine" not in member.get(f"/networks/{public['id']}")["network"]["tags"]
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_onboarding_a_networks_subnets_into_a_pool(admin: Api, member: Api) -> None:
    net = admin.call("POST", "/networks", {"network": {"name": "onboard"}},
                     expect=201)["network"]
    subnet = admin.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.77.0.0/24"}},
        expect=201)["subnet"]
    v6 = admin.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 6, "cidr": "fd77::/64"}}, expect=201)["subnet"]
    pool = admin.call("POST", "/subnetpools", {"subnetpool": {
        "name": "onboard-pool", "prefixes": ["10.99.0.0/16"]}}, expect=201)["subnetpool"]
    path = f"/subnetpools/{pool['id']}/onboard_network_subnets"
    member.error("PUT", path, {"network_id": net["id"]}, 404, "SubnetPoolNotFound")
    admin.error("PUT", path, {}, 400, "InvalidInput")
    admin.error("PUT", path, {"network_id": "00000000-0000-0000-0000-000000000000"}, 404,
                "NetworkNotFound")
    done = admin.call("PUT", path, {"network_id": net["id"]}, expect=200)
    assert done == [{"id": subnet["id"], "cidr": "10.77.0.0/24"}]  # its IPv4 subnets only
    shown = admin.get(f"/subnetpools/{pool['id']}")["subnetpool"]
    assert shown["prefixes"] == ["10.77.0.0/24", "10.99.0.0/16"]
    assert admin.get(f"/subnets/{subnet['id']}")["subnet"]["subnetpool_id"] == pool["id"]
    assert admin.get(f"/subnets/{v6['id']}")["subnet"]["subnetpool_id"] is None
    # onboarded once, the subnet is an allocation of the pool: a second time overlaps it
    admin.error("PUT", path, {"network_id": net["id"]}, 400, "IllegalSubnetPoolUpdate")
    # and the pool may not drop the prefix its subnet now uses
    admin.error("PUT", f"/subnetpools/{pool['id']}/remove_prefixes",
                {"prefixes": ["10.77.0.0/24"]}, 409, "IllegalSubnetPoolPrefixUpdate")
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)
    admin.call("DELETE", f"/subnetpools/{pool['id']}", expect=204)


def _gateway_router(api: Api, external: str) -> dict:
    return next(r for r in api.get("/routers")["routers"]
                if (r["external_gateway_info"] or {}).get("network_id") == external)


def test_a_floating_ip_names_the_router_that_hosts_it(member: Api) -> None:
    public = next(n for n in member.get("/networks")["networks"] if n["name"] == "public")
    router = _gateway_router(member, public["id"])
    bare = member.call("POST", "/routers", {"router": {"name": "no-gateway"}},
                       expect=201)["router"]
    member.error("POST", "/floatingips", {"floatingip": {
        "floating_network_id": public["id"], "router_id": bare["id"]}}, 400, "BadRequest")
    assert _status(member, "POST", "/floatingips", {"floatingip": {
        "floating_network_id": public["id"],
        "router_id": "00000000-0000-0000-0000-000000000000"}}) == 404
    fip = member.call("POST", "/floatingips", {"floatingip": {
        "floating_network_id": public["id"], "router_id": router["id"]}},
        expect=201)["floatingip"]
    assert fip["router_id"] == router["id"] and fip["port_id"] is None
    member.error("PUT", f"/floatingips/{fip['id']}", {"floatingip": {
        "router_id": bare["id"]}}, 400, "BadRequest")
    again = member.call("PUT", f"/floatingips/{fip['id']}", {"floatingip": {
        "router_id": router["id"], "description": "hosted"}}, expect=200)["floatingip"]
    assert again["router_id"] == router["id"] and again["description"] == "hosted"
    member.call("DELETE", f"/floatingips/{fip['id']}", expect=204)
    member.call("DELETE", f"/routers/{bare['id']}", expect=204)


def test_an_l3_agent_asked_again_for_its_router(admin: Api, member: Api) -> None:
    router = admin.get("/routers")["routers"][0]
    hosts = admin.get(f"/routers/{router['id']}/l3-agents")["agents"]
    assert len(hosts) == 1
    host = hosts[0]["id"]
    # Neutron's check_agent_router_scheduling_needed: bound to this agent, nothing to do
    admin.call("POST", f"/agents/{host}/l3-routers", {"router_id": router["id"]}, expect=201)
    assert [a["id"] for a in admin.get(f"/routers/{router['id']}/l3-agents")["agents"]] == \
        [host]
    others = [a for a in admin.get("/agents", agent_type="L3 agent")["agents"]
              if a["id"] != host and a["alive"]]
    if others:  # a legacy router lives on one agent
        admin.error("POST", f"/agents/{others[0]['id']}/l3-routers",
                    {"router_id": router["id"]}, 409, "RouterHostedByL3Agent")
    member.error("POST", f"/agents/{host}/l3-routers", {"router_id": router["id"]}, 403,
                 "PolicyNotAuthorized")


def test_security_group_rules_have_no_tags(member: Api) -> None:
    """As Neutron 29 (its rule model has no ``tag_support``): no ``tags`` key in
    ``/security-group-rules``, and a rule created with tags is refused (tests/realcloud/test_neutron_samples.py holds the demo
    cloud's rules to a real Neutron's)."""
    group = member.call("POST", "/security-groups", {"security_group": {
        "name": "tagged-rules"}}, expect=201)["security_group"]
    # inside a group, as Neutron 29 shows them there: empty tags, a standard_attr_id
    assert group["security_group_rules"] and all(
        r["tags"] == [] and isinstance(r["standard_attr_id"], int)
        for r in group["security_group_rules"])
    assert len({r["standard_attr_id"] for r in group["security_group_rules"]}) == len(
        group["security_group_rules"])
    assert member.error("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 22, "port_range_max": 22, "tags": ["ssh"]}}, 400,
        "HTTPBadRequest") == "Unrecognized attribute(s) 'tags'"
    rule = member.call("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 22, "port_range_max": 22}}, expect=201)["security_group_rule"]
    assert "tags" not in rule and "standard_attr_id" not in rule
    assert not {"tags", "standard_attr_id"} & set(
        member.get(f"/security-group-rules/{rule['id']}")["security_group_rule"])
    member.call("DELETE", f"/security-groups/{group['id']}", expect=204)


def test_a_project_segment_range_an_admin_carved_out(admin: Api) -> None:
    ranges = admin.get("/network_segment_ranges")["network_segment_ranges"]
    own = [r for r in ranges if not r["default"]]
    assert [(r["name"], r["network_type"], r["minimum"], r["maximum"], r["shared"])
            for r in own] == [("project-vxlan", "vxlan", 20000, 20999, False)]
    assert own[0]["project_id"] and own[0]["used"] == {}
    renamed = admin.call("PUT", f"/network_segment_ranges/{own[0]['id']}", {
        "network_segment_range": {"description": "a project's VXLANs"}},
        expect=200)["network_segment_range"]
    assert renamed["description"] == "a project's VXLANs"
    default = next(r for r in ranges if r["default"])
    admin.error("PUT", f"/network_segment_ranges/{default['id']}", {
        "network_segment_range": {"name": "x"}}, 409, "NetworkSegmentRangeDefaultReadOnly")


def test_ip_availability_counts_an_ipv6_subnet(admin: Api) -> None:
    """An IPv6 /64 offers 2**64 - 2 addresses (its pool from ::2): counted, not a 500."""
    net = admin.call("POST", "/networks", {"network": {"name": "v6-count"}},
                     expect=201)["network"]
    admin.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 6,
                                               "cidr": "fd78::/64"}}, expect=201)
    shown = admin.get(f"/network-ip-availabilities/{net['id']}")["network_ip_availability"]
    assert shown["total_ips"] == 2**64 - 2 and shown["used_ips"] == 1  # its DHCP port
    listed = admin.get("/network-ip-availabilities")["network_ip_availabilities"]
    assert next(n for n in listed if n["network_id"] == net["id"])["total_ips"] == 2**64 - 2
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_an_ndp_proxy_on_an_ipv6_topology(admin: Api) -> None:
    """Neutron's NDP proxy plugin: ``enable_ndp_proxy`` needs a gateway with an IPv6
    address in an IPv6 address scope; a proxy needs a port on an IPv6 subnet of the router
    in that same scope."""
    public = next(n for n in admin.get("/networks")["networks"] if n["name"] == "public")
    scope = admin.call("POST", "/address-scopes", {"address_scope": {
        "name": "ndp-test", "ip_version": 6}}, expect=201)["address_scope"]
    pool = admin.call("POST", "/subnetpools", {"subnetpool": {
        "name": "ndp-test", "prefixes": ["2001:db8:7700::/48"], "default_prefixlen": 64,
        "address_scope_id": scope["id"]}}, expect=201)["subnetpool"]
    loose = admin.call("POST", "/subnetpools", {"subnetpool": {
        "name": "ndp-loose", "prefixes": ["2001:db8:7800::/48"], "default_prefixlen": 64}},
        expect=201)["subnetpool"]
    outside = admin.call("POST", "/subnets", {"subnet": {
        "network_id": public["id"], "ip_version": 6, "subnetpool_id": pool["id"]}},
        expect=201)["subnet"]
    assert admin.get(f"/networks/{public['id']}")["network"]["ipv6_address_scope"] == \
        scope["id"]
    net = admin.call("POST", "/networks", {"network": {"name": "ndp-inside"}},
                     expect=201)["network"]
    inside, stray = (admin.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 6, "subnetpool_id": p["id"]}},
        expect=201)["subnet"] for p in (pool, loose))
    router = admin.call("POST", "/routers", {"router": {"name": "ndp", "external_gateway_info": {
        "network_id": public["id"]}}}, expect=201)["router"]
    base = f"/routers/{router['id']}"
    admin.error("PUT", base, {"router": {"enable_ndp_proxy": True}}, 409,
                "RouterGatewayNotValid")  # its gateway has an IPv4 address only
    gateway = router["external_gateway_info"]
    admin.call("PUT", base, {"router": {"external_gateway_info": {
        **gateway, "external_fixed_ips": [*gateway["external_fixed_ips"],
                                          {"subnet_id": outside["id"]}]}}}, expect=200)
    admin.call("PUT", base, {"router": {"enable_ndp_proxy": True}}, expect=200)
    port = admin.call("POST", "/ports", {"port": {"network_id": net["id"], "fixed_ips": [
        {"subnet_id": inside["id"]}, {"subnet_id": stray["id"]}]}}, expect=201)["port"]
    address = {ip["subnet_id"]: ip["ip_address"] for ip in port["fixed_ips"]}
    body = {"ndp_proxy": {"router_id": router["id"], "port_id": port["id"],
                          "ip_address": address[inside["id"]]}}
    admin.error("POST", "/ndp_proxies", body, 409, "PortUnreachableRouter")
    admin.call("PUT", f"{base}/add_router_interface", {"subnet_id": inside["id"]},
               expect=200)
    admin.call("PUT", f"{base}/add_router_interface", {"subnet_id": stray["id"]},
               expect=200)
    admin.error("POST", "/ndp_proxies", {"ndp_proxy": {**body["ndp_proxy"],
                                                       "ip_address": address[stray["id"]]}},
                409, "AddressScopeConflict")  # routed, so one scope on both sides
    made = admin.call("POST", "/ndp_proxies", body, expect=201)["ndp_proxy"]
    assert made["ip_address"] == address[inside["id"]]
    admin.error("POST", "/ndp_proxies", body, 409, "NdpProxyAlreadyExists")
    renamed = admin.call("PUT", f"/ndp_proxies/{made['id']}", {"ndp_proxy": {
        "name": "published"}}, expect=200)["ndp_proxy"]
    assert renamed["name"] == "published"
    admin.call("DELETE", f"/ndp_proxies/{made['id']}", expect=204)
    admin.call("DELETE", f"/ports/{port['id']}", expect=204)
    for subnet in (inside, stray):
        admin.call("PUT", f"{base}/remove_router_interface", {"subnet_id": subnet["id"]},
                   expect=200)
    admin.call("DELETE", base, expect=204)
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)
    admin.call("DELETE", f"/subnets/{outside['id']}", expect=204)
    for gone in (f"/subnetpools/{pool['id']}", f"/subnetpools/{loose['id']}",
                 f"/address-scopes/{scope['id']}"):
        admin.call("DELETE", gone, expect=204)


def test_the_extensions_say_what_this_cloud_does(member: Api) -> None:
    """Onboarding and the writable router_id are advertised; multiple external gateways
    (the OVN L3 plugin's ``external-gateway-multihoming``) are not, and their actions 404,
    as on an ML2/OVS Neutron with L3 agents."""
    aliases = {e["alias"] for e in member.get("/extensions")["extensions"]}
    assert {"subnet_onboard", "floating-ip-router-writable", "l3-ndp-proxy",
            "standard-attr-tag"} <= aliases
    assert "external-gateway-multihoming" not in aliases
    router = member.get("/routers")["routers"][0]
    assert _status(member, "PUT", f"/routers/{router['id']}/add_external_gateways",
                   {"router": {"external_gateways": []}}) == 404


def test_a_rule_has_one_remote(member: Api) -> None:
    """Neutron's _validate_multiple_remote_entites: a prefix, a group or an address group,
    any two together are one 400 (the api-ref's create sample names two: refused)."""
    group = member.call("POST", "/security-groups", {"security_group": {
        "name": "one-remote"}}, expect=201)["security_group"]
    addresses = member.call("POST", "/address-groups", {"address_group": {
        "name": "one-remote", "addresses": ["192.0.2.0/24"]}}, expect=201)["address_group"]
    rule = {"security_group_id": group["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 80, "port_range_max": 80}
    for remotes in ({"remote_ip_prefix": "10.0.0.0/8", "remote_group_id": group["id"]},
                    {"remote_group_id": group["id"],
                     "remote_address_group_id": addresses["id"]},
                    {"remote_ip_prefix": "10.0.0.0/8",
                     "remote_address_group_id": addresses["id"]}):
        member.error("POST", "/security-group-rules", {"security_group_rule": {
            **rule, **remotes}}, 400, "SecurityGroupMultipleRemoteEntites")
    member.call("POST", "/security-group-rules", {"security_group_rule": {
        **rule, "remote_group_id": group["id"]}}, expect=201)
    member.call("DELETE", f"/security-groups/{group['id']}", expect=204)
    member.call("DELETE", f"/address-groups/{addresses['id']}", expect=204)
