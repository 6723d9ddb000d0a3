"""Nova admin APIs of the demo cloud: hypervisors, services, aggregates, AZs, quotas,
limits, simple tenant usage, migrations — over real HTTP, with openstacksdk and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.services.compute.admin import flavor_resources

V21 = "/compute/v2.1"


def nova(cloud: democloud.DemoCloud, token: str, method: str, path: str, mv: str = "2.87",
         **kwargs: Any) -> requests.Response:
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"compute {mv}"}
    return requests.request(method, cloud.url + V21 + path, headers=headers, timeout=10,
                            **kwargs)


def snapshot(cloud: democloud.DemoCloud) -> dict[str, Any]:
    """Servers (id -> host, project, resources, times) taken on the server's own loop."""
    def take() -> dict[str, Any]:
        servers = {}
        for s in cloud.store.table("servers").values():
            if s.get("status") in ("DELETED", "SOFT_DELETED") or s.get("_deleted"):
                continue
            servers[s["id"]] = {"host": s.get("OS-EXT-SRV-ATTR:host"),
                                "project": s.get("tenant_id"),
                                "res": flavor_resources(s),
                                "launched": s.get("OS-SRV-USG:launched_at") or s.get("created"),
                                "ended": s.get("OS-SRV-USG:terminated_at")}
        projects = {p["id"]: p["name"] for p in cloud.store.table("projects").values()}
        return {"servers": servers, "projects": projects}
    return cloud.call(take)


def per_project(snap: dict[str, Any]) -> dict[str, dict[str, int]]:
    usage: dict[str, dict[str, int]] = {}
    for s in snap["servers"].values():
        row = usage.setdefault(s["project"], {"instances": 0, "cores": 0, "ram": 0})
        row["instances"] += 1
        row["cores"] += s["res"][0]
        row["ram"] += s["res"][1]
    return usage


# --- hypervisors ----------------------------------------------------------------------

def test_hypervisor_usage_adds_up_to_servers_on_each_host(cloud, admin_token):
    r = nova(cloud, admin_token, "GET", "/os-hypervisors/detail")
    assert r.status_code == 200, r.text
    assert r.headers["OpenStack-API-Version"] == "compute 2.87"
    snap = snapshot(cloud)
    hyps = r.json()["hypervisors"]
    assert len(hyps) >= 6
    for hyp in hyps:
        mine = [s for s in snap["servers"].values() if s["host"] == hyp["service"]["host"]]
        assert hyp["running_vms"] == len(mine)
        assert hyp["vcpus_used"] == sum(s["res"][0] for s in mine)
        assert hyp["memory_mb_used"] == 512 + sum(s["res"][1] for s in mine)
        assert hyp["local_gb_used"] == sum(s["res"][2] for s in mine)
        assert hyp["free_ram_mb"] == hyp["memory_mb"] - hyp["memory_mb_used"]
        assert uuid.UUID(hyp["id"]) and uuid.UUID(hyp["service"]["id"])
        assert isinstance(hyp["cpu_info"], dict)
    assert {h["state"] for h in hyps} == {"up", "down"}
    assert "disabled" in {h["status"] for h in hyps}
    assert sum(h["running_vms"] for h in hyps) == sum(
        1 for s in snap["servers"].values() if s["host"])


def test_statistics_equal_the_sum(cloud, admin_token):
    hyps = nova(cloud, admin_token, "GET", "/os-hypervisors/detail").json()["hypervisors"]
    stats = nova(cloud, admin_token, "GET", "/os-hypervisors/statistics").json()[
        "hypervisor_statistics"]
    assert stats["count"] == len(hyps)
    for key in ("vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "local_gb",
                "local_gb_used", "running_vms", "free_ram_mb", "free_disk_gb"):
        assert stats[key] == sum(h[key] for h in hyps), key


def test_288_drops_usage_fields_and_statistics(cloud, admin_token):
    r = nova(cloud, admin_token, "GET", "/os-hypervisors/detail", mv="2.88")
    hyp = r.json()["hypervisors"][0]
    for gone in ("vcpus_used", "memory_mb_used", "running_vms", "cpu_info", "local_gb"):
        assert gone not in hyp
    assert {"id", "hypervisor_hostname", "service", "host_ip", "state", "status"} <= set(hyp)
    assert nova(cloud, admin_token, "GET", "/os-hypervisors/statistics",
                mv="2.88").status_code == 404
    shown = nova(cloud, admin_token, "GET", f"/os-hypervisors/{hyp['id']}", mv="2.88").json()
    assert " up " in shown["hypervisor"]["uptime"]


