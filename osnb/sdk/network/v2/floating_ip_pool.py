"""Floating IP pools: the subnets of the external networks floating IPs come from
(Neutron ``/floatingip_pools``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["FloatingIPPool"]


class FloatingIPPool(Resource):
    """One external subnet: ``cidr`` of ``network_id``."""

    resource_key = "floatingip_pool"
    resources_key = "floatingip_pools"
    base_path = "/floatingip_pools"
    service = "network"
    allow_list = True
    query = Query("subnet_id", "subnet_name", "network_id", "cidr", "project_id",
                  "tenant_id")

    subnet_id: str | None = prop("subnet_id", alternate_id=True)
    subnet_name: str | None = prop("subnet_name")
    network_id: str | None = prop("network_id")
    cidr: str | None = prop("cidr")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
