"""An image's data in the demo cloud over HTTP: upload, download (streamed, Range), stage
and the interoperable import walking its task, tasks, stores, usage, locations, cache."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_image_sharing import Glance

OCTETS = {"Content-Type": "application/octet-stream"}
DATA = b"osnb image data\n" * 5000


@pytest.fixture(scope="module")
def owner(cloud: democloud.DemoCloud, member_token: str) -> Glance:
    return Glance(cloud, member_token)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Glance:
    return Glance(cloud, admin_token)


def _image(api: Glance, **attrs: Any) -> dict[str, Any]:
    body = {"name": f"data-{uuid.uuid4().hex[:6]}", "disk_format": "raw",
            "container_format": "bare", **attrs}
    made: dict[str, Any] = api.call("POST", "/images", body, expect=201)
    return made


def _put(api: Glance, iid: str, where: str, data: bytes) -> requests.Response:
    return api.session.put(f"{api.base}/images/{iid}/{where}", data=data, headers=OCTETS,
                           timeout=30)


def _until(api: Glance, iid: str, status: str) -> dict[str, Any]:
    """The image once it has ``status`` (the demo's tasks finish in its build time)."""
    for _ in range(100):
        image: dict[str, Any] = api.call("GET", f"/images/{iid}", expect=200)
        if image["status"] == status:
            return image
        time.sleep(0.05)
    raise AssertionError(f"image {iid} never became {status}: {image['status']}")


def test_upload_then_download_streams_the_same_bytes(owner: Glance, admin: Glance) -> None:
    image = _image(owner)
    try:
        assert _put(owner, image["id"], "file", DATA).status_code == 204
        shown = owner.call("GET", f"/images/{image['id']}", expect=200)
        assert (shown["status"], shown["size"], shown["virtual_size"]) == \
            ("active", len(DATA), len(DATA))
        assert shown["checksum"] == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
        assert shown["os_hash_value"] == hashlib.sha512(DATA).hexdigest()
        r = owner.session.get(f"{owner.base}/images/{image['id']}/file", stream=True,
                              timeout=30)
        assert r.status_code == 200 and b"".join(r.iter_content(chunk_size=None)) == DATA
        assert r.headers["Content-Length"] == str(len(DATA))
        tail = owner.session.get(f"{owner.base}/images/{image['id']}/file",
                                 headers={"Range": "bytes=-10"}, timeout=30)
        assert tail.status_code == 206 and tail.content == DATA[-10:]
        past = owner.session.get(f"{owner.base}/images/{image['id']}/file",
                                 headers={"Range": f"bytes={len(DATA)}-"}, timeout=30)
        assert past.status_code == 416
        assert _put(owner, image["id"], "file", DATA).status_code == 409  # once only
        cached = admin.call("GET", "/cache", expect=200)["cached_images"]
        assert image["id"] in {c["image_id"] for c in cached}
        owner.call("GET", "/cache", expect=403)
    finally:
        owner.call("DELETE", f"/images/{image['id']}", expect=204)


def test_a_seeded_image_has_no_bytes_and_a_deactivated_one_is_not_served(
        owner: Glance, admin: Glance) -> None:
    seeded = next(i for i in admin.call("GET", "/images", expect=200,
                                        visibility="public")["images"]
                  if i["status"] == "active")
    r = owner.session.get(f"{owner.base}/images/{seeded['id']}/file", timeout=30)
    assert r.status_code == 204 and r.content == b""
    image = _image(owner)
    try:
        _put(owner, image["id"], "file", DATA)
        admin.call("POST", f"/images/{image['id']}/actions/deactivate", expect=204)
        text = owner.call("GET", f"/images/{image['id']}/file", expect=403)
        assert "deactivated" in text
        assert admin.session.get(f"{admin.base}/images/{image['id']}/file",
                                 timeout=30).content == DATA
        admin.call("POST", f"/images/{image['id']}/actions/reactivate", expect=204)
        assert owner.session.get(f"{owner.base}/images/{image['id']}/file",
                                 timeout=30).content == DATA
    finally:
        owner.call("DELETE", f"/images/{image['id']}", expect=204)


def test_upload_refusals(owner: Glance) -> None:
    image = _image(owner, disk_format=None, container_format=None)
    try:
        assert _put(owner, image["id"], "file", DATA).status_code == 400
        owner.call("PATCH", f"/images/{image['id']}", expect=415)  # not JSON-patch
        r = owner.session.put(f"{owner.base}/images/{image['id']}/file", data=DATA,
                              headers={"Content-Type": "text/plain"}, timeout=30)
        assert r.status_code == 415
    finally:
        owner.call("DELETE", f"/images/{image['id']}", expect=204)


def test_stage_then_glance_direct_import_walks_its_task(owner: Glance, admin: Glance) -> None:
    image = _image(owner)
    iid = image["id"]
    try:
        direct = {"method": {"name": "glance-direct"}}
        text = owner.call("POST", f"/images/{iid}/import", direct, expect=409)
        assert "staged" in text
        assert _put(owner, iid, "stage", DATA).status_code == 204
        staged = owner.call("GET", f"/images/{iid}", expect=200)
        assert staged["status"] == "uploading" and staged["size"] is None
        usage = owner.call("GET", "/info/usage", expect=200)["usage"]
        assert usage["image_count_uploading"]["usage"] >= 1
        assert _put(owner, iid, "stage", DATA).status_code == 409
        owner.call("POST", f"/images/{iid}/import", {"method": {"name": "nope"}}, expect=400)
        owner.call("POST", f"/images/{iid}/import", {**direct, "stores": ["tape"]},
                   expect=400)
        assert owner.call("POST", f"/images/{iid}/import", direct, expect=202) == ""
        assert owner.call("GET", f"/images/{iid}", expect=200)["status"] == "importing"
        tasks = owner.call("GET", f"/images/{iid}/tasks", expect=200)["tasks"]
        assert len(tasks) == 1 and tasks[0]["type"] == "api_image_import"
        assert tasks[0]["status"] in ("pending", "processing")
        assert tasks[0]["input"]["import_req"] == direct and tasks[0]["image_id"] == iid
        done = _until(owner, iid, "active")
        assert done["checksum"] == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
        assert done["stores"] == "fs" and done["size"] == len(DATA)
        task = owner.call("GET", f"/images/{iid}/tasks", expect=200)["tasks"][0]
        assert task["status"] == "success" and task["expires_at"]
        assert admin.call("GET", f"/tasks/{task['id']}", expect=200)["status"] == "success"
        # copy-image: an administrator copies the data to another store
        owner.call("POST", f"/images/{iid}/import", {"method": {"name": "copy-image"},
                                                     "stores": ["ceph"]}, expect=403)
        admin.call("POST", f"/images/{iid}/import", {"method": {"name": "copy-image"},
                                                     "stores": ["ceph"]}, expect=202)
        for _ in range(100):
            if owner.call("GET", f"/images/{iid}", expect=200)["stores"] == "fs,ceph":
                break
            time.sleep(0.05)
        assert owner.call("GET", f"/images/{iid}", expect=200)["stores"] == "fs,ceph"
        locations = admin.call("GET", f"/images/{iid}/locations", expect=200)
        assert [loc["metadata"]["store"] for loc in locations] == ["fs", "ceph"]
        owner.call("GET", f"/images/{iid}/locations", expect=403)
        admin.call("DELETE", f"/stores/ceph/{iid}", expect=204)
        admin.call("DELETE", f"/stores/fs/{iid}", expect=409)  # its only store
        admin.call("DELETE", f"/stores/ceph/{iid}", expect=404)
    finally:
        owner.call("DELETE", f"/images/{iid}", expect=204)


def test_web_download_and_a_format_mismatch(owner: Glance) -> None:
    image = _image(owner, disk_format="qcow2")
    iid = image["id"]
    try:
        owner.call("POST", f"/images/{iid}/import", {"method": {
            "name": "web-download", "uri": "ftp://example.org/x.img"}}, expect=400)
        owner.call("POST", f"/images/{iid}/import", {"method": {
            "name": "web-download", "uri": "https://example.org/cirros.qcow2"}}, expect=202)
        done = _until(owner, iid, "active")
        assert done["virtual_size"] == 2**30 and done["size"] == 1024 * 1024
        raw = _image(owner, disk_format="qcow2")
        try:
            r = _put(owner, raw["id"], "file", DATA)
            assert r.status_code == 415
            assert "Image disk_format qcow2 does not match stream data raw" in r.text
            assert owner.call("GET", f"/images/{raw['id']}", expect=200)["status"] == "queued"
        finally:
            owner.call("DELETE", f"/images/{raw['id']}", expect=204)
    finally:
        owner.call("DELETE", f"/images/{iid}", expect=204)


def test_legacy_import_task_makes_its_image(owner: Glance, admin: Glance) -> None:
    body = {"type": "import", "input": {
        "import_from": "https://example.org/groovy.qcow2", "import_from_format": "qcow2",
        "image_properties": {"name": "from-task", "disk_format": "qcow2",
                             "container_format": "bare"}}}
    owner.call("POST", "/tasks", body, expect=403)  # tasks are an administrator's
    owner.call("GET", "/tasks", expect=403)
    admin.call("POST", "/tasks", {**body, "type": "export"}, expect=400)
    admin.call("POST", "/tasks", {"type": "import", "input": {}}, expect=400)
    task = admin.call("POST", "/tasks", body, expect=201)
    assert task["status"] == "pending" and task["result"] is None
    for _ in range(100):
        task = admin.call("GET", f"/tasks/{task['id']}", expect=200)
        if task["status"] == "success":
            break
        time.sleep(0.05)
    assert task["status"] == "success"
    image = admin.call("GET", f"/images/{task['result']['image_id']}", expect=200)
    try:
        assert (image["name"], image["status"]) == ("from-task", "active")
        listed = admin.call("GET", "/tasks", expect=200, type="import")["tasks"]
        assert task["id"] in {t["id"] for t in listed}
        assert "input" not in listed[0] and "result" not in listed[0]
        admin.call("GET", f"/tasks/{uuid.uuid4()}", expect=404)
    finally:
        admin.call("DELETE", f"/images/{image['id']}", expect=204)


def test_discovery(owner: Glance, admin: Glance) -> None:
    info = owner.call("GET", "/info/import", expect=200)["import-methods"]
    assert info["value"] == ["glance-direct", "web-download", "copy-image"]
    stores = owner.call("GET", "/info/stores", expect=200)["stores"]
    assert [s.get("default") for s in stores if s["id"] == "fs"] == ["true"]
    assert all("type" not in s for s in stores)
    owner.call("GET", "/info/stores/detail", expect=403)
    detail = admin.call("GET", "/info/stores/detail", expect=200)["stores"]
    assert {s["id"]: s["type"] for s in detail} == {"fs": "file", "ceph": "rbd"}
    usage = owner.call("GET", "/info/usage", expect=200)["usage"]
    mine = owner.call("GET", "/images", expect=200, limit=1000)["images"]
    owned = [i for i in mine if i["owner"] == mine[0]["owner"]] if mine else []
    assert usage["image_count_total"]["usage"] >= len(owned) > 0
    assert usage["image_count_total"]["limit"] == 100


def test_a_snapshot_asked_through_the_store_is_saving_then_active(
        cloud: democloud.DemoCloud, owner: Glance) -> None:
    """The ``image.snapshot`` topic (Nova's createImage): private, saving, then active,
    Nova's properties and the caller's metadata as its properties."""
    from osnb.democloud import world

    project = cloud.store.meta["member_project_id"]
    iid = cloud.call(lambda: cloud.store.ask(
        world.IMAGE_SNAPSHOT, image_id=cloud.store.uuid(), project_id=project,
        name="snap-of-vm", server_id="srv-x", size=3 * 1024 ** 3, min_disk=20,
        properties={"base_image_ref": "abc", "image_type": "snapshot",
                    "instance_uuid": "srv-x"}, metadata={"purpose": "test"}))
    try:
        first = owner.call("GET", f"/images/{iid}", expect=200)
        assert (first["status"], first["visibility"], first["owner"]) == \
            ("saving", "private", project)
        assert (first["image_type"], first["instance_uuid"], first["base_image_ref"],
                first["purpose"]) == ("snapshot", "srv-x", "abc", "test")
        done = _until(owner, iid, "active")
        assert done["size"] == 3 * 1024 ** 3 and done["checksum"] and done["min_disk"] == 20
        record = cloud.call(lambda: cloud.store.ask(world.IMAGE_OF, image_id=iid))
        assert record is not None and record["status"] == "active"
    finally:
        owner.call("DELETE", f"/images/{iid}", expect=204)


def test_the_cache_queue_takes_active_images_of_an_admin(owner: Glance, admin: Glance) -> None:
    image = _image(owner)
    try:
        admin.call("PUT", f"/cache/{image['id']}", expect=400)  # queued: no data yet
        owner.call("PUT", f"/cache/{image['id']}", expect=403)
        _put(owner, image["id"], "file", DATA)
        admin.call("PUT", f"/cache/{image['id']}", expect=202)
        assert image["id"] in admin.call("GET", "/cache", expect=200)["queued_images"]
        r = admin.session.delete(f"{admin.base}/cache", timeout=10,
                                 headers={"x-image-cache-clear-target": "queue"})
        assert r.status_code == 204
        assert admin.call("GET", "/cache", expect=200)["queued_images"] == []
        admin.call("PUT", f"/cache/{uuid.uuid4()}", expect=404)
    finally:
        owner.call("DELETE", f"/images/{image['id']}", expect=204)


def test_cli_create_from_a_file_save_and_deactivate(clouds_yaml: Path, tmp_path: Path,
                                                    owner: Glance) -> None:
    """``image create --file``, ``image save``, ``image set --deactivate/--activate``."""
    from .test_image_sharing import _osc

    source, saved = tmp_path / "disk.raw", tmp_path / "saved.raw"
    source.write_bytes(DATA)
    made = _osc(clouds_yaml, "demo-member", "image", "create", "--disk-format", "raw",
                "--container-format", "bare", "--file", str(source),
                f"cli-{uuid.uuid4().hex[:6]}")
    iid = made["id"]
    try:
        shown = owner.call("GET", f"/images/{iid}", expect=200)
        assert (shown["status"], shown["size"]) == ("active", len(DATA))
        assert shown["checksum"] == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
        _osc(clouds_yaml, "demo-member", "image", "save", "--file", str(saved), iid,
             json_out=False)
        assert saved.read_bytes() == DATA
        _osc(clouds_yaml, "demo", "image", "set", "--deactivate", iid, json_out=False)
        assert owner.call("GET", f"/images/{iid}", expect=200)["status"] == "deactivated"
        _osc(clouds_yaml, "demo", "image", "set", "--activate", iid, json_out=False)
        assert owner.call("GET", f"/images/{iid}", expect=200)["status"] == "active"
    finally:
        owner.call("DELETE", f"/images/{iid}", expect=204)
