"""ServerGroup through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server_group import ServerGroup


def test_declaration() -> None:
    assert (ServerGroup.base_path, ServerGroup.resource_key, ServerGroup.resources_key) == \
        ("/os-server-groups", "server_group", "server_groups")
    assert ServerGroup.allow_create and ServerGroup.allow_retrieve
    assert ServerGroup.allow_delete and ServerGroup.allow_list
    assert not ServerGroup.allow_update
    assert ServerGroup._props["member_ids"].server_key == "members"
    assert ServerGroup.query.mapping["all_projects"] == "all_projects"


def test_list_all_projects_get_find(conn, member) -> None:
    mine = conn.compute.server_groups()
    every = conn.compute.server_groups(all_projects=True)
    project = conn.current_project_id
    assert all(g.project_id == project for g in mine)
    assert len({g.project_id for g in every}) > 1 and len(every) > len(mine)
    group = next(g for g in every if g.member_ids)
    assert isinstance(group.rules, dict) and group.policy
    got = conn.compute.get_server_group(group.id)
    assert got.name == group.name and got.member_ids == group.member_ids
    own = member.compute.server_groups()[0]
    assert member.compute.find_server_group(own.name).id == own.id
    assert member.compute.find_server_group(own.id).name == own.name
    with pytest.raises(exc.NotFound):
        member.compute.find_server_group("osnb-no-such-group")
    # Nova ignores all_projects for a non-admin: the member still sees only its own.
    theirs = member.compute.server_groups(all_projects=True)
    assert {g.project_id for g in theirs} == {member.current_project_id}


def test_create_and_delete(member) -> None:
    group = member.compute.create_server_group(name="osnb-sg", policy="anti-affinity",
                                               rules={"max_server_per_host": 2})
    try:
        assert group.id and group.policy == "anti-affinity"
        assert group.rules == {"max_server_per_host": 2} and group.member_ids == []
        assert member.compute.get_server_group(group.id).name == "osnb-sg"
    finally:
        member.compute.delete_server_group(group)
    with pytest.raises(exc.NotFound):
        member.compute.get_server_group(group.id)
