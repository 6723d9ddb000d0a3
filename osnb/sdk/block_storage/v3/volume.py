"""Volumes: block devices (Cinder ``/volumes``), with their admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Volume"]


class Volume(Resource):
    """A volume. Attribute names follow openstacksdk's ``Volume``."""

    resource_key = "volume"
    resources_key = "volumes"
    base_path = "/volumes"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.71"
    query = Query("name", "status", "user_id", "project_id", "created_at", "updated_at",
                  properties="metadata", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    size: int | None = prop("size")
    availability_zone: str | None = prop("availability_zone")
    project_id: str | None = prop("os-vol-tenant-attr:tenant_id")
    user_id: str | None = prop("user_id")
    host: str | None = prop("os-vol-host-attr:host")
    attachments: list[dict] | None = prop("attachments")
    is_bootable: bool | None = prop("bootable")
    is_encrypted: bool | None = prop("encrypted")
    is_multiattach: bool | None = prop("multiattach")
    metadata: dict | None = prop("metadata")
    volume_type: str | None = prop("volume_type")
    volume_type_id: str | None = prop("volume_type_id")
    snapshot_id: str | None = prop("snapshot_id")
    source_volume_id: str | None = prop("source_volid")
    backup_id: str | None = prop("backup_id")
    image_id: str | None = prop("imageRef", request_only=True)
    volume_image_metadata: dict | None = prop("volume_image_metadata")
    consistency_group_id: str | None = prop("consistencygroup_id")
    group_id: str | None = prop("group_id")
    replication_status: str | None = prop("replication_status")
    extended_replication_status: str | None = prop("os-volume-replication:extended_status")
    replication_driver_data: str | None = prop("os-volume-replication:driver_data")
    migration_status: str | None = prop("os-vol-mig-status-attr:migstat")
    migration_id: str | None = prop("os-vol-mig-status-attr:name_id")
    provider_id: str | None = prop("provider_id")
    service_uuid: str | None = prop("service_uuid")
    shared_targets: bool | None = prop("shared_targets")
    cluster_name: str | None = prop("cluster_name")
    consumes_quota: bool | None = prop("consumes_quota")
    encryption_key_id: str | None = prop("encryption_key_id")
    scheduler_hints: dict | None = prop("OS-SCH-HNT:scheduler_hints")
    links: list | None = prop("links")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def extend(self, session: Any, size: int) -> None:
        """Grow the volume to ``size`` GiB."""
        self._action(session, {"os-extend": {"new_size": size}})

    def reset_status(self, session: Any, status: str | None = None,
                     attach_status: str | None = None,
                     migration_status: str | None = None) -> None:
        """Overwrite the status fields in the database (admin); no backend call is made."""
        body = {"status": status, "attach_status": attach_status,
                "migration_status": migration_status}
        self._action(session, {"os-reset_status": {k: v for k, v in body.items() if v}})
