"""Role grants on a project, a domain or the system to a user or group
(``/v3/{projects|domains}/{id}/{users|groups}/{id}/roles/{role_id}``,
``/v3/system/{users|groups}/{id}/roles/{role_id}``).

Each grant is a role: listing gives the roles granted, PUT grants, HEAD checks, DELETE
revokes. Class names follow openstacksdk's.
"""

from __future__ import annotations

from ...resource import uri
from .role import Role

__all__ = ["RoleDomainGroupAssignment", "RoleDomainUserAssignment",
           "RoleProjectGroupAssignment", "RoleProjectUserAssignment",
           "RoleSystemGroupAssignment", "RoleSystemUserAssignment"]


class _RoleGrant(Role):
    create_method = "PUT"
    allow_create = allow_head = allow_delete = allow_list = True
    allow_retrieve = allow_update = False


class RoleProjectUserAssignment(_RoleGrant):
    """A role granted to a user on a project."""

    base_path = "/projects/%(project_id)s/users/%(user_id)s/roles"
    project_id: str | None = uri("project_id")
    user_id: str | None = uri("user_id")


class RoleProjectGroupAssignment(_RoleGrant):
    """A role granted to a group on a project."""

    base_path = "/projects/%(project_id)s/groups/%(group_id)s/roles"
    project_id: str | None = uri("project_id")
    group_id: str | None = uri("group_id")


class RoleDomainUserAssignment(_RoleGrant):
    """A role granted to a user on a domain."""

    base_path = "/domains/%(domain_id)s/users/%(user_id)s/roles"
    domain_id: str | None = uri("domain_id")
    user_id: str | None = uri("user_id")


class RoleDomainGroupAssignment(_RoleGrant):
    """A role granted to a group on a domain."""

    base_path = "/domains/%(domain_id)s/groups/%(group_id)s/roles"
    domain_id: str | None = uri("domain_id")
    group_id: str | None = uri("group_id")


class RoleSystemUserAssignment(_RoleGrant):
    """A role granted to a user on the system (what a system-scoped token carries)."""

    base_path = "/system/users/%(user_id)s/roles"
    user_id: str | None = uri("user_id")


class RoleSystemGroupAssignment(_RoleGrant):
    """A role granted to a group on the system."""

    base_path = "/system/groups/%(group_id)s/roles"
    group_id: str | None = uri("group_id")
