"""Volume attachments of a server (Nova ``os-volume_attachments``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["VolumeAttachment"]


class VolumeAttachment(Resource):
    """A Cinder volume attached to a server, addressed by the volume's id."""

    resource_key = "volumeAttachment"
    resources_key = "volumeAttachments"
    base_path = "/servers/%(server_id)s/os-volume_attachments"
    service = "compute"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "2.1"
    max_microversion = "2.89"
    query = Query("offset")

    server_id: str | None = uri("server_id")
    volume_id: str | None = prop("volumeId", alternate_id=True)
    device: str | None = prop("device")
    tag: str | None = prop("tag")
    delete_on_termination: bool | None = prop("delete_on_termination")
    attachment_id: str | None = prop("attachment_id")
    bdm_id: str | None = prop("bdm_uuid")
