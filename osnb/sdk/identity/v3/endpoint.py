"""Endpoints: where a service answers, per interface and region (Keystone
``/v3/endpoints``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["Endpoint", "EndpointGroupEndpoint", "ProjectEndpoint"]


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


class ProjectEndpoint(Endpoint):
    """An endpoint in a project's filtered catalog (``/v3/OS-EP-FILTER/projects/
    {project_id}/endpoints``): associated directly or through an endpoint group."""

    base_path = "/OS-EP-FILTER/projects/%(project_id)s/endpoints"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    project_id: str | None = uri("project_id")


class EndpointGroupEndpoint(Endpoint):
    """An endpoint an endpoint group's filters select."""

    base_path = "/OS-EP-FILTER/endpoint_groups/%(endpoint_group_id)s/endpoints"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    endpoint_group_id: str | None = uri("endpoint_group_id")
