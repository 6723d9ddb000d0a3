"""Image through conn.image, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

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
