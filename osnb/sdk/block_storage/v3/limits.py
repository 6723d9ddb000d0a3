"""Absolute limits and usage of the current project (Cinder ``/limits``)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["AbsoluteLimit", "Limits", "RateLimit"]


class AbsoluteLimit(Resource):
    """The ``absolute`` part of ``/limits``: maxima and current use."""

    base_path = "/limits"
    service = "block-storage"

    max_total_backup_gigabytes: int | None = prop("maxTotalBackupGigabytes")
    max_total_backups: int | None = prop("maxTotalBackups")
    max_total_snapshots: int | None = prop("maxTotalSnapshots")
    max_total_volume_gigabytes: int | None = prop("maxTotalVolumeGigabytes")
    max_total_volumes: int | None = prop("maxTotalVolumes")
    total_backup_gigabytes_used: int | None = prop("totalBackupGigabytesUsed")
    total_backups_used: int | None = prop("totalBackupsUsed")
    total_gigabytes_used: int | None = prop("totalGigabytesUsed")
    total_snapshots_used: int | None = prop("totalSnapshotsUsed")
    total_volumes_used: int | None = prop("totalVolumesUsed")


class RateLimit(Resource):
    """One entry of ``rate``: requests allowed per URI pattern."""

    base_path = "/limits"
    service = "block-storage"

    regex: str | None = prop("regex")
    uri: str | None = prop("uri")
    limits: list[dict] | None = prop("limit")


class Limits(Resource):
    """The current project's limits: ``limits.absolute.max_total_volumes``…"""

    resource_key = "limits"
    base_path = "/limits"
    service = "block-storage"
    requires_id = False
    allow_retrieve = True
    min_microversion = "3.0"
    max_microversion = "3.39"

    absolute: AbsoluteLimit | None = prop("absolute")
    rate: list[RateLimit] | None = prop("rate")