def test_ids_before_253_are_integers_and_search_routes(cloud, admin_token):
    hyps = nova(cloud, admin_token, "GET", "/os-hypervisors", mv="2.1").json()["hypervisors"]
    assert all(isinstance(h["id"], int) for h in hyps)
    one = nova(cloud, admin_token, "GET", f"/os-hypervisors/{hyps[0]['id']}", mv="2.27").json()
    assert isinstance(one["hypervisor"]["cpu_info"], str)
    found = nova(cloud, admin_token, "GET", "/os-hypervisors/cmp-a0/search", mv="2.50")
    assert found.status_code == 200 and found.json()["hypervisors"]
    assert nova(cloud, admin_token, "GET", "/os-hypervisors/not-a-uuid").status_code == 400
    missing = nova(cloud, admin_token, "GET", f"/os-hypervisors/{uuid.uuid4()}")
    assert missing.status_code == 404 and "itemNotFound" in missing.json()


def test_hostname_pattern_with_servers_and_paging(cloud, admin_token):
    r = nova(cloud, admin_token, "GET", "/os-hypervisors",
             params={"hypervisor_hostname_pattern": "r01", "with_servers": "true"})
    hyps = r.json()["hypervisors"]
    assert hyps and all("r01" in h["hypervisor_hostname"] for h in hyps)
    snap = snapshot(cloud)
    for hyp in hyps:
        expected = {sid for sid, s in snap["servers"].items()
                    if s["host"] == hyp["hypervisor_hostname"]}
        assert {s["uuid"] for s in hyp["servers"]} == expected
    none = nova(cloud, admin_token, "GET", "/os-hypervisors",
                params={"hypervisor_hostname_pattern": "no-such-host"})
    assert none.status_code == 404
    page = nova(cloud, admin_token, "GET", "/os-hypervisors", params={"limit": 2}).json()
    assert len(page["hypervisors"]) == 2 and page["hypervisors_links"][0]["rel"] == "next"
    nxt = requests.get(page["hypervisors_links"][0]["href"], timeout=10, headers={
        "X-Auth-Token": admin_token, "OpenStack-API-Version": "compute 2.87"}).json()
    assert nxt["hypervisors"][0]["id"] not in {h["id"] for h in page["hypervisors"]}


# --- services, AZs, aggregates ----------------------------------------------------------

def test_services_filter_disable_enable(cloud, admin_token):
    r = nova(cloud, admin_token, "GET", "/os-services", params={"binary": "nova-compute"})
    services = r.json()["services"]
    assert services and all(s["binary"] == "nova-compute" for s in services)
    scheds = nova(cloud, admin_token, "GET", "/os-services",
                  params={"binary": "nova-scheduler"}).json()["services"]
    assert scheds and all(s["zone"] == "internal" for s in scheds)
    svc = next(s for s in services if s["status"] == "enabled" and s["state"] == "up")
    r = nova(cloud, admin_token, "PUT", f"/os-services/{svc['id']}",
             json={"status": "disabled", "disabled_reason": "test: firmware update"})
    assert r.status_code == 200, r.text
    assert r.json()["service"]["disabled_reason"] == "test: firmware update"
    hyp = nova(cloud, admin_token, "GET", "/os-hypervisors",
               params={"hypervisor_hostname_pattern": svc["host"]}).json()["hypervisors"]
    assert hyp[0]["status"] == "disabled"
    r = nova(cloud, admin_token, "PUT", f"/os-services/{svc['id']}", json={"status": "enabled"})
    assert r.json()["service"]["status"] == "enabled"
    bad = nova(cloud, admin_token, "PUT", f"/os-services/{svc['id']}", json={"bogus": 1})
    assert bad.status_code == 400 and "badRequest" in bad.json()
    assert nova(cloud, admin_token, "PUT", f"/os-services/{scheds[0]['id']}",
                json={"status": "disabled"}).status_code == 400


def test_availability_zones(cloud, admin_token, member_token):
    zones = nova(cloud, member_token, "GET", "/os-availability-zone").json()[
        "availabilityZoneInfo"]
    names = {z["zoneName"] for z in zones}
    assert {"nova", "az-east"} <= names and "internal" not in names
    detail = nova(cloud, admin_token, "GET", "/os-availability-zone/detail").json()[
        "availabilityZoneInfo"]
    internal = next(z for z in detail if z["zoneName"] == "internal")
    assert "nova-conductor" in next(iter(internal["hosts"].values()))


