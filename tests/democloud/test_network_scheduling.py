"""Agent scheduling, the auto-allocated topology, network flavors and service profiles,
packet-rate QoS rules, tags on every taggable resource and bulk creates in the demo cloud
over HTTP (admin against member, the 403/404/409 paths), and python-openstackclient's
``network set --tag`` / ``network list --tags``."""

from __future__ import annotations

import subprocess
import sys
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


def _agents(admin: Api, kind: str) -> list[dict[str, Any]]:
    return [a for a in admin.get("/agents")["agents"] if a["agent_type"] == kind]


def test_dhcp_scheduling(admin: Api, member: Api) -> None:
    dhcp = _agents(admin, "DHCP agent")
    net = next(n for n in admin.get("/networks")["networks"] if n["subnets"]
               and not n["router:external"])
    hosting = admin.get(f"/networks/{net['id']}/dhcp-agents")["agents"]
    assert hosting and {"resource_versions", "ha_state"} <= set(hosting[0])
    # the agent on the host of the network's DHCP port
    dhcp_port = admin.get("/ports", network_id=net["id"],
                          device_owner="network:dhcp")["ports"][0]
    assert hosting[0]["host"] == dhcp_port["binding:host_id"]
    spare = next(a for a in dhcp if a["id"] not in {h["id"] for h in hosting})
    base = f"/agents/{spare['id']}/dhcp-networks"
    member.error("GET", base, None, 403, "PolicyNotAuthorized")
    member.error("POST", base, {"network_id": net["id"]}, 403, "PolicyNotAuthorized")
    admin.call("POST", base, {"network_id": net["id"]}, expect=201)
    admin.error("POST", base, {"network_id": net["id"]}, 409, "NetworkHostedByDHCPAgent")
    assert net["id"] in {n["id"] for n in admin.get(base)["networks"]}
    assert spare["id"] in {a["id"] for a in admin.get(
        f"/networks/{net['id']}/dhcp-agents")["agents"]}
    admin.call("DELETE", f"{base}/{net['id']}", expect=204)
    admin.error("DELETE", f"{base}/{net['id']}", None, 409, "NetworkNotHostedByDhcpAgent")
    l3 = _agents(admin, "L3 agent")[0]
    admin.error("POST", f"/agents/{l3['id']}/dhcp-networks", {"network_id": net["id"]},
                404, "InvalidDHCPAgent")
    admin.error("POST", base, {"network_id": str(uuid.uuid4())}, 404, "NetworkNotFound")


def test_l3_scheduling(admin: Api, member: Api) -> None:
    l3 = _agents(admin, "L3 agent")
    router = admin.get("/routers")["routers"][0]
    held = admin.get(f"/routers/{router['id']}/l3-agents")["agents"]
    assert len(held) == 1 and held[0]["agent_type"] == "L3 agent"
    member.error("GET", f"/routers/{router['id']}/l3-agents", None, 403,
                 "PolicyNotAuthorized")
    other = next(a for a in l3 if a["id"] != held[0]["id"])
    admin.error("POST", f"/agents/{other['id']}/l3-routers", {"router_id": router["id"]},
                409, "RouterHostedByL3Agent")
    admin.error("DELETE", f"/agents/{other['id']}/l3-routers/{router['id']}", None, 409,
                "RouterNotHostedByL3Agent")
    admin.call("DELETE", f"/agents/{held[0]['id']}/l3-routers/{router['id']}", expect=204)
    assert admin.get(f"/routers/{router['id']}/l3-agents")["agents"] == []
    admin.call("POST", f"/agents/{other['id']}/l3-routers", {"router_id": router["id"]},
               expect=201)
    assert router["id"] in {r["id"] for r in admin.get(
        f"/agents/{other['id']}/l3-routers")["routers"]}
    assert router["id"] not in {r["id"] for r in admin.get(
        f"/agents/{held[0]['id']}/l3-routers")["routers"]}
    # ``/agents`` itself keeps to the agent extension's attributes
    assert "resource_versions" not in admin.get(f"/agents/{other['id']}")["agent"]


def test_auto_allocated_topology(cloud: democloud.DemoCloud, admin: Api,
                                 member: Api) -> None:
    project = member.get("/ports")["ports"][0]["project_id"]
    others = {n["project_id"] for n in admin.get("/networks")["networks"]} - {project}
    member.error("GET", f"/auto-allocated-topology/{sorted(others)[0]}", None, 403,
                 "PolicyNotAuthorized")
    dry = member.get(f"/auto-allocated-topology/{project}", fields="dry-run")
    assert dry == {"auto_allocated_topology": {  # neutron/services/auto_allocate/db.py
        "id": "dry-run=pass", "tenant_id": project, "project_id": project}}
    assert not member.get("/networks", name="auto_allocated_network")["networks"]
    topo = member.get(f"/auto-allocated-topology/{project}")["auto_allocated_topology"]
    net = member.get(f"/networks/{topo['id']}")["network"]
    assert net["name"] == "auto_allocated_network" and topo["project_id"] == project
    sub = member.get(f"/subnets/{net['subnets'][0]}")["subnet"]
    assert sub["subnetpool_id"] and sub["ip_version"] == 4
    router = member.get("/routers", name="auto_allocated_router")["routers"][0]
    assert router["external_gateway_info"]["network_id"]
    again = member.get(f"/auto-allocated-topology/{project}")["auto_allocated_topology"]
    assert again["id"] == topo["id"]
    member.call("DELETE", f"/auto-allocated-topology/{project}", expect=204)
    member.error("GET", f"/networks/{topo['id']}", None, 404, "NetworkNotFound")
    member.error("GET", f"/routers/{router['id']}", None, 404, "RouterNotFound")
    member.error("DELETE", f"/auto-allocated-topology/{project}", None, 404, "NotFound")


