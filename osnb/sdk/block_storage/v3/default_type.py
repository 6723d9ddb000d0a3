"""A project's default volume type (Cinder ``/default-types``, microversion 3.62, admin)."""

from __future__ import annotations

from ...resource import Resource, prop

__all__ = ["DefaultType"]


class DefaultType(Resource):
    """The type a project's volumes get when a create names none; one per project, set
    with ``PUT /default-types/{project_id}``."""

    resource_key = "default_type"
    resources_key = "default_types"
    base_path = "/default-types"
    service = "block-storage"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    create_method = "PUT"
    min_microversion = "3.62"
    max_microversion = "3.67"

    project_id: str | None = prop("project_id", alternate_id=True)
    volume_type_id: str | None = prop("volume_type_id")
    volume_type: str | None = prop("volume_type", request_only=True)
