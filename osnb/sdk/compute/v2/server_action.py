"""Server actions: the instance-action log of a server (Nova ``os-instance-actions``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop, uri

__all__ = ["ServerAction", "ServerActionEvent"]


class ServerActionEvent(Resource):
    """One step of an action (``compute_reboot_instance``…) and its result."""

    event: str | None = prop("event")
    result: str | None = prop("result")
    start_time: datetime | None = prop("start_time")
    finish_time: datetime | None = prop("finish_time")
    host: str | None = prop("host")
    host_id: str | None = prop("hostId")
    details: str | None = prop("details")
    traceback: str | None = prop("traceback")


class ServerAction(Resource):
    """An action taken on a server (create, reboot, migrate…), by request id."""

    resource_key = "instanceAction"
    resources_key = "instanceActions"
    base_path = "/servers/%(server_id)s/os-instance-actions"
    service = "compute"
    allow_retrieve = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.84"
    query = Query(changes_since="changes-since", changes_before="changes-before")

    server_id: str | None = uri("server_id")
    request_id: str | None = prop("request_id", alternate_id=True)
    action: str | None = prop("action")
    message: str | None = prop("message")
    project_id: str | None = prop("project_id")
    user_id: str | None = prop("user_id")
    start_time: datetime | None = prop("start_time")
    updated_at: datetime | None = prop("updated_at")
    events: list[ServerActionEvent] | None = prop("events")
