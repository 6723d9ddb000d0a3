"""Cinder's operator side in the demo cloud, over real HTTP: services disabled, frozen and
failed over (and what that does to volumes), log levels, hosts, clusters, capabilities,
extensions, resource filters and quota classes; admins only."""

from __future__ import annotations

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


def _volume_service(call: Call, token: str, backend: str) -> dict[str, Any]:
    return next(s for s in call(token, "GET", "/os-services",
                                binary="cinder-volume").json()["services"]
                if s["host"].endswith("@" + backend))


def test_a_disabled_backend_takes_no_volumes(call: Call, admin_token: str,
                                             member_token: str) -> None:
    host = _volume_service(call, admin_token, "netapp-hdd")["host"]
    body = {"binary": "cinder-volume", "host": host}
    assert call(member_token, "PUT", "/os-services/disable", body).status_code == 403
    assert call(admin_token, "PUT", "/os-services/disable-log-reason", body).status_code \
        == 400  # a reason is the point
    r = call(admin_token, "PUT", "/os-services/disable-log-reason",
             {**body, "disabled_reason": "array firmware upgrade"})
    assert r.status_code == 200, r.text
    assert r.json() == {"disabled": True, "status": "disabled", "host": host, "service": "",
                        "binary": "cinder-volume", "disabled_reason": "array firmware upgrade"}
    try:
        shown = _volume_service(call, admin_token, "netapp-hdd")
        assert (shown["status"], shown["disabled_reason"]) == ("disabled",
                                                              "array firmware upgrade")
        r = call(member_token, "POST", "/volumes",
                 {"volume": {"size": 1, "volume_type": "hdd", "name": "no-backend"}})
        assert r.status_code == 202
        vid = r.json()["volume"]["id"]
        assert call(member_token, "GET", f"/volumes/{vid}").json()["volume"]["status"] == \
            "error"
        messages = call(member_token, "GET", "/messages").json()["messages"]
        mine = [m for m in messages if m["resource_uuid"] == vid]
        assert mine and "backend" in mine[0]["user_message"]
        for message in mine:  # read, and dismissed
            assert call(member_token, "DELETE", f"/messages/{message['id']}").status_code \
                == 204
        assert call(member_token, "DELETE", f"/volumes/{vid}").status_code == 202
        ssd = call(member_token, "POST", "/volumes",
                   {"volume": {"size": 1, "volume_type": "ssd"}}).json()["volume"]
        assert _wait(call, member_token, f"/volumes/{ssd['id']}", "volume")
        assert call(member_token, "DELETE", f"/volumes/{ssd['id']}").status_code == 202
    finally:
        r = call(admin_token, "PUT", "/os-services/enable", body)
    assert r.json()["status"] == "enabled" and r.json()["disabled_reason"] is None
    missing = call(admin_token, "PUT", "/os-services/enable",
                   {"binary": "cinder-volume", "host": "nowhere@x"})
    assert missing.status_code == 404


def test_a_frozen_backend_keeps_its_volumes(call: Call, admin_token: str,
                                            member_token: str) -> None:
    host = _volume_service(call, admin_token, "ceph-ssd")["host"]
    vol = call(member_token, "POST", "/volumes",
               {"volume": {"size": 1, "volume_type": "ssd"}}).json()["volume"]
    _wait(call, member_token, f"/volumes/{vol['id']}", "volume")
    assert call(admin_token, "PUT", "/os-services/freeze", {"host": host}).status_code == 200
    try:
        assert _volume_service(call, admin_token, "ceph-ssd")["frozen"] is True
        assert call(admin_token, "PUT", "/os-services/freeze", {"host": host}
                    ).status_code == 400
        r = call(member_token, "DELETE", f"/volumes/{vol['id']}")
        assert r.status_code == 400 and "frozen" in r.text
    finally:
        assert call(admin_token, "PUT", "/os-services/thaw", {"host": host}).status_code \
            == 200
    assert call(member_token, "DELETE", f"/volumes/{vol['id']}").status_code == 202


