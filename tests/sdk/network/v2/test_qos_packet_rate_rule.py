"""Packet-rate QoS rules through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.qos_packet_rate_rule import (
    QoSMinimumPacketRateRule,
    QoSPacketRateLimitRule,
)


def test_declarations() -> None:
    assert QoSPacketRateLimitRule.resource_key == "packet_rate_limit_rule"
    assert QoSMinimumPacketRateRule.base_path == \
        "/qos/policies/%(qos_policy_id)s/minimum_packet_rate_rules"
    assert QoSMinimumPacketRateRule._props["qos_policy_id"].in_uri


def test_packet_rate_rules(conn) -> None:
    policy = conn.network.create_qos_policy(name="osnb-pps")
    cap = conn.network.create_qos_packet_rate_limit_rule(policy, max_kpps=2000)
    floor = conn.network.create_qos_minimum_packet_rate_rule(policy, min_kpps=100,
                                                             direction="any")
    assert conn.network.get_qos_packet_rate_limit_rule(cap.id, policy).max_kpps == 2000
    conn.network.update_qos_minimum_packet_rate_rule(floor, policy, min_kpps=200)
    assert [r.min_kpps for r in conn.network.qos_minimum_packet_rate_rules(policy)] == [200]
    assert len(conn.network.qos_packet_rate_limit_rules(policy)) == 1
    conn.network.delete_qos_packet_rate_limit_rule(cap, policy)
    conn.network.delete_qos_policy(policy)


def test_any_direction_conflicts(conn) -> None:
    policy = conn.network.create_qos_policy(name="osnb-pps-any")
    conn.network.create_qos_minimum_packet_rate_rule(policy, min_kpps=100, direction="any")
    with pytest.raises(exc.Conflict):
        conn.network.create_qos_minimum_packet_rate_rule(policy, min_kpps=5,
                                                         direction="egress")
    conn.network.delete_qos_policy(policy)
