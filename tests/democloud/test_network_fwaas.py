"""FWaaS v2 in the demo cloud over HTTP: rules checked, policies keeping their order
through insert_rule/remove_rule, groups on router ports with the status following them,
what is in use kept, sharing an admin's."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api

FW = "/fwaas"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _rule(api: Api, **attrs: Any) -> dict[str, Any]:
    body = {"name": "osnb-rule", "protocol": "tcp", "action": "allow", **attrs}
    return api.call("POST", f"{FW}/firewall_rules", {"firewall_rule": body},
                    expect=201)["firewall_rule"]


def test_seeded_edge_firewall(admin: Api) -> None:
    group = next(g for g in admin.get(f"{FW}/firewall_groups")["firewall_groups"]
                 if g["name"] == "edge")
    assert group["status"] == "ACTIVE" and len(group["ports"]) == 1
    port = admin.get(f"/ports/{group['ports'][0]}")["port"]
    assert port["device_owner"] == "network:router_interface"
    policy = admin.get(f"{FW}/firewall_policies/{group['ingress_firewall_policy_id']}")[
        "firewall_policy"]
    rules = [admin.get(f"{FW}/firewall_rules/{r}")["firewall_rule"]
             for r in policy["firewall_rules"]]
    assert [r["position"] for r in rules] == [1, 2, 3, 4]
    assert {r["firewall_policy_id"] for r in rules} == {policy["id"]}
    admin.error("DELETE", f"{FW}/firewall_groups/{group['id']}", None, 409,
                "FirewallGroupInUse")
    admin.error("DELETE", f"{FW}/firewall_policies/{policy['id']}", None, 409,
                "FirewallPolicyInUse")
    admin.error("DELETE", f"{FW}/firewall_rules/{rules[0]['id']}", None, 409,
                "FirewallRuleInUse")


def test_rule_checks(member: Api) -> None:
    rule = _rule(member, destination_port="8000:8080")
    assert rule["ip_version"] == 4 and rule["enabled"] is True and rule["shared"] is False
    assert rule["position"] is None and rule["firewall_policy_id"] is None
    for body, type_ in (
            ({"protocol": "icmp", "destination_port": "22"},
             "FirewallRuleInvalidICMPParameter"),
            ({"protocol": None, "destination_port": "22"},
             "FirewallRuleWithPortWithoutProtocolInvalid"),
            ({"ip_version": 6, "source_ip_address": "10.0.0.0/8"},
             "FirewallIpAddressConflict"),
            ({"destination_port": "90:80"}, "HTTPBadRequest"),
            ({"action": "maybe"}, "HTTPBadRequest")):
        member.error("POST", f"{FW}/firewall_rules",
                     {"firewall_rule": {"protocol": "tcp", **body}}, 400, type_)
    member.error("POST", f"{FW}/firewall_rules", {"firewall_rule": {"shared": True}}, 403,
                 "PolicyNotAuthorized")
    member.call("DELETE", f"{FW}/firewall_rules/{rule['id']}", expect=204)


def test_policy_order_and_audit(member: Api, admin: Api) -> None:
    a, b, c = (_rule(member, destination_port=str(p)) for p in (80, 443, 22))
    policy = member.call("POST", f"{FW}/firewall_policies", {"firewall_policy": {
        "name": "osnb-policy", "firewall_rules": [a["id"]], "audited": True}},
        expect=201)["firewall_policy"]
    assert policy["audited"] is True
    url = f"{FW}/firewall_policies/{policy['id']}"
    got = member.call("PUT", url + "/insert_rule", {"firewall_rule_id": c["id"],
                                                    "insert_after": a["id"]}, expect=200)
    assert got["firewall_rules"] == [a["id"], c["id"]] and got["audited"] is False
    got = member.call("PUT", url + "/insert_rule", {"firewall_rule_id": b["id"],
                                                    "insert_before": c["id"]}, expect=200)
    assert got["firewall_rules"] == [a["id"], b["id"], c["id"]]
    assert member.get(f"{FW}/firewall_rules/{c['id']}")["firewall_rule"]["position"] == 3
    member.error("PUT", url + "/insert_rule", {"firewall_rule_id": b["id"]}, 400,
                 "FirewallRuleAlreadyAssociated")
    got = member.call("PUT", url + "/remove_rule", {"firewall_rule_id": b["id"]}, expect=200)
    assert got["firewall_rules"] == [a["id"], c["id"]]
    member.error("PUT", url + "/remove_rule", {"firewall_rule_id": b["id"]}, 400,
                 "FirewallRuleNotAssociatedWithPolicy")
    member.error("PUT", url + "/insert_rule", {"firewall_rule_id": str(uuid.uuid4())}, 404,
                 "FirewallRuleNotFound")
    # another project sees nothing of it
    other = admin.get(f"{FW}/firewall_policies")["firewall_policies"]
    assert any(p["id"] == policy["id"] for p in other)
    member.call("DELETE", url, expect=204)
    for rule in (a, b, c):
        member.call("DELETE", f"{FW}/firewall_rules/{rule['id']}", expect=204)


def test_group_ports_and_status(member: Api, admin: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "osnb-fw-net"}},
                      expect=201)["network"]
    subnet = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.231.0.0/24"}},
        expect=201)["subnet"]
    router = member.call("POST", "/routers", {"router": {"name": "osnb-fw-router"}},
                         expect=201)["router"]
    iface = member.call("PUT", f"/routers/{router['id']}/add_router_interface",
                        {"subnet_id": subnet["id"]}, expect=200)["port_id"]
    group = member.call("POST", f"{FW}/firewall_groups", {"firewall_group": {
        "name": "osnb-fwg"}}, expect=201)["firewall_group"]
    assert group["status"] == "INACTIVE" and group["ports"] == []
    url = f"{FW}/firewall_groups/{group['id']}"
    got = member.call("PUT", url, {"firewall_group": {"ports": [iface]}},
                      expect=200)["firewall_group"]
    assert got["status"] == "ACTIVE" and got["ports"] == [iface]
    member.error("DELETE", url, None, 409, "FirewallGroupInUse")
    second = member.call("POST", f"{FW}/firewall_groups", {"firewall_group": {
        "name": "osnb-fwg-2"}}, expect=201)["firewall_group"]
    member.error("PUT", f"{FW}/firewall_groups/{second['id']}",
                 {"firewall_group": {"ports": [iface]}}, 409, "FirewallGroupPortInUse")
    got = member.call("PUT", url, {"firewall_group": {"admin_state_up": "false"}},
                      expect=200)["firewall_group"]
    assert got["status"] == "DOWN"
    # the admin's own group may not take the member's port
    admin.error("POST", f"{FW}/firewall_groups", {"firewall_group": {"ports": [iface]}},
                409, "FirewallGroupPortInvalidProject")
    dhcp = member.call("POST", "/ports", {"port": {"network_id": net["id"],
                                                   "device_owner": "network:dhcp"}},
                       expect=201)["port"]
    member.error("PUT", url, {"firewall_group": {"ports": [dhcp["id"]]}}, 409,
                 "FirewallGroupPortInvalid")
    member.error("PUT", url, {"firewall_group": {
        "ingress_firewall_policy_id": str(uuid.uuid4())}}, 404, "FirewallPolicyNotFound")
    member.call("PUT", url, {"firewall_group": {"ports": []}}, expect=200)
    for gid in (group["id"], second["id"]):
        member.call("DELETE", f"{FW}/firewall_groups/{gid}", expect=204)
    member.call("DELETE", f"/ports/{dhcp['id']}", expect=204)
    member.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                {"subnet_id": subnet["id"]}, expect=200)
    member.call("DELETE", f"/routers/{router['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)
