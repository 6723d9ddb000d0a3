"""Nova's quota classes and instance usage audit log on the demo cloud, over real HTTP.

A cloud of its own: changing the ``default`` quota class changes every project's defaults.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud
from tests.conftest import _token

V21 = "/compute/v2.1"


@pytest.fixture(scope="module")
def own() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=7, projects=3, servers=12) as running:
        yield running


@pytest.fixture(scope="module")
def tokens(own: democloud.DemoCloud) -> dict[str, str]:
    admin, _ = _token(own, "demo")
    member, body = _token(own, "demo-member")
    return {"admin": admin, "member": member, "member_project": body["project"]["id"]}


def nova(cloud: democloud.DemoCloud, token: str, method: str, path: str, mv: str = "2.57",
         **kwargs: Any) -> requests.Response:
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"compute {mv}"}
    return requests.request(method, cloud.url + V21 + path, headers=headers, timeout=10,
                            **kwargs)


# --- quota classes --------------------------------------------------------------------

def test_the_default_class_sets_every_projects_defaults(own, tokens):
    admin, project = tokens["admin"], tokens["member_project"]
    before = nova(own, admin, "GET", f"/os-quota-sets/{project}/defaults").json()["quota_set"]
    assert before["instances"] == 10
    r = nova(own, admin, "PUT", "/os-quota-class-sets/default",
             json={"quota_class_set": {"instances": 40, "key_pairs": 7}})
    assert r.status_code == 200, r.text
    assert r.json()["quota_class_set"]["instances"] == 40 and "id" not in r.json()[
        "quota_class_set"]
    try:
        shown = nova(own, admin, "GET", "/os-quota-class-sets/default").json()
        assert shown["quota_class_set"]["id"] == "default"
        assert shown["quota_class_set"]["key_pairs"] == 7
        after = nova(own, admin, "GET", f"/os-quota-sets/{project}/defaults").json()
        assert after["quota_set"]["instances"] == 40
        limits = nova(own, tokens["member"], "GET", "/limits").json()["limits"]["absolute"]
        # the member's project has no override of its own for key pairs
        assert limits["maxTotalKeypairs"] == 7
    finally:
        nova(own, admin, "PUT", "/os-quota-class-sets/default",
             json={"quota_class_set": {"instances": 10, "key_pairs": 100}})


def test_another_class_is_kept_but_changes_no_project(own, tokens):
    admin, project = tokens["admin"], tokens["member_project"]
    gold = nova(own, admin, "GET", "/os-quota-class-sets/gold").json()["quota_class_set"]
    assert gold == {"id": "gold", **{k: v for k, v in gold.items() if k != "id"}}
    assert gold["cores"] == 20  # a class nobody set has Nova's defaults
    assert nova(own, admin, "PUT", "/os-quota-class-sets/gold",
                json={"quota_class_set": {"cores": 96}}).status_code == 200
    assert nova(own, admin, "GET", "/os-quota-class-sets/gold").json()[
        "quota_class_set"]["cores"] == 96
    assert nova(own, admin, "GET", f"/os-quota-sets/{project}/defaults").json()[
        "quota_set"]["cores"] == 20


def test_quota_class_keys_follow_the_microversion(own, tokens):
    admin = tokens["admin"]
    old = nova(own, admin, "GET", "/os-quota-class-sets/default", mv="2.1").json()
    assert "floating_ips" in old["quota_class_set"] and "server_groups" not in old[
        "quota_class_set"]
    mid = nova(own, admin, "GET", "/os-quota-class-sets/default", mv="2.50").json()
    assert "injected_files" in mid["quota_class_set"] and "floating_ips" not in mid[
        "quota_class_set"]
    new = nova(own, admin, "GET", "/os-quota-class-sets/default").json()["quota_class_set"]
    assert set(new) == {"id", "cores", "instances", "key_pairs", "metadata_items", "ram",
                        "server_groups", "server_group_members"}


def test_quota_class_writes_are_checked_and_admin_only(own, tokens):
    admin, member = tokens["admin"], tokens["member"]
    r = nova(own, admin, "PUT", "/os-quota-class-sets/default",
             json={"quota_class_set": {"injected_files": 3}})
    assert r.status_code == 400 and "'injected_files' was unexpected" in r.text
    r = nova(own, admin, "PUT", "/os-quota-class-sets/default",
             json={"quota_class_set": {"cores": -2}})
    assert r.status_code == 400
    assert nova(own, admin, "PUT", "/os-quota-class-sets/default",
                json={"quota_set": {}}).status_code == 400
    r = nova(own, member, "GET", "/os-quota-class-sets/default")
    assert r.status_code == 403 and "os-quota-class-sets:show" in r.text
    assert nova(own, member, "PUT", "/os-quota-class-sets/default",
                json={"quota_class_set": {"cores": 1}}).status_code == 403


# --- usage audit log ------------------------------------------------------------------

def _hosts(cloud: democloud.DemoCloud) -> dict[str, dict[str, Any]]:
    return cloud.call(lambda: {s["host"]: dict(s) for s in
                               cloud.store.table("compute_services").values()
                               if s["binary"] == "nova-compute"})


def _servers_per_host(cloud: democloud.DemoCloud, begin: dt.datetime,
                      end: dt.datetime) -> dict[str, int]:
    def count() -> dict[str, int]:
        out: dict[str, int] = {}
        for s in cloud.store.table("servers").values():
            created = dt.datetime.fromisoformat(s["created"].replace("Z", "+00:00"))
            ended = s.get("OS-SRV-USG:terminated_at")
            gone = ended and dt.datetime.fromisoformat(ended.replace("Z", "+00:00")) < begin
            if created < end and not gone and s.get("OS-EXT-SRV-ATTR:host"):
                host = s["OS-EXT-SRV-ATTR:host"]
                out[host] = out.get(host, 0) + 1
        return out
    return cloud.call(count)


def test_the_audit_of_last_month_counts_each_hosts_servers(own, tokens):
    r = nova(own, tokens["admin"], "GET", "/os-instance_usage_audit_log")
    assert r.status_code == 200, r.text
    log = r.json()["instance_usage_audit_logs"]
    begin = dt.datetime.fromisoformat(log["period_beginning"]).replace(tzinfo=dt.timezone.utc)
    end = dt.datetime.fromisoformat(log["period_ending"]).replace(tzinfo=dt.timezone.utc)
    today = dt.datetime.now(dt.timezone.utc)
    assert end == today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    assert begin.day == 1 and (end - begin).days in (28, 29, 30, 31)
    hosts = _hosts(own)
    down = sorted(h for h, s in hosts.items() if s["state"] != "up" or s.get("forced_down"))
    assert log["num_hosts"] == len(hosts)
    assert log["hosts_not_run"] == down and log["num_hosts_not_run"] == len(down)
    held = _servers_per_host(own, begin, end)
    for host, entry in log["log"].items():
        assert entry["state"] == "DONE" and entry["instances"] == held.get(host, 0)
        assert host in entry["message"]
    assert log["total_instances"] == sum(e["instances"] for e in log["log"].values())
    done = "ALL" if not down else f"{len(hosts) - len(down)} of {len(hosts)}"
    assert log["overall_status"] == f"{done} hosts done. 0 errors."


def test_an_older_period_is_asked_by_the_time_before_it(own, tokens):
    r = nova(own, tokens["admin"], "GET", "/os-instance_usage_audit_log/2026-03-15 08:00:00")
    assert r.status_code == 200, r.text
    log = r.json()["instance_usage_audit_log"]
    assert (log["period_beginning"], log["period_ending"]) == (
        "2026-02-01 00:00:00", "2026-03-01 00:00:00")
    assert nova(own, tokens["admin"], "GET",
                "/os-instance_usage_audit_log/2026-03-15 08:00:00.250000").status_code == 200
    bad = nova(own, tokens["admin"], "GET", "/os-instance_usage_audit_log/last-tuesday")
    assert bad.status_code == 400 and "Invalid timestamp for date last-tuesday" in bad.text


def test_the_audit_log_is_admin_only(own, tokens):
    r = nova(own, tokens["member"], "GET", "/os-instance_usage_audit_log")
    assert r.status_code == 403 and "os-instance-usage-audit-log:list" in r.text


def test_openstackclient_sets_a_quota_class(own, tmp_path, monkeypatch):
    """``openstack quota set --class`` (python-openstackclient) changes the class."""
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE",
                       str(own.write_clouds_yaml(tmp_path / "clouds.yaml")))
    cli = str(Path(sys.executable).parent / "openstack")
    out = subprocess.run([cli, "--os-cloud", "demo", "quota", "set", "--class", "--cores", "77",
                          "silver"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # OSC 10 has no ``quota show --class`` any more: read the class back over HTTP
    admin = _token(own, "demo")[0]
    assert nova(own, admin, "GET", "/os-quota-class-sets/silver").json()[
        "quota_class_set"]["cores"] == 77


# --- image pre-caching on an aggregate's hosts ------------------------------------------

def test_an_aggregate_precaches_images_glance_has(own, tokens):
    admin = tokens["admin"]
    images = requests.get(own.url + "/image/v2/images?limit=2",
                          headers={"X-Auth-Token": admin}, timeout=10).json()["images"]
    wanted = {"cache": [{"id": i["id"]} for i in images]}
    aggregate = nova(own, admin, "GET", "/os-aggregates").json()["aggregates"][0]["id"]
    r = nova(own, admin, "POST", f"/os-aggregates/{aggregate}/images", mv="2.81", json=wanted)
    assert r.status_code == 202 and r.text == ""
    # before 2.81 the route does not exist
    assert nova(own, admin, "POST", f"/os-aggregates/{aggregate}/images", mv="2.80",
                json=wanted).status_code == 404
    gone = {"cache": [{"id": "00000000-0000-4000-8000-000000000000"}]}
    r = nova(own, admin, "POST", f"/os-aggregates/{aggregate}/images", mv="2.81", json=gone)
    assert r.status_code == 400 and "could not be found" in r.text
    twice = {"cache": [{"id": images[0]["id"]}] * 2}
    r = nova(own, admin, "POST", f"/os-aggregates/{aggregate}/images", mv="2.81", json=twice)
    assert r.status_code == 400 and "Duplicate images in request" in r.text
    assert nova(own, admin, "POST", "/os-aggregates/9999/images", mv="2.81",
                json=wanted).status_code == 404
    r = nova(own, tokens["member"], "POST", f"/os-aggregates/{aggregate}/images", mv="2.81",
             json=wanted)
    assert r.status_code == 403 and "compute:aggregates:images" in r.text
