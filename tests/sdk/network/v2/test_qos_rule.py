"""QoSPolicy, its rules and QoSRuleType through conn.network, against the demo cloud."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.qos_policy import QoSPolicy
from osnb.sdk.network.v2.qos_rule import (
    QoSBandwidthLimitRule,
    QoSDSCPMarkingRule,
    QoSMinimumBandwidthRule,
    QoSRuleType,
)


def test_declarations() -> None:
    assert (QoSPolicy.base_path, QoSPolicy.resource_key, QoSPolicy.resources_key) == \
        ("/qos/policies", "policy", "policies")
    assert QoSPolicy._props["is_shared"].server_key == "shared"
    assert QoSPolicy.query.mapping["is_shared"] == "shared"
    for kind, key in ((QoSBandwidthLimitRule, "bandwidth_limit_rule"),
                      (QoSDSCPMarkingRule, "dscp_marking_rule"),
                      (QoSMinimumBandwidthRule, "minimum_bandwidth_rule")):
        assert kind.resource_key == key and kind.resources_key == key + "s"
        assert kind.base_path == f"/qos/policies/%(qos_policy_id)s/{key}s"
        assert kind._props["qos_policy_id"].in_uri
    assert QoSRuleType._props["type"].alternate_id
    assert not QoSRuleType.allow_create


def test_policies_and_rules_listed_as_frames(member) -> None:
    shared = member.network.qos_policies(is_shared=True)
    names = {p.name for p in shared}
    assert {"bw-limit-100M", "voice-af41", "premium"} <= names
    bw = member.network.find_qos_policy("bw-limit-100M")
    assert bw is not None and bw.is_shared and len(bw.rules) == 2
    rules = member.network.qos_bandwidth_limit_rules(bw)
    assert {r.direction for r in rules} == {"egress", "ingress"}
    assert all(r.max_kbps == 100000 and r.qos_policy_id == bw.id for r in rules)
    frame = rules.to_pandas()
    assert len(frame) == 2 and {"max_kbps", "direction"} <= set(frame)
    assert len(shared.to_pandas()) == len(shared)
    one = member.network.get_qos_bandwidth_limit_rule(rules[0].id, bw)
    assert one.max_burst_kbps == 10000
    assert member.network.find_qos_bandwidth_limit_rule(rules[0].id, bw.id).id == rules[0].id
    voice = member.network.find_qos_policy("voice-af41")
    assert [r.dscp_mark for r in member.network.qos_dscp_marking_rules(voice)] == [34]
    with pytest.raises(exc.NotFound):
        member.network.get_qos_policy(str(uuid.uuid4()))


def test_admin_writes_member_may_not(conn, member) -> None:
    with pytest.raises(exc.HttpException) as err:
        member.network.create_qos_policy(name="nope")
    assert err.value.status_code == 403
    policy = conn.network.create_qos_policy(name=f"osnb-qos-{uuid.uuid4().hex[:6]}",
                                            description="sdk")
    try:
        assert policy.is_shared is False and policy.rules == []
        bw = conn.network.create_qos_bandwidth_limit_rule(policy, max_kbps=5000,
                                                          direction="ingress")
        assert bw.max_kbps == 5000 and bw.qos_policy_id == policy.id
        bw = conn.network.update_qos_bandwidth_limit_rule(bw, policy, max_kbps=6000)
        assert bw.max_kbps == 6000
        dscp = conn.network.create_qos_dscp_marking_rule(policy.id, dscp_mark=46)
        assert conn.network.update_qos_dscp_marking_rule(dscp.id, policy,
                                                         dscp_mark=48).dscp_mark == 48
        low = conn.network.create_qos_minimum_bandwidth_rule(policy, min_kbps=1000)
        assert conn.network.get_qos_minimum_bandwidth_rule(low, policy).direction == "egress"
        assert conn.network.update_qos_minimum_bandwidth_rule(
            low, policy, min_kbps=2000).min_kbps == 2000
        with pytest.raises(exc.HttpException) as conflict:
            conn.network.create_qos_minimum_bandwidth_rule(policy, min_kbps=1)
        assert conflict.value.status_code == 409
        assert len(conn.network.get_qos_policy(policy).rules) == 3
        policy = conn.network.update_qos_policy(policy, description="changed")
        assert policy.description == "changed"
        conn.network.delete_qos_dscp_marking_rule(dscp, policy)
        conn.network.delete_qos_bandwidth_limit_rule(bw, policy)
        conn.network.delete_qos_minimum_bandwidth_rule(low, policy)
        assert conn.network.delete_qos_minimum_bandwidth_rule(low, policy) is None
        assert conn.network.get_qos_policy(policy).rules == []
    finally:
        conn.network.delete_qos_policy(policy)
    assert conn.network.find_qos_policy(policy.id, ignore_missing=True) is None


def test_rule_types(member) -> None:
    kinds = member.network.qos_rule_types()
    assert [k.type for k in kinds] == ["bandwidth_limit", "dscp_marking", "minimum_bandwidth",
                                       "packet_rate_limit", "minimum_packet_rate"]
    detail = member.network.get_qos_rule_type("bandwidth_limit")
    params = {p["parameter_name"] for p in detail.drivers[0]["supported_parameters"]}
    assert params == {"max_kbps", "max_burst_kbps", "direction"}
    assert member.network.find_qos_rule_type("minimum_bandwidth").type == "minimum_bandwidth"
