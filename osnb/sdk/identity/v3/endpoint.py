"""Endpoints: where a service answers, per interface and region (Keystone
``/v3/endpoints``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Endpoint"]


class Endpoint(Resource):
    """One URL of one service: ``interface`` is ``public``, ``internal`` or ``admin``."""

    resource_key = "endpoint"
    resources_key = "endpoints"
    base_path = "/endpoints"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("interface", "region_id", "service_id")

    interface: str | None = prop("interface")
    is_enabled: bool | None = prop("enabled")
    region_id: str | None = prop("region_id")
    region: str | None = prop("region")
    """Deprecated by Keystone in favour of ``region_id``; still sent."""
    service_id: str | None = prop("service_id")
    url: str | None = prop("url")
    links: dict | None = prop("links")
