"""Role through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.role import Role


def test_declaration() -> None:
    assert (Role.base_path, Role.resource_key, Role.resources_key) == \
        ("/roles", "role", "roles")
    assert Role.allow_create and Role.allow_retrieve and Role.allow_update
    assert Role.allow_delete and Role.allow_list and Role.commit_method == "PATCH"
    assert set(Role.query.mapping) >= {"name", "domain_id"}


def test_list_get_find(conn, cloud) -> None:
    roles = conn.identity.roles()
    assert len(roles) == cloud.call(lambda: len(cloud.store.table("roles")))
    assert {"admin", "member", "reader"} <= {r.name for r in roles}
    member = conn.identity.find_role("member")
    assert member.id == cloud.store.meta["role_ids"]["member"]
    assert conn.identity.get_role(member.id) == member
    assert conn.identity.roles(name="member").ids() == [member.id]
    with pytest.raises(exc.NotFound):
        conn.identity.find_role("no-such-role")


def test_create_update_delete(conn, unique) -> None:
    role = conn.identity.create_role(name=unique, description="test role")
    assert role.id and role.domain_id is None
    role = conn.identity.update_role(role, description="changed")
    assert role.description == "changed"
    conn.identity.delete_role(role)
    assert conn.identity.find_role(unique, ignore_missing=True) is None
