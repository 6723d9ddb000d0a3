"""What a backend holds that Cinder may adopt (``/manageable_volumes``,
``/manageable_snapshots``, admin): each with its reference on the backend."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["ManageableSnapshot", "ManageableVolume"]


class ManageableVolume(Resource):
    """A volume on a backend (``host`` or ``cluster`` names which): managed or not."""

    resources_key = "manageable-volumes"
    base_path = "/manageable_volumes"
    service = "block-storage"
    allow_list = True
    min_microversion = "3.8"
    max_microversion = "3.17"
    query = Query("host", "cluster", "offset", "sort_key", "sort_dir")
    display_columns = ("reference.source-name", "size", "safe_to_manage", "reason_not_safe",
                       "cinder_id")

    cinder_id: str | None = prop("cinder_id")
    extra_info: str | None = prop("extra_info")
    reason_not_safe: str | None = prop("reason_not_safe")
    reference: dict | None = prop("reference")
    safe_to_manage: bool | None = prop("safe_to_manage")
    size: int | None = prop("size")


class ManageableSnapshot(ManageableVolume):
    """A snapshot on a backend, of the volume ``source_reference`` names."""

    resources_key = "manageable-snapshots"
    base_path = "/manageable_snapshots"

    source_reference: dict | None = prop("source_reference")
