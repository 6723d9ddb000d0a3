"""Volume quotas per project (Cinder ``/os-quota-sets``), their defaults and usage."""

from __future__ import annotations

from ...compute.v2.quota_set import QuotaDetail
from ...resource import Query, Resource, prop, uri

__all__ = ["QuotaSet", "QuotaSetDefaults", "QuotaSetUsage"]


class QuotaSet(QuotaDetail, Resource):
    """A project's volume limits; per-type keys (``volumes_ssd``) are in ``extra``."""

    resource_key = "quota_set"
    base_path = "/os-quota-sets/%(project_id)s"
    service = "block-storage"
    requires_id = False
    allow_retrieve = allow_update = allow_delete = True
    min_microversion = "3.0"
    max_microversion = "3.0"
    query = Query("usage")

    project_id: str | None = uri("project_id")
    backup_gigabytes: int | None = prop("backup_gigabytes")
    backups: int | None = prop("backups")
    gigabytes: int | None = prop("gigabytes")
    groups: int | None = prop("groups")
    per_volume_gigabytes: int | None = prop("per_volume_gigabytes")
    snapshots: int | None = prop("snapshots")
    volumes: int | None = prop("volumes")


class QuotaSetUsage(QuotaSet):
    """``?usage=true``: each value is ``{"limit", "in_use", "reserved", "allocated"}``."""

    allow_update = allow_delete = False

    backup_gigabytes: dict | None = prop("backup_gigabytes")  # type: ignore[assignment]
    backups: dict | None = prop("backups")  # type: ignore[assignment]
    gigabytes: dict | None = prop("gigabytes")  # type: ignore[assignment]
    groups: dict | None = prop("groups")  # type: ignore[assignment]
    per_volume_gigabytes: dict | None = prop("per_volume_gigabytes")  # type: ignore[assignment]
    snapshots: dict | None = prop("snapshots")  # type: ignore[assignment]
    volumes: dict | None = prop("volumes")  # type: ignore[assignment]


class QuotaSetDefaults(QuotaSet):
    """The limits a project gets unless set otherwise."""

    base_path = "/os-quota-sets/%(project_id)s/defaults"
    allow_update = allow_delete = False
