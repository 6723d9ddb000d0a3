"""Quota classes (Cinder ``/os-quota-class-sets``, admin): ``default`` is what a project
without limits of its own gets."""

from __future__ import annotations

from ...compute.v2.quota_set import QuotaDetail
from ...resource import Resource, prop

__all__ = ["QuotaClassSet"]


class QuotaClassSet(QuotaDetail, Resource):
    """The limits of a quota class; per-type keys (``volumes_ssd``) are in ``extra``."""

    resource_key = "quota_class_set"
    base_path = "/os-quota-class-sets"
    service = "block-storage"
    allow_retrieve = allow_update = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    backup_gigabytes: int | None = prop("backup_gigabytes")
    backups: int | None = prop("backups")
    gigabytes: int | None = prop("gigabytes")
    groups: int | None = prop("groups")
    per_volume_gigabytes: int | None = prop("per_volume_gigabytes")
    snapshots: int | None = prop("snapshots")
    volumes: int | None = prop("volumes")
