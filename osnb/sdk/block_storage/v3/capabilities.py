"""What a volume backend offers (Cinder ``/capabilities/{host}``, admin)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["Capabilities"]


class Capabilities(Resource):
    """A backend's capabilities; its id is the backend host (``host@backend``)."""

    base_path = "/capabilities"
    service = "block-storage"
    allow_retrieve = True
    min_microversion = "3.0"
    max_microversion = "3.0"

    description: str | None = prop("description")
    display_name: str | None = prop("display_name")
    driver_version: str | None = prop("driver_version")
    namespace: str | None = prop("namespace")
    pool_name: str | None = prop("pool_name")
    properties: dict | None = prop("properties")
    replication_targets: list | None = prop("replication_targets")
    storage_protocol: str | None = prop("storage_protocol")
    vendor_name: str | None = prop("vendor_name")
    visibility: str | None = prop("visibility")
    volume_backend_name: str | None = prop("volume_backend_name")
