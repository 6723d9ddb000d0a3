"""The default statefulness of new security groups, cloud-wide (``project_id`` None) or
per project (Neutron ``/security-groups-default-statefulness``; an admin's to change)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["SecurityGroupsDefaultStatefulness"]


class SecurityGroupsDefaultStatefulness(Resource):
    """Whether new security groups of ``project_id`` (all projects: None) are
    ``stateful``. Neutron names one record as it names the collection
    (``security_groups_default_statefulness``), as neutron-lib's definition does;
    openstacksdk's singular key differs."""

    resource_key = "security_groups_default_statefulness"
    resources_key = "security_groups_default_statefulness"
    base_path = "/security-groups-default-statefulness"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "project_id", "stateful", "fields", "sort_key", "sort_dir")

    project_id: str | None = prop("project_id")
    stateful: bool | None = prop("stateful")
