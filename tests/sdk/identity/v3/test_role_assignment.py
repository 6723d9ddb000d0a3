"""Role assignments and role grants through conn.identity, against the demo cloud."""

from __future__ import annotations

from typing import Any

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.role_assignment import RoleAssignment
from osnb.sdk.identity.v3.role_grant import (
    RoleDomainGroupAssignment,
    RoleProjectUserAssignment,
)


def test_declaration() -> None:
    assert (RoleAssignment.base_path, RoleAssignment.resources_key) == \
        ("/role_assignments", "role_assignments")
    assert RoleAssignment.allow_list and not RoleAssignment.allow_create
    assert not RoleAssignment.allow_retrieve and not RoleAssignment.allow_delete
    mapping = RoleAssignment.query.mapping
    assert mapping["user_id"] == "user.id" and mapping["group_id"] == "group.id"
    assert mapping["role_id"] == "role.id"
    assert mapping["scope_project_id"] == "scope.project.id"
    assert mapping["scope_domain_id"] == "scope.domain.id"
    assert {"effective", "include_names", "include_subtree"} <= set(mapping)
    assert RoleProjectUserAssignment.base_path == \
        "/projects/%(project_id)s/users/%(user_id)s/roles"
    assert RoleProjectUserAssignment.create_method == "PUT"
    assert RoleProjectUserAssignment.allow_head and RoleProjectUserAssignment.allow_delete
    assert RoleDomainGroupAssignment.base_path == \
        "/domains/%(domain_id)s/groups/%(group_id)s/roles"


def test_list_and_filters(conn, cloud) -> None:
    everything = conn.identity.role_assignments()
    assert len(everything) == cloud.call(lambda: len(cloud.store.table("role_assignments")))
    project_id = cloud.store.meta["member_project_id"]
    on_project = conn.identity.role_assignments(scope_project_id=project_id)
    assert on_project and all(a.scope["project"]["id"] == project_id for a in on_project)
    member_role = cloud.store.meta["role_ids"]["member"]
    with_role = conn.identity.role_assignments(role_id=member_role)
    assert with_role and all(a.role["id"] == member_role for a in with_role)
    admin = conn.identity.find_user("admin")
    mine = conn.identity.role_assignments(user_id=admin.id)
    assert mine and all(a.user["id"] == admin.id for a in mine)
    on_domain = conn.identity.role_assignments(scope_domain_id="default")
    assert on_domain and all(a.scope["domain"]["id"] == "default" for a in on_domain)
    groups = [a for a in everything if a.group]
    group_id = groups[0].group["id"]
    by_group = conn.identity.role_assignments(group_id=group_id)
    assert by_group and all(a.group["id"] == group_id for a in by_group)


def test_effective_names_and_subtree(conn, cloud) -> None:
    project_id = cloud.store.meta["member_project_id"]
    direct = conn.identity.role_assignments(scope_project_id=project_id)
    effective = conn.identity.role_assignments(scope_project_id=project_id, effective=True)
    assert all(a.group is None for a in effective) and len(effective) > len(direct)
    named = conn.identity.role_assignments(scope_project_id=project_id, include_names=True)
    assert all(a.role.get("name") and a.scope["project"].get("name") for a in named)
    subtree = conn.identity.role_assignments(scope_project_id=project_id,
                                             include_subtree=True)
    key = lambda a: (a.role["id"], str(a.user), str(a.group))  # noqa: E731 - no ids
    assert {key(a) for a in direct} <= {key(a) for a in subtree}
    with pytest.raises(exc.BadRequest):
        conn.identity.role_assignments(include_subtree=True)


@pytest.fixture
def actors(conn, unique) -> Any:
    user = conn.identity.create_user(name=unique, domain_id="default")
    group = conn.identity.create_group(name=unique, domain_id="default")
    project = conn.identity.create_project(name=unique, domain_id="default")
    yield user, group, project, conn.identity.find_role("reader")
    conn.identity.delete_user(user)
    conn.identity.delete_group(group)
    conn.identity.delete_project(project)


def test_project_grants(conn, actors) -> None:
    user, group, project, role = actors
    ident = conn.identity
    assert not ident.validate_user_has_project_role(project, user, role)
    ident.assign_project_role_to_user(project, user, role)
    assert ident.validate_user_has_project_role(project.id, user.id, role.id)
    assert ident.role_assignments_filter(project=project, user=user).ids() == [role.id]
    assert project.id in ident.user_projects(user).ids()
    found = ident.role_assignments(user_id=user.id, scope_project_id=project.id)
    assert [a.role["id"] for a in found] == [role.id]
    ident.unassign_project_role_from_user(project, user, role)
    assert not ident.validate_user_has_project_role(project, user, role)
    with pytest.raises(exc.NotFound):
        ident.unassign_project_role_from_user(project, user, role)

    ident.assign_project_role_to_group(project, group, role)
    assert ident.validate_group_has_project_role(project, group, role)
    assert ident.role_assignments_filter(project=project, group=group).ids() == [role.id]
    ident.unassign_project_role_from_group(project, group, role)
    assert not ident.validate_group_has_project_role(project, group, role)


def test_domain_grants(conn, actors) -> None:
    user, group, _, role = actors
    ident = conn.identity
    ident.assign_domain_role_to_user("default", user, role)
    assert ident.validate_user_has_domain_role("default", user, role)
    assert role.id in ident.role_assignments_filter(domain="default", user=user).ids()
    ident.unassign_domain_role_from_user("default", user, role)
    assert not ident.validate_user_has_domain_role("default", user, role)
    ident.assign_domain_role_to_group("default", group, role)
    assert ident.validate_group_has_domain_role("default", group, role)
    ident.unassign_domain_role_from_group("default", group, role)
    assert not ident.validate_group_has_domain_role("default", group, role)
    with pytest.raises(exc.InvalidRequest):
        ident.role_assignments_filter(domain="default", project="x", user=user)
