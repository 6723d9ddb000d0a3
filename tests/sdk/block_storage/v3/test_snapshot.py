"""Snapshot and Backup through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.backup import Backup
from osnb.sdk.block_storage.v3.snapshot import Snapshot


def test_declaration() -> None:
    assert (Snapshot.base_path, Snapshot.resource_key, Snapshot.resources_key) == \
        ("/snapshots", "snapshot", "snapshots")
    assert (Backup.base_path, Backup.resource_key, Backup.resources_key) == \
        ("/backups", "backup", "backups")
    for cls in (Snapshot, Backup):
        assert cls.allow_create and cls.allow_retrieve and cls.allow_update
        assert cls.allow_delete and cls.allow_list
        assert cls.query.mapping["all_projects"] == "all_tenants"
    assert Snapshot._props["project_id"].server_key == \
        "os-extended-snapshot-attributes:project_id"
    assert Backup._props["project_id"].server_key == "os-backup-project-attr:project_id"


@pytest.fixture(scope="module")
def volume(conn):
    """A volume in the admin project, which has quota room (the seeded member's may not)."""
    vol = conn.block_storage.create_volume(name="osnb-snap-source", size=1)
    vol = conn.block_storage.wait_for_status(vol, "available", interval=0.1, wait=20)
    yield vol
    for snap in conn.block_storage.snapshots(volume_id=vol.id):
        conn.block_storage.delete_snapshot(snap)
        conn.block_storage.wait_for_delete(snap, interval=0.1, wait=20)
    conn.block_storage.delete_volume(vol)


def test_snapshot_lifecycle(conn, volume) -> None:
    snap = conn.block_storage.create_snapshot(volume_id=volume.id, name="osnb-snap")
    snap = conn.block_storage.wait_for_status(snap, "available", interval=0.1, wait=20)
    assert snap.size == volume.size and snap.volume_id == volume.id
    listed = conn.block_storage.snapshots(volume_id=volume.id)
    assert [s.id for s in listed] == [snap.id]
    assert snap in conn.block_storage.snapshots(all_projects=True, status="available")
    assert conn.block_storage.find_snapshot("osnb-snap").id == snap.id
    assert conn.block_storage.get_snapshot(snap.id).name == "osnb-snap"
    updated = conn.block_storage.update_snapshot(snap, description="osnb")
    assert updated.description == "osnb"
    conn.block_storage.delete_snapshot(snap)
    conn.block_storage.wait_for_delete(snap, interval=0.1, wait=20)
    with pytest.raises(exc.NotFound):
        conn.block_storage.find_snapshot(snap.id)


def test_backup_lifecycle(conn, volume) -> None:
    backup = conn.block_storage.create_backup(volume_id=volume.id, name="osnb-backup")
    backup = conn.block_storage.wait_for_status(backup, "available", interval=0.1, wait=20)
    assert backup.volume_id == volume.id and isinstance(backup.size, int)
    assert backup in conn.block_storage.backups(volume_id=volume.id)
    assert backup in conn.block_storage.backups(all_projects=True, name="osnb-backup")
    assert conn.block_storage.find_backup("osnb-backup").id == backup.id
    updated = conn.block_storage.update_backup(backup, description="nightly")
    assert conn.block_storage.get_backup(backup.id).description == updated.description
    conn.block_storage.delete_backup(backup)
    conn.block_storage.wait_for_delete(backup, interval=0.1, wait=20)


def test_snapshot_metadata(member) -> None:
    bs = member.block_storage
    vol = bs.wait_for_status(bs.create_volume(name="osnb-snapmeta", size=1), "available",
                             interval=0.05, wait=20)
    snap = bs.wait_for_status(bs.create_snapshot(volume_id=vol.id, name="osnb-snapmeta"),
                              "available", interval=0.05, wait=20)
    try:
        assert bs.fetch_snapshot_metadata(snap).metadata == {}
        assert bs.set_snapshot_metadata(snap, purpose="pre-upgrade", keep="30d").metadata == \
            {"purpose": "pre-upgrade", "keep": "30d"}
        bs.delete_snapshot_metadata(snap, ["keep"])
        assert bs.get_snapshot(snap.id).metadata == {"purpose": "pre-upgrade"}
        bs.delete_snapshot_metadata(snap)
        assert bs.fetch_snapshot_metadata(snap).metadata == {}
        with pytest.raises(exc.NotFound):
            bs.delete_snapshot_metadata(snap, ["gone"])
    finally:
        bs.delete_snapshot(snap)
        bs.wait_for_delete(snap, interval=0.05, wait=20)
        bs.delete_volume(vol)
