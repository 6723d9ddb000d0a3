"""Volume through conn.block_storage, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.volume import Volume


def test_declaration() -> None:
    assert (Volume.base_path, Volume.resource_key, Volume.resources_key) == \
        ("/volumes", "volume", "volumes")
    assert Volume.allow_create and Volume.allow_retrieve and Volume.allow_update
    assert Volume.allow_delete and Volume.allow_list
    assert Volume._props["project_id"].server_key == "os-vol-tenant-attr:tenant_id"
    assert Volume.query.mapping["all_projects"] == "all_tenants"
    assert Volume.max_microversion == "3.71"


def test_list_all_projects_with_every_page(conn) -> None:
    volumes = conn.block_storage.volumes(all_projects=True)
    paged = conn.block_storage.volumes(all_projects=True, limit=3)
    assert len(volumes) > 3 and paged.pages >= len(volumes) // 3
    assert sorted(paged.ids()) == sorted(volumes.ids())
    first = volumes[0]
    assert isinstance(first.size, int) and isinstance(first.is_bootable, bool)
    assert isinstance(first.created_at, dt.datetime) and first.created_at.tzinfo
    assert len(conn.block_storage.volumes(details=False, all_projects=True)) == len(volumes)


def test_filters_reach_the_server_with_their_names(conn) -> None:
    volumes = conn.block_storage.volumes(all_projects=True)
    status = volumes[0].status
    same = conn.block_storage.volumes(all_projects=True, status=status)
    assert same and all(v.status == status for v in same)
    project = volumes[0].project_id
    theirs = conn.block_storage.volumes(all_projects=True, project_id=project)
    assert theirs and all(v.project_id == project for v in theirs)
    tagged = next(v for v in volumes if v.metadata)
    key, value = next(iter(tagged.metadata.items()))
    # Cinder reads the filter as a literal dict; the core does not encode dicts yet.
    with_meta = conn.block_storage.volumes(all_projects=True,
                                           properties=json.dumps({key: value}))
    assert tagged in with_meta and all(v.metadata.get(key) == value for v in with_meta)


def test_member_cannot_list_all_projects(member) -> None:
    project = member.current_project_id
    assert all(v.project_id == project for v in member.block_storage.volumes())
    with pytest.raises(exc.Forbidden):
        member.block_storage.volumes(all_projects=True)


def test_get_find_microversion(conn) -> None:
    volumes = conn.block_storage.volumes(all_projects=True)
    names = [v.name for v in volumes]
    volume = next(v for v in volumes if names.count(v.name) == 1)  # find_* needs one
    got = conn.block_storage.get_volume(volume.id)
    assert got == volume and got.headers["OpenStack-API-Version"].startswith("volume 3.")
    assert conn.block_storage.find_volume(volume.name, all_projects=True).name == volume.name
    with pytest.raises(exc.NotFound):
        conn.block_storage.find_volume("no-such-volume")
    assert conn.block_storage.find_volume("no-such-volume", ignore_missing=True) is None


def test_create_wait_extend_reset_update_delete(conn) -> None:
    # The admin project has quota room; the seeded member project may not.
    volume = conn.block_storage.create_volume(name="osnb-vol", size=1,
                                                metadata={"osnb": "test"})
    volume = conn.block_storage.wait_for_status(volume, "available", interval=0.1, wait=20)
    assert volume.size == 1 and volume.metadata == {"osnb": "test"}
    conn.block_storage.extend_volume(volume, 2)
    volume = conn.block_storage.wait_for_status(volume, "available", interval=0.1, wait=20)
    assert volume.size == 2
    conn.block_storage.reset_volume_status(volume.id, status="error")
    assert conn.block_storage.get_volume(volume.id).status == "error"
    conn.block_storage.reset_volume_status(volume.id, status="available")
    updated = conn.block_storage.update_volume(volume, description="osnb test")
    assert updated.description == "osnb test"
    conn.block_storage.delete_volume(volume)
    conn.block_storage.wait_for_delete(volume, interval=0.1, wait=20)
