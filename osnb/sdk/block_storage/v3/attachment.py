"""Volume attachments (Cinder ``/attachments``, microversion 3.27): how a consumer such as
Nova reserves, connects and completes the attachment of a volume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Attachment"]


class Attachment(Resource):
    """An attachment of a volume to an instance (or a host).

    Attribute names follow openstacksdk's ``Attachment``; the wire keys are the API's
    (``attached_at``, ``detached_at``, ``attach_mode``: openstacksdk 4.22 reads
    ``attach_time``, ``detach_time`` and ``mode``, which Cinder does not send). A create
    sends ``volume_uuid`` and ``instance_uuid``; the answer names them ``volume_id`` and
    ``instance``.
    """

    resource_key = "attachment"
    resources_key = "attachments"
    base_path = "/attachments"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.27"
    max_microversion = "3.71"
    query = Query("status", "project_id", "volume_id", "instance_id",
                  all_projects="all_tenants")
    display_columns = ("id", "status", "volume_id", "instance", "attach_mode", "attached_at")

    status: str | None = prop("status")
    instance: str | None = prop("instance")
    volume_id: str | None = prop("volume_id")
    attached_at: datetime | None = prop("attached_at")
    detached_at: datetime | None = prop("detached_at")
    attach_mode: str | None = prop("attach_mode")
    connection_info: dict | None = prop("connection_info")
    connector: dict | None = prop("connector")
    volume_uuid: str | None = prop("volume_uuid", request_only=True)
    instance_uuid: str | None = prop("instance_uuid", request_only=True)
    mode: str | None = prop("mode", request_only=True)

    def complete(self, session: Any) -> None:
        """Mark the attachment attached (3.44): the volume is then ``in-use``."""
        self._action(session, {"os-complete": {}})