def test_aggregates_crud(cloud, admin_token):
    name = f"test-agg-{uuid.uuid4().hex[:6]}"
    r = nova(cloud, admin_token, "POST", "/os-aggregates",
             json={"aggregate": {"name": name, "availability_zone": None}})
    assert r.status_code == 200, r.text
    agg = r.json()["aggregate"]
    assert agg["name"] == name and uuid.UUID(agg["uuid"]) and "hosts" not in agg
    assert nova(cloud, admin_token, "POST", "/os-aggregates",
                json={"aggregate": {"name": name}}).status_code == 409
    host = nova(cloud, admin_token, "GET", "/os-hypervisors").json()[
        "hypervisors"][0]["hypervisor_hostname"]
    path = f"/os-aggregates/{agg['id']}"
    r = nova(cloud, admin_token, "POST", path + "/action", json={"add_host": {"host": host}})
    assert r.json()["aggregate"]["hosts"] == [host]
    assert nova(cloud, admin_token, "POST", path + "/action",
                json={"add_host": {"host": "nope-01"}}).status_code == 404
    r = nova(cloud, admin_token, "POST", path + "/action",
             json={"set_metadata": {"metadata": {"ssd": "true", "gone": None}}})
    assert r.json()["aggregate"]["metadata"] == {"ssd": "true"}
    assert nova(cloud, admin_token, "DELETE", path).status_code == 400  # not empty
    r = nova(cloud, admin_token, "POST", path + "/action", json={"remove_host": {"host": host}})
    assert r.json()["aggregate"]["hosts"] == []
    r = nova(cloud, admin_token, "PUT", path, json={"aggregate": {"name": name + "-x"}})
    assert r.json()["aggregate"]["name"] == name + "-x"
    assert nova(cloud, admin_token, "DELETE", path).status_code == 200
    assert nova(cloud, admin_token, "GET", path).status_code == 404
    bad = requests.post(cloud.url + V21 + "/os-aggregates", data=b"{not json",
                        headers={"X-Auth-Token": admin_token}, timeout=10)
    assert bad.status_code == 400 and "badRequest" in bad.json()
    seeded = {a["name"] for a in nova(cloud, admin_token, "GET", "/os-aggregates").json()[
        "aggregates"]}
    assert {"az-east-hosts", "gpu-a100", "highmem"} <= seeded


@pytest.mark.parametrize("path", ["/os-hypervisors/detail", "/os-services", "/os-aggregates",
                                  "/os-migrations", "/os-simple-tenant-usage",
                                  "/os-availability-zone/detail"])
def test_member_gets_403_on_admin_apis(cloud, member_token, path):
    r = nova(cloud, member_token, "GET", path)
    assert r.status_code == 403
    assert r.json()["forbidden"]["message"].startswith("Policy doesn't allow")


def test_no_token_is_401(cloud):
    r = requests.get(cloud.url + V21 + "/os-hypervisors", timeout=10)
    assert r.status_code == 401


# --- quotas and limits ----------------------------------------------------------------

def _busiest(snap: dict[str, Any]) -> str:
    usage = per_project(snap)
    return max(usage, key=lambda p: (usage[p]["instances"], p))


def test_quota_detail_in_use_equals_servers(cloud, admin_token):
    snap = snapshot(cloud)
    usage = per_project(snap)
    for project in list(usage)[:4]:
        r = nova(cloud, admin_token, "GET", f"/os-quota-sets/{project}/detail")
        qs = r.json()["quota_set"]
        assert qs["id"] == project
        assert qs["instances"]["in_use"] == usage[project]["instances"]
        assert qs["cores"]["in_use"] == usage[project]["cores"]
        assert qs["ram"]["in_use"] == usage[project]["ram"]
        assert set(qs["cores"]) == {"limit", "in_use", "reserved"}


def test_some_projects_near_or_over_quota(cloud, admin_token):
    usage = per_project(snapshot(cloud))
    if len([p for p in usage if usage[p]["instances"] >= 2]) < 3:
        pytest.skip("the world has too few servers for quota pressure")
    near, over = [], []
    for project in usage:
        qs = nova(cloud, admin_token, "GET", f"/os-quota-sets/{project}/detail").json()[
            "quota_set"]
        for key in ("instances", "cores", "ram"):
            limit, used = qs[key]["limit"], qs[key]["in_use"]
            if limit > 0 and used > limit:
                over.append((project, key))
            elif limit > 0 and 0.8 <= used / limit <= 0.99 + 1e-9:
                near.append((project, key))
    assert over, "an operator's quota report should find a project over its limit"
    assert near, "and some near it"


