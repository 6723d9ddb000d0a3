"""Role assignments: who holds which role where (Keystone ``/v3/role_assignments``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["RoleAssignment"]


class RoleAssignment(Resource):
    """One assignment: ``role``, ``scope`` and a ``user`` or a ``group``, as ``{"id": …}``
    dicts (with ``name`` and ``domain`` when listed with ``include_names``)."""

    resource_key = "role_assignment"
    resources_key = "role_assignments"
    base_path = "/role_assignments"
    service = "identity"
    allow_list = True
    query = Query("effective", "include_names", "include_subtree",
                  user_id="user.id", group_id="group.id", role_id="role.id",
                  scope_project_id="scope.project.id", scope_domain_id="scope.domain.id",
                  scope_system="scope.system", inherited_to="scope.OS-INHERIT:inherited_to")

    role: dict | None = prop("role")
    scope: dict | None = prop("scope")
    user: dict | None = prop("user")
    group: dict | None = prop("group")
    links: dict | None = prop("links")
