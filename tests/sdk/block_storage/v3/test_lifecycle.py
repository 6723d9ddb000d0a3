"""Volume and snapshot actions of operators and Nova, manageable volumes and snapshots,
and type encryption through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import time

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.manageable import ManageableSnapshot, ManageableVolume
from osnb.sdk.block_storage.v3.type import TypeEncryption


def _until(fetch, status: str = "available", key: str = "status"):
    deadline = time.monotonic() + 5
    while getattr(res := fetch(), key) != status:
        assert time.monotonic() < deadline, res
        time.sleep(0.05)
    return res


@pytest.fixture
def vol(conn, member):
    made = member.block_storage.create_volume(size=1, name="sdk-life", volume_type="hdd")
    yield _until(lambda: member.block_storage.get_volume(made))
    conn.block_storage.delete_volume(made, force=True)


def test_declaration() -> None:
    assert TypeEncryption.base_path == "/types/%(type_id)s/encryption"
    assert TypeEncryption._id_prop is TypeEncryption._props["encryption_id"]
    assert (ManageableVolume.resources_key, ManageableSnapshot.resources_key) == (
        "manageable-volumes", "manageable-snapshots")


def test_migrate_and_readonly(conn, member, vol) -> None:
    with pytest.raises(exc.Forbidden):
        member.block_storage.migrate_volume(vol, host="block01@ceph-ssd")
    conn.block_storage.migrate_volume(vol, host="block01@ceph-ssd")
    moved = _until(lambda: conn.block_storage.get_volume(vol), "success", "migration_status")
    assert moved.host.startswith("block01@ceph-ssd#")
    member.block_storage.set_volume_readonly(vol)
    info = member.block_storage.init_volume_attachment(vol, {"host": "c1", "initiator": "x"})
    assert info["data"]["access_mode"] == "ro"
    member.block_storage.terminate_volume_attachment(vol, {"host": "c1"})
    member.block_storage.set_volume_image_metadata(vol, os_distro="debian", hw_x="1")
    member.block_storage.delete_volume_image_metadata(vol, ["hw_x"])
    assert member.block_storage.get_volume(vol).volume_image_metadata == {
        "os_distro": "debian"}
    member.block_storage.delete_volume_image_metadata(vol)
    assert member.block_storage.get_volume(vol).volume_image_metadata == {}


def test_unmanage_and_manage(conn, vol) -> None:
    host = conn.block_storage.get_volume(vol).host.split("#")[0]
    conn.block_storage.unmanage_volume(vol)
    listed = conn.block_storage.manageable_volumes(host=host)
    ref = {"source-name": f"volume-{vol.id}"}
    assert any(m.reference == ref and m.safe_to_manage for m in listed)
    detail = conn.block_storage.manageable_volumes(details=True, host=host)
    frame = detail.to_pandas()
    assert len(frame) == len(detail) and "cinder_id" in frame.columns
    adopted = conn.block_storage.manage_volume(host=host, ref=ref, name="sdk-adopted",
                                               volume_type="hdd")
    assert adopted.status == "managing"
    adopted = _until(lambda: conn.block_storage.get_volume(adopted))
    snap = conn.block_storage.create_snapshot(volume_id=adopted.id)
    snap = _until(lambda: conn.block_storage.get_snapshot(snap))
    conn.block_storage.reset_snapshot_status(snap, "error")
    conn.block_storage.unmanage_snapshot(snap)
    snaps = conn.block_storage.manageable_snapshots(host=host)
    sref = {"source-name": f"snapshot-{snap.id}"}
    assert any(m.reference == sref for m in snaps)
    back = conn.block_storage.manage_snapshot(volume_id=adopted.id, ref=sref)
    back = _until(lambda: conn.block_storage.get_snapshot(back))
    conn.block_storage.delete_snapshot(back)
    _until(lambda: conn.block_storage.get_volume(adopted))
    conn.block_storage.delete_volume(adopted)


def test_type_encryption(conn, member) -> None:
    luks = conn.block_storage.find_type("ssd-luks")
    spec = conn.block_storage.get_type_encryption(luks)
    assert (spec.provider, spec.cipher, spec.volume_type_id) == (
        "luks", "aes-xts-plain64", luks.id)
    vtype = conn.block_storage.create_type(name="sdk-enc")
    try:
        assert conn.block_storage.get_type_encryption(vtype).provider is None
        made = conn.block_storage.create_type_encryption(
            vtype, provider="luks", control_location="front-end", key_size=256)
        assert made.encryption_id and made.key_size == 256
        changed = conn.block_storage.update_type_encryption(made, vtype, key_size=512)
        assert changed.key_size == 512
        assert conn.block_storage.get_type_encryption(vtype).key_size == 512
        with pytest.raises(exc.Forbidden):
            member.block_storage.get_type_encryption(vtype)
        conn.block_storage.delete_type_encryption(volume_type=vtype)
        assert conn.block_storage.get_type_encryption(vtype).provider is None
    finally:
        conn.block_storage.delete_type(vtype)