def test_quota_show_defaults_update(cloud, admin_token, member_token):
    admin_project = next(p for p, n in snapshot(cloud)["projects"].items() if n == "admin")
    defaults = nova(cloud, admin_token, "GET", f"/os-quota-sets/{admin_project}/defaults")
    assert defaults.json()["quota_set"]["instances"] == 10
    r = nova(cloud, admin_token, "PUT", f"/os-quota-sets/{admin_project}",
             json={"quota_set": {"key_pairs": 150, "instances": 40}})
    assert r.status_code == 200, r.text
    assert r.json()["quota_set"]["key_pairs"] == 150
    shown = nova(cloud, admin_token, "GET", f"/os-quota-sets/{admin_project}").json()
    assert shown["quota_set"]["instances"] == 40 and "fixed_ips" not in shown["quota_set"]
    old = nova(cloud, admin_token, "GET", f"/os-quota-sets/{admin_project}", mv="2.35").json()
    assert old["quota_set"]["fixed_ips"] == -1
    assert nova(cloud, admin_token, "DELETE", f"/os-quota-sets/{admin_project}"
                ).status_code == 202
    assert nova(cloud, admin_token, "GET", f"/os-quota-sets/{admin_project}"
                ).json()["quota_set"]["instances"] == 10
    bad = nova(cloud, admin_token, "PUT", f"/os-quota-sets/{admin_project}",
               json={"quota_set": {"instances": "lots"}})
    assert bad.status_code == 400
    assert nova(cloud, admin_token, "PUT", f"/os-quota-sets/{admin_project}",
                json={"quota_set": {"wheels": 4}}).status_code == 400
    assert nova(cloud, member_token, "PUT", f"/os-quota-sets/{admin_project}",
                json={"quota_set": {"instances": 4}}).status_code == 403
    assert nova(cloud, member_token, "GET", f"/os-quota-sets/{admin_project}"
                ).status_code == 403


def test_quota_below_usage_needs_force(cloud, admin_token):
    snap = snapshot(cloud)
    project = _busiest(snap)
    used = per_project(snap)[project]["instances"]
    if used < 2:
        pytest.skip("no project with servers")
    r = nova(cloud, admin_token, "PUT", f"/os-quota-sets/{project}",
             json={"quota_set": {"instances": used - 1}})
    assert r.status_code == 400 and "already used" in r.json()["badRequest"]["message"]


def test_limits_for_member_and_admin(cloud, admin_token, member_token):
    lim = nova(cloud, member_token, "GET", "/limits").json()["limits"]["absolute"]
    for key in ("maxTotalCores", "maxTotalRAMSize", "maxTotalInstances", "totalCoresUsed",
                "totalRAMUsed", "totalInstancesUsed", "maxServerGroups"):
        assert isinstance(lim[key], int), key
    assert "maxPersonality" not in nova(cloud, member_token, "GET", "/limits", mv="2.57"
                                        ).json()["limits"]["absolute"]
    snap = snapshot(cloud)
    project = _busiest(snap)
    r = nova(cloud, admin_token, "GET", "/limits", params={"tenant_id": project})
    absolute = r.json()["limits"]["absolute"]
    assert absolute["totalInstancesUsed"] == per_project(snap)[project]["instances"]
    assert absolute["totalRAMUsed"] == per_project(snap)[project]["ram"]
    member_project = cloud.store.meta["member_project"]
    other = next(p for p, n in snap["projects"].items() if n not in (member_project, "admin"))
    assert nova(cloud, member_token, "GET", "/limits",
                params={"tenant_id": other}).status_code == 403


# --- simple tenant usage ----------------------------------------------------------------

def _hours(s: dict[str, Any], start: dt.datetime, end: dt.datetime) -> float:
    def parse(v: str | None) -> dt.datetime | None:
        if not v:
            return None
        t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
    launched, ended = parse(s["launched"]), parse(s["ended"])
    if launched is None or launched > end or (ended and ended < start):
        return 0.0
    return max(0.0, ((min(ended or end, end)) - max(launched, start)).total_seconds() / 3600)


