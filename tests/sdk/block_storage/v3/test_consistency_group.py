"""ConsistencyGroup and ConsistencyGroupSnapshot (the legacy API, answered from the
generic groups) through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import time

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.consistency_group import (
    ConsistencyGroup,
    ConsistencyGroupSnapshot,
)


def _until(fetch, status: str = "available"):
    deadline = time.monotonic() + 5
    while (res := fetch()).status != status:
        assert time.monotonic() < deadline, res
        time.sleep(0.05)
    return res


def test_declaration() -> None:
    assert (ConsistencyGroup.base_path, ConsistencyGroup.resource_key) == (
        "/consistencygroups", "consistencygroup")
    assert ConsistencyGroupSnapshot._props["consistencygroup_id"].server_key == \
        "consistencygroup_id"


def test_seeded_group_is_a_consistency_group(conn) -> None:
    cgs = conn.block_storage.consistency_groups()
    seeded = next(c for c in cgs if c.name == "erp-db")
    group = conn.block_storage.get_group(seeded.id)
    assert seeded.volume_types == group.volume_types and seeded.status == "available"
    snaps = conn.block_storage.consistency_group_snapshots()
    assert any(s.consistencygroup_id == seeded.id for s in snaps)
    assert len(snaps.to_pandas()) == len(snaps)


def test_consistency_group_lifecycle(member) -> None:
    bs = member.block_storage
    cg = bs.create_consistency_group(name="sdk-cg", volume_types="hdd")
    cg = _until(lambda: bs.get_consistency_group(cg))
    vol = bs.create_volume(size=1, volume_type="hdd")
    _until(lambda: bs.get_volume(vol))
    changed = bs.update_consistency_group(cg, name="sdk-cg2", add_volumes=vol.id)
    assert changed.name == "sdk-cg2"
    assert bs.get_group(cg.id).volumes == [vol.id]
    snap = bs.create_consistency_group_snapshot(consistencygroup_id=cg.id, name="sdk-cgs")
    snap = _until(lambda: bs.get_consistency_group_snapshot(snap))
    copy = bs.create_consistency_group_from_source(consistency_group_snapshot=snap.id,
                                                   name="sdk-cg-copy")
    copy = _until(lambda: bs.get_consistency_group(copy))
    assert bs.find_consistency_group("sdk-cg-copy").id == copy.id
    with pytest.raises(exc.BadRequest):
        bs.delete_consistency_group(cg)  # it holds a volume
    bs.delete_consistency_group_snapshot(snap)
    for volume_id in bs.get_group(copy.id).volumes:
        _until(lambda v=volume_id: bs.get_volume(v))
    bs.delete_consistency_group(copy, force=True)
    bs.delete_consistency_group(cg, force=True)
    with pytest.raises(exc.NotFound):
        bs.get_consistency_group(cg.id)
