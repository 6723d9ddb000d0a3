"""Group and group membership through conn.identity, against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.group import Group, GroupUser, UserGroup


def test_declaration() -> None:
    assert (Group.base_path, Group.resource_key, Group.resources_key) == \
        ("/groups", "group", "groups")
    assert Group.allow_create and Group.allow_retrieve and Group.allow_update
    assert Group.allow_delete and Group.allow_list and Group.commit_method == "PATCH"
    assert set(Group.query.mapping) >= {"domain_id", "name"}
    assert GroupUser.base_path == "/groups/%(group_id)s/users"
    assert GroupUser.create_method == "PUT" and GroupUser.allow_head
    assert not GroupUser.allow_update and not GroupUser.allow_retrieve
    assert UserGroup.base_path == "/users/%(user_id)s/groups" and not UserGroup.allow_create


def test_list_get_find_and_filters(conn, cloud) -> None:
    groups = conn.identity.groups()
    assert len(groups) == cloud.call(lambda: len(cloud.store.table("groups")))
    sre = conn.identity.groups(name="sre", domain_id="default")
    assert len(sre) == 1 and sre[0].name == "sre" and sre[0].domain_id == "default"
    assert all(g.domain_id == "default" for g in conn.identity.groups(domain_id="default"))
    assert conn.identity.get_group(sre[0].id) == sre[0]
    assert conn.identity.find_group("sre", domain_id="default") == sre[0]
    with pytest.raises(exc.DuplicateResource):
        conn.identity.find_group("sre")  # one per domain
    with pytest.raises(exc.NotFound):
        conn.identity.find_group("no-such-group")


def test_create_membership_update_delete(conn, unique) -> None:
    group = conn.identity.create_group(name=unique, domain_id="default", description="t")
    user = conn.identity.create_user(name=unique, domain_id="default")
    try:
        assert not conn.identity.check_user_in_group(user, group)
        conn.identity.add_user_to_group(user, group)
        assert conn.identity.check_user_in_group(user.id, group.id)
        assert conn.identity.group_users(group).ids() == [user.id]
        assert group.id in conn.identity.user_groups(user).ids()
        conn.identity.remove_user_from_group(user, group)
        assert not conn.identity.check_user_in_group(user, group)
        with pytest.raises(exc.NotFound):
            conn.identity.remove_user_from_group(user, group)
        group = conn.identity.update_group(group, description="renamed")
        assert group.description == "renamed"
    finally:
        conn.identity.delete_user(user)
        conn.identity.delete_group(group)
    assert conn.identity.find_group(group.id, ignore_missing=True) is None