def test_flavors_and_service_profiles(admin: Api, member: Api) -> None:
    assert member.get("/flavors")["flavors"][0]["name"] == "ha-router"
    member.error("GET", "/service_profiles", None, 403, "PolicyNotAuthorized")
    body = {"flavor": {"name": "fw", "service_type": "FIREWALL"}}
    member.error("POST", "/flavors", body, 403, "PolicyNotAuthorized")
    admin.error("POST", "/flavors", {"flavor": {"name": "x", "service_type": "NOPE"}}, 400,
                "HTTPBadRequest")
    flavor = admin.call("POST", "/flavors", body, expect=201)["flavor"]
    assert flavor["enabled"] is True and flavor["service_profiles"] == []
    admin.error("POST", "/service_profiles", {"service_profile": {"description": "x"}},
                400, "ServiceProfileEmpty")
    profile = admin.call("POST", "/service_profiles", {"service_profile": {
        "driver": "fw.Driver", "enabled": "true"}}, expect=201)["service_profile"]
    assert profile["enabled"] is True
    link = f"/flavors/{flavor['id']}/service_profiles"
    admin.call("POST", link, {"service_profile": {"id": profile["id"]}}, expect=201)
    admin.error("POST", link, {"service_profile": {"id": profile["id"]}}, 409,
                "FlavorServiceProfileBindingExists")
    admin.error("POST", link, {"service_profile": {"id": str(uuid.uuid4())}}, 404,
                "ServiceProfileNotFound")
    assert admin.get(f"/flavors/{flavor['id']}")["flavor"]["service_profiles"] == \
        [profile["id"]]
    admin.error("DELETE", f"/service_profiles/{profile['id']}", None, 409,
                "ServiceProfileInUse")
    # a router takes an L3 flavor only
    member.error("POST", "/routers", {"router": {"name": "fl", "flavor_id": flavor["id"]}},
                 400, "InvalidFlavorServiceType")
    l3 = member.get("/flavors", name="ha-router")["flavors"][0]
    router = member.call("POST", "/routers", {"router": {"name": "fl",
                                                         "flavor_id": l3["id"]}},
                         expect=201)["router"]
    assert router["flavor_id"] == l3["id"] and "service_type_id" not in router
    admin.error("DELETE", f"/flavors/{l3['id']}", None, 409, "FlavorInUse")
    member.call("DELETE", f"/routers/{router['id']}", expect=204)
    admin.call("DELETE", f"{link}/{profile['id']}", expect=204)
    admin.error("DELETE", f"{link}/{profile['id']}", None, 404,
                "FlavorServiceProfileBindingNotFound")
    admin.call("DELETE", f"/service_profiles/{profile['id']}", expect=204)
    admin.call("DELETE", f"/flavors/{flavor['id']}", expect=204)


def test_packet_rate_rules(admin: Api, member: Api) -> None:
    policy = admin.call("POST", "/qos/policies", {"policy": {"name": "pps-test"}},
                        expect=201)["policy"]
    base = f"/qos/policies/{policy['id']}"
    limit = admin.call("POST", f"{base}/packet_rate_limit_rules", {
        "packet_rate_limit_rule": {"max_kpps": "10000", "max_burst_kpps": "1000"}},
        expect=201)["packet_rate_limit_rule"]
    assert limit["max_kpps"] == 10000 and limit["direction"] == "egress"
    floor = admin.call("POST", f"{base}/minimum_packet_rate_rules", {
        "minimum_packet_rate_rule": {"min_kpps": 1000, "direction": "any"}},
        expect=201)["minimum_packet_rate_rule"]
    # "any" covers both directions: no ingress floor beside it
    admin.error("POST", f"{base}/minimum_packet_rate_rules", {
        "minimum_packet_rate_rule": {"min_kpps": 500, "direction": "ingress"}}, 409,
        "QoSRulesConflict")
    member.error("POST", f"{base}/packet_rate_limit_rules", {
        "packet_rate_limit_rule": {"max_kpps": 1}}, 403, "PolicyNotAuthorized")
    alias = admin.get(f"/qos/alias_minimum_packet_rate_rules/{floor['id']}")
    assert alias["alias_minimum_packet_rate_rule"]["min_kpps"] == 1000
    kinds = {r["type"] for r in admin.get(base)["policy"]["rules"]}
    assert kinds == {"packet_rate_limit", "minimum_packet_rate"}
    detail = admin.get("/qos/rule-types/packet_rate_limit")["rule_type"]
    params = {p["parameter_name"] for p in detail["drivers"][0]["supported_parameters"]}
    assert params == {"max_kpps", "max_burst_kpps", "direction"}
    admin.call("DELETE", base, expect=204)


