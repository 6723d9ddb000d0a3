"""SecurityGroup through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.security_group import SecurityGroup
from osnb.sdk.network.v2.security_group_rule import SecurityGroupRule


def test_declaration() -> None:
    assert (SecurityGroup.base_path, SecurityGroup.resource_key,
            SecurityGroup.resources_key) == \
        ("/security-groups", "security_group", "security_groups")
    assert SecurityGroup.allow_create and SecurityGroup.allow_retrieve
    assert SecurityGroup.allow_update and SecurityGroup.allow_delete
    assert SecurityGroup.allow_list
    assert SecurityGroup.query.mapping["is_shared"] == "shared"


def test_list_filter_get_find(conn) -> None:
    groups = conn.network.security_groups()
    assert groups
    first = groups[0]
    rules = first.security_group_rules
    assert rules and isinstance(rules[0], SecurityGroupRule)
    assert rules[0].security_group_id == first.id
    named = conn.network.security_groups(name=first.name)
    assert first in named and all(g.name == first.name for g in named)
    assert conn.network.get_security_group(first.id).name == first.name
    assert conn.network.find_security_group(first.id) == first
    with pytest.raises(exc.NotFound):
        conn.network.find_security_group("no-such-group")


def test_create_update_delete(member) -> None:
    group = member.network.create_security_group(name="osnb-sg", description="test")
    try:
        assert group.project_id == member.current_project_id
        assert group.security_group_rules  # the default egress rules
        updated = member.network.update_security_group(group, description="changed")
        assert updated.description == "changed"
        assert member.network.find_security_group("osnb-sg").id == group.id
    finally:
        member.network.delete_security_group(group)
    assert member.network.find_security_group(group.id, ignore_missing=True) is None
