"""The operator's and Nova's volume actions, manageable volumes and snapshots, snapshot
actions and type encryption in the demo cloud, over real HTTP: states, effects on the
other records, 400s, 403s, 404s, member against admin."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_block_storage_attachments import _osc
from .test_block_storage_groups import V3, Call, _wait


@pytest.fixture
def call(cloud: democloud.DemoCloud) -> Call:
    def send(token: str, method: str, path: str, json: Any = None, mv: str = "3.71",
             **params: Any) -> requests.Response:
        headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"volume {mv}"}
        return requests.request(method, cloud.url + V3 + path, headers=headers, json=json,
                                params=params, timeout=10)
    return send


@pytest.fixture
def vol(call: Call, member_token: str, admin_token: str) -> Iterator[dict[str, Any]]:
    r = call(member_token, "POST", "/volumes",
             {"volume": {"size": 1, "name": "life-pytest", "volume_type": "hdd"}})
    assert r.status_code == 202, r.text
    vid = r.json()["volume"]["id"]
    yield _wait(call, member_token, f"/volumes/{vid}", "volume")
    call(admin_token, "POST", f"/volumes/{vid}/action", {"os-force_delete": {}})


def _act(call: Call, token: str, vid: str, action: str, arg: Any = None,
         **kw: Any) -> requests.Response:
    return call(token, "POST", f"/volumes/{vid}/action", {action: arg or {}}, **kw)


def _admin_view(call: Call, token: str, vid: str) -> dict[str, Any]:
    return dict(call(token, "GET", f"/volumes/{vid}").json()["volume"])


def test_migrate_moves_the_volume_to_another_backend(call: Call, member_token: str,
                                                     admin_token: str,
                                                     vol: dict[str, Any]) -> None:
    vid = vol["id"]
    source = _admin_view(call, admin_token, vid)["os-vol-host-attr:host"]
    ceph = "block01@ceph-ssd"
    assert _act(call, member_token, vid, "os-migrate_volume", {"host": ceph}
                ).status_code == 403
    assert _act(call, admin_token, vid, "os-migrate_volume", {"host": "nowhere@x"}
                ).status_code == 400
    assert _act(call, admin_token, vid, "os-migrate_volume",
                {"host": source.split("#")[0]}).status_code == 400  # already there
    r = _act(call, admin_token, vid, "os-migrate_volume", {"host": ceph})
    assert r.status_code == 202, r.text
    shown = _admin_view(call, admin_token, vid)
    assert shown["migration_status"] == "migrating"
    assert _act(call, admin_token, vid, "os-migrate_volume", {"host": "block02@netapp-hdd"}
                ).status_code == 400  # one migration at a time
    deadline = time.monotonic() + 5
    while _admin_view(call, admin_token, vid)["migration_status"] != "success":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    shown = _admin_view(call, admin_token, vid)
    assert shown["os-vol-host-attr:host"].startswith(ceph + "#")
    assert shown["os-vol-mig-status-attr:migstat"] == "success"


def test_readonly_volume_attaches_read_only(call: Call, member_token: str,
                                            vol: dict[str, Any]) -> None:
    vid = vol["id"]
    assert _act(call, member_token, vid, "os-update_readonly_flag").status_code == 400
    assert _act(call, member_token, vid, "os-update_readonly_flag", {"readonly": True}
                ).status_code == 202
    r = _act(call, member_token, vid, "os-attach",
             {"instance_uuid": None, "host_name": "backup-host", "mountpoint": "/dev/vdb"})
    assert r.status_code == 400 and "read-only" in r.text
    info = _act(call, member_token, vid, "os-initialize_connection",
                {"connector": {"host": "compute-01", "initiator": "iqn.x"}}).json()
    assert info["connection_info"]["data"]["access_mode"] == "ro"
    assert _act(call, member_token, vid, "os-initialize_connection").status_code == 400
    assert _act(call, member_token, vid, "os-terminate_connection",
                {"connector": {"host": "compute-01"}}).status_code == 202
    r = _act(call, member_token, vid, "os-attach",
             {"host_name": "backup-host", "mountpoint": "/dev/vdb", "mode": "ro"})
    assert r.status_code == 202, r.text
    assert _act(call, member_token, vid, "os-force_detach").status_code == 403
    assert _act(call, member_token, vid, "os-update_readonly_flag", {"readonly": False}
                ).status_code == 400  # in use now
    assert _act(call, member_token, vid, "os-detach").status_code == 202
    assert _admin_view(call, member_token, vid)["status"] == "available"


def test_force_detach_frees_the_server(call: Call, cloud: democloud.DemoCloud,
                                       member_token: str, admin_token: str,
                                       vol: dict[str, Any]) -> None:
    vid = vol["id"]
    server = requests.get(cloud.url + "/compute/v2.1/servers", timeout=10, headers={
        "X-Auth-Token": member_token}).json()["servers"][0]["id"]
    r = requests.post(cloud.url + f"/compute/v2.1/servers/{server}/os-volume_attachments",
                      json={"volumeAttachment": {"volumeId": vid}}, timeout=10,
                      headers={"X-Auth-Token": member_token})
    assert r.status_code == 200, r.text
    assert _admin_view(call, admin_token, vid)["status"] == "in-use"
    assert _act(call, admin_token, vid, "os-force_detach", {"attachment_id": "nope"}
                ).status_code == 404
    assert _act(call, admin_token, vid, "os-force_detach", {"connector": {}}
                ).status_code == 202
    assert _admin_view(call, admin_token, vid)["status"] == "available"
    attached = requests.get(cloud.url + f"/compute/v2.1/servers/{server}", timeout=10,
                            headers={"X-Auth-Token": member_token}).json()["server"][
        "os-extended-volumes:volumes_attached"]
    assert vid not in {a["id"] for a in attached}


def test_image_metadata_actions(call: Call, member_token: str, vol: dict[str, Any]) -> None:
    vid = vol["id"]
    r = _act(call, member_token, vid, "os-set_image_metadata",
             {"metadata": {"hw_firmware_type": "uefi", "os_distro": "ubuntu"}})
    assert r.json() == {"metadata": {"hw_firmware_type": "uefi", "os_distro": "ubuntu"}}
    assert _act(call, member_token, vid, "os-unset_image_metadata", {"key": "os_distro"}
                ).status_code == 200
    assert _act(call, member_token, vid, "os-unset_image_metadata", {"key": "os_distro"}
                ).status_code == 404
    assert _act(call, member_token, vid, "os-show_image_metadata").json() == {
        "metadata": {"hw_firmware_type": "uefi"}}
    assert _admin_view(call, member_token, vid)["volume_image_metadata"] == {
        "hw_firmware_type": "uefi"}
    assert _act(call, member_token, vid, "os-set_image_metadata", {"metadata": "x"}
                ).status_code == 400


def test_upload_to_image_lands_in_the_image_service(call: Call, cloud: democloud.DemoCloud,
                                                    member_token: str,
                                                    vol: dict[str, Any]) -> None:
    vid = vol["id"]
    assert _act(call, member_token, vid, "os-volume_upload_image").status_code == 400
    assert _act(call, member_token, vid, "os-volume_upload_image",
                {"image_name": "x", "disk_format": "iso"}).status_code == 400
    r = _act(call, member_token, vid, "os-volume_upload_image", {"image_name": "snap-img"})
    assert r.status_code == 202, r.text
    answer = r.json()["os-volume_upload_image"]
    assert answer["status"] == "uploading"
    _wait(call, member_token, f"/volumes/{vid}", "volume")
    image = requests.get(cloud.url + f"/image/v2/images/{answer['image_id']}", timeout=10,
                         headers={"X-Auth-Token": member_token}).json()
    assert (image["name"], image["visibility"], image["disk_format"]) == (
        "snap-img", "private", "raw")
    assert image["status"] in ("saving", "active")
    assert image["size"] in (None, vol["size"] * 1024 ** 3)


def test_reimage_and_extend_completion(call: Call, cloud: democloud.DemoCloud,
                                       member_token: str, admin_token: str,
                                       vol: dict[str, Any]) -> None:
    vid = vol["id"]
    images = requests.get(cloud.url + "/image/v2/images", timeout=10, headers={
        "X-Auth-Token": member_token}).json()["images"]
    small = min((i for i in images if i["status"] == "active"),
                key=lambda i: i.get("size") or 0)
    assert _act(call, member_token, vid, "os-reimage", {"image_id": small["id"]},
                mv="3.67").status_code == 400
    assert _act(call, member_token, vid, "os-reimage", {"image_id": "nope"}).status_code \
        == 400
    r = _act(call, member_token, vid, "os-reimage", {"image_id": small["id"]})
    assert r.status_code == 202, r.text
    shown = _admin_view(call, member_token, vid)
    assert shown["status"] == "downloading" and shown["bootable"] == "true"
    assert shown["volume_image_metadata"]["image_id"] == small["id"]
    _wait(call, member_token, f"/volumes/{vid}", "volume")
    r = _act(call, admin_token, vid, "os-extend_volume_completion", {"error": False})
    assert r.status_code == 400 and "extending" in r.text


def test_unmanage_then_manage_again(call: Call, member_token: str, admin_token: str,
                                    vol: dict[str, Any]) -> None:
    vid = vol["id"]
    host = _admin_view(call, admin_token, vid)["os-vol-host-attr:host"].split("#")[0]
    assert call(admin_token, "GET", "/manageable_volumes").status_code == 400
    assert call(member_token, "GET", "/manageable_volumes", host=host).status_code == 403
    listed = call(admin_token, "GET", "/manageable_volumes/detail", host=host).json()[
        "manageable-volumes"]
    mine = next(m for m in listed if m["cinder_id"] == vid)
    assert (mine["safe_to_manage"], mine["reason_not_safe"]) == (False, "already managed")
    assert any(m["safe_to_manage"] for m in listed)  # the backend's own, from before
    assert _act(call, member_token, vid, "os-unmanage").status_code == 403
    assert _act(call, admin_token, vid, "os-unmanage").status_code == 202
    assert call(member_token, "GET", f"/volumes/{vid}").status_code == 404
    brief = call(admin_token, "GET", "/manageable_volumes", host=host).json()[
        "manageable-volumes"]
    ref = {"source-name": f"volume-{vid}"}
    assert {"reference": ref, "size": 1, "safe_to_manage": True} in brief
    body = {"volume": {"host": host, "ref": ref, "name": "adopted", "volume_type": "hdd"}}
    assert call(member_token, "POST", "/manageable_volumes", body).status_code == 403
    r = call(admin_token, "POST", "/manageable_volumes", body)
    assert r.status_code == 202, r.text
    adopted = r.json()["volume"]
    assert adopted["status"] == "managing" and adopted["size"] == 1
    _wait(call, admin_token, f"/volumes/{adopted['id']}", "volume")
    again = call(admin_token, "POST", "/manageable_volumes", body).json()["volume"]
    assert again["status"] == "error_managing"  # no longer on the backend unmanaged
    for made in (adopted, again):
        assert call(admin_token, "DELETE", f"/volumes/{made['id']}").status_code == 202


def test_snapshot_actions_and_manage(call: Call, member_token: str, admin_token: str,
                                     vol: dict[str, Any]) -> None:
    snap = call(member_token, "POST", "/snapshots",
                {"snapshot": {"volume_id": vol["id"]}}).json()["snapshot"]
    path = f"/snapshots/{snap['id']}/action"
    update = {"os-update_snapshot_status": {"status": "available", "progress": "100%"}}
    assert call(member_token, "POST", path, update).status_code == 403
    assert call(admin_token, "POST", path, update).status_code == 202
    assert call(admin_token, "POST", path,
                {"os-update_snapshot_status": {"status": "creating"}}).status_code == 400
    reset = {"os-reset_status": {"status": "error"}}
    assert call(member_token, "POST", path, reset).status_code == 403
    assert call(admin_token, "POST", path, reset).status_code == 202
    assert call(member_token, "GET", f"/snapshots/{snap['id']}").json()["snapshot"][
        "status"] == "error"
    assert call(admin_token, "POST", path, {"os-unmanage": {}}).status_code == 202
    host = _admin_view(call, admin_token, vol["id"])["os-vol-host-attr:host"].split("#")[0]
    listed = call(admin_token, "GET", "/manageable_snapshots/detail", host=host).json()[
        "manageable-snapshots"]
    ref = {"source-name": f"snapshot-{snap['id']}"}
    assert any(m["reference"] == ref and m["safe_to_manage"] for m in listed)
    r = call(admin_token, "POST", "/manageable_snapshots",
             {"snapshot": {"volume_id": vol["id"], "ref": ref, "name": "back"}})
    assert r.status_code == 202, r.text
    back = r.json()["snapshot"]
    _wait(call, admin_token, f"/snapshots/{back['id']}", "snapshot")
    force = f"/snapshots/{back['id']}/action"
    assert call(admin_token, "POST", force, {"os-force_delete": {}}).status_code == 202
    assert call(admin_token, "GET", f"/snapshots/{back['id']}").status_code == 404


def test_type_encryption(call: Call, member_token: str, admin_token: str) -> None:
    luks = call(admin_token, "GET", "/types/ssd-luks").json()["volume_type"]
    spec = call(admin_token, "GET", f"/types/{luks['id']}/encryption").json()
    assert (spec["provider"], spec["volume_type_id"]) == ("luks", luks["id"])
    assert call(member_token, "GET", f"/types/{luks['id']}/encryption").status_code == 403
    assert call(admin_token, "GET", f"/types/{luks['id']}/encryption/cipher").json() == {
        "cipher": "aes-xts-plain64"}
    made = call(member_token, "POST", "/volumes",
                {"volume": {"size": 1, "volume_type": "ssd-luks"}}).json()["volume"]
    shown = _wait(call, member_token, f"/volumes/{made['id']}", "volume")
    assert shown["encrypted"] is True and shown["encryption_key_id"]
    assert "encryption_key_id" not in call(member_token, "GET", f"/volumes/{made['id']}",
                                           mv="3.63").json()["volume"]
    path = f"/types/{luks['id']}/encryption/{spec['encryption_id']}"
    r = call(admin_token, "PUT", path, {"encryption": {"key_size": 512}})
    assert r.status_code == 400 and "in use" in r.text
    assert call(admin_token, "DELETE", path).status_code == 400
    assert call(member_token, "DELETE", f"/volumes/{made['id']}").status_code == 202
    r = call(admin_token, "PUT", path, {"encryption": {"key_size": 512}})
    assert r.status_code == 200 and r.json() == {"encryption": {"key_size": 512}}
    # a new type: no specification until one is made
    vtype = call(admin_token, "POST", "/types", {"volume_type": {"name": "enc-pytest"}}
                 ).json()["volume_type"]
    try:
        assert call(admin_token, "GET", f"/types/{vtype['id']}/encryption").json() == {}
        body = {"encryption": {"provider": "luks", "control_location": "middle"}}
        assert call(admin_token, "POST", f"/types/{vtype['id']}/encryption", body
                    ).status_code == 400
        body["encryption"]["control_location"] = "back-end"
        r = call(admin_token, "POST", f"/types/{vtype['id']}/encryption", body)
        assert r.status_code == 200 and r.json()["encryption"]["control_location"] == \
            "back-end"
        assert call(admin_token, "POST", f"/types/{vtype['id']}/encryption", body
                    ).status_code == 400
        eid = r.json()["encryption"]["encryption_id"]
        assert call(admin_token, "DELETE", f"/types/{vtype['id']}/encryption/{eid}"
                    ).status_code == 202
    finally:
        call(admin_token, "DELETE", f"/types/{vtype['id']}")


def test_private_type_is_seen_by_its_projects_only(call: Call, member_token: str,
                                                   admin_token: str) -> None:
    gold = call(admin_token, "GET", "/types/tenant-gold").json()["volume_type"]
    assert gold["is_public"] is False
    access = call(admin_token, "GET", f"/types/{gold['id']}/os-volume-type-access").json()
    assert len(access["volume_type_access"]) == 1
    assert "tenant-gold" not in {t["name"] for t in call(member_token, "GET", "/types")
                                 .json()["volume_types"]}


def test_openstack_cli_extend_and_encryption(os_config: Path, call: Call,
                                             member_token: str, admin_token: str,
                                             vol: dict[str, Any]) -> None:
    _osc("volume", "set", "--size", "3", vol["id"])
    assert _admin_view(call, member_token, vol["id"])["size"] == 3
    _osc("volume", "type", "create", "--encryption-provider", "luks",
         "--encryption-cipher", "aes-xts-plain64", "--encryption-key-size", "256",
         "--encryption-control-location", "front-end", "cli-luks", "-f", "json",
         cloud="demo")
    try:
        shown = _osc("volume", "type", "show", "--encryption-type", "cli-luks", "-f", "json",
                     cloud="demo")
        assert shown["encryption"]["provider"] == "luks"
        _osc("volume", "type", "set", "--encryption-provider", "luks",
             "--encryption-key-size", "512", "cli-luks", cloud="demo")
        shown = _osc("volume", "type", "show", "--encryption-type", "cli-luks", "-f", "json",
                     cloud="demo")
        assert shown["encryption"]["key_size"] == 512
    finally:
        _osc("volume", "type", "delete", "cli-luks", cloud="demo")
