"""Limits: one project's or one domain's override of a registered limit
(Keystone ``/v3/limits``, the unified limits API)."""

from __future__ import annotations

from ...resource import Query, prop
from ._unified import BatchCreated

__all__ = ["Limit"]


class Limit(BatchCreated):
    """A project's (or domain's) limit of one resource; a
    :class:`~.registered_limit.RegisteredLimit` of the same service, region and resource
    must exist. Only ``resource_limit`` and ``description`` change; a member lists its
    own project's."""

    resource_key = "limit"
    resources_key = "limits"
    base_path = "/limits"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("service_id", "region_id", "resource_name", "project_id", "domain_id")
    display_columns = ("id", "project_id", "domain_id", "service_id", "region_id",
                       "resource_name", "resource_limit", "description")

    domain_id: str | None = prop("domain_id")
    description: str | None = prop("description")
    links: dict | None = prop("links")
    service_id: str | None = prop("service_id")
    region_id: str | None = prop("region_id")
    resource_name: str | None = prop("resource_name")
    resource_limit: int | None = prop("resource_limit")
    project_id: str | None = prop("project_id")
