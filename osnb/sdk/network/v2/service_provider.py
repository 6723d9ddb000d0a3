"""Service providers: which driver serves each advanced service (Neutron
``/service-providers``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ServiceProvider"]


class ServiceProvider(Resource):
    """One provider of a ``service_type`` (``L3_ROUTER_NAT``, ``QOS``…); list only."""

    resources_key = "service_providers"
    base_path = "/service-providers"
    service = "network"
    allow_list = True
    query = Query("fields", "service_type", "name", is_default="default")

    service_type: str | None = prop("service_type")
    name: str | None = prop("name")
    is_default: bool | None = prop("default")
