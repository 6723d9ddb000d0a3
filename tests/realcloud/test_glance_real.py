"""The SDK's image operations against the demo cloud's Glance and a real one.

Every test runs twice, ``[demo]`` and ``[real]``, with the same body; real Glance (``glance``
from PyPI with its file store, behind the real Keystone) is the reference. A ``demo_gap``
mark names where the simulator is known to differ (a strict xfail for ``demo``); the real
run must always pass. Data goes up through
``conn.image`` itself (the SDK's keystoneauth Adapter, ``PUT /v2/images/{id}/file``) in the
older cases and through the SDK's own methods in the newer ones.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.connection import Connection
from osnb.sdk.image.v2.image import Image
from osnb.sdk.resource import Resource

# Keys of a new image record as Glance sends it (api-ref "Create image": the core
# properties, then any additional property given).
IMAGE_KEYS = {"checksum", "container_format", "created_at", "disk_format", "file", "id",
              "min_disk", "min_ram", "name", "os_hash_algo", "os_hash_value", "os_hidden",
              "owner", "protected", "schema", "self", "size", "status", "tags",
              "updated_at", "virtual_size", "visibility"}
DATA = b"osnb raw image data\n" * 4096


def _qcow2(virtual_size: int) -> bytes:
    """An empty qcow2 image (version 3 header, 64 KiB clusters) of ``virtual_size`` bytes."""
    header = bytearray(512)
    header[0:8] = b"QFI\xfb\x00\x00\x00\x03"
    header[20:24] = (16).to_bytes(4, "big")  # cluster_bits
    header[24:32] = virtual_size.to_bytes(8, "big")
    header[100:104] = (104).to_bytes(4, "big")  # header_length
    return bytes(header)


def _tag() -> str:
    return f"osnb-{uuid.uuid4().hex[:8]}"


MakeImage = Callable[..., Image]


def _id(res: Resource | None) -> str:
    """The id of a resource the test expects to be there."""
    assert res is not None and res.id
    return str(res.id)


@pytest.fixture
def make_image(image_conn: Connection) -> Iterator[MakeImage]:
    """Create images (``raw``/``bare`` unless told), each deleted afterwards."""
    made: list[Image] = []

    def make(**attrs: object) -> Image:
        attrs = {"disk_format": "raw", "container_format": "bare", **attrs}
        image = image_conn.image.create_image(**attrs)
        made.append(image)
        return image

    yield make
    for image in made:
        if image_conn.image.find_image(_id(image), ignore_missing=True) is not None:
            image_conn.image.update_image(_id(image), is_protected=False)
            image_conn.image.delete_image(_id(image))


def _upload(conn: Connection, image: Image | str, data: bytes = DATA) -> None:
    image_id = image if isinstance(image, str) else _id(image)
    response = conn.image.put(f"/images/{image_id}/file", data=data,
                              headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 204


def test_create_and_get(image_conn: Connection, make_image: MakeImage) -> None:
    tag = _tag()
    image = make_image(name=tag, tags=[tag], min_ram=256, os_distro="cirros")
    assert set(image.raw) == IMAGE_KEYS | {"os_distro"}
    assert (image.status, image.visibility, image.owner, image.size, image.checksum) == \
        ("queued", "shared", image_conn.current_project_id, None, None)
    assert (image.name, image.tags, image.min_ram, image.min_disk, image.os_distro) == \
        (tag, [tag], 256, 0, "cirros")
    assert (image.is_protected, image.is_hidden) == (False, False)
    assert image.created_at is not None and image.created_at.tzinfo is not None
    got = image_conn.image.get_image(_id(image))
    assert got.to_dict() == image.to_dict()
    assert _id(image_conn.image.find_image(tag)) == image.id


def test_upload_makes_it_active(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    _upload(image_conn, image)
    got = image_conn.image.get_image(_id(image))
    assert (got.status, got.size, got.hash_algo) == ("active", len(DATA), "sha512")
    assert len(got.checksum or "") == 32 and len(got.hash_value or "") == 128
    with pytest.raises(exc.Conflict):  # data is uploaded once
        _upload(image_conn, image)


def test_upload_hashes_the_data(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    _upload(image_conn, image)
    got = image_conn.image.get_image(_id(image))
    assert got.checksum == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
    assert got.hash_value == hashlib.sha512(DATA).hexdigest()
    assert got.stores == "fs"


def test_list_with_filters(image_conn: Connection, make_image: MakeImage) -> None:
    tag = _tag()
    images = [make_image(name=f"{tag}-{n}", tags=[tag, f"{tag}-{n}"], min_ram=128 * n)
              for n in (2, 1, 3)]
    _upload(image_conn, images[0])
    tagged = image_conn.image.images(tag=tag)
    assert set(tagged.ids()) == {i.id for i in images} and len(tagged) == 3
    assert image_conn.image.images(tag=f"{tag}-1").ids() == [images[1].id]
    assert image_conn.image.images(name=f"{tag}-3").ids() == [images[2].id]
    assert image_conn.image.images(tag=tag, status="active").ids() == [images[0].id]
    assert set(image_conn.image.images(tag=tag, status="queued").ids()) == \
        {images[1].id, images[2].id}
    assert image_conn.image.images(tag=tag, size_min=1).ids() == [images[0].id]
    by_name = image_conn.image.images(tag=tag, sort_key="name", sort_dir="desc")
    assert [i.name for i in by_name] == [f"{tag}-3", f"{tag}-2", f"{tag}-1"]
    paged = image_conn.image.images(tag=tag, limit=1)
    assert set(paged.ids()) == set(tagged.ids()) and paged.pages >= 3
    owned = image_conn.image.images(tag=tag, owner=image_conn.current_project_id,
                                    visibility="shared")
    assert len(owned) == 3
    assert not image_conn.image.images(tag=tag, visibility="public")
    assert not image_conn.image.images(tag=tag, is_hidden=True)


def test_update_with_json_patch(image_conn: Connection, make_image: MakeImage) -> None:
    tag = _tag()
    image = make_image(name=tag, tags=[tag], os_distro="cirros")
    updated = image_conn.image.update_image(
        image, name=tag + "-renamed", min_ram=512, os_distro=None, hw_disk_bus="virtio",
        tags=[tag, "second"])
    assert (updated.name, updated.min_ram, updated.hw_disk_bus) == \
        (tag + "-renamed", 512, "virtio")
    assert updated.os_distro is None and "os_distro" not in updated.raw
    assert sorted(updated.tags or []) == sorted([tag, "second"])
    again = image_conn.image.get_image(_id(image))
    assert set(again.raw) == IMAGE_KEYS | {"hw_disk_bus"}  # os_distro removed
    assert again.to_dict() == updated.to_dict()
    assert image_conn.image.images(tag="second", name=tag + "-renamed").ids() == [image.id]


def test_protected_image_is_not_deleted(image_conn: Connection,
                                        make_image: MakeImage) -> None:
    image = make_image(name=_tag(), protected=True)
    assert image.is_protected is True
    with pytest.raises(exc.Forbidden):
        image_conn.image.delete_image(image)
    assert image_conn.image.update_image(_id(image), is_protected=False).is_protected is False
    image_conn.image.delete_image(image)
    with pytest.raises(exc.NotFound) as err:
        image_conn.image.get_image(_id(image))
    assert _id(image) in str(err.value) and "<" not in err.value.message
    assert image_conn.image.find_image(_id(image), ignore_missing=True) is None
    image_conn.image.delete_image(_id(image))  # ignore_missing by default


def test_glance_takes_any_property(image_conn: Connection) -> None:
    """Additional properties are free-form in Glance (api-ref "Create image": "additional
    properties ... are allowed"); hw_firmware_type is one Nova reads."""
    body = {"name": _tag(), "disk_format": "raw", "container_format": "bare",
            "hw_firmware_type": "uefi", "osnb_note": "anything"}
    created = image_conn.image.post("/images", json=body).json()
    try:
        assert (created["hw_firmware_type"], created["osnb_note"]) == ("uefi", "anything")
        got = image_conn.image.get_image(created["id"])
        assert got.extra == {"hw_firmware_type": "uefi", "osnb_note": "anything"}
    finally:
        image_conn.image.delete_image(created["id"])


def test_firmware_type_property(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag(), hw_firmware_type="uefi", hw_machine_type="q35")
    assert image.raw["hw_firmware_type"] == "uefi" and image.hw_machine_type == "q35"
    got = image_conn.image.get_image(_id(image))
    assert got.raw["hw_firmware_type"] == "uefi"
    assert got.properties["hw_firmware_type"] == "uefi"  # not declared: a free property
    updated = image_conn.image.update_image(image, hw_firmware_type="bios")
    assert updated.raw["hw_firmware_type"] == "bios"
    assert image_conn.image.get_image(_id(image)).properties["hw_firmware_type"] == "bios"


def test_download_gives_the_data(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    _upload(image_conn, image)
    response = image_conn.image.get(f"/images/{_id(image)}/file")
    assert response.status_code == 200 and response.content == DATA


def test_upload_must_match_the_disk_format(image_conn: Connection,
                                           make_image: MakeImage) -> None:
    image = make_image(name=_tag(), disk_format="qcow2")
    with pytest.raises(exc.HttpException) as err:
        _upload(image_conn, image)
    assert err.value.status_code == 415
    assert "Image disk_format qcow2 does not match stream data raw" in str(err.value)
    assert image_conn.image.get_image(_id(image)).status == "queued"


def test_qcow2_virtual_size_from_the_header(image_conn: Connection,
                                            make_image: MakeImage) -> None:
    data = _qcow2(2**30)
    image = make_image(name=_tag(), disk_format="qcow2")
    _upload(image_conn, image, data)
    got = image_conn.image.get_image(_id(image))
    assert (got.status, got.size, got.virtual_size) == ("active", len(data), 2**30)


def test_sort_keys_are_glances(image_conn: Connection) -> None:
    with pytest.raises(exc.BadRequest) as err:
        image_conn.image.images(sort_key="min_ram")
    assert "Invalid sort key: min_ram" in str(err.value)
    assert image_conn.image.images(sort_key="size", sort_dir="desc", limit=2) is not None


def test_not_found_says_it_once(image_conn: Connection) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(exc.NotFound) as err:
        image_conn.image.get_image(missing)
    assert err.value.message == f"No image found with ID {missing}"


def test_errors_are_html_pages(image_conn: Connection) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(exc.NotFound) as err:
        image_conn.image.get(f"/images/{missing}")
    response = err.value.response
    assert response is not None and response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in response.text
    assert f"No image found with ID {missing}" in response.text


def test_download_a_range_and_stream(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    _upload(image_conn, image)
    part = image_conn.image.get(f"/images/{_id(image)}/file", headers={"Range": "bytes=5-9"})
    assert (part.status_code, part.content) == (206, DATA[5:10])
    assert part.headers["Content-Range"] == f"bytes 5-9/{len(DATA)}"
    streamed = image_conn.image.download_image(_id(image), stream=True)
    assert b"".join(streamed.iter_content(chunk_size=8192)) == DATA
    assert streamed.headers["Content-MD5"] == hashlib.md5(DATA,
                                                          usedforsecurity=False).hexdigest()


def test_an_image_without_data_downloads_nothing(image_conn: Connection,
                                                 make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    response = image_conn.image.get(f"/images/{_id(image)}/file")
    assert response.status_code == 204 and response.content == b""


def test_tags(image_conn: Connection, make_image: MakeImage) -> None:
    tag = _tag()
    image = make_image(name=tag)
    image_conn.image.add_tag(image, tag)
    image_conn.image.add_tag(image, tag)  # once only
    assert image_conn.image.get_image(_id(image)).tags == [tag]
    assert image_conn.image.images(tag=tag).ids() == [image.id]
    image_conn.image.remove_tag(image, tag)
    assert image_conn.image.get_image(_id(image)).tags == []
    with pytest.raises(exc.NotFound):
        image_conn.image.remove_tag(image, tag)


def test_members(image_conn: Connection, make_image: MakeImage) -> None:
    """Glance takes any project id as a member; the owner's admin may set its status."""
    other = uuid.uuid4().hex
    private = make_image(name=_tag(), visibility="private")
    with pytest.raises(exc.Forbidden) as err:
        image_conn.image.add_member(private, member_id=other)
    assert f"Not allowed to create members for image {private.id}." in str(err.value)
    with pytest.raises(exc.Forbidden) as err:
        image_conn.image.members(private)
    assert "Only shared images have members." in str(err.value)
    image = make_image(name=_tag(), visibility="shared")
    made = image_conn.image.add_member(image, member_id=other)
    assert (made.member_id, made.status, made.image_id) == (other, "pending", image.id)
    assert set(made.raw) == {"created_at", "image_id", "member_id", "schema", "status",
                             "updated_at"}
    with pytest.raises(exc.Conflict):
        image_conn.image.add_member(image, member_id=other)
    assert image_conn.image.members(image).ids() == [other]
    assert image_conn.image.get_member(other, image).status == "pending"
    done = image_conn.image.update_member(other, image, status="accepted")
    assert done.status == "accepted"
    with pytest.raises(exc.BadRequest):
        image_conn.image.update_member(other, image, status="maybe")
    image_conn.image.remove_member(other, image)
    assert image_conn.image.members(image).ids() == []
    with pytest.raises(exc.NotFound):
        image_conn.image.get_member(other, image)


def test_deactivate_and_reactivate(image_conn: Connection, make_image: MakeImage) -> None:
    image = make_image(name=_tag())
    with pytest.raises(exc.Forbidden):  # only an active image
        image_conn.image.deactivate_image(image)
    _upload(image_conn, image)
    image_conn.image.deactivate_image(image)
    assert image_conn.image.get_image(_id(image)).status == "deactivated"
    assert image_conn.image.download_image(_id(image)).content == DATA  # an admin may
    image_conn.image.reactivate_image(image)
    assert image_conn.image.get_image(_id(image)).status == "active"


def test_stage_then_import(image_conn: Connection, make_image: MakeImage) -> None:
    """``glance-direct``: staged data, then the import task makes the image active."""
    assert "glance-direct" in image_conn.image.get_import_info().methods
    image = make_image(name=_tag())
    with pytest.raises(exc.Conflict):  # nothing staged yet
        image_conn.image.import_image(image, "glance-direct")
    staged = image_conn.image.stage_image(image, data=DATA)
    assert staged.status == "uploading"
    image_conn.image.import_image(image, "glance-direct")
    done = image_conn.image.wait_for_status(image_conn.image.get_image(_id(image)),
                                            "active", interval=0.2, wait=60)
    assert done.checksum == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
    assert (done.size, done.stores) == (len(DATA), "fs")
    for _ in range(100):  # Glance marks its task done just after the image
        tasks = image_conn.image.image_tasks(image)
        if [t.status for t in tasks] == ["success"]:
            break
        time.sleep(0.2)
    assert [(t.type, t.status) for t in tasks] == [("api_image_import", "success")]


def test_stores_and_usage(image_conn: Connection) -> None:
    stores = image_conn.image.stores()
    assert [s.id for s in stores if s.is_default] == ["fs"]
    usage = image_conn.image.get_usage().usage  # empty where no unified limits are set
    assert isinstance(usage, dict)
    assert all(set(v) == {"limit", "usage"} for v in usage.values())
