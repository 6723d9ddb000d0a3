"""SecurityGroupRule through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.security_group_rule import SecurityGroupRule


def test_declaration() -> None:
    assert (SecurityGroupRule.base_path, SecurityGroupRule.resource_key,
            SecurityGroupRule.resources_key) == \
        ("/security-group-rules", "security_group_rule", "security_group_rules")
    assert SecurityGroupRule.allow_create and SecurityGroupRule.allow_retrieve
    assert SecurityGroupRule.allow_delete and SecurityGroupRule.allow_list
    assert not SecurityGroupRule.allow_update
    assert SecurityGroupRule._props["ether_type"].server_key == "ethertype"
    assert SecurityGroupRule.query.mapping["ether_type"] == "ethertype"


def test_list_filter_get(conn) -> None:
    egress = conn.network.security_group_rules(direction="egress", ether_type="IPv6")
    assert egress and all(r.direction == "egress" and r.ether_type == "IPv6" for r in egress)
    rule = conn.network.get_security_group_rule(egress[0].id)
    assert rule == egress[0] and conn.network.find_security_group_rule(rule.id) == rule
    with pytest.raises(exc.NotFound):
        conn.network.get_security_group_rule("00000000-0000-4000-8000-000000000000")


def test_create_delete(member) -> None:
    group = member.network.create_security_group(name="osnb-sgr")
    try:
        rule = member.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", ether_type="IPv4",
            protocol="tcp", port_range_min=22, port_range_max=22,
            remote_ip_prefix="198.51.100.0/24")
        assert rule.port_range_min == 22 and rule.protocol == "tcp"
        found = member.network.security_group_rules(security_group_id=group.id,
                                                    direction="ingress")
        assert [r.id for r in found] == [rule.id]
        member.network.delete_security_group_rule(rule)
        assert not member.network.security_group_rules(security_group_id=group.id,
                                                       direction="ingress")
    finally:
        member.network.delete_security_group(group)
