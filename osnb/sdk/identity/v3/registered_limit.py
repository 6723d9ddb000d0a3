"""Registered limits: a service's default limit of one resource, in one region or all
(Keystone ``/v3/registered_limits``, the unified limits API)."""

from __future__ import annotations

from ...resource import Query, prop
from ._unified import BatchCreated

__all__ = ["RegisteredLimit"]


class RegisteredLimit(BatchCreated):
    """A default limit (``-1``: unlimited); admins write them, everyone reads them.

    One per (``service_id``, ``region_id``, ``resource_name``); it cannot change or go
    while a :class:`~.limit.Limit` refers to it.
    """

    resource_key = "registered_limit"
    resources_key = "registered_limits"
    base_path = "/registered_limits"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("service_id", "region_id", "resource_name")
    display_columns = ("id", "service_id", "region_id", "resource_name", "default_limit",
                       "description")

    description: str | None = prop("description")
    links: dict | None = prop("links")
    service_id: str | None = prop("service_id")
    region_id: str | None = prop("region_id")
    resource_name: str | None = prop("resource_name")
    default_limit: int | None = prop("default_limit")
