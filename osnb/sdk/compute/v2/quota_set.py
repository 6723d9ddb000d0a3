"""Compute quotas of a project (Nova ``/os-quota-sets``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["QuotaSet"]


class QuotaSet(Resource):
    """A project's compute quotas; read with ``usage=True`` each value is a mapping
    ``{"limit", "in_use", "reserved"}`` (``/detail``) instead of an int."""

    resource_key = "quota_set"
    base_path = "/os-quota-sets/%(project_id)s"
    service = "compute"
    allow_retrieve = allow_update = allow_delete = True
    requires_id = False  # the project is in base_path (core change)
    min_microversion = "2.1"
    max_microversion = "2.56"  # as openstacksdk: the injected-file quotas go in 2.57
    query = Query("user_id")

    project_id: str | None = uri("project_id")
    cores: int | None = prop("cores")
    instances: int | None = prop("instances")
    key_pairs: int | None = prop("key_pairs")
    metadata_items: int | None = prop("metadata_items")
    ram: int | None = prop("ram")
    server_groups: int | None = prop("server_groups")
    server_group_members: int | None = prop("server_group_members")
    injected_files: int | None = prop("injected_files")
    injected_file_content_bytes: int | None = prop("injected_file_content_bytes")
    injected_file_path_bytes: int | None = prop("injected_file_path_bytes")
    # Proxies of Neutron quotas, gone in 2.36.
    fixed_ips: int | None = prop("fixed_ips")
    floating_ips: int | None = prop("floating_ips")
    networks: int | None = prop("networks")
    security_groups: int | None = prop("security_groups")
    security_group_rules: int | None = prop("security_group_rules")
    # Request only: set a limit below the current usage.
    force: bool | None = prop("force", request_only=True)
