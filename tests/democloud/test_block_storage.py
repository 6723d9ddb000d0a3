"""Cinder v3 in the demo cloud: real HTTP, openstacksdk and the openstack CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openstack
import pytest
import requests

from osnb import democloud
from osnb.democloud.services.block_storage import volumes as block_storage

V3 = "/volume/v3"


def _h(token: str, mv: str | None = None) -> dict[str, str]:
    headers = {"X-Auth-Token": token}
    if mv:
        headers["OpenStack-API-Version"] = f"volume {mv}"
    return headers


def _get(cloud: democloud.DemoCloud, token: str, path: str, **params: Any) -> Any:
    r = requests.get(cloud.url + V3 + path, headers=_h(token), params=params, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _walk(cloud: democloud.DemoCloud, token: str, path: str, key: str,
          **params: Any) -> list[dict[str, Any]]:
    """Follow ``<key>_links`` to the end; a repeated URL is an error."""
    url: str | None = cloud.url + V3 + path
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    query: dict[str, Any] | None = params
    while url:
        assert url not in seen, "pagination loop"
        seen.add(url)
        r = requests.get(url, headers=_h(token), params=query, timeout=10)
        assert r.status_code == 200, r.text
        body = r.json()
        out += body[key]
        url = next((lk["href"] for lk in body.get(f"{key}_links", []) if lk["rel"] == "next"),
                   None)
        query = None
    return out


def _project(cloud: democloud.DemoCloud, which: str) -> str:
    project: str = cloud.store.meta[f"{which}_project_id"]
    return project


@pytest.fixture
def volume(cloud: democloud.DemoCloud, member_token: str) -> Iterator[dict[str, Any]]:
    r = requests.post(cloud.url + V3 + "/volumes", headers=_h(member_token),
                      json={"volume": {"size": 1, "name": "pytest-vol"}}, timeout=10)
    assert r.status_code == 202, r.text
    vol: dict[str, Any] = r.json()["volume"]
    yield vol
    requests.delete(cloud.url + V3 + f"/volumes/{vol['id']}", headers=_h(member_token),
                    timeout=10)


def test_version_documents(cloud: democloud.DemoCloud) -> None:
    r = requests.get(cloud.url + "/volume/", timeout=10)
    assert r.status_code == 300
    v3 = r.json()["versions"][0]
    assert (v3["id"], v3["min_version"], v3["status"]) == ("v3.0", "3.0", "CURRENT")
    r = requests.get(cloud.url + "/volume/v3/", timeout=10)
    assert r.json()["versions"][0]["version"] == v3["version"]


def test_microversion_header(cloud: democloud.DemoCloud, member_token: str) -> None:
    r = requests.get(cloud.url + V3 + "/volumes", headers=_h(member_token, "3.60"), timeout=10)
    assert r.headers["OpenStack-API-Version"] == "volume 3.60"
    r = requests.get(cloud.url + V3 + "/volumes", headers=_h(member_token, "3.999"),
                     timeout=10)
    assert r.status_code == 406
    assert r.json()["notAcceptable"]["code"] == 406


def test_pagination_walk_equals_one_page(cloud: democloud.DemoCloud, admin_token: str) -> None:
    big = _get(cloud, admin_token, "/volumes/detail", all_tenants=1, limit=1000)["volumes"]
    assert len(big) > 5
    walked = _walk(cloud, admin_token, "/volumes/detail", "volumes", all_tenants=1, limit=3)
    assert [v["id"] for v in walked] == [v["id"] for v in big]
    created = [v["created_at"] for v in big]
    assert created == sorted(created, reverse=True)


def test_filters_and_sort(cloud: democloud.DemoCloud, admin_token: str) -> None:
    allv = _get(cloud, admin_token, "/volumes/detail", all_tenants=1)["volumes"]
    available = _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                     status="available")["volumes"]
    assert available and {v["status"] for v in available} == {"available"}
    assert len(available) == sum(v["status"] == "available" for v in allv)
    target = next(v for v in allv if sum(w["name"] == v["name"] for w in allv) == 1)
    by_name = _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                   name=target["name"])["volumes"]
    assert [v["id"] for v in by_name] == [target["id"]]
    owner = target["os-vol-tenant-attr:tenant_id"]
    by_project = _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                      project_id=owner)["volumes"]
    assert {v["os-vol-tenant-attr:tenant_id"] for v in by_project} == {owner}
    tagged = [v for v in allv if v["metadata"].get("team")]
    if tagged:
        team = tagged[0]["metadata"]["team"]
        found = _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                     metadata=json.dumps({"team": team}))["volumes"]
        assert {v["metadata"]["team"] for v in found} == {team}
    sizes = [v["size"] for v in _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                                     sort="size:asc,name:asc")["volumes"]]
    assert sizes == sorted(sizes)


def test_member_isolation(cloud: democloud.DemoCloud, member_token: str,
                          admin_token: str) -> None:
    mine = _get(cloud, member_token, "/volumes/detail")["volumes"]
    member = _project(cloud, "member")
    assert all(v["os-vol-tenant-attr:tenant_id"] == member for v in mine)
    assert all("os-vol-host-attr:host" not in v for v in mine)
    r = requests.get(cloud.url + V3 + "/volumes", headers=_h(member_token),
                     params={"all_tenants": 1}, timeout=10)
    assert r.status_code == 403 and r.json()["forbidden"]["code"] == 403
    other = next(v for v in _get(cloud, admin_token, "/volumes/detail", all_tenants=1)[
        "volumes"] if v["os-vol-tenant-attr:tenant_id"] != member)
    assert "os-vol-host-attr:host" in other
    r = requests.get(cloud.url + V3 + f"/volumes/{other['id']}", headers=_h(member_token),
                     timeout=10)
    assert r.status_code == 404
    assert r.json() == {"itemNotFound": {
        "code": 404, "message": f"Volume {other['id']} could not be found."}}
    r = requests.get(cloud.url + V3 + "/scheduler-stats/get_pools", headers=_h(member_token),
                     timeout=10)
    assert r.status_code == 403


def test_create_becomes_available(cloud: democloud.DemoCloud, member_token: str,
                                  volume: dict[str, Any]) -> None:
    assert volume["status"] == "creating"
    member = _project(cloud, "member")
    url = cloud.url + f"{V3}/{member}/volumes/{volume['id']}"
    deadline = time.monotonic() + 5
    status = "creating"
    while status == "creating" and time.monotonic() < deadline:
        time.sleep(0.1)
        status = requests.get(url, headers=_h(member_token), timeout=10).json()["volume"][
            "status"]
    assert status == "available"
    r = requests.post(url + "/action", headers=_h(member_token),
                      json={"os-extend": {"new_size": 2}}, timeout=10)
    assert r.status_code == 202
    assert requests.get(url, headers=_h(member_token), timeout=10).json()["volume"][
        "size"] == 2
    r = requests.put(url, headers=_h(member_token), json={"volume": {"name": "renamed"}},
                     timeout=10)
    assert r.json()["volume"]["name"] == "renamed"


def test_delete_in_use_is_400(cloud: democloud.DemoCloud, admin_token: str) -> None:
    def make() -> str:
        vol = block_storage.new_volume(cloud.store, project_id=_project(cloud, "admin"),
                                       size=1, name="attached", attach_to="srv-pytest-1")
        return str(vol["id"])

    vid = cloud.call(make)
    body = _get(cloud, admin_token, f"/volumes/{vid}")["volume"]
    assert body["status"] == "in-use"
    assert body["attachments"][0]["server_id"] == "srv-pytest-1"
    assert body["attachments"][0]["device"] == "/dev/vdb"
    r = requests.delete(cloud.url + V3 + f"/volumes/{vid}", headers=_h(admin_token),
                        timeout=10)
    assert r.status_code == 400
    assert "attached" in r.json()["badRequest"]["message"]
    cloud.call(lambda: block_storage.detach_all(cloud.store, "srv-pytest-1"))
    assert _get(cloud, admin_token, f"/volumes/{vid}")["volume"]["status"] == "available"
    r = requests.delete(cloud.url + V3 + f"/volumes/{vid}", headers=_h(admin_token),
                        timeout=10)
    assert r.status_code == 202


def test_quota_usage_matches_volumes(cloud: democloud.DemoCloud, admin_token: str) -> None:
    for which in ("admin", "member"):
        project = _project(cloud, which)
        vols = _get(cloud, admin_token, "/volumes/detail", all_tenants=1,
                    project_id=project)["volumes"]
        snaps = _get(cloud, admin_token, "/snapshots/detail", all_tenants=1,
                     project_id=project)["snapshots"]
        quota = _get(cloud, admin_token, f"/os-quota-sets/{project}", usage="true")[
            "quota_set"]
        assert quota["volumes"]["in_use"] == len(vols)
        assert quota["gigabytes"]["in_use"] == sum(v["size"] for v in vols) + sum(
            s["size"] for s in snaps)
        assert set(quota["volumes"]) == {"limit", "in_use", "reserved", "allocated"}
        assert "volumes_ssd" in quota and "gigabytes___DEFAULT__" in quota
        absolute = _get(cloud, admin_token, "/limits", project_id=project)["limits"][
            "absolute"]
        assert absolute["totalVolumesUsed"] == len(vols)
        assert absolute["maxTotalVolumes"] == quota["volumes"]["limit"]


def test_quota_over_limit_is_413(cloud: democloud.DemoCloud, admin_token: str) -> None:
    project = _project(cloud, "admin")
    url = cloud.url + V3 + f"/os-quota-sets/{project}"
    before = _get(cloud, admin_token, f"/os-quota-sets/{project}")["quota_set"]
    used = _get(cloud, admin_token, f"/os-quota-sets/{project}", usage=1)["quota_set"]
    try:
        r = requests.put(url, headers=_h(admin_token), timeout=10, json={
            "quota_set": {"gigabytes": used["gigabytes"]["in_use"]}})
        assert r.status_code == 200, r.text
        r = requests.post(cloud.url + V3 + "/volumes", headers=_h(admin_token),
                          json={"volume": {"size": 1}}, timeout=10)
        assert r.status_code == 413
        assert "exceeds allowed gigabytes quota" in r.json()["overLimit"]["message"]
    finally:
        requests.put(url, headers=_h(admin_token), timeout=10,
                     json={"quota_set": {"gigabytes": before["gigabytes"]}})
    r = requests.put(url, headers=_h(admin_token), json={"quota_set": {"bogus": 1}},
                     timeout=10)
    assert r.status_code == 400


def test_pools_consistent_with_volumes(cloud: democloud.DemoCloud, admin_token: str) -> None:
    pools = _get(cloud, admin_token, "/scheduler-stats/get_pools", detail="true")["pools"]
    vols = _get(cloud, admin_token, "/volumes/detail", all_tenants=1)["volumes"]
    assert len(pools) >= 2
    for pool in pools:
        caps = pool["capabilities"]
        on_pool = sum(v["size"] for v in vols if v["os-vol-host-attr:host"] == pool["name"])
        assert caps["allocated_capacity_gb"] == on_pool
        assert 0 <= caps["free_capacity_gb"] <= caps["total_capacity_gb"]
        if not caps["thin_provisioning_support"]:
            assert caps["free_capacity_gb"] == caps["total_capacity_gb"] - on_pool
    services = _get(cloud, admin_token, "/os-services")["services"]
    assert {"cinder-scheduler", "cinder-volume", "cinder-backup"} <= {
        s["binary"] for s in services}


def test_snapshots_backups_types(cloud: democloud.DemoCloud, admin_token: str,
                                 member_token: str) -> None:
    types = _get(cloud, member_token, "/types")["volume_types"]
    assert {"__DEFAULT__", "ssd", "hdd", "ssd-replicated"} <= {t["name"] for t in types}
    ssd = next(t for t in types if t["name"] == "ssd")
    specs = _get(cloud, member_token, f"/types/{ssd['id']}/extra_specs")["extra_specs"]
    assert specs["volume_backend_name"]
    r = requests.post(cloud.url + V3 + "/types", headers=_h(member_token),
                      json={"volume_type": {"name": "nope"}}, timeout=10)
    assert r.status_code == 403
    assert _walk(cloud, admin_token, "/snapshots/detail", "snapshots", all_tenants=1,
                 limit=2) == _get(cloud, admin_token, "/snapshots/detail",
                                  all_tenants=1)["snapshots"]
    backups = _get(cloud, admin_token, "/backups/detail", all_tenants=1)["backups"]
    assert backups and all(b["status"] == "available" for b in backups)


@pytest.mark.parametrize(("method", "path", "body", "status", "fault"), [
    ("POST", "/volumes", b"{not json", 400, "badRequest"),
    ("POST", "/volumes", {"volume": {"size": "big"}}, 400, "badRequest"),
    ("POST", "/volumes", {"volume": {"size": 1, "colour": "red"}}, 400, "badRequest"),
    ("POST", "/volumes", {"nothing": {}}, 400, "badRequest"),
    ("POST", "/volumes", {"volume": {"size": 1, "volume_type": "gold"}}, 404, "itemNotFound"),
    ("GET", "/volumes/00000000-0000-0000-0000-000000000000", None, 404, "itemNotFound"),
    ("GET", "/snapshots/nope", None, 404, "itemNotFound"),
    ("GET", "/volumes/detail?sort=name:sideways", None, 400, "badRequest"),
    ("GET", "/volumes?colour=red", None, 400, "badRequest"),
    ("GET", "/volumes?marker=missing", None, 400, "badRequest"),
])
def test_bad_input(cloud: democloud.DemoCloud, member_token: str, method: str, path: str,
                   body: Any, status: int, fault: str) -> None:
    kwargs: dict[str, Any] = {"data": body} if isinstance(body, bytes) else {"json": body}
    r = requests.request(method, cloud.url + V3 + path, headers=_h(member_token),
                         timeout=10, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()[fault]["code"] == status


def test_no_token_is_401(cloud: democloud.DemoCloud) -> None:
    r = requests.get(cloud.url + V3 + "/volumes", timeout=10)
    assert r.status_code == 401


def test_openstacksdk(cloud: democloud.DemoCloud, os_config: Path) -> None:
    conn = openstack.connect(cloud="demo")
    project = conn.current_project_id
    vols = list(conn.block_storage.volumes(all_projects=True))
    assert len(vols) >= len(list(conn.block_storage.volumes()))
    assert {"__DEFAULT__", "ssd"} <= {t.name for t in conn.block_storage.types()}
    quota = conn.block_storage.get_quota_set(project, usage=True)
    mine = list(conn.block_storage.volumes())
    assert quota.usage["volumes"] == len(mine)
    pools = list(conn.block_storage.backend_pools())
    assert all("#" in p.name and p.capabilities["total_capacity_gb"] > 0 for p in pools)
    vol = conn.block_storage.create_volume(size=1, name="sdk-pytest")
    vol = conn.block_storage.wait_for_status(vol, "available", wait=10, interval=0.1)
    assert vol.size == 1 and vol.project_id == project
    conn.block_storage.delete_volume(vol)
    conn.block_storage.wait_for_delete(vol, interval=0.1, wait=10)
    assert conn.block_storage.get_limits().absolute.max_total_volumes == quota.volumes


def test_cli_volume_list(cloud: democloud.DemoCloud, os_config: Path) -> None:
    cli = Path(sys.executable).parent / "openstack"
    out = subprocess.run([str(cli), "--os-cloud", "demo", "volume", "list", "--all-projects",
                          "-f", "json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and {"ID", "Name", "Status", "Size"} <= set(rows[0])


@pytest.mark.parametrize("config", [dict(seed=42, projects=6, servers=40),
                                    dict(seed=7, projects=12, servers=200),
                                    dict(seed=1, projects=3, servers=1000)])
def test_member_project_has_room_and_others_run_tight(config: dict[str, int]) -> None:
    from osnb.democloud.services.block_storage import admin as cinder

    store = democloud.build_store(**config)
    member = store.meta["member_project_id"]
    used, limits = cinder.usage_of(store, member), cinder.limits_of(store, member)
    for res, size in (("gigabytes", 10), ("volumes", 1)):
        assert limits[res] < 0 or used.get(res, 0) + size <= limits[res], (res, used, limits)
    cinder.enforce_quota(store, member, None, volumes=1, gigabytes=10)  # no 413
    tight = store.meta["_cinder_tight_projects"]
    assert tight and member not in tight
    shares = [cinder.usage_of(store, p).get("gigabytes", 0) /
              cinder.limits_of(store, p)["gigabytes"] for p in tight]
    assert max(shares) > 1 and min(shares) >= 0.9  # one over its quota, one near it