def test_simple_tenant_usage_totals(cloud, admin_token):
    end = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(minutes=1)
    start = end - dt.timedelta(days=30)
    params = {"start": start.strftime("%Y-%m-%dT%H:%M:%S"),
              "end": end.strftime("%Y-%m-%dT%H:%M:%S"), "detailed": "1"}
    r = nova(cloud, admin_token, "GET", "/os-simple-tenant-usage", params=params)
    assert r.status_code == 200, r.text
    snap = snapshot(cloud)
    for tu in r.json()["tenant_usages"]:
        mine = [s for s in snap["servers"].values() if s["project"] == tu["tenant_id"]]
        hours = {id(s): _hours(s, start, end) for s in mine}
        assert tu["total_hours"] == pytest.approx(sum(hours.values()), rel=1e-6)
        assert tu["total_vcpus_usage"] == pytest.approx(
            sum(s["res"][0] * hours[id(s)] for s in mine), rel=1e-6)
        assert tu["total_memory_mb_usage"] == pytest.approx(
            sum(s["res"][1] * hours[id(s)] for s in mine), rel=1e-6)
        assert {u["instance_id"] for u in tu["server_usages"]} <= set(snap["servers"])
    one = nova(cloud, admin_token, "GET", "/os-simple-tenant-usage", params={**params,
               "limit": "1"}, mv="2.40").json()
    if sum(len(t["server_usages"]) for t in r.json()["tenant_usages"]) > 1:
        assert one["tenant_usages_links"][0]["rel"] == "next"
    bad = nova(cloud, admin_token, "GET", "/os-simple-tenant-usage",
               params={"start": "yesterday"})
    assert bad.status_code == 400
    swapped = nova(cloud, admin_token, "GET", "/os-simple-tenant-usage",
                   params={"start": params["end"], "end": params["start"]})
    assert swapped.status_code == 400


def test_member_sees_own_usage(cloud, member_token):
    token = requests.get(cloud.auth_url + "/auth/tokens", timeout=10, headers={
        "X-Auth-Token": member_token, "X-Subject-Token": member_token}).json()["token"]
    project = token["project"]["id"]
    r = nova(cloud, member_token, "GET", f"/os-simple-tenant-usage/{project}")
    assert r.status_code == 200 and "tenant_usage" in r.json()
    assert nova(cloud, member_token, "GET", f"/os-simple-tenant-usage/{uuid.uuid4().hex}"
                ).status_code == 403


# --- migrations -----------------------------------------------------------------------

def test_migrations_filters_and_paging(cloud, admin_token):
    all_ = nova(cloud, admin_token, "GET", "/os-migrations", mv="2.80").json()["migrations"]
    if not all_:
        pytest.skip("no servers, so no migration history")
    assert {"uuid", "migration_type", "project_id", "user_id"} <= set(all_[0])
    kinds = {m["migration_type"] for m in all_}
    assert "live-migration" in kinds
    live = nova(cloud, admin_token, "GET", "/os-migrations",
                params={"migration_type": "live-migration"}).json()["migrations"]
    assert live and all(m["migration_type"] == "live-migration" for m in live)
    host = all_[0]["dest_compute"]
    on_host = nova(cloud, admin_token, "GET", "/os-migrations", params={"host": host}).json()
    assert all(host in (m["source_compute"], m["dest_compute"]) for m in on_host["migrations"])
    page = nova(cloud, admin_token, "GET", "/os-migrations", params={"limit": 2}).json()
    if len(all_) > 2:
        assert len(page["migrations"]) == 2 and page["migrations_links"]
    old = nova(cloud, admin_token, "GET", "/os-migrations", mv="2.22").json()["migrations"]
    assert "migration_type" not in old[0] and "uuid" not in old[0]
    bad = nova(cloud, admin_token, "GET", "/os-migrations", params={"marker": "nope"})
    assert bad.status_code == 400


# --- interop --------------------------------------------------------------------------

def test_openstacksdk_interop(cloud, os_config: Path, admin_token):
    import openstack

    conn = openstack.connect(cloud="demo")
    hyps = list(conn.compute.hypervisors(details=True))
    assert hyps and all(h.name for h in hyps)
    snap = snapshot(cloud)
    project = _busiest(snap) if snap["servers"] else next(iter(snap["projects"]))
    qs = conn.compute.get_quota_set(project, usage=True)
    used = per_project(snap).get(project, {"instances": 0, "cores": 0, "ram": 0})
    assert qs.usage["instances"] == used["instances"]
    assert qs.usage["cores"] == used["cores"]
    assert isinstance(qs.instances, int)
    services = list(conn.compute.services())
    assert any(s.binary == "nova-compute" for s in services)
    aggs = list(conn.compute.aggregates())
    assert any(a.name == "highmem" for a in aggs)


def test_cli_hypervisor_list_and_quota_show(cloud, os_config: Path):
    cli = str(Path(sys.executable).parent / "openstack")
    out = subprocess.run([cli, "--os-cloud", "demo", "hypervisor", "list", "-f", "json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and {"Hypervisor Hostname", "State"} <= set(rows[0])
    snap = snapshot(cloud)
    project = _busiest(snap) if snap["servers"] else next(iter(snap["projects"]))
    out = subprocess.run([cli, "--os-cloud", "demo", "quota", "show", "--compute", project,
                          "-f", "json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    data = json.loads(text)
    assert data