def test_failover_of_the_replicating_backend(call: Call, admin_token: str) -> None:
    ceph = _volume_service(call, admin_token, "ceph-ssd")["host"]
    netapp = _volume_service(call, admin_token, "netapp-hdd")["host"]
    assert call(admin_token, "PUT", "/os-services/failover_host", {"host": netapp}
                ).status_code == 400  # not replicated
    assert call(admin_token, "PUT", "/os-services/failover_host",
                {"host": ceph, "backend_id": "elsewhere"}).status_code == 400
    assert call(admin_token, "PUT", "/os-services/failover_host", {"host": ceph}
                ).status_code == 202
    shown = _volume_service(call, admin_token, "ceph-ssd")
    assert (shown["replication_status"], shown["active_backend_id"]) == ("failed-over",
                                                                         "ceph-site-b")
    assert call(admin_token, "PUT", "/os-services/failover_host",
                {"host": ceph, "backend_id": "default"}).status_code == 202
    assert _volume_service(call, admin_token, "ceph-ssd")["replication_status"] == "enabled"


def test_log_levels(call: Call, admin_token: str) -> None:
    body = {"binary": "cinder-volume", "prefix": "cinder.volume", "level": "debug"}
    assert call(admin_token, "PUT", "/os-services/set-log", body, mv="3.31").status_code \
        == 404
    assert call(admin_token, "PUT", "/os-services/set-log", {**body, "level": "LOUD"}
                ).status_code == 400
    assert call(admin_token, "PUT", "/os-services/set-log", body).status_code == 202
    levels = call(admin_token, "PUT", "/os-services/get-log",
                  {"binary": "cinder-volume", "prefix": "cinder"}).json()["log_levels"]
    assert levels and all(e["levels"] == {"cinder.volume": "DEBUG"} for e in levels)
    other = call(admin_token, "PUT", "/os-services/get-log",
                 {"binary": "cinder-scheduler"}).json()["log_levels"]
    assert all(e["levels"] == {} for e in other)


def test_hosts_count_what_is_on_them(call: Call, admin_token: str,
                                     member_token: str) -> None:
    assert call(member_token, "GET", "/os-hosts").status_code == 403
    hosts = call(admin_token, "GET", "/os-hosts").json()["hosts"]
    backup = next(h for h in hosts if h["host_name"] == "controller-02"
                  and h["service"] == "cinder-backup")
    assert (backup["service-status"], backup["service-state"]) == ("unavailable",
                                                                   "disabled")
    ceph = _volume_service(call, admin_token, "ceph-ssd")["host"]
    rows = [h["resource"] for h in call(admin_token, "GET", f"/os-hosts/{ceph}").json()[
        "host"]]
    volumes = [v for v in call(admin_token, "GET", "/volumes/detail", all_tenants=1).json()[
        "volumes"] if v["os-vol-host-attr:host"].startswith(ceph + "#")]
    assert rows[0]["project"] == "(total)"
    assert int(rows[0]["volume_count"]) == len(volumes)
    assert int(rows[0]["total_volume_gb"]) == sum(v["size"] for v in volumes)
    assert sum(int(r["volume_count"]) for r in rows[1:]) == len(volumes)
    assert call(admin_token, "GET", "/os-hosts/controller-01").status_code == 404


def test_clusters(call: Call, admin_token: str, member_token: str) -> None:
    assert call(admin_token, "GET", "/clusters", mv="3.6").status_code == 404
    assert call(member_token, "GET", "/clusters").status_code == 403
    clusters = call(admin_token, "GET", "/clusters/detail").json()["clusters"]
    assert [(c["name"], c["num_hosts"], c["state"]) for c in clusters] == [
        ("ceph-cluster@ceph-ssd", 1, "up")]
    name = clusters[0]["name"]
    r = call(admin_token, "PUT", "/clusters/disable",
             {"name": name, "disabled_reason": "rebalancing"})
    assert r.status_code == 200 and r.json()["cluster"]["status"] == "disabled"
    assert _volume_service(call, admin_token, "ceph-ssd")["status"] == "disabled"
    shown = call(admin_token, "GET", f"/clusters/{name}").json()["cluster"]
    assert shown["disabled_reason"] == "rebalancing"
    assert call(admin_token, "PUT", "/clusters/enable", {"name": name}).json()["cluster"][
        "status"] == "enabled"
    assert _volume_service(call, admin_token, "ceph-ssd")["status"] == "enabled"
    assert call(admin_token, "GET", "/clusters/nope").status_code == 404


