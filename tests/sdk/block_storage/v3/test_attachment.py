"""Attachment and the volume actions through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.attachment import Attachment
from osnb.sdk.block_storage.v3.block_storage_summary import BlockStorageSummary
from osnb.sdk.block_storage.v3.volume import Volume


@pytest.fixture
def volume(member, conn) -> Iterator[Volume]:
    vol = member.block_storage.create_volume(name="osnb-att", size=1)
    vol = member.block_storage.wait_for_status(vol, "available", interval=0.05, wait=20)
    yield vol
    try:
        conn.block_storage.reset_volume_status(vol, status="available",
                                               attach_status="detached")
    except exc.NotFound:
        return  # the test deleted it
    member.block_storage.delete_volume(vol)


@pytest.fixture
def server_id(member) -> str:
    return str(member.compute.servers()[0].id)


def test_declarations() -> None:
    assert (Attachment.base_path, Attachment.resource_key, Attachment.min_microversion) == \
        ("/attachments", "attachment", "3.27")
    assert Attachment._props["attach_mode"].server_key == "attach_mode"
    assert Attachment._props["volume_uuid"].request_only
    assert Attachment.query.mapping["all_projects"] == "all_tenants"
    assert BlockStorageSummary.base_path == "/volumes/summary"
    assert not BlockStorageSummary.requires_id


def test_attachments_list_what_the_volumes_show(conn) -> None:
    atts = conn.block_storage.attachments(all_projects=True)
    volumes = conn.block_storage.volumes(all_projects=True, status="in-use")
    attached = sorted(a.id for a in atts if a.status == "attached")
    assert attached == sorted(a["attachment_id"] for v in volumes for a in v.attachments)
    first = atts[0]
    assert first.status == "attached" and isinstance(first.attached_at, dt.datetime)
    assert first.attach_mode == "rw" and first.instance
    frame = atts.to_pandas()
    assert len(frame) == len(atts) and {"status", "volume_id", "instance"} <= set(frame.columns)
    brief = conn.block_storage.attachments(details=False, all_projects=True)
    assert brief[0].attach_mode is None and sorted(brief.ids()) == sorted(atts.ids())
    one = conn.block_storage.attachments(all_projects=True, volume_id=first.volume_id)
    assert one.ids() == [first.id]


def test_attachment_lifecycle(member, volume, server_id) -> None:
    bs = member.block_storage
    att = bs.create_attachment(volume, instance=server_id)
    assert att.status == "reserved" and att.instance == server_id
    assert att.volume_id == volume.id and bs.get_volume(volume).status == "reserved"
    att = bs.update_attachment(att, connector={"host": "compute-01", "mode": "rw"})
    assert att.status == "attaching" and att.connection_info["driver_volume_type"]
    bs.complete_attachment(att)
    assert bs.get_attachment(att.id).status == "attached"
    shown = bs.get_volume(volume)
    assert shown.status == "in-use" and shown.attachments[0]["server_id"] == server_id
    server = member.compute.get_server(server_id)
    assert volume.id in [v["id"] for v in server.attached_volumes]
    bs.delete_attachment(att)
    assert bs.get_volume(volume).status == "available"
    with pytest.raises(exc.NotFound):
        bs.get_attachment(att.id)
    with pytest.raises(exc.BadRequest):
        bs.create_attachment("not-a-uuid")


def test_legacy_actions(member, conn, volume, server_id) -> None:
    bs = member.block_storage
    bs.reserve_volume(volume)
    assert bs.get_volume(volume).status == "attaching"
    bs.unreserve_volume(volume)
    bs.attach_volume(volume, "/dev/vdp", instance=server_id)
    shown = bs.get_volume(volume)
    assert shown.status == "in-use" and shown.attachments[0]["device"] == "/dev/vdp"
    bs.begin_volume_detaching(volume)
    assert bs.get_volume(volume).status == "detaching"
    bs.abort_volume_detaching(volume)
    with pytest.raises(exc.BadRequest):
        bs.reserve_volume(volume)
    bs.detach_volume(volume, shown.attachments[0]["attachment_id"])
    assert bs.get_volume(volume).status == "available"
    bs.set_volume_bootable_status(volume, True)
    assert bs.get_volume(volume).is_bootable is True
    bs.retype_volume(volume, conn.block_storage.find_type("ssd"), migration_policy="on-demand")
    assert bs.get_volume(volume).volume_type == "ssd"
    with pytest.raises(exc.Forbidden):
        bs.delete_volume(volume, force=True)


def test_revert_and_force_delete(member, conn, volume) -> None:
    bs = member.block_storage
    snap = bs.create_snapshot(volume_id=volume.id, name="osnb-revert")
    snap = bs.wait_for_status(snap, "available", interval=0.05, wait=20)
    bs.revert_volume_to_snapshot(volume, snap)
    assert bs.get_volume(volume).status == "available"
    with pytest.raises(exc.BadRequest):
        conn.block_storage.delete_volume(volume, force=True)  # it has a snapshot
    bs.delete_snapshot(snap)
    bs.wait_for_delete(snap, interval=0.05, wait=20)
    conn.block_storage.delete_volume(volume, force=True)
    with pytest.raises(exc.NotFound):
        bs.get_volume(volume.id)


def test_metadata_and_summary(member, volume) -> None:
    bs = member.block_storage
    assert bs.fetch_volume_metadata(volume).metadata == {}
    assert bs.set_volume_metadata(volume, team="ops", tier="gold").metadata == \
        {"team": "ops", "tier": "gold"}
    bs.delete_volume_metadata(volume, ["tier"])
    assert bs.get_volume(volume).metadata == {"team": "ops"}
    summary = bs.summary()
    volumes = bs.volumes()
    assert summary.total_count == len(volumes)
    assert summary.total_size == sum(v.size for v in volumes)
    assert "ops" in summary.metadata["team"]
    bs.delete_volume_metadata(volume)
    assert bs.fetch_volume_metadata(volume).metadata == {}
    with pytest.raises(exc.Forbidden):
        bs.summary(all_projects=True)
