"""Glance tasks (``/v2/tasks``, an administrator's) and an image's import tasks
(``/v2/images/{image_id}/tasks``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop, uri

__all__ = ["ImageTasks", "Task"]


class Task(Resource):
    """An asynchronous operation: ``pending`` -> ``processing`` -> ``success`` or
    ``failure``; a legacy ``import`` task leaves the new image's id in ``result``."""

    resources_key = "tasks"
    base_path = "/tasks"
    service = "image"
    allow_create = allow_retrieve = allow_list = True
    query = Query("limit", "marker", "type", "status", "sort_dir", "sort_key")

    type: str | None = prop("type")
    status: str | None = prop("status")
    input: dict[str, Any] | None = prop("input")
    result: dict[str, Any] | None = prop("result")
    message: str | None = prop("message")
    owner_id: str | None = prop("owner")
    schema: str | None = prop("schema")
    self_link: str | None = prop("self")
    expires_at: datetime | None = prop("expires_at")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class ImageTasks(Resource):
    """An image's interoperable-import tasks (``api_image_import``), as Glance's database
    keeps them."""

    resources_key = "tasks"
    base_path = "/images/%(image_id)s/tasks"
    service = "image"
    allow_list = True

    image_id: str | None = uri("image_id")
    type: str | None = prop("type")
    status: str | None = prop("status")
    owner: str | None = prop("owner")
    request_id: str | None = prop("request_id")
    user_id: str | None = prop("user_id")
    input: dict[str, Any] | None = prop("input")
    result: dict[str, Any] | None = prop("result")
    message: str | None = prop("message")
    deleted: bool | None = prop("deleted")
    deleted_at: datetime | None = prop("deleted_at")
    expires_at: datetime | None = prop("expires_at")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
