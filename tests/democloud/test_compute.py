"""Nova servers, flavors, keypairs and server groups of the demo cloud, over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

V21 = "/compute/v2.1"


def call(cloud: democloud.DemoCloud, token: str, method: str, path: str,
         mv: str | None = None, **kwargs: Any) -> requests.Response:
    headers = {"X-Auth-Token": token}
    if mv:
        headers["OpenStack-API-Version"] = f"compute {mv}"
    return requests.request(method, cloud.url + V21 + path, headers=headers, timeout=30,
                            **kwargs)


def fault(resp: requests.Response, name: str, code: int) -> str:
    assert resp.status_code == code, resp.text
    body = resp.json()
    assert list(body) == [name], body
    assert body[name]["code"] == code
    message: str = body[name]["message"]
    return message


def wait_status(cloud: democloud.DemoCloud, token: str, sid: str, status: str,
                timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        server: dict[str, Any] = call(cloud, token, "GET", f"/servers/{sid}",
                                      "2.100").json()["server"]
        if server["status"] == status or time.monotonic() > deadline:
            assert server["status"] == status, server
            return server
        time.sleep(0.05)


@pytest.fixture(scope="module")
def flavor_id(cloud: democloud.DemoCloud, admin_token: str) -> str:
    flavors = call(cloud, admin_token, "GET", "/flavors").json()["flavors"]
    return next(f["id"] for f in flavors if f["name"] == "m1.tiny")


@pytest.fixture(scope="module")
def image_id(cloud: democloud.DemoCloud) -> str | None:
    images = cloud.call(lambda: [i for i in cloud.store.table("images").values()
                                 if i.get("status", "active") == "active"
                                 and i.get("visibility", "public") == "public"
                                 and i.get("min_ram", 0) <= 512
                                 and i.get("min_disk", 0) <= 1])
    return images[0]["id"] if images else None


def boot(cloud: democloud.DemoCloud, token: str, flavor_id: str, image_id: str | None,
         name: str, **extra: Any) -> str:
    server: dict[str, Any] = {"name": name, "flavorRef": flavor_id, "networks": "none",
                              **extra}
    if image_id:
        server["imageRef"] = image_id
    else:
        server["block_device_mapping_v2"] = [{"boot_index": 0, "uuid": "x",
                                              "source_type": "volume"}]
    r = call(cloud, token, "POST", "/servers", "2.74", json={"server": server})
    assert r.status_code == 202, r.text
    assert r.headers["OpenStack-API-Version"] == "compute 2.74"
    sid: str = r.json()["server"]["id"]
    return sid


# -- versions and shapes ------------------------------------------------------------------

def test_version_documents(cloud: democloud.DemoCloud) -> None:
    versions = requests.get(cloud.url + "/compute/", timeout=10).json()["versions"]
    v21 = next(v for v in versions if v["id"] == "v2.1")
    assert v21["min_version"] == "2.1" and v21["status"] == "CURRENT"
    assert tuple(map(int, v21["version"].split("."))) >= (2, 100)
    doc = requests.get(cloud.url + "/compute/v2.1/", timeout=10).json()["version"]
    assert doc["id"] == "v2.1" and doc["version"] == v21["version"]


def test_microversion_echo_and_out_of_range(cloud: democloud.DemoCloud,
                                            admin_token: str) -> None:
    r = requests.get(cloud.url + V21 + "/servers", timeout=10, headers={
        "X-Auth-Token": admin_token, "X-OpenStack-Nova-API-Version": "2.53"})
    assert r.headers["X-OpenStack-Nova-API-Version"] == "2.53"
    assert r.headers["OpenStack-API-Version"] == "compute 2.53"
    fault(call(cloud, admin_token, "GET", "/servers", "2.999"), "notAcceptable", 406)


def test_flavor_shape_switches_at_2_47(cloud: democloud.DemoCloud, admin_token: str) -> None:
    old = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&limit=3",
               "2.46").json()["servers"]
    new = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&limit=3",
               "2.47").json()["servers"]
    assert [s["id"] for s in old] == [s["id"] for s in new]
    assert set(old[0]["flavor"]) == {"id", "links"}
    assert set(new[0]["flavor"]) == {"original_name", "vcpus", "ram", "disk", "ephemeral",
                                     "swap", "extra_specs"}


def test_fields_follow_microversions(cloud: democloud.DemoCloud, admin_token: str,
                                     member_token: str) -> None:
    base = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&limit=1").json()
    s21 = base["servers"][0]
    for key in ("locked", "host_status", "description", "tags", "locked_reason",
                "OS-EXT-SRV-ATTR:hostname"):
        assert key not in s21
    assert "OS-EXT-SRV-ATTR:host" in s21
    latest = call(cloud, admin_token, "GET", f"/servers/{s21['id']}", "2.100").json()["server"]
    for key in ("locked", "host_status", "description", "tags", "locked_reason",
                "OS-EXT-SRV-ATTR:hostname", "server_groups", "pinned_availability_zone",
                "scheduler_hints"):
        assert key in latest, key
    mine = call(cloud, member_token, "GET", "/servers/detail?limit=1", "2.100").json()
    if mine["servers"]:
        s = mine["servers"][0]
        assert "OS-EXT-SRV-ATTR:host" not in s and "host_status" not in s
        assert "OS-EXT-SRV-ATTR:hostname" in s  # visible to owners from 2.90


# -- listing ------------------------------------------------------------------------------

def test_list_summary(cloud: democloud.DemoCloud, admin_token: str) -> None:
    servers = call(cloud, admin_token, "GET", "/servers?all_tenants=1").json()["servers"]
    assert len(servers) >= 40
    assert set(servers[0]) == {"id", "name", "links"}
    assert servers[0]["links"][0]["href"].endswith(f"/servers/{servers[0]['id']}")


def test_pagination_walks_like_one_big_page(cloud: democloud.DemoCloud,
                                            admin_token: str) -> None:
    big = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&limit=1000",
               "2.47").json()["servers"]
    ids: list[str] = []
    url: str | None = cloud.url + V21 + "/servers/detail?all_tenants=1&limit=7"
    pages = 0
    while url and pages < 100:
        body = requests.get(url, headers={"X-Auth-Token": admin_token,
                                          "OpenStack-API-Version": "compute 2.47"},
                            timeout=10).json()
        ids += [s["id"] for s in body["servers"]]
        links = body.get("servers_links") or []
        url = next((link["href"] for link in links if link["rel"] == "next"), None)
        if url:
            assert "all_tenants=1" in url and "limit=7" in url
        pages += 1
    # Others may create servers meanwhile: compare the servers both listings know.
    common = set(ids) & {s["id"] for s in big}
    assert len(common) >= 40
    assert [i for i in ids if i in common] == [s["id"] for s in big if s["id"] in common]
    assert len(ids) == len(set(ids))
    created = [s["created"] for s in big]
    assert created == sorted(created, reverse=True)


def test_unknown_marker_is_400(cloud: democloud.DemoCloud, admin_token: str) -> None:
    msg = fault(call(cloud, admin_token, "GET", "/servers?marker=nope"), "badRequest", 400)
    assert "marker [nope] not found" in msg


def test_filters(cloud: democloud.DemoCloud, admin_token: str) -> None:
    every = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1",
                 "2.100").json()["servers"]
    first = every[0]
    prefix = first["name"].split("-")[0]
    named = call(cloud, admin_token, "GET", f"/servers?all_tenants=1&name=^{prefix}-",
                 "2.100").json()["servers"]
    assert named and all(s["name"].startswith(prefix + "-") for s in named)
    for status in {s["status"] for s in every}:
        got = call(cloud, admin_token, "GET", f"/servers/detail?all_tenants=1&status={status}",
                   "2.100").json()["servers"]
        assert got and all(s["status"] == status for s in got)
    host = next(s["OS-EXT-SRV-ATTR:host"] for s in every if s["OS-EXT-SRV-ATTR:host"])
    on_host = call(cloud, admin_token, "GET", f"/servers/detail?all_tenants=1&host={host}",
                   "2.100").json()["servers"]
    assert on_host and all(s["OS-EXT-SRV-ATTR:host"] == host for s in on_host)
    project = first["tenant_id"]
    scoped = call(cloud, admin_token, "GET", f"/servers/detail?all_tenants=1&project_id="
                  f"{project}", "2.100").json()["servers"]
    assert scoped and all(s["tenant_id"] == project for s in scoped)
    locked = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&locked=false",
                  "2.73").json()["servers"]
    assert locked and not any(s["locked"] for s in locked)
    fault(call(cloud, admin_token, "GET", "/servers?locked=maybe", "2.73"), "badRequest", 400)
    tagged = [s for s in every if s["tags"]]
    if tagged:
        tag = tagged[0]["tags"][0]
        got = call(cloud, admin_token, "GET", f"/servers/detail?all_tenants=1&tags={tag}",
                   "2.100").json()["servers"]
        assert got and all(tag in s["tags"] for s in got)
        nope = call(cloud, admin_token, "GET", f"/servers/detail?all_tenants=1&not-tags={tag}",
                    "2.100").json()["servers"]
        assert all(tag not in s["tags"] for s in nope)
    by_name = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&sort_key="
                   "display_name&sort_dir=asc", "2.100").json()["servers"]
    assert [s["name"] for s in by_name] == sorted(s["name"] for s in by_name)
    fault(call(cloud, admin_token, "GET", "/servers?sort_key=bogus"), "badRequest", 400)
    since = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&changes-since="
                 "2999-01-01T00:00:00Z").json()["servers"]
    assert since == []


def test_member_sees_only_its_project(cloud: democloud.DemoCloud, member_token: str,
                                      admin_token: str) -> None:
    project = cloud.store.meta["member_project_id"]
    mine = call(cloud, member_token, "GET", "/servers/detail").json()["servers"]
    assert all(s["tenant_id"] == project for s in mine)
    msg = fault(call(cloud, member_token, "GET", "/servers/detail?all_tenants=1"),
                "forbidden", 403)
    assert "get_all_tenants" in msg
    other = next(s for s in call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1")
                 .json()["servers"] if s["tenant_id"] != project)
    fault(call(cloud, member_token, "GET", f"/servers/{other['id']}"), "itemNotFound", 404)


def test_unknown_server_404(cloud: democloud.DemoCloud, admin_token: str) -> None:
    msg = fault(call(cloud, admin_token, "GET", "/servers/0000-nope"), "itemNotFound", 404)
    assert "could not be found" in msg
    r = requests.get(cloud.url + V21 + "/servers", timeout=10)
    assert r.status_code == 401


# -- create, actions, locks ---------------------------------------------------------------

def test_bad_bodies(cloud: democloud.DemoCloud, member_token: str, flavor_id: str,
                    image_id: str | None) -> None:
    r = requests.post(cloud.url + V21 + "/servers", data=b"{not json",
                      headers={"X-Auth-Token": member_token,
                               "Content-Type": "application/json"}, timeout=10)
    fault(r, "badRequest", 400)
    msg = fault(call(cloud, member_token, "POST", "/servers", "2.74",
                     json={"server": {"name": "x", "networks": "none"}}), "badRequest", 400)
    assert "'flavorRef' is a required property" in msg
    msg = fault(call(cloud, member_token, "POST", "/servers", "2.74",
                     json={"server": {"name": "x", "flavorRef": flavor_id}}), "badRequest", 400)
    assert "'networks' is a required property" in msg
    msg = fault(call(cloud, member_token, "POST", "/servers", "2.74", json={"server": {
        "name": "x", "flavorRef": flavor_id, "networks": "none", "bogus": 1}}),
        "badRequest", 400)
    assert "Additional properties are not allowed" in msg
    msg = fault(call(cloud, member_token, "POST", "/servers", "2.74", json={"server": {
        "name": "x", "flavorRef": "no-such-flavor", "networks": "none",
        "imageRef": image_id or ""}}), "badRequest", 400)
    assert msg == "Invalid flavorRef provided."
    msg = fault(call(cloud, member_token, "POST", "/servers", "2.74", json={"server": {
        "name": "x", "flavorRef": flavor_id, "networks": "none",
        "imageRef": "8a7b0d8e-0000-4000-8000-000000000000"}}), "badRequest", 400)
    assert "could not be found" in msg
    fault(call(cloud, member_token, "POST", "/servers", json=[1, 2]), "badRequest", 400)
    fault(call(cloud, member_token, "POST", "/servers", "2.74", json={"server": {
        "name": 5, "flavorRef": flavor_id, "networks": "none"}}), "badRequest", 400)


def test_create_build_active_actions_and_delete(cloud: democloud.DemoCloud,
                                                member_token: str, flavor_id: str,
                                                image_id: str | None) -> None:
    sid = boot(cloud, member_token, flavor_id, image_id, "test-web-01",
               metadata={"role": "web"}, tags=["t1"], description="a test server")
    first = call(cloud, member_token, "GET", f"/servers/{sid}", "2.100").json()["server"]
    assert first["status"] in ("BUILD", "ACTIVE")
    if first["status"] == "BUILD":
        assert first["OS-EXT-STS:task_state"] == "spawning"
    server = wait_status(cloud, member_token, sid, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1 and server["OS-EXT-STS:task_state"] is None
    assert server["metadata"] == {"role": "web"} and server["tags"] == ["t1"]
    assert server["description"] == "a test server"
    listed = call(cloud, member_token, "GET", "/servers").json()["servers"]
    assert sid in [s["id"] for s in listed]

    renamed = call(cloud, member_token, "PUT", f"/servers/{sid}", "2.19",
                   json={"server": {"name": "test-web-02", "description": "renamed"}})
    assert renamed.status_code == 200 and renamed.json()["server"]["name"] == "test-web-02"
    fault(call(cloud, member_token, "PUT", f"/servers/{sid}", json={"server": {"flavor": 1}}),
          "badRequest", 400)

    def act(body: dict[str, Any], mv: str | None = None) -> requests.Response:
        return call(cloud, member_token, "POST", f"/servers/{sid}/action", mv, json=body)

    msg = fault(act({"os-start": None}), "conflictingRequest", 409)
    assert msg == f"Cannot 'start' instance {sid} while it is in vm_state active"
    assert act({"os-stop": None}).status_code == 202
    assert wait_status(cloud, member_token, sid, "SHUTOFF")["OS-EXT-STS:power_state"] == 4
    fault(act({"pause": None}), "conflictingRequest", 409)
    fault(act({"reboot": {"type": "SOFT"}}), "conflictingRequest", 409)
    assert act({"reboot": {"type": "HARD"}}).status_code == 202
    wait_status(cloud, member_token, sid, "ACTIVE")
    fault(act({"reboot": {"type": "GENTLE"}}), "badRequest", 400)
    assert act({"pause": None}).status_code == 202
    wait_status(cloud, member_token, sid, "PAUSED")
    assert act({"unpause": None}).status_code == 202
    assert act({"suspend": None}).status_code == 202
    wait_status(cloud, member_token, sid, "SUSPENDED")
    assert act({"resume": None}).status_code == 202
    fault(act({"os-fly": None}), "itemNotFound", 404)

    actions = call(cloud, member_token, "GET", f"/servers/{sid}/os-instance-actions",
                   "2.84").json()["instanceActions"]
    names = [a["action"] for a in actions]
    assert names[-1] == "create"
    for name in ("stop", "reboot", "pause", "unpause", "suspend", "resume"):
        assert name in names
    create = actions[-1]
    detail = call(cloud, member_token, "GET",
                  f"/servers/{sid}/os-instance-actions/{create['request_id']}",
                  "2.84").json()["instanceAction"]
    event = detail["events"][0]
    assert event["event"] == "compute__do_build_and_run_instance"
    assert event["result"] == "Success" and "traceback" not in event

    assert call(cloud, member_token, "DELETE", f"/servers/{sid}").status_code == 204
    fault(call(cloud, member_token, "GET", f"/servers/{sid}"), "itemNotFound", 404)


def test_lock_rules(cloud: democloud.DemoCloud, member_token: str, admin_token: str,
                    flavor_id: str, image_id: str | None) -> None:
    sid = boot(cloud, member_token, flavor_id, image_id, "test-locked-01")
    wait_status(cloud, member_token, sid, "ACTIVE")
    r = call(cloud, admin_token, "POST", f"/servers/{sid}/action", "2.73",
             json={"lock": {"locked_reason": "audit"}})
    assert r.status_code == 202
    server = call(cloud, member_token, "GET", f"/servers/{sid}", "2.73").json()["server"]
    assert server["locked"] is True and server["locked_reason"] == "audit"
    msg = fault(call(cloud, member_token, "POST", f"/servers/{sid}/action",
                     json={"os-stop": None}), "conflictingRequest", 409)
    assert msg == f"Instance {sid} is locked"
    fault(call(cloud, member_token, "DELETE", f"/servers/{sid}"), "conflictingRequest", 409)
    fault(call(cloud, member_token, "POST", f"/servers/{sid}/action", json={"unlock": None}),
          "forbidden", 403)
    assert call(cloud, admin_token, "POST", f"/servers/{sid}/action",
                json={"unlock": None}).status_code == 202
    names = [a["action"] for a in call(cloud, member_token, "GET",
                                       f"/servers/{sid}/os-instance-actions").json()[
        "instanceActions"]]
    assert "lock" in names and "unlock" in names
    assert call(cloud, member_token, "DELETE", f"/servers/{sid}").status_code == 204


def test_server_subresources(cloud: democloud.DemoCloud, admin_token: str) -> None:
    servers = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1",
                   "2.100").json()["servers"]
    server = next((s for s in servers if s["addresses"]), servers[0])
    sid = server["id"]
    ips = call(cloud, admin_token, "GET", f"/servers/{sid}/ips").json()["addresses"]
    assert set(ips) == set(server["addresses"])
    ifaces = call(cloud, admin_token, "GET", f"/servers/{sid}/os-interface").json()
    assert isinstance(ifaces["interfaceAttachments"], list)
    vols = call(cloud, admin_token, "GET", f"/servers/{sid}/os-volume_attachments").json()
    assert isinstance(vols["volumeAttachments"], list)
    meta = call(cloud, admin_token, "POST", f"/servers/{sid}/metadata",
                json={"metadata": {"owner": "ops"}}).json()["metadata"]
    assert meta["owner"] == "ops"
    assert call(cloud, admin_token, "GET", f"/servers/{sid}/metadata/owner").json() == {
        "meta": {"owner": "ops"}}
    assert call(cloud, admin_token, "DELETE", f"/servers/{sid}/metadata/owner"
                ).status_code == 204
    assert call(cloud, admin_token, "PUT", f"/servers/{sid}/tags/audit-2026",
                "2.26").status_code in (201, 204)
    assert "audit-2026" in call(cloud, admin_token, "GET", f"/servers/{sid}/tags",
                                "2.26").json()["tags"]
    assert call(cloud, admin_token, "DELETE", f"/servers/{sid}/tags/audit-2026",
                "2.26").status_code == 204
    errored = [s for s in servers if s["status"] == "ERROR"]
    for server in errored[:3]:
        assert server["fault"]["message"] and "details" in server["fault"]
        acts = call(cloud, admin_token, "GET", f"/servers/{server['id']}/os-instance-"
                    "actions").json()["instanceActions"]
        failed = [a for a in acts if a["message"] == "Error"]
        assert len(failed) == 1 and failed[0] is acts[0]  # the last thing that happened
        detail = call(cloud, admin_token, "GET", f"/servers/{server['id']}/os-instance-"
                      f"actions/{failed[0]['request_id']}", "2.84").json()["instanceAction"]
        assert detail["events"][0]["result"] == "Error" and detail["events"][0]["traceback"]
        # Failed in scheduling: no host; failed on its host (a reboot): that host.
        assert (detail["action"] == "create") == (server["OS-EXT-SRV-ATTR:host"] is None)


# -- flavors, keypairs, server groups -----------------------------------------------------

def test_flavors(cloud: democloud.DemoCloud, admin_token: str, member_token: str) -> None:
    detail = call(cloud, member_token, "GET", "/flavors/detail", "2.75").json()["flavors"]
    names = {f["name"] for f in detail}
    assert {"m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"} <= names
    assert all(isinstance(f["swap"], int) for f in detail)
    big = call(cloud, member_token, "GET", "/flavors/detail?minRam=16384").json()["flavors"]
    assert big and all(f["ram"] >= 16384 for f in big)
    page1 = call(cloud, member_token, "GET", "/flavors?limit=2").json()
    assert len(page1["flavors"]) == 2 and page1["flavors_links"][0]["rel"] == "next"
    page2 = requests.get(page1["flavors_links"][0]["href"], timeout=10,
                         headers={"X-Auth-Token": member_token}).json()["flavors"]
    assert page2[0]["id"] not in {f["id"] for f in page1["flavors"]}
    fault(call(cloud, member_token, "POST", "/flavors", json={"flavor": {
        "name": "nope", "ram": 1, "vcpus": 1, "disk": 1}}), "forbidden", 403)
    r = call(cloud, admin_token, "POST", "/flavors", "2.61", json={"flavor": {
        "name": "test.private", "ram": 1024, "vcpus": 1, "disk": 10,
        "os-flavor-access:is_public": False}})
    assert r.status_code == 200, r.text
    fid = r.json()["flavor"]["id"]
    specs = call(cloud, admin_token, "POST", f"/flavors/{fid}/os-extra_specs",
                 json={"extra_specs": {"hw:cpu_policy": "dedicated"}})
    assert specs.json() == {"extra_specs": {"hw:cpu_policy": "dedicated"}}
    assert call(cloud, admin_token, "GET", f"/flavors/{fid}/os-extra_specs/hw:cpu_policy"
                ).json() == {"hw:cpu_policy": "dedicated"}
    project = cloud.store.meta["member_project_id"]
    access = call(cloud, admin_token, "POST", f"/flavors/{fid}/action",
                  json={"addTenantAccess": {"tenant": project}}).json()["flavor_access"]
    assert access == [{"flavor_id": fid, "tenant_id": project}]
    assert call(cloud, member_token, "GET", f"/flavors/{fid}").status_code == 200
    assert call(cloud, admin_token, "DELETE", f"/flavors/{fid}").status_code == 202
    fault(call(cloud, admin_token, "GET", f"/flavors/{fid}"), "itemNotFound", 404)


def test_keypairs_and_server_groups(cloud: democloud.DemoCloud, member_token: str) -> None:
    r = call(cloud, member_token, "POST", "/os-keypairs", "2.10",
             json={"keypair": {"name": "test-key"}})
    assert r.status_code == 201, r.text
    assert r.json()["keypair"]["private_key"]
    listed = call(cloud, member_token, "GET", "/os-keypairs", "2.10").json()["keypairs"]
    assert "test-key" in [k["keypair"]["name"] for k in listed]
    shown = call(cloud, member_token, "GET", "/os-keypairs/test-key", "2.10").json()["keypair"]
    assert shown["type"] == "ssh" and shown["fingerprint"].count(":") == 15
    fault(call(cloud, member_token, "POST", "/os-keypairs", "2.10",
               json={"keypair": {"name": "test-key"}}), "conflictingRequest", 409)
    assert call(cloud, member_token, "DELETE", "/os-keypairs/test-key",
                "2.10").status_code == 204

    g = call(cloud, member_token, "POST", "/os-server-groups", "2.64",
             json={"server_group": {"name": "test-aa", "policy": "anti-affinity"}})
    assert g.status_code == 200, g.text
    gid = g.json()["server_group"]["id"]
    old = call(cloud, member_token, "GET", f"/os-server-groups/{gid}").json()["server_group"]
    assert old["policies"] == ["anti-affinity"] and "policy" not in old
    new = call(cloud, member_token, "GET", f"/os-server-groups/{gid}",
               "2.64").json()["server_group"]
    assert new["policy"] == "anti-affinity" and "policies" not in new
    assert call(cloud, member_token, "DELETE", f"/os-server-groups/{gid}").status_code == 204


# -- interop ------------------------------------------------------------------------------

def test_openstacksdk_lifecycle(cloud: democloud.DemoCloud, os_config: Path,
                                flavor_id: str, image_id: str | None) -> None:
    import openstack

    conn = openstack.connect(cloud="demo")
    servers = list(conn.compute.servers(all_projects=True, limit=10))
    assert len(servers) >= 40
    assert {f.name for f in conn.compute.flavors()} >= {"m1.tiny", "m1.small"}
    if image_id is None:
        pytest.skip("no active public image in this world")
    server = conn.compute.create_server(name="sdk-test-01", flavor_id=flavor_id,
                                        image_id=image_id, networks="none")
    server = conn.compute.wait_for_server(server, status="ACTIVE", interval=0.1, wait=20)
    assert server.status == "ACTIVE" and server.flavor.original_name == "m1.tiny"
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, interval=0.1, wait=20)


def test_cli_server_and_flavor_list(cloud: democloud.DemoCloud, os_config: Path) -> None:
    cli = str(Path(sys.executable).with_name("openstack"))
    env = {**os.environ, "OS_CLOUD": "demo"}
    out = subprocess.run([cli, "server", "list", "--all-projects", "-f", "json"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) >= 40 and {"ID", "Name", "Status"} <= set(rows[0])
    out = subprocess.run([cli, "flavor", "list", "-f", "json"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "m1.tiny" in {r["Name"] for r in json.loads(out.stdout)}


def test_server_records_are_their_documents(cloud: democloud.DemoCloud,
                                            admin_token: str) -> None:
    """After the tests above booted, acted on and deleted servers: every record is exactly
    what an admin lists at the newest microversion (no simulator key among its items)."""
    listed = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1&limit=1000",
                  "2.100").json()["servers"]
    # Read after the listing, which settled any build that was due.
    stored = cloud.call(lambda: {sid: dict(rec) for sid, rec in
                                 cloud.store.table("servers").items()})
    assert not [k for rec in stored.values() for k in rec if k.startswith("_")]
    assert {s["id"]: s for s in listed} == stored


def test_seeded_errors_fail_in_scheduling_or_on_their_host() -> None:
    """A seeded world's ERROR servers: most never found a host (NoValidHost at create);
    some were running until a hard reboot failed on their host, which they still name."""
    from osnb.democloud import build_store
    from osnb.democloud.services.compute.servers import actions_of

    store = build_store(servers=3000, projects=12)
    errored = [s for s in store.table("servers").values() if s["status"] == "ERROR"]
    kinds: dict[str, int] = {}
    for server in errored:
        actions = [store.table("instance_actions")[r] for r in actions_of(store, server["id"])]
        last = actions[-1]
        assert last["message"] == "Error" and last["events"][0]["result"] == "Error"
        assert server["fault"]["created"] == server["updated"]
        assert server["fault"]["message"] in server["fault"]["details"]
        if last["action"] == "create":
            assert server["OS-EXT-SRV-ATTR:host"] is None and len(actions) == 1
        else:
            assert last["action"] == "reboot" and server["OS-EXT-SRV-ATTR:host"]
            assert last["events"][0]["host"] == server["OS-EXT-SRV-ATTR:host"]
            assert server["OS-EXT-STS:power_state"] == 4 and server.port_ids
        kinds[last["action"]] = kinds.get(last["action"], 0) + 1
    assert kinds.get("create", 0) >= 20 and kinds.get("reboot", 0) >= 5, kinds


def test_shared_empty_values_refuse_changes_in_place() -> None:
    """Seeded servers share their empty tags, metadata, volumes…: a handler that changed
    one in place would change every server, so they refuse (handlers replace values)."""
    from osnb.democloud import build_store
    from osnb.democloud.services.compute.common import NO_ITEMS, NO_KEYS

    def grow(value: Any) -> None:
        value += ["x"]

    changes = [lambda: NO_ITEMS.append("x"), lambda: NO_ITEMS.extend(["x"]),
               lambda: NO_ITEMS.insert(0, "x"), lambda: grow(NO_ITEMS),
               lambda: NO_KEYS.update(a=1), lambda: NO_KEYS.setdefault("a", 1),
               lambda: NO_KEYS.__setitem__("a", 1), lambda: NO_KEYS.pop("a", None)]
    for change in changes:
        with pytest.raises(TypeError, match="replace it"):
            change()
    assert NO_ITEMS == [] and NO_KEYS == {}
    servers = list(build_store(servers=60, projects=6).table("servers").values())
    assert any(s["tags"] is NO_ITEMS for s in servers)
    assert any(s["metadata"] is NO_KEYS for s in servers)
