"""User through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.group import UserGroup
from osnb.sdk.identity.v3.user import User


def test_declaration() -> None:
    assert (User.base_path, User.resource_key, User.resources_key) == \
        ("/users", "user", "users")
    assert User.allow_create and User.allow_retrieve and User.allow_update
    assert User.allow_delete and User.allow_list and User.commit_method == "PATCH"
    assert User._props["password"].secret
    assert User.query.mapping["is_enabled"] == "enabled"


def test_password_is_masked() -> None:
    user = User(name="x", password="hunter2")
    assert user.to_dict()["password"] == "***"
    assert "hunter2" not in repr(user)
    assert user.to_dict(reveal_secrets=True)["password"] == "hunter2"


def test_list_and_filters(conn, cloud) -> None:
    users = conn.identity.users()
    assert len(users) == cloud.call(lambda: len(cloud.store.table("users")))
    admin = conn.identity.users(name="admin")
    assert [u.name for u in admin] == ["admin"] and admin[0].domain_id == "default"
    in_default = conn.identity.users(domain_id="default")
    assert in_default and all(u.domain_id == "default" for u in in_default)
    assert all(u.is_enabled for u in conn.identity.users(is_enabled=True))


def test_get_find_and_member_sees_itself(conn, member) -> None:
    admin = conn.identity.find_user("admin", domain_id="default")
    assert admin.email == "cloud-admin@example.org"
    assert conn.identity.get_user(admin.id) == admin
    me = member.identity.get_user(member.current_user_id)
    assert me.id == member.current_user_id and me.password is None
    with pytest.raises(exc.Forbidden):
        member.identity.users()
    assert conn.identity.find_user("no-such-user", ignore_missing=True) is None


def test_create_update_delete(conn, unique) -> None:
    project = conn.identity.find_project("admin")
    user = conn.identity.create_user(name=unique, domain_id="default", password="s3cret-pw",
                                     email=f"{unique}@example.org",
                                     default_project_id=project.id)
    assert user.id and user.is_enabled is True and user.default_project_id == project.id
    assert "password" not in user.raw or user.to_dict()["password"] == "***"
    user = conn.identity.update_user(user, is_enabled=False, description="disabled")
    assert user.is_enabled is False and user.description == "disabled"
    conn.identity.delete_user(user)
    assert conn.identity.find_user(user.id, ignore_missing=True) is None


def test_user_groups(conn, cloud) -> None:
    members = cloud.call(lambda: list(cloud.store.table("group_members").values()))
    sample = members[0]
    groups = conn.identity.user_groups(sample["user_id"])
    assert sample["group_id"] in groups.ids()
    assert all(isinstance(g, UserGroup) for g in groups)