def test_tags_everywhere(admin: Api, member: Api) -> None:
    trunk = admin.get("/trunks")["trunks"][0]
    admin.call("PUT", f"/trunks/{trunk['id']}/tags", {"tags": ["blue", "edge"]},
               expect=200)
    assert admin.get(f"/trunks/{trunk['id']}")["trunk"]["tags"] == ["blue", "edge"]
    admin.call("GET", f"/trunks/{trunk['id']}/tags/blue", expect=204)
    admin.error("GET", f"/trunks/{trunk['id']}/tags/red", None, 404, "TagNotFound")
    policy = admin.get("/qos/policies")["policies"][0]
    admin.call("PUT", f"/qos/policies/{policy['id']}/tags/gold", expect=201)
    assert "gold" in admin.get(f"/qos/policies/{policy['id']}/tags")["tags"]
    assert [p["id"] for p in admin.get("/qos/policies", tags="gold")["policies"]] == \
        [policy["id"]]
    ranges = admin.get("/network_segment_ranges")["network_segment_ranges"]
    admin.call("PUT", f"/network_segment_ranges/{ranges[0]['id']}/tags/lab", expect=201)
    assert [r["id"] for r in admin.get("/network_segment_ranges", tags="lab")[
        "network_segment_ranges"]] == [ranges[0]["id"]]
    admin.call("DELETE", f"/qos/policies/{policy['id']}/tags/gold", expect=204)
    admin.call("DELETE", f"/trunks/{trunk['id']}/tags", expect=204)
    admin.call("DELETE", f"/network_segment_ranges/{ranges[0]['id']}/tags/lab", expect=204)
    admin.error("PUT", f"/nothing/{trunk['id']}/tags", {"tags": []}, 404, "NotFound")


def test_tag_filters(member: Api) -> None:
    made = member.call("POST", "/networks", {"networks": [
        {"name": "tag-a", "tags": ["red", "blue"]}, {"name": "tag-b", "tags": ["red"]},
        {"name": "tag-c", "tags": ["green"]}]}, expect=201)["networks"]
    ids = {n["name"]: n["id"] for n in made}

    def names(**query: str) -> set[str]:
        return {n["name"] for n in member.get("/networks", **query)["networks"]
                if n["id"] in ids.values()}
    assert names(tags="red,blue") == {"tag-a"}
    assert names(**{"tags-any": "blue,green"}) == {"tag-a", "tag-c"}
    assert names(**{"not-tags": "red,blue"}) == {"tag-b", "tag-c"}
    assert names(**{"not-tags-any": "blue,green"}) == {"tag-b"}
    for ident in ids.values():
        member.call("DELETE", f"/networks/{ident}", expect=204)


def test_bulk_create_all_or_nothing(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "bulk-net"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.254.0.0/29"}}, expect=201)
    ports = member.call("POST", "/ports", {"ports": [
        {"network_id": net["id"], "name": "b1"}, {"network_id": net["id"], "name": "b2"}]},
        expect=201)["ports"]
    assert [p["name"] for p in ports] == ["b1", "b2"]
    before = member.get("/ports", network_id=net["id"])["ports"]
    # the /29 has 5 addresses (DHCP took one, b1 and b2 two): the 3rd of these fails
    member.error("POST", "/ports", {"ports": [{"network_id": net["id"], "name": f"c{i}"}
                                              for i in range(3)]},
                 409, "IpAddressGenerationFailure")
    assert member.get("/ports", network_id=net["id"])["ports"] == before
    member.error("POST", "/ports", {"ports": [{"network_id": net["id"]}, {"bogus": 1}]},
                 400, "HTTPBadRequest")
    assert len(member.get("/ports", network_id=net["id"])["ports"]) == len(before)
    member.error("POST", "/ports", {"ports": []}, 400, "HTTPBadRequest")
    for port in ports:
        member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_cli_network_tags(os_config: Path, admin: Api) -> None:
    net = _cli("network", "create", "--tag", "cli-red", "cli-tagged")
    assert net["tags"] == ["cli-red"]
    exe = str(Path(sys.executable).parent / "openstack")  # ``network set`` prints nothing
    subprocess.run([exe, "--os-cloud", "demo", "network", "set", "--tag", "cli-blue",
                    net["id"]], check=True, capture_output=True, timeout=60)
    assert sorted(admin.get(f"/networks/{net['id']}")["network"]["tags"]) == \
        ["cli-blue", "cli-red"]
    listed = _cli("network", "list", "--tags", "cli-red,cli-blue")
    assert [n["ID"] for n in listed] == [net["id"]]
    assert not _cli("network", "list", "--tags", "cli-red,cli-green")
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)
