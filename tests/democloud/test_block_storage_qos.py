"""Cinder's QoS specs and volume type access in the demo cloud, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from osnb import democloud

V3 = "/volume/v3"
Call = Callable[..., requests.Response]


@pytest.fixture
def call(cloud: democloud.DemoCloud) -> Call:
    def send(token: str, method: str, path: str, json: Any = None, **params: Any
             ) -> requests.Response:
        headers = {"X-Auth-Token": token, "OpenStack-API-Version": "volume 3.71"}
        return requests.request(method, cloud.url + V3 + path, headers=headers, json=json,
                                params=params, timeout=10)
    return send


@pytest.fixture
def private_type(call: Call, admin_token: str) -> Iterator[dict[str, Any]]:
    r = call(admin_token, "POST", "/types", {"volume_type": {
        "name": "pytest-private", "os-volume-type-access:is_public": False}})
    assert r.status_code == 200, r.text
    vtype: dict[str, Any] = r.json()["volume_type"]
    yield vtype
    call(admin_token, "DELETE", f"/types/{vtype['id']}")


def _type_id(call: Call, token: str, name: str) -> str:
    types = call(token, "GET", "/types").json()["volume_types"]
    return str(next(t["id"] for t in types if t["name"] == name))


def test_seeded_qos_on_the_ssd_type(call: Call, admin_token: str, member_token: str) -> None:
    specs = call(admin_token, "GET", "/qos-specs").json()["qos_specs"]
    limit = next(q for q in specs if q["name"] == "ssd-iops-limit")
    assert limit["consumer"] == "front-end" and limit["specs"]["total_iops_sec"] == "5000"
    ssd = call(admin_token, "GET", f"/types/{_type_id(call, admin_token, 'ssd')}").json()
    assert ssd["volume_type"]["qos_specs_id"] == limit["id"]
    assoc = call(admin_token, "GET", f"/qos-specs/{limit['id']}/associations").json()
    assert assoc == {"qos_associations": [{"association_type": "volume_type", "name": "ssd",
                                           "id": ssd["volume_type"]["id"]}]}
    assert call(member_token, "GET", "/qos-specs").status_code == 403
    assert call(member_token, "GET", f"/qos-specs/{limit['id']}").status_code == 403


def test_qos_lifecycle(call: Call, admin_token: str, member_token: str) -> None:
    r = call(admin_token, "POST", "/qos-specs", {"qos_specs": {
        "name": "pytest-qos", "consumer": "both", "read_iops_sec": "100"}})
    assert r.status_code == 200, r.text
    body = r.json()
    qos = body["qos_specs"]
    assert qos["specs"] == {"read_iops_sec": "100"} and qos["consumer"] == "both"
    assert [lk["rel"] for lk in body["links"]] == ["self", "bookmark"]
    assert call(admin_token, "POST", "/qos-specs",
                {"qos_specs": {"name": "pytest-qos"}}).status_code == 409
    assert call(admin_token, "POST", "/qos-specs", {"qos_specs": {}}).status_code == 400
    assert call(admin_token, "POST", "/qos-specs", {"qos_specs": {
        "name": "x", "consumer": "sideways"}}).status_code == 400
    assert call(member_token, "POST", "/qos-specs",
                {"qos_specs": {"name": "mine"}}).status_code == 403
    r = call(admin_token, "PUT", f"/qos-specs/{qos['id']}", {"qos_specs": {"delay": "1"}})
    assert r.status_code == 200 and r.json() == {"qos_specs": {"delay": "1"}}
    shown = call(admin_token, "GET", f"/qos-specs/{qos['id']}").json()
    assert shown["qos_specs"]["specs"] == {"read_iops_sec": "100", "delay": "1"}
    assert call(admin_token, "PUT", f"/qos-specs/{qos['id']}/delete_keys",
                {"keys": ["nope"]}).status_code == 404
    assert call(admin_token, "PUT", f"/qos-specs/{qos['id']}/delete_keys",
                {"keys": ["delay"]}).status_code == 202
    hdd = _type_id(call, admin_token, "hdd")
    ssd = _type_id(call, admin_token, "ssd")
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}/associate").status_code == 400
    taken = call(admin_token, "GET", f"/qos-specs/{qos['id']}/associate", vol_type_id=ssd)
    assert taken.status_code == 400 and "already associated" in taken.text
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}/associate",
                vol_type_id=hdd).status_code == 202
    assert call(admin_token, "GET", f"/types/{hdd}").json()["volume_type"][
        "qos_specs_id"] == qos["id"]
    assert call(admin_token, "DELETE", f"/qos-specs/{qos['id']}").status_code == 400
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}/disassociate",
                vol_type_id=ssd).status_code == 400
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}/disassociate",
                vol_type_id=hdd).status_code == 202
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}/associate",
                vol_type_id=hdd).status_code == 202
    assert call(admin_token, "DELETE", f"/qos-specs/{qos['id']}",
                force="true").status_code == 202
    assert call(admin_token, "GET", f"/types/{hdd}").json()["volume_type"][
        "qos_specs_id"] is None
    assert call(admin_token, "GET", f"/qos-specs/{qos['id']}").status_code == 404


def test_private_type_access(call: Call, cloud: democloud.DemoCloud, admin_token: str,
                             member_token: str, private_type: dict[str, Any]) -> None:
    tid = private_type["id"]
    member_project = cloud.store.meta["member_project_id"]
    assert tid not in {t["id"] for t in call(member_token, "GET", "/types").json()[
        "volume_types"]}
    assert call(member_token, "GET", f"/types/{tid}").status_code == 404
    refused = call(member_token, "POST", "/volumes", {"volume": {
        "size": 1, "volume_type": "pytest-private"}})
    assert refused.status_code == 404
    assert call(admin_token, "GET", f"/types/{tid}/os-volume-type-access").json() == {
        "volume_type_access": []}
    add = {"addProjectAccess": {"project": member_project}}
    assert call(member_token, "POST", f"/types/{tid}/action", add).status_code == 403
    assert call(admin_token, "POST", f"/types/{tid}/action", add).status_code == 202
    assert call(admin_token, "POST", f"/types/{tid}/action", add).status_code == 409
    assert call(admin_token, "GET", f"/types/{tid}/os-volume-type-access").json() == {
        "volume_type_access": [{"volume_type_id": tid, "project_id": member_project}]}
    assert tid in {t["id"] for t in call(member_token, "GET", "/types").json()[
        "volume_types"]}
    made = call(member_token, "POST", "/volumes", {"volume": {
        "size": 1, "volume_type": "pytest-private"}})
    assert made.status_code == 202, made.text
    vid = made.json()["volume"]["id"]
    call(admin_token, "POST", f"/volumes/{vid}/action",
         {"os-reset_status": {"status": "available"}})
    assert call(member_token, "DELETE", f"/volumes/{vid}").status_code == 202
    remove = {"removeProjectAccess": {"project": member_project}}
    assert call(admin_token, "POST", f"/types/{tid}/action", remove).status_code == 202
    assert call(admin_token, "POST", f"/types/{tid}/action", remove).status_code == 404
    assert call(member_token, "GET", f"/types/{tid}").status_code == 404
    public = _type_id(call, admin_token, "hdd")
    assert call(admin_token, "GET", f"/types/{public}/os-volume-type-access").status_code == 404
    assert call(admin_token, "POST", f"/types/{public}/action", add).status_code == 400


# --- default types -------------------------------------------------------------------------------

def test_project_default_type_applies_to_new_volumes(call: Call, cloud: democloud.DemoCloud,
                                                     admin_token: str,
                                                     member_token: str) -> None:
    project = cloud.store.meta["member_project_id"]
    hdd = _type_id(call, admin_token, "hdd")
    path = f"/default-types/{project}"
    assert call(admin_token, "GET", path).status_code == 404
    body = {"default_type": {"volume_type": "hdd"}}
    assert call(member_token, "PUT", path, body).status_code == 403
    r = requests.put(cloud.url + "/volume/v3" + path, json=body, timeout=10, headers={
        "X-Auth-Token": admin_token, "OpenStack-API-Version": "volume 3.61"})
    assert r.status_code == 404  # before 3.62
    assert call(admin_token, "PUT", path, {"default_type": {"volume_type": "nope"}}
                ).status_code == 404
    r = call(admin_token, "PUT", path, body)
    assert r.status_code == 200 and r.json() == {
        "default_type": {"project_id": project, "volume_type_id": hdd}}
    assert {"project_id": project, "volume_type_id": hdd} in call(
        admin_token, "GET", "/default-types").json()["default_types"]
    try:
        made = call(member_token, "POST", "/volumes", {"volume": {"size": 1}})
        assert made.status_code == 202
        vol = made.json()["volume"]
        assert vol["volume_type"] == "hdd"
        call(admin_token, "POST", f"/volumes/{vol['id']}/action",
             {"os-reset_status": {"status": "available"}})
        call(member_token, "DELETE", f"/volumes/{vol['id']}")
    finally:
        assert call(admin_token, "DELETE", path).status_code == 204
    assert call(admin_token, "DELETE", path).status_code == 404
    other = call(member_token, "POST", "/volumes", {"volume": {"size": 1}}).json()["volume"]
    assert other["volume_type"] == "__DEFAULT__"
    call(admin_token, "POST", f"/volumes/{other['id']}/action",
         {"os-reset_status": {"status": "available"}})
    call(member_token, "DELETE", f"/volumes/{other['id']}")


# --- messages -----------------------------------------------------------------------------------

def test_messages_explain_error_volumes(call: Call, admin_token: str,
                                        member_token: str) -> None:
    errors = call(admin_token, "GET", "/volumes/detail", all_tenants=1,
                  status="error").json()["volumes"]
    messages = call(admin_token, "GET", "/messages", all_tenants=1).json()["messages"]
    assert errors and {m["resource_uuid"] for m in messages} >= {v["id"] for v in errors}
    first = messages[0]
    assert first["message_level"] == "ERROR" and first["resource_type"] == "VOLUME"
    assert first["guaranteed_until"] > first["created_at"]
    shown = call(admin_token, "GET", f"/messages/{first['id']}").json()["message"]
    assert shown["user_message"].startswith("schedule allocate volume")
    assert [lk["rel"] for lk in shown["links"]] == ["self", "bookmark"]
    by_resource = call(admin_token, "GET", "/messages", all_tenants=1,
                       resource_uuid=first["resource_uuid"]).json()["messages"]
    assert [m["id"] for m in by_resource] == [first["id"]]
    mine = {m["id"] for m in call(member_token, "GET", "/messages").json()["messages"]}
    foreign = next(m for m in messages if m["id"] not in mine)
    assert call(member_token, "GET", f"/messages/{foreign['id']}").status_code == 404
    assert call(member_token, "DELETE", f"/messages/{foreign['id']}").status_code == 404
    assert call(member_token, "GET", "/messages", all_tenants=1).status_code == 403
    assert call(admin_token, "POST", "/messages", {"message": {}}).status_code == 405


def test_member_deletes_its_message(call: Call, cloud: democloud.DemoCloud,
                                    member_token: str) -> None:
    import datetime as dt

    from osnb.democloud.services.block_storage import messages

    rec = messages.new_message(cloud.store, project=cloud.store.meta["member_project_id"],
                               resource_uuid="11111111-2222-4333-8444-555555555555",
                               event=messages.NO_BACKEND,
                               at=dt.datetime.now(dt.timezone.utc))
    r = requests.get(cloud.url + V3 + "/messages", timeout=10, headers={
        "X-Auth-Token": member_token, "OpenStack-API-Version": "volume 3.2"})
    assert r.status_code == 404  # before 3.3
    assert rec["id"] in {m["id"] for m in call(member_token, "GET", "/messages").json()[
        "messages"]}
    assert call(member_token, "DELETE", f"/messages/{rec['id']}").status_code == 204
    assert call(member_token, "GET", f"/messages/{rec['id']}").status_code == 404
