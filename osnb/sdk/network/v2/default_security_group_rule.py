"""Default security group rules: the template of every new security group's rules
(Neutron ``/default-security-group-rules``; an admin's to change)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["DefaultSecurityGroupRule"]


class DefaultSecurityGroupRule(Resource):
    """A rule new groups get: ``used_in_default_sg`` (each project's ``default``),
    ``used_in_non_default_sg`` (the others); ``remote_group_id`` ``PARENT`` is the new
    group itself."""

    resource_key = "default_security_group_rule"
    resources_key = "default_security_group_rules"
    base_path = "/default-security-group-rules"
    service = "network"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    query = Query("id", "description", "direction", "protocol", "port_range_min",
                  "port_range_max", "remote_ip_prefix", "remote_group_id",
                  "remote_address_group_id", "used_in_default_sg", "used_in_non_default_sg",
                  "fields", "sort_key", "sort_dir", ether_type="ethertype")

    description: str | None = prop("description")
    direction: str | None = prop("direction")
    ether_type: str | None = prop("ethertype")
    protocol: str | None = prop("protocol")
    port_range_min: int | None = prop("port_range_min")
    port_range_max: int | None = prop("port_range_max")
    remote_ip_prefix: str | None = prop("remote_ip_prefix")
    remote_group_id: str | None = prop("remote_group_id")
    remote_address_group_id: str | None = prop("remote_address_group_id")
    used_in_default_sg: bool | None = prop("used_in_default_sg")
    used_in_non_default_sg: bool | None = prop("used_in_non_default_sg")
