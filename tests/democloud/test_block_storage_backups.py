"""Cinder's backups in the demo cloud, over real HTTP: the volume ``backing-up`` while its
backup is made, incremental backups on a full one, restore into a new or an existing
volume, export and import of the record, the admin actions; 400s, 403s, 404s."""

from __future__ import annotations

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
    r = call(member_token, "POST", "/volumes", {"volume": {"size": 2, "name": "bk-pytest"}})
    assert r.status_code == 202, r.text
    vid = r.json()["volume"]["id"]
    yield _wait(call, member_token, f"/volumes/{vid}", "volume")
    for b in call(admin_token, "GET", "/backups/detail", all_tenants=1).json()["backups"]:
        if b["volume_id"] == vid:
            call(admin_token, "POST", f"/backups/{b['id']}/action", {"os-force_delete": {}})
    call(admin_token, "POST", f"/volumes/{vid}/action", {"os-force_delete": {}})


def _backup(call: Call, token: str, vid: str, **extra: Any) -> dict[str, Any]:
    r = call(token, "POST", "/backups", {"backup": {"volume_id": vid, **extra}})
    assert r.status_code == 202, r.text
    return dict(r.json()["backup"])


def test_backup_holds_the_volume_backing_up(call: Call, member_token: str,
                                            vol: dict[str, Any]) -> None:
    vid = vol["id"]
    made = _backup(call, member_token, vid, name="nightly")
    assert set(made) == {"id", "name", "links"}
    assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["status"] == \
        "backing-up"
    again = call(member_token, "POST", "/backups", {"backup": {"volume_id": vid}})
    assert again.status_code == 400  # the volume is busy
    shown = _wait(call, member_token, f"/backups/{made['id']}", "backup")
    assert shown["is_incremental"] is False and shown["size"] == 2
    assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["status"] == \
        "available"


def test_incremental_needs_a_full_and_holds_it(call: Call, member_token: str,
                                               vol: dict[str, Any]) -> None:
    vid = vol["id"]
    r = call(member_token, "POST", "/backups",
             {"backup": {"volume_id": vid, "incremental": True}})
    assert r.status_code == 400 and "incremental" in r.text
    full = _backup(call, member_token, vid)
    _wait(call, member_token, f"/backups/{full['id']}", "backup")
    _wait(call, member_token, f"/volumes/{vid}", "volume")
    inc = _backup(call, member_token, vid, incremental=True)
    shown = _wait(call, member_token, f"/backups/{inc['id']}", "backup")
    assert shown["is_incremental"] is True
    parent = call(member_token, "GET", f"/backups/{full['id']}").json()["backup"]
    assert parent["has_dependent_backups"] is True
    assert call(member_token, "DELETE", f"/backups/{full['id']}").status_code == 400
    assert call(member_token, "DELETE", f"/backups/{inc['id']}").status_code == 202
    assert call(member_token, "GET", f"/backups/{full['id']}").json()["backup"][
        "has_dependent_backups"] is False
    assert call(member_token, "DELETE", f"/backups/{full['id']}").status_code == 202


def test_restore_into_a_new_and_an_existing_volume(call: Call, member_token: str,
                                                   vol: dict[str, Any]) -> None:
    vid = vol["id"]
    backup = _backup(call, member_token, vid)
    r = call(member_token, "POST", f"/backups/{backup['id']}/restore", {"restore": {}})
    assert r.status_code == 400  # still creating
    _wait(call, member_token, f"/backups/{backup['id']}", "backup")
    _wait(call, member_token, f"/volumes/{vid}", "volume")
    r = call(member_token, "POST", f"/backups/{backup['id']}/restore",
             {"restore": {"name": "restored"}})
    assert r.status_code == 202, r.text
    answer = r.json()["restore"]
    assert answer["backup_id"] == backup["id"] and answer["volume_name"] == "restored"
    new = call(member_token, "GET", f"/volumes/{answer['volume_id']}").json()["volume"]
    assert new["status"] == "restoring-backup" and new["size"] == 2
    assert call(member_token, "GET", f"/backups/{backup['id']}").json()["backup"][
        "status"] == "restoring"
    _wait(call, member_token, f"/volumes/{new['id']}", "volume")
    _wait(call, member_token, f"/backups/{backup['id']}", "backup")
    # into the original volume (big enough, available)
    r = call(member_token, "POST", f"/backups/{backup['id']}/restore",
             {"restore": {"volume_id": vid}})
    assert r.status_code == 202 and r.json()["restore"]["volume_id"] == vid
    assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["status"] == \
        "restoring-backup"
    _wait(call, member_token, f"/volumes/{vid}", "volume")
    small = call(member_token, "POST", "/volumes", {"volume": {"size": 1}}).json()["volume"]
    _wait(call, member_token, f"/volumes/{small['id']}", "volume")
    r = call(member_token, "POST", f"/backups/{backup['id']}/restore",
             {"restore": {"volume_id": small["id"]}})
    assert r.status_code == 400 and "too small" in r.text
    assert call(member_token, "DELETE", f"/volumes/{small['id']}").status_code == 202
    assert call(member_token, "DELETE", f"/volumes/{new['id']}").status_code == 202


