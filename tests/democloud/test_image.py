"""Glance v2 in the demo cloud: real HTTP, openstacksdk and the openstack CLI."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openstack
import pytest
import requests

from osnb import democloud

PATCH = "application/openstack-images-v2.1-json-patch"


def _h(token: str) -> dict[str, str]:
    # Glance's errors are JSON only when asked for (see test_image_errors.py).
    return {"X-Auth-Token": token, "Accept": "application/json"}


def _list(cloud: democloud.DemoCloud, token: str, **params: Any) -> dict[str, Any]:
    r = requests.get(cloud.url + "/image/v2/images", headers=_h(token), params=params,
                     timeout=10)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _walk(cloud: democloud.DemoCloud, token: str, **params: Any) -> list[dict[str, Any]]:
    """Follow Glance's relative ``next`` links to the end; a repeated link is an error."""
    body = _list(cloud, token, **params)
    out = list(body["images"])
    seen: set[str] = set()
    while "next" in body:
        nxt = body["next"]
        assert nxt.startswith("/v2/images?") and nxt not in seen
        seen.add(nxt)
        r = requests.get(cloud.url + "/image" + nxt, headers=_h(token), timeout=10)
        body = r.json()
        out += body["images"]
    return out


@pytest.fixture
def image(cloud: democloud.DemoCloud, member_token: str) -> Iterator[dict[str, Any]]:
    r = requests.post(cloud.url + "/image/v2/images", headers=_h(member_token), timeout=10,
                      json={"name": "pytest-image", "disk_format": "qcow2",
                            "container_format": "bare", "visibility": "private",
                            "hw_disk_bus": "scsi"})
    assert r.status_code == 201, r.text
    img: dict[str, Any] = r.json()
    yield img
    requests.delete(cloud.url + f"/image/v2/images/{img['id']}", headers=_h(member_token),
                    timeout=10)


def test_versions(cloud: democloud.DemoCloud) -> None:
    body = requests.get(cloud.url + "/image/versions", timeout=10).json()
    current = [v for v in body["versions"] if v["status"] == "CURRENT"]
    assert len(current) == 1 and current[0]["links"][0]["href"].endswith("/image/v2/")
    assert requests.get(cloud.url + "/image/", timeout=10).status_code == 300


def test_seeded_images(cloud: democloud.DemoCloud, admin_token: str) -> None:
    names = {i["name"]: i for i in _walk(cloud, admin_token, limit=100)}
    for wanted in ("cirros-0.6.2-x86_64-disk", "ubuntu-22.04", "ubuntu-24.04", "debian-12",
                   "rocky-9", "fedora-40", "windows-server-2022"):
        assert names[wanted]["status"] == "active"
        assert names[wanted]["visibility"] == "public"
    statuses = {i["status"] for i in names.values()}
    assert "deactivated" in statuses
    assert {"community", "shared", "private"} <= {i["visibility"] for i in names.values()}


def test_pagination_via_next(cloud: democloud.DemoCloud, admin_token: str) -> None:
    big = _list(cloud, admin_token, limit=1000)
    assert big["first"].startswith("/v2/images") and big["schema"] == "/v2/schemas/images"
    default = _list(cloud, admin_token)
    assert len(default["images"]) == min(25, len(big["images"]))
    walked = _walk(cloud, admin_token, limit=4)
    assert [i["id"] for i in walked] == [i["id"] for i in big["images"]]


def test_sorting(cloud: democloud.DemoCloud, admin_token: str) -> None:
    names = [i["name"] for i in _walk(cloud, admin_token, sort="name:asc,created_at:desc")]
    assert names == sorted(names)
    sizes = [i["size"] for i in _list(cloud, admin_token, sort_key="size",
                                      sort_dir="desc", status="active")["images"]]
    assert sizes == sorted(sizes, reverse=True)
    created = [i["created_at"] for i in _walk(cloud, admin_token)]
    assert created == sorted(created, reverse=True)
    r = requests.get(cloud.url + "/image/v2/images", headers=_h(admin_token),
                     params={"sort_key": "colour"}, timeout=10)
    assert r.status_code == 400
    assert r.json()["code"] == "400 Bad Request"


