"""Cinder's generic volume groups in the demo cloud, over real HTTP: group types and their
specs (admins write), groups holding volumes, group snapshots, the legacy consistency
groups and cgsnapshots answered from the same groups; the 400s, 403s, 404s, member
against admin, and the microversions before which none of it exists."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_block_storage_attachments import _osc

V3 = "/volume/v3"
Call = Callable[..., requests.Response]


@pytest.fixture
def call(cloud: democloud.DemoCloud) -> Call:
    def send(token: str, method: str, path: str, json: Any = None, mv: str = "3.71",
             **params: Any) -> requests.Response:
        headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"volume {mv}"}
        return requests.request(method, cloud.url + V3 + path, headers=headers, json=json,
                                params=params, timeout=10)
    return send


def _wait(call: Call, token: str, path: str, key: str, status: str = "available") -> Any:
    deadline = time.monotonic() + 5
    while True:
        body = call(token, "GET", path).json()[key]
        if body["status"] == status:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


@pytest.fixture
def volume(call: Call, member_token: str, admin_token: str) -> Iterator[dict[str, Any]]:
    r = call(member_token, "POST", "/volumes", {"volume": {"size": 1, "name": "grp-pytest",
                                                           "volume_type": "hdd"}})
    assert r.status_code == 202, r.text
    vid = r.json()["volume"]["id"]
    yield _wait(call, member_token, f"/volumes/{vid}", "volume")
    call(admin_token, "POST", f"/volumes/{vid}/action", {"os-force_delete": {}})


def test_seeded_group_types_and_the_default(call: Call, member_token: str) -> None:
    types = call(member_token, "GET", "/group_types").json()["group_types"]
    names = {t["name"]: t for t in types}
    assert names["default_cgsnapshot_type"]["group_specs"] == {
        "consistent_group_snapshot_enabled": "<is> True"}
    default = call(member_token, "GET", "/group_types/default").json()["group_type"]
    assert default["name"] == "generic"
    assert set(default) == {"id", "name", "description", "is_public", "group_specs"}
    assert call(member_token, "GET", "/group_types", mv="3.10").status_code == 404
    assert call(member_token, "GET", "/group_types/nope").status_code == 404


def test_group_type_and_specs_are_the_admins(call: Call, member_token: str,
                                             admin_token: str) -> None:
    body = {"group_type": {"name": "pytest-gt", "group_specs": {"a": "1"}}}
    assert call(member_token, "POST", "/group_types", body).status_code == 403
    r = call(admin_token, "POST", "/group_types", body)
    assert r.status_code == 200, r.text
    gt = r.json()["group_type"]
    try:
        assert gt["is_public"] is True and gt["group_specs"] == {"a": "1"}
        assert call(admin_token, "POST", "/group_types", body).status_code == 409
        assert call(admin_token, "POST", "/group_types", {"group_type": {}}).status_code == 400
        path = f"/group_types/{gt['id']}/group_specs"
        assert call(member_token, "POST", path, {"group_specs": {"b": "2"}}).status_code == 403
        assert call(admin_token, "POST", path, {"group_specs": {"b": "2"}}).json() == {
            "group_specs": {"b": "2"}}
        assert call(member_token, "GET", path).json() == {"group_specs": {"a": "1", "b": "2"}}
        assert call(admin_token, "PUT", path + "/b", {"b": "3"}).json() == {"b": "3"}
        assert call(member_token, "GET", path + "/b").json() == {"b": "3"}
        mismatch = call(admin_token, "PUT", path + "/b", {"c": "3"})  # Cinder's own words
        assert mismatch.status_code == 400 and "Request body and URI mismatch" in mismatch.text
        assert call(admin_token, "DELETE", path + "/b").status_code == 202
        assert call(admin_token, "GET", path + "/b").status_code == 404
        r = call(admin_token, "PUT", f"/group_types/{gt['id']}",
                 {"group_type": {"description": "renamed"}})
        assert r.status_code == 200 and r.json()["group_type"]["description"] == "renamed"
    finally:
        assert call(admin_token, "DELETE", f"/group_types/{gt['id']}").status_code == 202


def test_group_holds_volumes_snapshots_them_and_deletes_with_them(
        call: Call, member_token: str, admin_token: str, volume: dict[str, Any]) -> None:
    hdd = call(member_token, "GET", "/types/hdd").json()["volume_type"]["id"]
    body = {"group": {"name": "pytest-group", "group_type": "generic",
                      "volume_types": ["hdd"]}}
    assert call(member_token, "POST", "/groups", body, mv="3.12").status_code == 404
    r = call(member_token, "POST", "/groups", body)
    assert r.status_code == 202, r.text
    assert set(r.json()["group"]) == {"id", "name"}
    gid = r.json()["group"]["id"]
    group = _wait(call, member_token, f"/groups/{gid}", "group")
    assert group["volume_types"] == [hdd] and group["volumes"] == []
    assert "project_id" not in call(member_token, "GET", f"/groups/{gid}", mv="3.57").json()[
        "group"]
    # an hdd volume joins the hdd group, and then stays (no delete, no retype)
    r = call(member_token, "PUT", f"/groups/{gid}",
             {"group": {"add_volumes": volume["id"]}})
    assert r.status_code == 202, r.text
    assert call(member_token, "GET", f"/groups/{gid}").json()["group"]["volumes"] == [
        volume["id"]]
    assert call(member_token, "GET", f"/volumes/{volume['id']}").json()["volume"][
        "group_id"] == gid
    assert call(member_token, "DELETE", f"/volumes/{volume['id']}").status_code == 400
    # a volume made in the group joins it; one of a type the group lacks cannot
    r = call(member_token, "POST", "/volumes",
             {"volume": {"size": 1, "volume_type": "ssd", "group_id": gid}})
    assert r.status_code == 400
    r = call(member_token, "POST", "/volumes",
             {"volume": {"size": 1, "volume_type": "hdd", "group_id": gid}})
    assert r.status_code == 202, r.text
    born = _wait(call, member_token, f"/volumes/{r.json()['volume']['id']}", "volume")
    assert born["group_id"] == gid
    r = call(member_token, "PUT", f"/groups/{gid}", {"group": {"remove_volumes": born["id"]}})
    assert r.status_code == 202
    assert call(member_token, "DELETE", f"/volumes/{born['id']}").status_code == 202
    retype = call(member_token, "POST", f"/volumes/{volume['id']}/action",
                  {"os-retype": {"new_type": "ssd", "migration_policy": "on-demand"}})
    assert retype.status_code == 400
    # a group snapshot: one snapshot per volume, which go with it
    r = call(member_token, "POST", "/group_snapshots",
             {"group_snapshot": {"group_id": gid, "name": "pytest-gs"}})
    assert r.status_code == 202, r.text
    gsid = r.json()["group_snapshot"]["id"]
    gs = _wait(call, member_token, f"/group_snapshots/{gsid}", "group_snapshot")
    assert gs["group_type_id"] == group["group_type"]
    snaps = [s for s in call(member_token, "GET", "/snapshots/detail").json()["snapshots"]
             if s["group_snapshot_id"] == gsid]
    assert [s["volume_id"] for s in snaps] == [volume["id"]]
    delete = {"delete": {"delete-volumes": True}}
    assert call(member_token, "POST", f"/groups/{gid}/action", delete).status_code == 400
    assert call(member_token, "DELETE", f"/group_snapshots/{gsid}").status_code == 202
    assert call(member_token, "GET", f"/snapshots/{snaps[0]['id']}").status_code == 404
    r = call(member_token, "POST", f"/groups/{gid}/action", {"delete": {}})
    assert r.status_code == 400 and "delete-volumes" in r.text
    reset = {"reset_status": {"status": "error"}}
    assert call(member_token, "POST", f"/groups/{gid}/action", reset).status_code == 403
    assert call(admin_token, "POST", f"/groups/{gid}/action", reset).status_code == 202
    assert call(member_token, "POST", f"/groups/{gid}/action", delete).status_code == 202
    assert call(member_token, "GET", f"/groups/{gid}").status_code == 404
    assert call(member_token, "GET", f"/volumes/{volume['id']}").status_code == 404


def test_group_refusals(call: Call, member_token: str, admin_token: str) -> None:
    bad_type = {"group": {"group_type": "nope", "volume_types": ["hdd"]}}
    assert call(member_token, "POST", "/groups", bad_type).status_code == 404
    no_types = {"group": {"group_type": "generic"}}
    assert call(member_token, "POST", "/groups", no_types).status_code == 400
    groups = call(admin_token, "GET", "/groups/detail", all_tenants=1).json()["groups"]
    seeded = next(g for g in groups if g["name"] == "erp-db")
    assert call(member_token, "GET", f"/groups/{seeded['id']}").status_code == 404
    assert call(member_token, "GET", "/groups", all_tenants=1).status_code == 403
    # a group type in use stays
    assert call(admin_token, "DELETE", f"/group_types/{seeded['group_type']}").status_code \
        == 400


def test_consistency_groups_are_the_groups(call: Call, admin_token: str,
                                           member_token: str) -> None:
    cgs = call(admin_token, "GET", "/consistencygroups/detail", mv="3.0").json()[
        "consistencygroups"]
    seeded = next(c for c in cgs if c["name"] == "erp-db")
    assert set(seeded) == {"id", "status", "availability_zone", "created_at", "name",
                           "description", "volume_types"}
    group = call(admin_token, "GET", f"/groups/{seeded['id']}").json()["group"]
    assert len(group["volumes"]) == 2 and group["volume_types"] == seeded["volume_types"]
    snaps = call(admin_token, "GET", "/cgsnapshots/detail").json()["cgsnapshots"]
    assert any(s["consistencygroup_id"] == seeded["id"] for s in snaps)
    r = call(member_token, "POST", "/consistencygroups",
             {"consistencygroup": {"name": "pytest-cg", "volume_types": "hdd,ssd"}})
    assert r.status_code == 202, r.text
    cg = r.json()["consistencygroup"]
    made = call(member_token, "GET", f"/groups/{cg['id']}").json()["group"]
    cg_type = next(t for t in call(member_token, "GET", "/group_types").json()["group_types"]
                   if t["name"] == "default_cgsnapshot_type")
    assert made["group_type"] == cg_type["id"] and len(made["volume_types"]) == 2
    _wait(call, member_token, f"/consistencygroups/{cg['id']}", "consistencygroup")
    r = call(member_token, "PUT", f"/consistencygroups/{cg['id']}/update",
             {"consistencygroup": {"name": "pytest-cg2"}})
    assert r.status_code == 202
    assert call(member_token, "GET", f"/groups/{cg['id']}").json()["group"]["name"] == \
        "pytest-cg2"
    assert call(member_token, "POST", "/consistencygroups",
                {"consistencygroup": {"name": "x"}}).status_code == 400
    assert call(member_token, "POST", f"/consistencygroups/{cg['id']}/delete",
                {"consistencygroup": {"force": False}}).status_code == 202
    assert call(member_token, "GET", f"/consistencygroups/{cg['id']}").status_code == 404


def test_openstack_cli_volume_group_create(os_config: Path, call: Call, member_token: str,
                                           volume: dict[str, Any]) -> None:
    v = ("--os-volume-api-version", "3.13")
    made = _osc(*v, "volume", "group", "create", "--volume-group-type", "generic",
                "--volume-type", "hdd", "--name", "cli-group", "-f", "json")
    gid = made["ID"]
    _wait(call, member_token, f"/groups/{gid}", "group")
    r = call(member_token, "PUT", f"/groups/{gid}", {"group": {"add_volumes": volume["id"]}})
    assert r.status_code == 202, r.text
    _osc(*v, "volume", "group", "set", "--name", "cli-group-2", gid, "-f", "json")
    shown = _osc("--os-volume-api-version", "3.25", "volume", "group", "show", gid,
                 "-f", "json")
    assert shown["Name"] == "cli-group-2" and volume["id"] in str(shown["Volumes"])
    listed = _osc(*v, "volume", "group", "list", "-f", "json")
    assert gid in {g["ID"] for g in listed}
    _osc(*v, "volume", "group", "delete", "--force", gid)
    assert call(member_token, "GET", f"/groups/{gid}").status_code == 404
