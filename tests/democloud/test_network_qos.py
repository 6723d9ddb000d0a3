"""Neutron QoS in the demo cloud over HTTP: policies and rules (an admin's to write),
applied to ports and networks, minimum bandwidth asked of placement, shared by RBAC."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api, _cli
from .test_network_rbac import _member_of

GONE = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _policy(admin: Api, **attrs: Any) -> dict[str, Any]:
    return admin.call("POST", "/qos/policies", {"policy": {
        "name": f"qos-{uuid.uuid4().hex[:6]}", **attrs}}, expect=201)["policy"]


def test_seeded_policies_and_their_rules(member: Api) -> None:
    policies = {p["name"]: p for p in member.get("/qos/policies")["policies"]}
    assert {"bw-limit-100M", "voice-af41", "premium"} <= set(policies)
    bw = policies["bw-limit-100M"]
    assert bw["shared"] is True and bw["is_default"] is False
    assert set(bw) == {"id", "name", "description", "project_id", "tenant_id", "tags",
                       "created_at", "updated_at", "revision_number", "shared",
                       "is_default", "rules"}
    assert {(r["type"], r["direction"], r["max_kbps"]) for r in bw["rules"]} == {
        ("bandwidth_limit", "egress", 100000), ("bandwidth_limit", "ingress", 100000)}
    assert all(r["qos_policy_id"] == bw["id"] for r in bw["rules"])
    rules = member.get(f"/qos/policies/{bw['id']}/bandwidth_limit_rules")[
        "bandwidth_limit_rules"]
    assert {r["id"] for r in rules} == {r["id"] for r in bw["rules"]}
    assert set(rules[0]) == {"id", "max_kbps", "max_burst_kbps", "direction"}
    one = member.get(f"/qos/policies/{bw['id']}/bandwidth_limit_rules/{rules[0]['id']}")
    assert one["bandwidth_limit_rule"] == rules[0]
    assert member.get(f"/qos/policies/{bw['id']}/bandwidth_limit_rules",
                      direction="ingress")["bandwidth_limit_rules"][0]["direction"] == "ingress"
    voice = policies["voice-af41"]
    assert member.get(f"/qos/policies/{voice['id']}/dscp_marking_rules")[
        "dscp_marking_rules"][0]["dscp_mark"] == 34
    assert member.get("/qos/policies", name="voice-af41")["policies"] == [voice]


def test_rules_lifecycle_and_refusals(admin: Api, member: Api) -> None:
    policy = _policy(admin, description="test")
    base = f"/qos/policies/{policy['id']}"
    member.error("POST", "/qos/policies", {"policy": {"name": "x"}}, 403,
                 "PolicyNotAuthorized")
    member.error("POST", f"{base}/bandwidth_limit_rules",
                 {"bandwidth_limit_rule": {"max_kbps": 1}}, 403, "PolicyNotAuthorized")
    member.error("GET", base, None, 404, "QosPolicyNotFound")  # not shared, not theirs
    rule = admin.call("POST", f"{base}/bandwidth_limit_rules", {"bandwidth_limit_rule": {
        "max_kbps": "10000"}}, expect=201)["bandwidth_limit_rule"]
    assert rule["max_kbps"] == 10000 and rule["max_burst_kbps"] == 0 and \
        rule["direction"] == "egress"
    admin.error("POST", f"{base}/bandwidth_limit_rules",
                {"bandwidth_limit_rule": {"max_kbps": 5}}, 409, "QoSRulesConflict")
    admin.call("POST", f"{base}/bandwidth_limit_rules", {"bandwidth_limit_rule": {
        "max_kbps": 5, "direction": "ingress"}}, expect=201)
    admin.error("POST", f"{base}/bandwidth_limit_rules",
                {"bandwidth_limit_rule": {"max_kbps": -1}}, 400, "HTTPBadRequest")
    admin.error("POST", f"{base}/bandwidth_limit_rules", {"bandwidth_limit_rule": {}}, 400,
                "HTTPBadRequest")
    admin.error("POST", f"{base}/dscp_marking_rules", {"dscp_marking_rule": {
        "dscp_mark": 7}}, 400, "HTTPBadRequest")
    dscp = admin.call("POST", f"{base}/dscp_marking_rules", {"dscp_marking_rule": {
        "dscp_mark": "26"}}, expect=201)["dscp_marking_rule"]
    assert dscp == {"id": dscp["id"], "dscp_mark": 26}
    changed = admin.call("PUT", f"{base}/bandwidth_limit_rules/{rule['id']}", {
        "bandwidth_limit_rule": {"max_kbps": 20000}}, expect=200)["bandwidth_limit_rule"]
    assert changed["max_kbps"] == 20000
    shown = admin.get(base)["policy"]
    assert shown["revision_number"] >= 4 and len(shown["rules"]) == 3
    admin.error("GET", f"/qos/policies/{GONE}/bandwidth_limit_rules", None, 404,
                "QosPolicyNotFound")
    admin.error("GET", f"{base}/dscp_marking_rules/{rule['id']}", None, 404,
                "QosRuleNotFound")
    admin.call("DELETE", f"{base}/dscp_marking_rules/{dscp['id']}", expect=204)
    assert len(admin.get(base)["policy"]["rules"]) == 2
    admin.call("DELETE", base, expect=204)
    admin.error("GET", f"{base}/bandwidth_limit_rules/{rule['id']}", None, 404,
                "QosPolicyNotFound")


def test_one_default_per_project(admin: Api) -> None:
    first = _policy(admin, is_default=True)
    admin.error("POST", "/qos/policies", {"policy": {"name": "d2", "is_default": True}}, 409,
                "QoSPolicyDefaultAlreadyExists")
    second = _policy(admin)
    admin.error("PUT", f"/qos/policies/{second['id']}", {"policy": {"is_default": True}}, 409,
                "QoSPolicyDefaultAlreadyExists")
    for p in (first, second):
        admin.call("DELETE", f"/qos/policies/{p['id']}", expect=204)


def test_applied_to_ports_and_networks(admin: Api, member: Api) -> None:
    shared = member.get("/qos/policies", name="bw-limit-100M")["policies"][0]
    private = _policy(admin)
    net = member.call("POST", "/networks", {"network": {"name": "qos-net"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.251.0.0/24"}}, expect=201)
    try:
        member.error("POST", "/ports", {"port": {"network_id": net["id"],
                                                 "qos_policy_id": private["id"]}}, 404,
                     "QosPolicyNotFound")
        port = member.call("POST", "/ports", {"port": {
            "network_id": net["id"], "qos_policy_id": shared["id"]}}, expect=201)["port"]
        assert port["qos_policy_id"] == shared["id"] and port["qos_network_policy_id"] is None
        admin.error("DELETE", f"/qos/policies/{shared['id']}", None, 409, "QosPolicyInUse")
        member.call("PUT", f"/networks/{net['id']}", {"network": {
            "qos_policy_id": shared["id"]}}, expect=200)
        assert member.get(f"/ports/{port['id']}")["port"]["qos_network_policy_id"] == \
            shared["id"]
        member.error("PUT", f"/networks/{net['id']}", {"network": {
            "qos_policy_id": GONE}}, 404, "QosPolicyNotFound")
        member.call("PUT", f"/ports/{port['id']}", {"port": {"qos_policy_id": None}},
                    expect=200)
        member.call("PUT", f"/networks/{net['id']}", {"network": {"qos_policy_id": None}},
                    expect=200)
        member.call("DELETE", f"/ports/{port['id']}", expect=204)
    finally:
        member.call("DELETE", f"/networks/{net['id']}", expect=204)
        admin.call("DELETE", f"/qos/policies/{private['id']}", expect=204)


def test_minimum_bandwidth_asks_placement_on_provider_networks(admin: Api) -> None:
    policy = _policy(admin)
    base = f"/qos/policies/{policy['id']}"
    rule = admin.call("POST", f"{base}/minimum_bandwidth_rules", {"minimum_bandwidth_rule": {
        "min_kbps": 1000}}, expect=201)["minimum_bandwidth_rule"]
    vlan = admin.get("/networks", name="provider-vlan-110")["networks"][0]
    tunnelled = admin.get("/networks", name="shared-services")["networks"][0]
    on_vlan = admin.call("POST", "/ports", {"port": {
        "network_id": vlan["id"], "qos_policy_id": policy["id"]}}, expect=201)["port"]
    on_vxlan = admin.call("POST", "/ports", {"port": {
        "network_id": tunnelled["id"], "qos_policy_id": policy["id"]}}, expect=201)["port"]
    try:
        request = on_vlan["resource_request"]
        group = request["request_groups"][0]
        assert group["resources"] == {"NET_BW_EGR_KILOBIT_PER_SEC": 1000}
        assert group["required"] == ["CUSTOM_PHYSNET_PHYSNET1", "CUSTOM_VNIC_TYPE_NORMAL"]
        assert request["same_subtree"] == [group["id"]]
        assert on_vxlan["resource_request"] is None
        admin.call("PUT", f"{base}/minimum_bandwidth_rules/{rule['id']}", {
            "minimum_bandwidth_rule": {"min_kbps": 5000}}, expect=200)
        admin.call("POST", f"{base}/minimum_bandwidth_rules", {"minimum_bandwidth_rule": {
            "min_kbps": 300, "direction": "ingress"}}, expect=201)
        now = admin.get(f"/ports/{on_vlan['id']}")["port"]["resource_request"]
        assert now["request_groups"][0]["resources"] == {
            "NET_BW_EGR_KILOBIT_PER_SEC": 5000, "NET_BW_IGR_KILOBIT_PER_SEC": 300}
        admin.call("PUT", f"/ports/{on_vlan['id']}", {"port": {"qos_policy_id": None}},
                   expect=200)
        assert admin.get(f"/ports/{on_vlan['id']}")["port"]["resource_request"] is None
    finally:
        for port in (on_vlan, on_vxlan):
            admin.call("DELETE", f"/ports/{port['id']}", expect=204)
        admin.call("DELETE", base, expect=204)


def test_rule_types(member: Api) -> None:
    kinds = [t["type"] for t in member.get("/qos/rule-types")["rule_types"]]
    assert kinds == ["bandwidth_limit", "dscp_marking", "minimum_bandwidth",
                     "packet_rate_limit", "minimum_packet_rate"]
    detail = member.get("/qos/rule-types/dscp_marking")["rule_type"]
    params = {p["parameter_name"]: p for p in detail["drivers"][0]["supported_parameters"]}
    assert params["dscp_mark"]["parameter_type"] == "choices" and \
        34 in params["dscp_mark"]["parameter_values"]
    member.error("GET", "/qos/rule-types/bogus_limit", None, 404, "NotFound")


def test_shared_by_rbac_with_one_project(cloud: democloud.DemoCloud, admin_token: str,
                                         admin: Api, member: Api) -> None:
    policy = _policy(admin)
    mine = member.get("/ports")["ports"][0]["project_id"]
    member.error("GET", f"/qos/policies/{policy['id']}", None, 404, "QosPolicyNotFound")
    grant = admin.call("POST", "/rbac-policies", {"rbac_policy": {
        "object_type": "qos_policy", "object_id": policy["id"], "action": "access_as_shared",
        "target_tenant": mine}}, expect=201)["rbac_policy"]
    assert member.get(f"/qos/policies/{policy['id']}")["policy"]["id"] == policy["id"]
    others = [p["project_id"] for p in admin.get("/networks")["networks"]
              if p["project_id"] not in (mine, policy["project_id"])]
    bystander = Api(cloud, _member_of(cloud, admin_token, others[0]))
    bystander.error("GET", f"/qos/policies/{policy['id']}", None, 404, "QosPolicyNotFound")
    net = member.get("/networks", project_id=mine)["networks"][0]
    port = member.call("POST", "/ports", {"port": {"network_id": net["id"],
                                                   "qos_policy_id": policy["id"]}},
                       expect=201)["port"]
    admin.error("DELETE", f"/rbac-policies/{grant['id']}", None, 409, "RbacPolicyInUse")
    member.call("DELETE", f"/ports/{port['id']}", expect=204)
    admin.call("DELETE", f"/rbac-policies/{grant['id']}", expect=204)
    member.error("GET", f"/qos/policies/{policy['id']}", None, 404, "QosPolicyNotFound")
    admin.call("DELETE", f"/qos/policies/{policy['id']}", expect=204)


def test_cli_network_qos(os_config: Path, admin: Api) -> None:
    """``openstack network qos policy/rule …`` against the demo cloud."""
    name = f"cli-qos-{uuid.uuid4().hex[:6]}"
    made = _cli("network", "qos", "policy", "create", "--share", "--description", "cli",
                name)
    try:
        assert made["name"] == name and made["shared"] is True
        rule = _cli("network", "qos", "rule", "create", "--type", "bandwidth-limit",
                    "--max-kbps", "3000", "--egress", name)
        assert rule["max_kbps"] == 3000 and rule["direction"] == "egress"
        _cli("network", "qos", "rule", "create", "--type", "dscp-marking", "--dscp-mark",
             "18", name)
        rules = _cli("network", "qos", "rule", "list", name)
        assert sorted(r["Type"] for r in rules) == ["bandwidth_limit", "dscp_marking"]
        assert name in {p["Name"] for p in _cli("network", "qos", "policy", "list")}
        assert len(admin.get(f"/qos/policies/{made['id']}")["policy"]["rules"]) == 2
        kinds = {t["Type"] for t in _cli("network", "qos", "rule", "type", "list")}
        assert kinds == {"bandwidth_limit", "dscp_marking", "minimum_bandwidth",
                     "packet_rate_limit", "minimum_packet_rate"}
    finally:
        subprocess.run([str(Path(sys.executable).parent / "openstack"), "--os-cloud", "demo",
                        "network", "qos", "policy", "delete", name], check=True, timeout=60,
                       capture_output=True)
    admin.error("GET", f"/qos/policies/{made['id']}", None, 404, "QosPolicyNotFound")


def test_rules_by_id_alone(admin: Api, member: Api) -> None:
    """The ``alias_*_rules`` paths: a rule by its id, without its policy's, under the
    alias's own key (``alias_<kind>_rule``, in an update's body too), as Neutron 29 has
    them."""
    premium = member.get("/qos/policies", name="premium")["policies"][0]
    rule = next(r for r in premium["rules"] if r["type"] == "minimum_bandwidth")
    shown = member.get(f"/qos/alias_minimum_bandwidth_rules/{rule['id']}")
    assert shown == {"alias_minimum_bandwidth_rule": {
        k: rule[k] for k in ("id", "min_kbps", "direction")}}
    member.error("PUT", f"/qos/alias_minimum_bandwidth_rules/{rule['id']}", {
        "alias_minimum_bandwidth_rule": {"min_kbps": 1}}, 403, "PolicyNotAuthorized")
    member.error("GET", f"/qos/alias_dscp_marking_rules/{GONE}", None, 404, "QosRuleNotFound")
    policy = _policy(admin)
    mark = admin.call("POST", f"/qos/policies/{policy['id']}/dscp_marking_rules", {
        "dscp_marking_rule": {"dscp_mark": 10}}, expect=201)["dscp_marking_rule"]
    member.error("GET", f"/qos/alias_dscp_marking_rules/{mark['id']}", None, 404,
                 "QosPolicyNotFound")  # the policy is not the member's to see
    assert "Unable to find 'alias_dscp_marking_rule'" in admin.error(
        "PUT", f"/qos/alias_dscp_marking_rules/{mark['id']}",
        {"dscp_marking_rule": {"dscp_mark": 12}}, 400, "HTTPBadRequest")
    changed = admin.call("PUT", f"/qos/alias_dscp_marking_rules/{mark['id']}", {
        "alias_dscp_marking_rule": {"dscp_mark": 12}}, expect=200)
    assert changed == {"alias_dscp_marking_rule": {"dscp_mark": 12, "id": mark["id"]}}
    admin.call("DELETE", f"/qos/alias_dscp_marking_rules/{mark['id']}", expect=204)
    assert admin.get(f"/qos/policies/{policy['id']}")["policy"]["rules"] == []
    admin.call("DELETE", f"/qos/policies/{policy['id']}", expect=204)
