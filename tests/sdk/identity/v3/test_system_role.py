"""System role grants (openstacksdk's ``*_system_role_*`` names) against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.role_grant import RoleSystemGroupAssignment, RoleSystemUserAssignment


def test_declarations() -> None:
    assert RoleSystemUserAssignment.base_path == "/system/users/%(user_id)s/roles"
    assert RoleSystemGroupAssignment.base_path == "/system/groups/%(group_id)s/roles"


def test_assign_validate_list_unassign(conn, member, unique) -> None:
    user = conn.identity.create_user(name=unique)
    group = conn.identity.create_group(name=unique)
    reader = conn.identity.find_role("reader")
    try:
        assert conn.identity.validate_user_has_system_role(user, reader) is False
        conn.identity.assign_system_role_to_user(user, reader, "all")
        assert conn.identity.validate_user_has_system_role(user, reader) is True
        granted = conn.identity.role_assignments_filter(system="all", user=user.id)
        assert granted.ids() == [reader.id] and granted.to_pandas().loc[reader.id, "name"] \
            == "reader"
        with pytest.raises(exc.Forbidden):
            member.identity.assign_system_role_to_user(user.id, reader.id)
        conn.identity.unassign_system_role_from_user(user, reader)
        assert conn.identity.validate_user_has_system_role(user, reader) is False
        with pytest.raises(exc.NotFound):
            conn.identity.unassign_system_role_from_user(user, reader)
        conn.identity.assign_system_role_to_group(group, reader)
        assert conn.identity.validate_group_has_system_role(group, reader) is True
        assert conn.identity.role_assignments_filter(system="all", group=group).ids() == \
            [reader.id]
        conn.identity.unassign_system_role_from_group(group, reader)
        assert conn.identity.validate_group_has_system_role(group, reader) is False
        with pytest.raises(exc.InvalidRequest):
            conn.identity.role_assignments_filter(system="all", project="p", user=user)
    finally:
        conn.identity.delete_user(user)
        conn.identity.delete_group(group)
