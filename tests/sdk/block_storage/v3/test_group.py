"""Group, GroupType and GroupSnapshot through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import time

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.group import Group
from osnb.sdk.block_storage.v3.group_snapshot import GroupSnapshot
from osnb.sdk.block_storage.v3.group_type import GroupType


def _until(fetch, status: str = "available"):
    deadline = time.monotonic() + 5
    while (res := fetch()).status != status:
        assert time.monotonic() < deadline, res
        time.sleep(0.05)
    return res


def test_declaration() -> None:
    assert (Group.base_path, Group.resource_key, Group.min_microversion) == (
        "/groups", "group", "3.13")
    assert GroupType._props["group_specs"].server_key == "group_specs"
    assert (GroupSnapshot.base_path, GroupSnapshot.min_microversion) == (
        "/group_snapshots", "3.14")
    assert Group.query.mapping["all_projects"] == "all_tenants"


def test_group_types_and_specs(conn, member) -> None:
    types = conn.block_storage.group_types()
    assert {"default_cgsnapshot_type", "generic"} <= {t.name for t in types}
    assert conn.block_storage.get_group_type("default").name == "generic"
    assert len(types.to_pandas()) == len(types)
    made = conn.block_storage.create_group_type(name="sdk-gt", group_specs={"a": "1"})
    try:
        assert made.is_public is True and made.group_specs == {"a": "1"}
        with pytest.raises(exc.Forbidden):
            member.block_storage.create_group_type(name="sdk-nope")
        specs = conn.block_storage.create_group_type_group_specs(made, {"b": "2"})
        assert specs.group_specs == {"a": "1", "b": "2"}
        assert conn.block_storage.get_group_type_group_specs_property(made, "b") == "2"
        assert conn.block_storage.update_group_type_group_specs_property(made, "b", "3") \
            == "3"
        conn.block_storage.delete_group_type_group_specs_property(made, "b")
        assert conn.block_storage.fetch_group_type_group_specs(made).group_specs == {
            "a": "1"}
        updated = conn.block_storage.update_group_type(made, description="sdk")
        assert updated.description == "sdk"
        assert conn.block_storage.find_group_type("sdk-gt").id == made.id
    finally:
        conn.block_storage.delete_group_type(made)
    assert conn.block_storage.find_group_type("sdk-gt") is None


def test_group_lifecycle(member) -> None:
    bs = member.block_storage
    vol = bs.create_volume(size=1, name="sdk-grp", volume_type="hdd")
    _until(lambda: bs.get_volume(vol))
    group = bs.create_group(name="sdk-group", group_type="generic", volume_types=["hdd"])
    group = _until(lambda: bs.get_group(group))
    assert group.volumes == [] and len(group.volume_types) == 1
    group = bs.update_group(group, add_volumes=vol.id)
    assert group.volumes == [vol.id]
    assert bs.get_volume(vol).group_id == group.id
    assert group.id in bs.groups().ids()
    assert bs.find_group("sdk-group").id == group.id
    gsnap = bs.create_group_snapshot(group_id=group.id, name="sdk-gs")
    gsnap = _until(lambda: bs.get_group_snapshot(gsnap))
    assert gsnap.group_id == group.id and gsnap.group_type_id == group.group_type
    assert [s.volume_id for s in bs.snapshots() if s.group_snapshot_id == gsnap.id] == [
        vol.id]
    copy = bs.create_group_from_source(group_snapshot_id=gsnap.id, name="sdk-copy")
    copy = _until(lambda: bs.get_group(copy))
    assert copy.group_snapshot_id == gsnap.id and len(copy.volumes) == 1
    with pytest.raises(exc.BadRequest):
        bs.delete_group(group)  # it holds a volume (and a snapshot of it)
    bs.delete_group_snapshot(gsnap)
    _until(lambda: bs.get_volume(copy.volumes[0]))
    bs.delete_group(copy, delete_volumes=True)
    bs.delete_group(group, delete_volumes=True)
    with pytest.raises(exc.NotFound):
        bs.get_group(group)
    with pytest.raises(exc.NotFound):
        bs.get_volume(vol)
