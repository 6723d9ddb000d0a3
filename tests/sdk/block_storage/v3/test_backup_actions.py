"""Backup restore, export/import and the admin actions through conn.block_storage."""

from __future__ import annotations

import time

import pytest

from osnb.sdk import exceptions as exc


def _until(fetch, status: str = "available"):
    deadline = time.monotonic() + 5
    while (res := fetch()).status != status:
        assert time.monotonic() < deadline, res
        time.sleep(0.05)
    return res


@pytest.fixture
def backup(conn, member):
    bs = member.block_storage
    vol = bs.create_volume(size=1, name="sdk-bk")
    _until(lambda: bs.get_volume(vol))
    made = bs.create_backup(volume_id=vol.id, name="sdk-backup")
    assert bs.get_volume(vol).status == "backing-up"
    made = _until(lambda: bs.get_backup(made))
    _until(lambda: bs.get_volume(vol))
    yield made
    conn.block_storage.delete_backup(made, force=True)
    conn.block_storage.delete_volume(vol, force=True)


def test_restore_into_a_new_volume(member, backup) -> None:
    bs = member.block_storage
    answer = bs.restore_backup(backup, name="sdk-restored")
    assert answer["backup_id"] == backup.id and answer["volume_name"] == "sdk-restored"
    restored = _until(lambda: bs.get_volume(answer["volume_id"]))
    assert restored.size == backup.size
    _until(lambda: bs.get_backup(backup))
    bs.delete_volume(restored)


def test_export_import_reset(conn, member, backup) -> None:
    with pytest.raises(exc.Forbidden):
        member.block_storage.export_record(backup)
    record = conn.block_storage.export_record(backup)
    assert record["backup_service"] and record["backup_url"]
    with pytest.raises(exc.BadRequest):
        conn.block_storage.import_backup(record["backup_service"], record["backup_url"])
    conn.block_storage.delete_backup(backup)
    imported = conn.block_storage.import_backup(record["backup_service"],
                                                record["backup_url"])
    assert imported.id == backup.id
    conn.block_storage.reset_backup_status(_until(
        lambda: conn.block_storage.get_backup(imported)), "error")
    assert conn.block_storage.get_backup(imported).status == "error"
