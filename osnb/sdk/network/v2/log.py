"""Network logging: logs of security groups' (or firewall groups') packets, and the
resource types a cloud can log (Neutron ``/log/logs``, ``/log/loggable-resources``;
admin). openstacksdk has no logging resources: the names follow Neutron's."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["LoggableResource", "Log"]


class Log(Resource):
    """A log of ``resource_type`` (all of them, or ``resource_id``, or the port
    ``target_id``): the ``event``s ``ALL``, ``ACCEPT`` or ``DROP``."""

    resource_key = "log"
    resources_key = "logs"
    base_path = "/log/logs"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "name", "description", "project_id", "tenant_id", "resource_type",
                  "resource_id", "target_id", "event", "revision_number", "fields",
                  "sort_key", "sort_dir", is_enabled="enabled")

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    is_enabled: bool | None = prop("enabled")
    resource_type: str | None = prop("resource_type")
    resource_id: str | None = prop("resource_id")
    target_id: str | None = prop("target_id")
    event: str | None = prop("event")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class LoggableResource(Resource):
    """A resource type the cloud's logging drivers can log."""

    resources_key = "loggable_resources"
    base_path = "/log/loggable-resources"
    service = "network"
    allow_list = True
    query = Query()

    type: str | None = prop("type")
