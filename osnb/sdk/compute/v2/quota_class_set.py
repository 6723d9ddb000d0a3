"""Nova quota classes (``/os-quota-class-sets``): the ``default`` class is every project's
defaults, so raising a limit there raises it for every project without its own."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["QuotaClassSet"]


class QuotaClassSet(Resource):
    """One quota class (admin). Its id is the class name; Nova reads only ``default``."""

    resource_key = "quota_class_set"
    base_path = "/os-quota-class-sets"
    service = "compute"
    allow_retrieve = allow_update = True
    min_microversion = "2.1"
    max_microversion = "2.56"  # as openstacksdk: the injected-file quotas go in 2.57

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
    # Proxies of Neutron quotas, gone in 2.50.
    fixed_ips: int | None = prop("fixed_ips")
    floating_ips: int | None = prop("floating_ips")
    security_groups: int | None = prop("security_groups")
    security_group_rules: int | None = prop("security_group_rules")
    networks: int | None = prop("networks")
