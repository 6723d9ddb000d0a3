"""FWaaS v2 through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.firewall import FirewallGroup, FirewallPolicy, FirewallRule


def test_declarations() -> None:
    assert FirewallRule.base_path == "/fwaas/firewall_rules"
    assert FirewallPolicy._props["firewall_rules"].server_key == "firewall_rules"
    assert FirewallGroup._props["admin_state_up"].server_key == "admin_state_up"


def test_seeded_listings_as_frames(conn) -> None:
    group = next(g for g in conn.network.firewall_groups() if g.name == "edge")
    assert group.status == "ACTIVE" and len(group.ports) == 1
    policy = conn.network.get_firewall_policy(group.ingress_firewall_policy_id)
    rules = conn.network.firewall_rules()
    assert set(policy.firewall_rules) <= {r.id for r in rules}
    assert len(rules.to_pandas()) == len(rules)
    assert len(conn.network.firewall_policies().to_pandas()) >= 2


def test_policy_keeps_rule_order(member) -> None:
    a, b, c = (member.network.create_firewall_rule(name=f"osnb-fw-{i}", protocol="tcp",
                                                   destination_port=str(80 + i),
                                                   action="allow") for i in range(3))
    policy = member.network.create_firewall_policy(name="osnb-fwp", firewall_rules=[a.id])
    try:
        policy = member.network.insert_rule_into_policy(policy, c, insert_after=a.id)
        policy = member.network.insert_rule_into_policy(policy.id, b, insert_before=c.id)
        assert policy.firewall_rules == [a.id, b.id, c.id]
        assert member.network.get_firewall_rule(c).position == 3
        policy = member.network.remove_rule_from_policy(policy, b)
        assert policy.firewall_rules == [a.id, c.id]
        with pytest.raises(exc.Conflict):
            member.network.delete_firewall_rule(a, ignore_missing=False)
    finally:
        member.network.delete_firewall_policy(policy)
        for rule in (a, b, c):
            member.network.delete_firewall_rule(rule)
