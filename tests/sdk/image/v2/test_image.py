"""Image through conn.image, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.image import Image


def test_declaration() -> None:
    assert (Image.base_path, Image.resource_key, Image.resources_key) == \
        ("/images", None, "images")
    assert Image.allow_create and Image.allow_retrieve and Image.allow_update
    assert Image.allow_delete and Image.allow_list
    assert Image.commit_method == "PATCH"
    assert Image.commit_patch_type == "application/openstack-images-v2.1-json-patch"
    assert Image.query.mapping["is_hidden"] == "os_hidden"
    assert Image._props["is_protected"].server_key == "protected"


def test_list_with_every_page(conn) -> None:
    images = conn.image.images()
    paged = conn.image.images(limit=2)
    assert len(images) > 2 and paged.pages >= len(images) // 2
    assert sorted(paged.ids()) == sorted(images.ids())
    first = images[0]
    assert isinstance(first.size, int) and isinstance(first.is_protected, bool)
    assert isinstance(first.created_at, dt.datetime) and first.created_at.tzinfo


def test_filters_reach_the_server_with_their_names(conn) -> None:
    public = conn.image.images(visibility="public")
    assert public and all(i.visibility == "public" for i in public)
    owner = public[0].owner
    assert all(i.owner == owner for i in conn.image.images(owner=owner))
    big = conn.image.images(size_min=10 * 2**30)
    assert all(i.size >= 10 * 2**30 for i in big)
    assert all(i.status == "active" for i in conn.image.images(status="active"))
    assert all(not i.is_hidden for i in conn.image.images(is_hidden=False))
    by_name = conn.image.images(sort_key="name", sort_dir="asc")
    names = [i.name or "" for i in by_name]
    assert names == sorted(names)


def test_get_find_and_not_found(conn) -> None:
    image = conn.image.images(visibility="public")[0]
    assert conn.image.get_image(image.id) == image
    assert conn.image.find_image(image.name).id == image.id
    with pytest.raises(exc.NotFound):
        conn.image.find_image("no-such-image")
    assert conn.image.find_image("no-such-image", ignore_missing=True) is None


def test_create_tag_update_delete(member) -> None:
    image = member.image.create_image(name="osnb-image", disk_format="qcow2",
                                      container_format="bare", tags=["osnb"],
                                      os_distro="ubuntu")
    try:
        assert image.status == "queued" and image.owner == member.current_project_id
        assert image in member.image.images(tag="osnb")
        updated = member.image.update_image(image, name="osnb-image-2", min_ram=512,
                                            os_distro=None, hw_disk_bus="virtio")
        assert (updated.name, updated.min_ram, updated.hw_disk_bus) == \
            ("osnb-image-2", 512, "virtio")
        assert updated.os_distro is None
        assert member.image.get_image(image.id).name == "osnb-image-2"
        by_id = member.image.update_image(image.id, is_protected=True)
        assert by_id.is_protected is True
        with pytest.raises(exc.Forbidden):
            member.image.delete_image(image)
        member.image.update_image(image.id, is_protected=False)
    finally:
        member.image.delete_image(image)
    assert member.image.find_image(image.id, ignore_missing=True) is None


DATA = b"osnb sdk image data\n" * 3000


def test_free_form_properties_at_create_and_update(member) -> None:
    image = member.image.create_image("osnb-uefi", disk_format="qcow2",
                                      container_format="bare", hw_firmware_type="uefi",
                                      meta={"hw_vif_model": "virtio"})
    try:
        assert image.properties["hw_firmware_type"] == "uefi"
        assert image.hw_vif_model == "virtio" and "meta" not in image.raw
        member.image.update_image_properties(image, meta={"hw_machine_type": "q35"},
                                             osnb_note="x")
        got = member.image.get_image(image)
        assert (got.hw_machine_type, got.properties["osnb_note"]) == ("q35", "x")
    finally:
        member.image.delete_image(image)


def test_upload_download_and_progress(member, tmp_path) -> None:
    from osnb import progress

    old = (progress.settings.delay, progress.settings.stream)
    stream = io.StringIO()
    progress.settings.delay, progress.settings.stream = 0.0, stream
    try:
        image = member.image.upload_image(container_format="bare", disk_format="raw",
                                          data=io.BytesIO(DATA), name="osnb-upload")
    finally:
        progress.settings.delay, progress.settings.stream = old
    try:
        assert "uploading image" in stream.getvalue()
        assert (image.status, image.size) == ("active", len(DATA))
        assert image.checksum == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
        assert image.hash_value == hashlib.sha512(DATA).hexdigest()
        assert member.image.download_image(image).content == DATA
        streamed = member.image.download_image(image, stream=True)
        assert b"".join(streamed.iter_content(chunk_size=4096)) == DATA
        path = tmp_path / "image.raw"
        member.image.download_image(image.id, output=str(path), chunk_size=1000)
        assert path.read_bytes() == DATA
        part = image.download(member.image, byte_range=(0, 3))
        assert (part.status_code, part.content) == (206, DATA[:4])
        with pytest.raises(exc.Conflict):  # the data goes up once
            image.upload(member.image, b"again")
    finally:
        member.image.delete_image(image)


def test_create_with_a_file_stage_and_import(member, tmp_path) -> None:
    path = tmp_path / "disk.raw"
    path.write_bytes(DATA)
    image = member.image.create_image("osnb-file", disk_format="raw",
                                      container_format="bare", filename=str(path))
    other = member.image.create_image("osnb-stage", disk_format="raw",
                                      container_format="bare")
    try:
        assert image.status == "active" and image.size == len(DATA)
        staged = member.image.stage_image(other, data=DATA)
        assert staged.status == "uploading"
        member.image.import_image(other, "glance-direct")
        assert member.image.get_image(other).status == "importing"
        done = member.image.wait_for_status(member.image.get_image(other), "active",
                                            interval=0.05, wait=20)
        assert done.size == len(DATA) and done.raw["stores"] == "fs"
        with pytest.raises(exc.Conflict):
            member.image.import_image(other, "glance-direct")
    finally:
        member.image.delete_image(image)
        member.image.delete_image(other)


def test_web_download_copy_image_and_delete_from_a_store(conn, member) -> None:
    image = member.image.create_image("osnb-web", disk_format="raw", container_format="bare")
    try:
        member.image.import_image(image, "web-download", uri="https://example.org/x.raw")
        active = member.image.wait_for_status(member.image.get_image(image), "active",
                                              interval=0.05, wait=20)
        assert active.size == 1024 * 1024
        conn.image.import_image(image, "copy-image", stores=["ceph"])
        for _ in range(100):
            if conn.image.get_image(image).raw.get("stores") == "fs,ceph":
                break
            time.sleep(0.05)
        assert conn.image.get_image(image).raw["stores"] == "fs,ceph"
        conn.image.delete_image(image, store="ceph")
        assert conn.image.get_image(image).raw["stores"] == "fs"
    finally:
        member.image.delete_image(image)


def test_deactivate_reactivate_and_tags(conn, member) -> None:
    image = member.image.create_image("osnb-deact", disk_format="raw",
                                      container_format="bare", data=DATA)
    try:
        with pytest.raises(exc.Forbidden):
            member.image.deactivate_image(image)
        conn.image.deactivate_image(image)
        assert member.image.get_image(image).status == "deactivated"
        with pytest.raises(exc.Forbidden):
            member.image.download_image(image)
        conn.image.reactivate_image(image)
        assert member.image.download_image(image).content == DATA
        member.image.add_tag(image, "osnb-tag")
        assert member.image.get_image(image).tags == ["osnb-tag"]
        assert image.id in member.image.images(tag="osnb-tag").ids()
        member.image.remove_tag(image, "osnb-tag")
        assert member.image.get_image(image).tags == []
        with pytest.raises(exc.NotFound):
            member.image.remove_tag(image, "osnb-tag")
    finally:
        member.image.delete_image(image)
