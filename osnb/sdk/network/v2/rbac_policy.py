"""RBAC policies: who else may use a network, QoS policy or security group (Neutron
``/rbac-policies``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["RBACPolicy"]


class RBACPolicy(Resource):
    """One grant: ``action`` (``access_as_shared``/``access_as_external``) on
    ``object_id`` for ``target_project_id`` (``*``: every project)."""

    resource_key = "rbac_policy"
    resources_key = "rbac_policies"
    base_path = "/rbac-policies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("action", "fields", "object_id", "object_type", "project_id", "id",
                  "tenant_id", "sort_key", "sort_dir", target_project_id="target_tenant")

    object_id: str | None = prop("object_id")
    object_type: str | None = prop("object_type")
    action: str | None = prop("action")
    target_project_id: str | None = prop("target_tenant")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
