"""Role grants on a project or domain to a user or group
(``/v3/{projects|domains}/{id}/{users|groups}/{id}/roles/{role_id}``).

Each grant is a role: listing gives the roles granted, PUT grants, HEAD checks, DELETE
revokes. Class names follow openstacksdk's.
"""

from __future__ import annotations

from ...resource import uri
from .role import Role

__all__ = ["RoleDomainGroupAssignment", "RoleDomainUserAssignment",
           "RoleProjectGroupAssignment", "RoleProjectUserAssignment"]


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
