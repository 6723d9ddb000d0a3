"""Backups: copies of volumes in the backup store (Cinder ``/backups``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Backup"]


class Backup(Resource):
    """A volume backup. Attribute names follow openstacksdk's ``Backup``."""

    resource_key = "backup"
    resources_key = "backups"
    base_path = "/backups"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.64"
    query = Query("name", "status", "volume_id", "project_id", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    size: int | None = prop("size")
    volume_id: str | None = prop("volume_id")
    volume_name: str | None = prop("volume_name")
    snapshot_id: str | None = prop("snapshot_id")
    project_id: str | None = prop("os-backup-project-attr:project_id")
    user_id: str | None = prop("user_id")
    availability_zone: str | None = prop("availability_zone")
    container: str | None = prop("container")
    object_count: int | None = prop("object_count")
    fail_reason: str | None = prop("fail_reason")
    is_incremental: bool | None = prop("is_incremental")
    has_dependent_backups: bool | None = prop("has_dependent_backups")
    force: bool | None = prop("force", request_only=True)
    encryption_key_id: str | None = prop("encryption_key_id")
    metadata: dict | None = prop("metadata")
    links: list | None = prop("links")
    data_timestamp: datetime | None = prop("data_timestamp")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
