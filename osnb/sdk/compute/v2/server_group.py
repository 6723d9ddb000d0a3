"""Server groups: (anti-)affinity policies for sets of servers (Nova ``/os-server-groups``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ServerGroup"]


class ServerGroup(Resource):
    """A placement policy shared by its member servers."""

    resource_key = "server_group"
    resources_key = "server_groups"
    base_path = "/os-server-groups"
    service = "compute"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.64"
    query = Query("all_projects", "offset")

    policy: str | None = prop("policy")
    policies: list[str] | None = prop("policies")
    rules: dict | None = prop("rules")
    member_ids: list[str] | None = prop("members")
    metadata: dict | None = prop("metadata")
    project_id: str | None = prop("project_id")
    user_id: str | None = prop("user_id")