def test_capabilities_extensions_resource_filters(call: Call, admin_token: str,
                                                  member_token: str) -> None:
    ceph = _volume_service(call, admin_token, "ceph-ssd")["host"]
    caps = call(admin_token, "GET", f"/capabilities/{ceph}").json()
    assert caps["volume_backend_name"] == "ceph-ssd" and caps["replication_targets"]
    assert call(member_token, "GET", f"/capabilities/{ceph}").status_code == 403
    assert call(admin_token, "GET", "/capabilities/nowhere@x").status_code == 404
    aliases = {e["alias"] for e in call(member_token, "GET", "/extensions").json()[
        "extensions"]}
    assert {"os-hosts", "backups", "os-volume-transfer"} <= aliases
    assert call(member_token, "GET", "/resource_filters", mv="3.32").status_code == 404
    only = call(member_token, "GET", "/resource_filters", resource="backup").json()
    assert only == {"resource_filters": [{"filters": ["name", "status", "volume_id"],
                                          "resource": "backup"}]}


def test_quota_class_default_is_what_projects_get(call: Call, admin_token: str,
                                                  member_token: str) -> None:
    assert call(member_token, "GET", "/os-quota-class-sets/default").status_code == 403
    before = call(admin_token, "GET", "/os-quota-class-sets/default").json()[
        "quota_class_set"]
    assert before["id"] == "default" and before["volumes"] == 10
    r = call(admin_token, "PUT", "/os-quota-class-sets/default",
             {"quota_class_set": {"backups": 25, "no_such_thing": 3}})
    assert r.status_code == 200 and r.json()["quota_class_set"]["backups"] == 25
    try:
        project = call(admin_token, "GET", "/os-quota-sets/anyproject/defaults").json()
        assert project["quota_set"]["backups"] == 25
        assert call(admin_token, "PUT", "/os-quota-class-sets/default",
                    {"quota_class_set": {"backups": -5}}).status_code == 400
    finally:
        call(admin_token, "PUT", "/os-quota-class-sets/default",
             {"quota_class_set": {"backups": 10}})


def test_openstack_cli_volume_service_list(os_config: Path) -> None:
    listed = _osc("volume", "service", "list", "--long", "-f", "json", cloud="demo")
    assert {"cinder-scheduler", "cinder-volume", "cinder-backup"} <= {
        s["Binary"] for s in listed}
    down = next(s for s in listed if s["Host"] == "controller-02"
                and s["Binary"] == "cinder-backup")
    assert (down["Status"], down["State"], down["Disabled Reason"]) == (
        "disabled", "down", "swift endpoint migration")


def test_workers_cleanup_asks_the_services_up_and_names_those_down(
        call: Call, admin_token: str, member_token: str) -> None:
    listed = call(admin_token, "GET", "/os-services").json()["services"]
    workers = [s for s in listed if s["binary"] in ("cinder-volume", "cinder-backup")]
    up = call(admin_token, "POST", "/workers/cleanup", {"is_up": True}, mv="3.24")
    assert up.status_code == 202, up.text
    assert {(s["host"], s["binary"]) for s in up.json()["cleaning"]} == {
        (s["host"], s["binary"]) for s in workers if s["state"] == "up"}
    assert up.json()["unavailable"] == []
    # without is_up Cinder matches the services that are down: they cannot be asked
    down = call(admin_token, "POST", "/workers/cleanup", {}, mv="3.24").json()
    assert down["cleaning"] == [] and {s["host"] for s in down["unavailable"]} == {
        s["host"] for s in workers if s["state"] != "up"}
    one = call(admin_token, "POST", "/workers/cleanup",
               {"is_up": "true", "binary": "cinder-backup"}, mv="3.24").json()
    assert {s["binary"] for s in one["cleaning"]} <= {"cinder-backup"}
    r = call(admin_token, "POST", "/workers/cleanup", {"resource_type": "port"}, mv="3.24")
    assert r.status_code == 400 and "must be Volume or Snapshot" in r.text
    assert call(admin_token, "POST", "/workers/cleanup", {}, mv="3.23").status_code == 404
    assert call(member_token, "POST", "/workers/cleanup", {}, mv="3.24").status_code == 403