def test_export_and_import_a_record(call: Call, member_token: str, admin_token: str,
                                    vol: dict[str, Any]) -> None:
    backup = _backup(call, member_token, vol["id"], name="exported")
    _wait(call, member_token, f"/backups/{backup['id']}", "backup")
    path = f"/backups/{backup['id']}/export_record"
    assert call(member_token, "GET", path).status_code == 403
    record = call(admin_token, "GET", path).json()["backup-record"]
    assert record["backup_service"] == "cinder.backup.drivers.swift"
    body = {"backup-record": record}
    r = call(admin_token, "POST", "/backups/import_record", body)
    assert r.status_code == 400 and "already exists" in r.text
    assert call(member_token, "DELETE", f"/backups/{backup['id']}").status_code == 202
    assert call(member_token, "POST", "/backups/import_record", body).status_code == 403
    r = call(admin_token, "POST", "/backups/import_record", body)
    assert r.status_code == 201, r.text
    assert r.json()["backup"]["id"] == backup["id"] and r.json()["backup"]["name"] == \
        "exported"
    imported = _wait(call, admin_token, f"/backups/{backup['id']}", "backup")
    assert imported["volume_id"] == vol["id"] and imported["size"] == 2
    garbage = {"backup-record": {"backup_service": record["backup_service"],
                                 "backup_url": "not base64!"}}
    assert call(admin_token, "POST", "/backups/import_record", garbage).status_code == 400
    assert call(admin_token, "DELETE", f"/backups/{backup['id']}").status_code == 202


def test_admin_actions(call: Call, member_token: str, admin_token: str,
                       vol: dict[str, Any]) -> None:
    backup = _backup(call, member_token, vol["id"])
    action = f"/backups/{backup['id']}/action"
    reset = {"os-reset_status": {"status": "error"}}
    assert call(member_token, "POST", action, reset).status_code == 403
    assert call(admin_token, "POST", action, {"os-reset_status": {"status": "x"}}
                ).status_code == 400
    assert call(admin_token, "POST", action, reset).status_code == 202
    assert call(member_token, "GET", f"/backups/{backup['id']}").json()["backup"][
        "status"] == "error"
    assert call(member_token, "POST", action, {"os-force_delete": {}}).status_code == 403
    assert call(admin_token, "POST", action, {"os-force_delete": {}}).status_code == 202
    assert call(member_token, "GET", f"/backups/{backup['id']}").status_code == 404
    assert call(admin_token, "POST", action, {"os-force_delete": {}}).status_code == 404


def test_openstack_cli_backup_create_and_restore(os_config: Path, call: Call,
                                                 member_token: str,
                                                 vol: dict[str, Any]) -> None:
    made = _osc("volume", "backup", "create", "--name", "cli-backup", vol["id"], "-f", "json")
    _wait(call, member_token, f"/backups/{made['id']}", "backup")
    _wait(call, member_token, f"/volumes/{vol['id']}", "volume")
    listed = _osc("volume", "backup", "list", "-f", "json")
    assert made["id"] in {b["ID"] for b in listed}
    restored = _osc("volume", "backup", "restore", "--force", made["id"], vol["id"], "-f",
                    "json")
    assert restored["volume_id"] == vol["id"]
    _wait(call, member_token, f"/volumes/{vol['id']}", "volume")
    _wait(call, member_token, f"/backups/{made['id']}", "backup")
    _osc("volume", "backup", "delete", made["id"])
    assert call(member_token, "GET", f"/backups/{made['id']}").status_code == 404
