"""User messages (Cinder ``/messages``, microversion 3.3): why a volume operation failed."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Message"]


class Message(Resource):
    """What went wrong with a resource after its request was accepted (kept 30 days)."""

    resource_key = "message"
    resources_key = "messages"
    base_path = "/messages"
    service = "block-storage"
    allow_retrieve = allow_delete = allow_list = True
    min_microversion = "3.3"
    max_microversion = "3.71"
    query = Query("event_id", "message_level", "resource_type", "resource_uuid",
                  "request_id", "project_id", "sort", "offset", all_projects="all_tenants")
    display_columns = ("id", "resource_type", "resource_uuid", "user_message", "created_at")

    created_at: datetime | None = prop("created_at")
    event_id: str | None = prop("event_id")
    guaranteed_until: datetime | None = prop("guaranteed_until")
    message_level: str | None = prop("message_level")
    request_id: str | None = prop("request_id")
    resource_type: str | None = prop("resource_type")
    resource_uuid: str | None = prop("resource_uuid")
    user_message: str | None = prop("user_message")
    links: list | None = prop("links")