def test_filters(cloud: democloud.DemoCloud, admin_token: str) -> None:
    public = _walk(cloud, admin_token, visibility="public")
    assert public and {i["visibility"] for i in public} == {"public"}
    assert all(not i["os_hidden"] for i in public)
    hidden = _walk(cloud, admin_token, os_hidden="true")
    assert hidden and all(i["os_hidden"] for i in hidden)
    assert [i["name"] for i in _walk(cloud, admin_token, name="debian-12")] == ["debian-12"]
    big = _walk(cloud, admin_token, size_min=1024 ** 3)
    assert big and all(i["size"] >= 1024 ** 3 for i in big)
    small = _walk(cloud, admin_token, size_max=100 * 1024 ** 2)
    assert small and all(i["size"] <= 100 * 1024 ** 2 for i in small)
    official = _walk(cloud, admin_token, tag="official")
    assert official and all("official" in i["tags"] for i in official)
    everything = _walk(cloud, admin_token)
    pivot = sorted(i["created_at"] for i in everything)[len(everything) // 2]
    newer = _walk(cloud, admin_token, created_at=f"gte:{pivot}")
    older = _walk(cloud, admin_token, created_at=f"lt:{pivot}")
    assert len(newer) + len(older) == len(everything)
    assert all(i["created_at"] >= pivot for i in newer)
    assert {i["disk_format"] for i in _walk(cloud, admin_token, disk_format="raw")} == {"raw"}


def test_visibility(cloud: democloud.DemoCloud, admin_token: str, member_token: str) -> None:
    member = cloud.store.meta["member_project_id"]
    everything = _walk(cloud, admin_token, visibility="all")
    seen = {i["id"] for i in _walk(cloud, member_token)}
    for img in everything:
        if img["os_hidden"]:
            continue
        if img["visibility"] == "public" or img["owner"] == member:
            assert img["id"] in seen
        elif img["visibility"] in ("private", "community"):
            assert img["id"] not in seen
    foreign = next(i for i in everything
                   if i["visibility"] == "private" and i["owner"] != member)
    r = requests.get(cloud.url + f"/image/v2/images/{foreign['id']}", headers=_h(member_token),
                     timeout=10)
    assert r.status_code == 404
    assert r.json()["code"] == "404 Not Found"
    community = _walk(cloud, member_token, visibility="community")
    assert community and {i["visibility"] for i in community} == {"community"}


def test_patch_and_delete(cloud: democloud.DemoCloud, member_token: str,
                          image: dict[str, Any]) -> None:
    assert image["status"] == "queued" and image["hw_disk_bus"] == "scsi"
    url = cloud.url + f"/image/v2/images/{image['id']}"
    ops = [{"op": "add", "path": "/os_distro", "value": "alpine"},
           {"op": "replace", "path": "/name", "value": "pytest-renamed"},
           {"op": "remove", "path": "/hw_disk_bus"},
           {"op": "replace", "path": "/protected", "value": True}]
    r = requests.patch(url, headers={**_h(member_token), "Content-Type": PATCH},
                       data=json.dumps(ops), timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["os_distro"] == "alpine" and body["name"] == "pytest-renamed"
    assert "hw_disk_bus" not in body and body["protected"] is True
    r = requests.delete(url, headers=_h(member_token), timeout=10)
    assert r.status_code == 403
    r = requests.patch(url, headers={**_h(member_token), "Content-Type": PATCH}, timeout=10,
                       data=json.dumps([{"op": "replace", "path": "/protected",
                                         "value": False}]))
    assert r.status_code == 200
    r = requests.patch(url, headers={**_h(member_token), "Content-Type": PATCH}, timeout=10,
                       data=json.dumps([{"op": "replace", "path": "/status",
                                         "value": "active"}]))
    assert r.status_code == 403
    r = requests.patch(url, headers={**_h(member_token), "Content-Type": "application/json"},
                       data="[]", timeout=10)
    assert r.status_code == 415
    assert requests.delete(url, headers=_h(member_token), timeout=10).status_code == 204
    assert requests.get(url, headers=_h(member_token), timeout=10).status_code == 404


def test_upload_makes_active(cloud: democloud.DemoCloud, member_token: str,
                             image: dict[str, Any]) -> None:
    url = cloud.url + f"/image/v2/images/{image['id']}/file"
    octets = {**_h(member_token), "Content-Type": "application/octet-stream"}
    r = requests.put(url, headers=octets, data=b"x" * 4096, timeout=10)
    assert r.status_code == 415  # raw bytes for a qcow2 image, as Glance's inspector says
    assert "does not match stream data raw" in r.text
    qcow2 = b"QFI\xfb\x00\x00\x00\x03" + bytes(16) + (2**30).to_bytes(8, "big")
    data = qcow2 + b"x" * (4096 - len(qcow2))
    r = requests.put(url, headers=octets, data=data, timeout=10)
    assert r.status_code == 204, r.text
    shown = requests.get(cloud.url + f"/image/v2/images/{image['id']}",
                         headers=_h(member_token), timeout=10).json()
    assert shown["status"] == "active" and shown["size"] == 4096
    assert shown["checksum"] == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    assert (shown["virtual_size"], shown["stores"]) == (2**30, "fs")
    got = requests.get(url, headers=_h(member_token), timeout=10)
    assert got.status_code == 200 and got.content == data
    assert got.headers["Content-MD5"] == shown["checksum"]
    part = requests.get(url, headers={**_h(member_token), "Range": "bytes=4-7"}, timeout=10)
    assert part.status_code == 206 and part.content == data[4:8]
    assert part.headers["Content-Range"] == "bytes 4-7/4096"
    r = requests.put(url, headers={**_h(member_token), "Content-Type": "application/octet-"
                                   "stream"}, data=b"x", timeout=10)
    assert r.status_code == 409


def test_deactivate_reactivate(cloud: democloud.DemoCloud, admin_token: str,
                               member_token: str) -> None:
    cirros = _list(cloud, admin_token, name="cirros-0.6.2-x86_64-disk")["images"][0]
    url = cloud.url + f"/image/v2/images/{cirros['id']}/actions/"
    assert requests.post(url + "deactivate", headers=_h(member_token),
                         timeout=10).status_code == 403
    try:
        assert requests.post(url + "deactivate", headers=_h(admin_token),
                             timeout=10).status_code == 204
        assert _list(cloud, admin_token, id=cirros["id"])["images"][0]["status"] == \
            "deactivated"
    finally:
        assert requests.post(url + "reactivate", headers=_h(admin_token),
                             timeout=10).status_code == 204


@pytest.mark.parametrize(("method", "body", "status"), [
    ("POST", b"{not json", 400),
    ("POST", {"name": "x", "visibility": "galactic"}, 400),
    ("POST", {"name": "x", "status": "active"}, 403),
    ("POST", {"name": "x", "visibility": "public"}, 403),
    ("POST", {"name": "x", "min_disk": "lots"}, 400),
])
def test_bad_input(cloud: democloud.DemoCloud, member_token: str, method: str, body: Any,
                   status: int) -> None:
    kwargs: dict[str, Any] = {"data": body} if isinstance(body, bytes) else {"json": body}
    r = requests.request(method, cloud.url + "/image/v2/images", headers=_h(member_token),
                         timeout=10, **kwargs)
    assert r.status_code == status, r.text
    err = r.json()
    assert err["code"].startswith(str(status)) and err["message"]


def test_schemas(cloud: democloud.DemoCloud, member_token: str) -> None:
    schema = requests.get(cloud.url + "/image/v2/schemas/image", headers=_h(member_token),
                          timeout=10).json()
    assert schema["name"] == "image" and "visibility" in schema["properties"]
    schemas = requests.get(cloud.url + "/image/v2/schemas/images", headers=_h(member_token),
                           timeout=10).json()
    assert schemas["name"] == "images"


def test_openstacksdk(cloud: democloud.DemoCloud, os_config: Path) -> None:
    conn = openstack.connect(cloud="demo")
    names = [i.name for i in conn.image.images(sort="name:asc", limit=3)]
    assert names == sorted(names) and len(names) > 3
    public = list(conn.image.images(visibility="public", status="active"))
    assert public and all(i.visibility == "public" and i.status == "active" for i in public)
    ubuntu = conn.image.find_image("ubuntu-24.04")
    assert ubuntu is not None and ubuntu.min_disk == 10
    img = conn.image.create_image(name="sdk-pytest", disk_format="raw",
                                  container_format="bare", allow_duplicates=True)
    try:
        img = conn.image.update_image(img, name="sdk-pytest-2")
        assert conn.image.get_image(img.id).name == "sdk-pytest-2"
    finally:
        conn.image.delete_image(img)


def test_cli_image_list(cloud: democloud.DemoCloud, os_config: Path) -> None:
    cli = Path(sys.executable).parent / "openstack"
    out = subprocess.run([str(cli), "--os-cloud", "demo", "image", "list", "-f", "json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert "ubuntu-24.04" in {r["Name"] for r in rows}
