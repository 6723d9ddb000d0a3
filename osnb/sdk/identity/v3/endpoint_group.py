"""Endpoint groups (Keystone ``/v3/OS-EP-FILTER/endpoint_groups``): endpoints chosen by
``service_id``, ``region_id`` and ``interface``, associated with projects to narrow their
tokens' catalog."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["EndpointGroup", "ProjectEndpointGroup"]


class EndpointGroup(Resource):
    """An endpoint group: ``filters`` select the endpoints it holds."""

    resource_key = "endpoint_group"
    resources_key = "endpoint_groups"
    base_path = "/OS-EP-FILTER/endpoint_groups"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("name")
    # Keystone lists them flat; its api-ref sample wraps each in "endpoint_group": read
    # either.
    wrapped_items = True

    description: str | None = prop("description")
    filters: dict | None = prop("filters")
    links: dict | None = prop("links")


class ProjectEndpointGroup(EndpointGroup):
    """An endpoint group associated with a project."""

    base_path = "/OS-EP-FILTER/projects/%(project_id)s/endpoint_groups"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    project_id: str | None = uri("project_id")
