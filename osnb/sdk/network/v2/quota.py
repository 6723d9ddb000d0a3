"""Network quotas per project (Neutron ``/quotas``), their defaults and usage."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["Quota", "QuotaDefault", "QuotaDetails"]


class Quota(Resource):
    """A project's network limits, addressed by its project id; -1 is unlimited."""

    resource_key = "quota"
    resources_key = "quotas"
    base_path = "/quotas"
    service = "network"
    allow_retrieve = allow_update = allow_delete = allow_list = True

    project_id: str | None = prop("project_id", alternate_id=True)
    tenant_id: str | None = prop("tenant_id")
    check_limit: bool | None = prop("check_limit")
    floating_ips: int | None = prop("floatingip")
    networks: int | None = prop("network")
    ports: int | None = prop("port")
    rbac_policies: int | None = prop("rbac_policy")
    routers: int | None = prop("router")
    router_routes: int | None = prop("router_route")
    subnets: int | None = prop("subnet")
    subnet_pools: int | None = prop("subnetpool")
    security_groups: int | None = prop("security_group")
    security_group_rules: int | None = prop("security_group_rule")
    trunks: int | None = prop("trunk")
    health_monitors: int | None = prop("healthmonitor")
    listeners: int | None = prop("listener")
    load_balancers: int | None = prop("loadbalancer")
    l7_policies: int | None = prop("l7policy")
    pools: int | None = prop("pool")


class QuotaDefault(Quota):
    """The limits a project gets unless set otherwise."""

    base_path = "/quotas/%(project)s/default"
    requires_id = False
    allow_update = allow_delete = allow_list = False

    project: str | None = uri("project")


class QuotaDetails(Resource):
    """Limit, use and reservation per resource: ``{"limit": 10, "used": 3, "reserved": 0}``."""

    resource_key = "quota"
    base_path = "/quotas/%(project)s/details"
    service = "network"
    requires_id = False
    allow_retrieve = True

    project: str | None = uri("project")
    floating_ips: dict | None = prop("floatingip")
    networks: dict | None = prop("network")
    ports: dict | None = prop("port")
    rbac_policies: dict | None = prop("rbac_policy")
    routers: dict | None = prop("router")
    router_routes: dict | None = prop("router_route")
    subnets: dict | None = prop("subnet")
    subnet_pools: dict | None = prop("subnetpool")
    security_groups: dict | None = prop("security_group")
    security_group_rules: dict | None = prop("security_group_rule")
    trunks: dict | None = prop("trunk")
    health_monitors: dict | None = prop("healthmonitor")
    listeners: dict | None = prop("listener")
    load_balancers: dict | None = prop("loadbalancer")
    l7_policies: dict | None = prop("l7policy")
    pools: dict | None = prop("pool")
