"""Cinder's attachments API, volume actions, metadata and summary in the demo cloud, over
real HTTP: the state machine on both sides (Cinder's volume, Nova's server), the 400s, 403s,
404s and 409s, member against admin."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

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


@pytest.fixture
def vol(call: Call, member_token: str, admin_token: str) -> Iterator[dict[str, Any]]:
    r = call(member_token, "POST", "/volumes", {"volume": {"size": 1, "name": "att-pytest"}})
    assert r.status_code == 202, r.text
    body: dict[str, Any] = r.json()["volume"]
    _settle(call, admin_token, body["id"])
    yield body
    call(member_token, "DELETE", f"/volumes/{body['id']}")


@pytest.fixture
def server(cloud: democloud.DemoCloud, member_token: str) -> str:
    r = requests.get(cloud.url + "/compute/v2.1/servers", timeout=10,
                     headers={"X-Auth-Token": member_token})
    assert r.status_code == 200, r.text
    return str(r.json()["servers"][0]["id"])


def _status(call: Call, token: str, vid: str) -> str:
    return str(call(token, "GET", f"/volumes/{vid}").json()["volume"]["status"])


def _server_volumes(cloud: democloud.DemoCloud, token: str, sid: str) -> list[str]:
    r = requests.get(cloud.url + f"/compute/v2.1/servers/{sid}", timeout=10,
                     headers={"X-Auth-Token": token})
    return [v["id"] for v in r.json()["server"]["os-extended-volumes:volumes_attached"]]


def _settle(call: Call, admin_token: str, vid: str) -> None:
    # The fixture's volume starts in "creating" for the world's build time.
    call(admin_token, "POST", f"/volumes/{vid}/action",
         {"os-reset_status": {"status": "available"}})


# --- attachments ----------------------------------------------------------------------------

def test_attachment_walks_reserved_attaching_attached_and_back(
        cloud: democloud.DemoCloud, call: Call, member_token: str, admin_token: str,
        vol: dict[str, Any], server: str) -> None:
    vid = vol["id"]
    _settle(call, admin_token, vid)
    r = call(member_token, "POST", "/attachments",
             {"attachment": {"volume_uuid": vid, "instance_uuid": server}})
    assert r.status_code == 200, r.text
    att = r.json()["attachment"]
    assert set(att) == {"id", "status", "instance", "volume_id", "attached_at",
                        "detached_at", "attach_mode", "connection_info"}
    assert (att["status"], att["instance"], att["connection_info"]) == ("reserved", server, {})
    assert _status(call, member_token, vid) == "reserved"
    again = call(member_token, "POST", "/attachments",
                 {"attachment": {"volume_uuid": vid, "instance_uuid": server}})
    assert again.status_code == 400 and "reserved" in again.text  # not multiattach

    connector = {"host": "compute-01", "initiator": "iqn.1993-08.org.debian:01:ab", "mode": "rw"}
    r = call(member_token, "PUT", f"/attachments/{att['id']}",
             {"attachment": {"connector": connector}})
    assert r.status_code == 200, r.text
    updated = r.json()["attachment"]
    assert updated["status"] == "attaching" and updated["connection_info"]["driver_volume_type"]
    assert _status(call, member_token, vid) == "attaching"
    assert vid not in _server_volumes(cloud, member_token, server)

    old = call(member_token, "POST", f"/attachments/{att['id']}/action",
               {"os-complete": {}}, mv="3.43")
    assert old.status_code == 404
    r = call(member_token, "POST", f"/attachments/{att['id']}/action", {"os-complete": {}})
    assert r.status_code == 204, r.text
    shown = call(member_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert shown["status"] == "in-use"
    assert [a["attachment_id"] for a in shown["attachments"]] == [att["id"]]
    assert vid in _server_volumes(cloud, member_token, server)
    assert call(member_token, "GET", f"/attachments/{att['id']}").json()[
        "attachment"]["status"] == "attached"
    assert call(member_token, "DELETE", f"/volumes/{vid}").status_code == 400

    r = call(member_token, "DELETE", f"/attachments/{att['id']}")
    assert r.status_code == 200 and r.json() == {"attachments": []}
    assert _status(call, member_token, vid) == "available"
    assert vid not in _server_volumes(cloud, member_token, server)
    assert call(member_token, "GET", f"/attachments/{att['id']}").status_code == 404


def test_attachments_list_nova_attachments_and_filters(call: Call, admin_token: str,
                                                       member_token: str) -> None:
    every = call(admin_token, "GET", "/attachments/detail", all_tenants=1).json()["attachments"]
    assert every and all(a["status"] == "attached" for a in every)
    vols = call(admin_token, "GET", "/volumes/detail", all_tenants=1,
                status="in-use").json()["volumes"]
    from_volumes = {a["attachment_id"] for v in vols for a in v["attachments"]}
    assert from_volumes == {a["id"] for a in every}
    brief = call(admin_token, "GET", "/attachments", all_tenants=1).json()["attachments"]
    assert set(brief[0]) == {"id", "status", "instance", "volume_id"}
    one = every[0]
    by_volume = call(admin_token, "GET", "/attachments", all_tenants=1,
                     volume_id=one["volume_id"]).json()["attachments"]
    assert [a["id"] for a in by_volume] == [one["id"]]
    by_instance = call(admin_token, "GET", "/attachments", all_tenants=1,
                       instance_id=one["instance"]).json()["attachments"]
    assert one["id"] in {a["id"] for a in by_instance}
    assert all(a["instance"] == one["instance"] for a in by_instance)
    mine = call(member_token, "GET", "/attachments").json()["attachments"]
    assert {a["id"] for a in mine} < {a["id"] for a in every}
    assert call(member_token, "GET", "/attachments", all_tenants=1).status_code == 403
    assert call(admin_token, "GET", "/attachments", mv="3.26").status_code == 404


def test_attachment_errors(call: Call, member_token: str, admin_token: str,
                           vol: dict[str, Any]) -> None:
    missing = call(member_token, "POST", "/attachments", {"attachment": {}})
    assert missing.status_code == 400 and "'volume_uuid' is a required property" in missing.text
    bad = call(member_token, "POST", "/attachments",
               {"attachment": {"volume_uuid": vol["id"], "mode": "rx"}})
    assert bad.status_code == 400
    gone = call(member_token, "POST", "/attachments", {"attachment": {
        "volume_uuid": "00000000-0000-4000-8000-000000000000"}})
    assert gone.status_code == 404
    others = [a for a in call(admin_token, "GET", "/attachments", all_tenants=1).json()[
        "attachments"]]
    mine = {a["id"] for a in call(member_token, "GET", "/attachments").json()["attachments"]}
    foreign = next(a for a in others if a["id"] not in mine)
    assert call(member_token, "GET", f"/attachments/{foreign['id']}").status_code == 404
    assert call(member_token, "DELETE", f"/attachments/{foreign['id']}").status_code == 404
    _settle(call, admin_token, vol["id"])
    att = call(member_token, "POST", "/attachments",
               {"attachment": {"volume_uuid": vol["id"]}}).json()["attachment"]
    no_connector = call(member_token, "PUT", f"/attachments/{att['id']}", {"attachment": {}})
    assert no_connector.status_code == 400 and "connector" in no_connector.text
    r = call(member_token, "DELETE", f"/attachments/{att['id']}")
    assert r.status_code == 200
    assert _status(call, member_token, vol["id"]) == "available"


# --- volume actions ---------------------------------------------------------------------------

def _act(call: Call, token: str, vid: str, body: dict[str, Any], mv: str = "3.71"
         ) -> requests.Response:
    return call(token, "POST", f"/volumes/{vid}/action", body, mv=mv)


def test_legacy_attach_detach_state_machine(cloud: democloud.DemoCloud, call: Call,
                                            member_token: str, admin_token: str,
                                            vol: dict[str, Any], server: str) -> None:
    vid = vol["id"]
    _settle(call, admin_token, vid)
    assert _act(call, member_token, vid, {"os-begin_detaching": {}}).status_code == 400
    assert _act(call, member_token, vid, {"os-detach": {}}).status_code == 400
    assert _act(call, member_token, vid, {"os-reserve": {}}).status_code == 202
    assert _status(call, member_token, vid) == "attaching"
    assert _act(call, member_token, vid, {"os-reserve": {}}).status_code == 400
    assert _act(call, member_token, vid, {"os-unreserve": {}}).status_code == 202
    assert _status(call, member_token, vid) == "available"
    assert _act(call, member_token, vid, {"os-attach": {"mountpoint": "/dev/vdq"}}
                ).status_code == 400  # no target
    r = _act(call, member_token, vid, {"os-attach": {"instance_uuid": server,
                                                      "mountpoint": "/dev/vdq"}})
    assert r.status_code == 202, r.text
    shown = call(member_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert shown["status"] == "in-use" and shown["attachments"][0]["device"] == "/dev/vdq"
    assert vid in _server_volumes(cloud, member_token, server)
    assert _act(call, member_token, vid, {"os-begin_detaching": {}}).status_code == 202
    assert _status(call, member_token, vid) == "detaching"
    assert _act(call, member_token, vid, {"os-roll_detaching": {}}).status_code == 202
    assert _status(call, member_token, vid) == "in-use"
    wrong = _act(call, member_token, vid, {"os-detach": {"attachment_id": "nope"}})
    assert wrong.status_code == 404
    attachment = shown["attachments"][0]["attachment_id"]
    assert _act(call, member_token, vid, {"os-detach": {"attachment_id": attachment}}
                ).status_code == 202
    assert _status(call, member_token, vid) == "available"
    assert vid not in _server_volumes(cloud, member_token, server)


def test_set_bootable_and_retype(call: Call, member_token: str, admin_token: str,
                                 vol: dict[str, Any]) -> None:
    vid = vol["id"]
    _settle(call, admin_token, vid)
    assert _act(call, member_token, vid, {"os-set_bootable": {"bootable": "True"}}
                ).status_code == 202
    assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["bootable"] == "true"
    assert _act(call, member_token, vid, {"os-set_bootable": {"bootable": "maybe"}}
                ).status_code == 400
    assert _act(call, member_token, vid, {"os-set_bootable": {}}).status_code == 400
    before = call(admin_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert before["volume_type"] == "__DEFAULT__"
    same_backend = _act(call, member_token, vid, {"os-retype": {"new_type": "hdd"}})
    assert same_backend.status_code == 202, same_backend.text
    after = call(admin_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert after["volume_type"] == "hdd" and after["volume_type_id"] != before["volume_type_id"]
    assert _act(call, member_token, vid, {"os-retype": {"new_type": "hdd"}}
                ).status_code == 400  # the same type
    never = _act(call, member_token, vid, {"os-retype": {"new_type": "ssd"}})
    assert never.status_code == 400 and "migration_policy" in never.text
    r = _act(call, member_token, vid, {"os-retype": {"new_type": "ssd",
                                                      "migration_policy": "on-demand"}})
    assert r.status_code == 202
    moving = call(admin_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert moving["volume_type"] == "ssd" and moving["migration_status"] == "migrating"
    assert "ceph" not in moving["os-vol-host-attr:host"]  # the data moves meanwhile
    deadline = time.monotonic() + 5
    while (moved := call(admin_token, "GET", f"/volumes/{vid}").json()["volume"])[
            "migration_status"] != "success":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert "ceph" in moved["os-vol-host-attr:host"]
    assert _act(call, member_token, vid, {"os-retype": {"new_type": "no-such"}}
                ).status_code == 404


def test_force_delete_is_admin_and_refuses_attached(call: Call, member_token: str,
                                                    admin_token: str,
                                                    vol: dict[str, Any]) -> None:
    vid = vol["id"]
    call(admin_token, "POST", f"/volumes/{vid}/action",
         {"os-reset_status": {"status": "error_deleting"}})
    assert call(member_token, "DELETE", f"/volumes/{vid}").status_code == 400
    assert _act(call, member_token, vid, {"os-force_delete": {}}).status_code == 403
    assert _act(call, admin_token, vid, {"os-force_delete": {}}).status_code == 202
    assert call(member_token, "GET", f"/volumes/{vid}").status_code == 404
    attached = call(admin_token, "GET", "/volumes/detail", all_tenants=1,
                    status="in-use").json()["volumes"][0]
    assert _act(call, admin_token, attached["id"], {"os-force_delete": {}}).status_code == 400


def test_revert_to_latest_snapshot_only(call: Call, member_token: str, admin_token: str,
                                        vol: dict[str, Any]) -> None:
    vid = vol["id"]
    _settle(call, admin_token, vid)
    snaps = []
    for name in ("first", "second"):
        r = call(member_token, "POST", "/snapshots",
                 {"snapshot": {"volume_id": vid, "name": name}})
        assert r.status_code == 202, r.text
        snaps.append(r.json()["snapshot"]["id"])
        time.sleep(0.02)  # distinct creation times
    deadline = time.monotonic() + 5
    while call(member_token, "GET", f"/snapshots/{snaps[-1]}").json()["snapshot"][
            "status"] != "available":
        assert time.monotonic() < deadline, "snapshot never became available"
        time.sleep(0.05)
    old = _act(call, member_token, vid, {"revert": {"snapshot_id": snaps[1]}}, mv="3.39")
    assert old.status_code == 400
    assert _act(call, member_token, vid, {"revert": {"snapshot_id": snaps[0]}}
                ).status_code == 400  # not the latest
    call(admin_token, "POST", f"/volumes/{vid}/action",
         {"os-reset_status": {"status": "error"}})
    assert _act(call, member_token, vid, {"revert": {"snapshot_id": snaps[1]}}
                ).status_code == 409
    _settle(call, admin_token, vid)
    assert _act(call, member_token, vid, {"revert": {"snapshot_id": snaps[1]}}
                ).status_code == 202
    for sid in reversed(snaps):
        call(member_token, "DELETE", f"/snapshots/{sid}")


def test_member_cannot_act_on_another_projects_volume(call: Call, member_token: str,
                                                      admin_token: str) -> None:
    mine = {v["id"] for v in call(member_token, "GET", "/volumes").json()["volumes"]}
    other = next(v for v in call(admin_token, "GET", "/volumes", all_tenants=1).json()[
        "volumes"] if v["id"] not in mine)
    for body in ({"os-reserve": {}}, {"os-set_bootable": {"bootable": True}}):
        assert _act(call, member_token, other["id"], body).status_code == 404
    assert call(member_token, "GET", f"/volumes/{other['id']}/metadata").status_code == 404


# --- metadata and summary ---------------------------------------------------------------------

def test_volume_metadata_crud(call: Call, member_token: str, admin_token: str,
                              vol: dict[str, Any]) -> None:
    base = f"/volumes/{vol['id']}/metadata"
    assert call(member_token, "GET", base).json() == {"metadata": {}}
    r = call(member_token, "POST", base, {"metadata": {"team": "ops", "tier": "gold"}})
    assert r.status_code == 200 and r.json()["metadata"] == {"team": "ops", "tier": "gold"}
    r = call(member_token, "POST", base, {"metadata": {"env": "prod"}})
    assert r.json()["metadata"] == {"team": "ops", "tier": "gold", "env": "prod"}
    r = call(member_token, "PUT", base, {"metadata": {"team": "web"}})
    assert r.json() == {"metadata": {"team": "web"}}
    assert call(member_token, "GET", f"{base}/team").json() == {"meta": {"team": "web"}}
    assert call(member_token, "GET", f"{base}/tier").status_code == 404
    r = call(member_token, "PUT", f"{base}/team", {"meta": {"team": "data"}})
    assert r.status_code == 200 and r.json() == {"meta": {"team": "data"}}
    assert call(member_token, "PUT", f"{base}/team", {"meta": {"x": "1"}}).status_code == 400
    assert call(member_token, "PUT", f"{base}/team",
                {"meta": {"team": "a", "x": "1"}}).status_code == 400
    assert call(member_token, "POST", base, {"metadata": {"n": 1}}).status_code == 400
    assert call(member_token, "POST", base, {"meta": {}}).status_code == 400
    shown = call(member_token, "GET", f"/volumes/{vol['id']}").json()["volume"]
    assert shown["metadata"] == {"team": "data"}
    found = call(member_token, "GET", "/volumes", metadata="{'team': 'data'}").json()
    assert vol["id"] in {v["id"] for v in found["volumes"]}
    assert call(member_token, "DELETE", f"{base}/team").status_code == 200
    assert call(member_token, "DELETE", f"{base}/team").status_code == 404
    call(admin_token, "POST", f"/volumes/{vol['id']}/action",
         {"os-reset_status": {"status": "maintenance"}})
    assert call(member_token, "POST", base, {"metadata": {"a": "b"}}).status_code == 400
    _settle(call, admin_token, vol["id"])


def test_summary_counts_what_the_list_shows(call: Call, member_token: str,
                                            admin_token: str) -> None:
    for token, params in ((member_token, {}), (admin_token, {"all_tenants": 1})):
        vols = call(token, "GET", "/volumes/detail", **params).json()["volumes"]
        r = call(token, "GET", "/volumes/summary", **params)
        assert r.status_code == 200, r.text
        summary = r.json()["volume-summary"]
        assert summary["total_count"] == len(vols)
        assert summary["total_size"] == sum(v["size"] for v in vols)
        values: dict[str, set[str]] = {}
        for v in vols:
            for key, value in v["metadata"].items():
                values.setdefault(key, set()).add(value)
        assert {k: set(v) for k, v in summary["metadata"].items()} == values
    assert "metadata" not in call(admin_token, "GET", "/volumes/summary", mv="3.35").json()[
        "volume-summary"]
    assert call(admin_token, "GET", "/volumes/summary", mv="3.11").status_code == 404
    assert call(member_token, "GET", "/volumes/summary", all_tenants=1).status_code == 403


# --- python-openstackclient ---------------------------------------------------------------------

def _osc(*args: str, cloud: str = "demo-member") -> Any:
    cli = Path(sys.executable).parent / "openstack"
    out = subprocess.run([str(cli), "--os-cloud", cloud, *args], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if out.stdout.strip() else None


def test_openstack_cli(cloud: democloud.DemoCloud, os_config: Path, call: Call,
                       member_token: str, vol: dict[str, Any], server: str) -> None:
    vid = vol["id"]
    _osc("volume", "set", "--property", "team=cli", "--bootable", vid)
    shown = call(member_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert shown["metadata"] == {"team": "cli"} and shown["bootable"] == "true"
    _osc("volume", "unset", "--property", "team", vid)
    assert call(member_token, "GET", f"/volumes/{vid}/metadata").json() == {"metadata": {}}
    made = _osc("--os-volume-api-version", "3.54", "volume", "attachment", "create", vid,
                server, "--connect", "--host", "compute-01", "--initiator", "iqn.x",
                "--mode", "rw", "-f", "json")
    assert made["Status"] == "attaching" and made["Volume ID"] == vid
    _osc("--os-volume-api-version", "3.44", "volume", "attachment", "complete", made["ID"])
    listed = _osc("--os-volume-api-version", "3.27", "volume", "attachment", "list",
                  "--volume-id", vid, "-f", "json")
    assert [(a["ID"], a["Status"]) for a in listed] == [(made["ID"], "attached")]
    assert vid in _server_volumes(cloud, member_token, server)
    _osc("--os-volume-api-version", "3.27", "volume", "attachment", "delete", made["ID"])
    assert _status(call, member_token, vid) == "available"


# --- transfers ----------------------------------------------------------------------------------

def test_transfer_moves_the_volume_and_its_snapshots(call: Call, member_token: str,
                                                     admin_token: str,
                                                     vol: dict[str, Any]) -> None:
    vid = vol["id"]
    snap = call(member_token, "POST", "/snapshots",
                {"snapshot": {"volume_id": vid, "name": "moves-along"}}).json()["snapshot"]
    deadline = time.monotonic() + 5
    while call(member_token, "GET", f"/snapshots/{snap['id']}").json()["snapshot"][
            "status"] != "available":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    r = call(member_token, "POST", "/volume-transfers",
             {"transfer": {"volume_id": vid, "name": "to admin"}})
    assert r.status_code == 202, r.text
    offer = r.json()["transfer"]
    assert len(offer["auth_key"]) == 16 and offer["source_project_id"] == vol[
        "os-vol-tenant-attr:tenant_id"] and offer["accepted"] is False
    assert _status(call, member_token, vid) == "awaiting-transfer"
    shown = call(member_token, "GET", f"/volume-transfers/{offer['id']}").json()["transfer"]
    assert "auth_key" not in shown and shown["volume_id"] == vid
    legacy = call(member_token, "GET", "/os-volume-transfer/detail").json()["transfers"]
    assert offer["id"] in {t["id"] for t in legacy}
    assert "no_snapshots" not in legacy[0]
    assert call(member_token, "DELETE", f"/volumes/{vid}").status_code == 400
    again = call(member_token, "POST", "/volume-transfers", {"transfer": {"volume_id": vid}})
    assert again.status_code == 400
    assert call(admin_token, "GET", f"/volume-transfers/{offer['id']}").status_code == 200
    assert offer["id"] not in {t["id"] for t in call(
        admin_token, "GET", "/volume-transfers").json()["transfers"]}  # not its project
    assert call(member_token, "GET", "/volume-transfers", mv="3.54").status_code == 404

    wrong = call(admin_token, "POST", f"/volume-transfers/{offer['id']}/accept",
                 {"accept": {"auth_key": "0" * 16}})
    assert wrong.status_code == 400 and "Invalid auth key" in wrong.text
    assert call(admin_token, "POST", f"/volume-transfers/{offer['id']}/accept",
                {"accept": {}}).status_code == 400
    r = call(admin_token, "POST", f"/os-volume-transfer/{offer['id']}/accept",
             {"accept": {"auth_key": offer["auth_key"]}})
    assert r.status_code == 202, r.text
    assert set(r.json()["transfer"]) == {"id", "name", "volume_id", "links"}
    moved = call(admin_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert moved["status"] == "available"
    assert moved["os-vol-tenant-attr:tenant_id"] != vol["os-vol-tenant-attr:tenant_id"]
    assert call(member_token, "GET", f"/volumes/{vid}").status_code == 404
    assert call(admin_token, "GET", f"/snapshots/{snap['id']}").json()["snapshot"][
        "os-extended-snapshot-attributes:project_id"] == moved["os-vol-tenant-attr:tenant_id"]
    assert call(member_token, "GET", f"/snapshots/{snap['id']}").status_code == 404
    assert call(admin_token, "GET", f"/volume-transfers/{offer['id']}").status_code == 404
    assert call(admin_token, "DELETE", f"/snapshots/{snap['id']}").status_code == 202
    assert call(admin_token, "DELETE", f"/volumes/{vid}").status_code == 202


def test_transfer_delete_gives_the_volume_back(call: Call, member_token: str,
                                              admin_token: str, vol: dict[str, Any]) -> None:
    vid = vol["id"]
    offer = call(member_token, "POST", "/os-volume-transfer",
                 {"transfer": {"volume_id": vid}}).json()["transfer"]
    assert "no_snapshots" not in offer and offer["auth_key"]
    bad = call(member_token, "POST", "/os-volume-transfer",
               {"transfer": {"volume_id": vid, "no_snapshots": True}})
    assert bad.status_code == 400  # not in the legacy API
    assert call(member_token, "DELETE", f"/os-volume-transfer/{offer['id']}").status_code == 202
    assert _status(call, member_token, vid) == "available"
    assert call(member_token, "POST", f"/os-volume-transfer/{offer['id']}/accept",
                {"accept": {"auth_key": offer["auth_key"]}}).status_code == 404


def test_seeded_transfer_is_found_by_an_admin(call: Call, admin_token: str,
                                              member_token: str) -> None:
    stale = call(admin_token, "GET", "/volume-transfers/detail",
                 all_tenants=1).json()["transfers"]
    assert stale and all(not t["accepted"] for t in stale)
    volume = call(admin_token, "GET", f"/volumes/{stale[-1]['volume_id']}").json()["volume"]
    assert volume["status"] == "awaiting-transfer"
    assert call(member_token, "GET", "/volume-transfers", all_tenants=1).status_code == 403


def test_openstack_cli_transfer(os_config: Path, call: Call, member_token: str,
                                admin_token: str, vol: dict[str, Any]) -> None:
    vid = vol["id"]
    offer = _osc("volume", "transfer", "request", "create", "--name", "cli-handover", vid,
                 "-f", "json")
    assert offer["auth_key"] and _status(call, member_token, vid) == "awaiting-transfer"
    _osc("volume", "transfer", "request", "accept", "--auth-key", offer["auth_key"],
         offer["id"], "-f", "json", cloud="demo")
    moved = call(admin_token, "GET", f"/volumes/{vid}").json()["volume"]
    assert moved["status"] == "available"
    assert moved["os-vol-tenant-attr:tenant_id"] != vol["os-vol-tenant-attr:tenant_id"]
    assert call(admin_token, "DELETE", f"/volumes/{vid}").status_code == 202


def test_reset_to_detached_drops_the_attachments(call: Call, member_token: str,
                                                 admin_token: str, vol: dict[str, Any],
                                                 server: str) -> None:
    vid = vol["id"]
    att = call(member_token, "POST", "/attachments", {"attachment": {
        "volume_uuid": vid, "instance_uuid": server, "connector": {"host": "h"}}}).json()[
        "attachment"]
    assert call(member_token, "POST", f"/attachments/{att['id']}/action",
                {"os-complete": {}}).status_code == 204
    call(admin_token, "POST", f"/volumes/{vid}/action", {"os-reset_status": {
        "status": "available", "attach_status": "detached"}})
    assert call(member_token, "GET", f"/attachments/{att['id']}").status_code == 404
    assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["attachments"] == []


def test_snapshot_metadata_over_http(call: Call, member_token: str, admin_token: str,
                                     vol: dict[str, Any]) -> None:
    snaps = call(admin_token, "GET", "/snapshots", all_tenants=1).json()["snapshots"]
    mine = {s["id"] for s in call(member_token, "GET", "/snapshots").json()["snapshots"]}
    foreign = next(s for s in snaps if s["id"] not in mine)
    assert call(member_token, "GET", f"/snapshots/{foreign['id']}/metadata").status_code == 404
    assert call(member_token, "POST", f"/snapshots/{foreign['id']}/metadata",
                {"metadata": {"a": "b"}}).status_code == 404
    base = f"/snapshots/{foreign['id']}/metadata"
    assert call(admin_token, "POST", base, {"metadata": {"audit": "q3"}}).json()[
        "metadata"]["audit"] == "q3"
    assert call(admin_token, "GET", f"{base}/audit").json() == {"meta": {"audit": "q3"}}
    missing = call(admin_token, "GET", f"{base}/nope")
    assert missing.status_code == 404 and missing.json()["itemNotFound"]["message"] == \
        f"Snapshot {foreign['id']} has no metadata with key nope."
    assert call(admin_token, "DELETE", f"{base}/audit").status_code == 200
