"""VolumeAttachment through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.volume_attachment import VolumeAttachment


def test_declaration() -> None:
    assert VolumeAttachment.base_path == "/servers/%(server_id)s/os-volume_attachments"
    assert (VolumeAttachment.resource_key, VolumeAttachment.resources_key) == \
        ("volumeAttachment", "volumeAttachments")
    assert VolumeAttachment.allow_list and VolumeAttachment.allow_retrieve
    assert VolumeAttachment.allow_create and VolumeAttachment.allow_delete
    assert VolumeAttachment._id_prop is VolumeAttachment._props["volume_id"]
    assert VolumeAttachment._props["bdm_id"].server_key == "bdm_uuid"


def _attached(conn):
    for server in conn.compute.servers(all_projects=True):
        attachments = conn.compute.volume_attachments(server)
        if attachments:
            return server, attachments
    raise AssertionError("the demo world has no attached volume")


def test_list_and_get(conn) -> None:
    server, attachments = _attached(conn)
    first = attachments[0]
    assert first.id == first.volume_id and first.server_id == server.id
    assert first.device and first.attachment_id and isinstance(
        first.delete_on_termination, bool)
    got = conn.compute.get_volume_attachment(server, first.volume_id)
    assert got.device == first.device and got.bdm_id == first.bdm_id
    with pytest.raises(exc.NotFound):
        conn.compute.get_volume_attachment(server, "00000000-0000-4000-8000-000000000000")
    assert len(conn.compute.volume_attachments(server, offset=len(attachments))) == 0
