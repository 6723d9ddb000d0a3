"""Placement in the demo cloud: providers derived from the hypervisors, usages that agree
with Nova, allocation candidates that skip hosts without room, and openstacksdk interop."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import requests

from osnb import democloud

PL = "/placement"


def placement(cloud: democloud.DemoCloud, token: str, path: str, mv: str = "1.39",
              **params: Any) -> requests.Response:
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"placement {mv}"}
    return requests.get(cloud.url + PL + path, headers=headers, params=params, timeout=10)


def hypervisors(cloud: democloud.DemoCloud, token: str) -> list[dict[str, Any]]:
    r = requests.get(cloud.url + "/compute/v2.1/os-hypervisors/detail", timeout=10,
                     headers={"X-Auth-Token": token, "OpenStack-API-Version": "compute 2.87"})
    hyps: list[dict[str, Any]] = r.json()["hypervisors"]
    return hyps


def test_version_document_needs_no_token(cloud):
    r = requests.get(cloud.url + PL + "/", timeout=10)
    assert r.status_code == 200
    version = r.json()["versions"][0]
    assert version["id"] == "v1.0" and version["max_version"] == "1.39"
    assert version["min_version"] == "1.0" and version["status"] == "CURRENT"


def test_providers_are_the_hypervisors(cloud, admin_token):
    r = placement(cloud, admin_token, "/resource_providers")
    assert r.status_code == 200
    assert r.headers["OpenStack-API-Version"] == "placement 1.39"
    rps = {rp["uuid"]: rp for rp in r.json()["resource_providers"]}
    hyps = hypervisors(cloud, admin_token)
    assert set(rps) == {h["id"] for h in hyps}
    for hyp in hyps:
        rp = rps[hyp["id"]]
        assert rp["name"] == hyp["hypervisor_hostname"]
        assert rp["root_provider_uuid"] == rp["uuid"] and rp["parent_provider_uuid"] is None
        assert isinstance(rp["generation"], int)
    by_name = placement(cloud, admin_token, "/resource_providers",
                        name=hyps[0]["hypervisor_hostname"]).json()["resource_providers"]
    assert [rp["uuid"] for rp in by_name] == [hyps[0]["id"]]
    old = placement(cloud, admin_token, "/resource_providers", mv="1.13").json()
    assert "root_provider_uuid" not in old["resource_providers"][0]


def test_inventories_and_usages_match_hypervisors(cloud, admin_token):
    for hyp in hypervisors(cloud, admin_token):
        inv = placement(cloud, admin_token, f"/resource_providers/{hyp['id']}/inventories"
                        ).json()["inventories"]
        assert inv["VCPU"]["total"] == hyp["vcpus"]
        assert inv["MEMORY_MB"]["total"] == hyp["memory_mb"]
        assert inv["DISK_GB"]["total"] == hyp["local_gb"]
        assert inv["VCPU"]["allocation_ratio"] >= 1.0
        assert set(inv["VCPU"]) >= {"reserved", "min_unit", "max_unit", "step_size"}
        usages = placement(cloud, admin_token, f"/resource_providers/{hyp['id']}/usages"
                           ).json()["usages"]
        assert usages["VCPU"] == hyp["vcpus_used"]
        assert usages["MEMORY_MB"] == hyp["memory_mb_used"] - inv["MEMORY_MB"]["reserved"]
        assert usages["DISK_GB"] == hyp["local_gb_used"]
        allocs = placement(cloud, admin_token, f"/resource_providers/{hyp['id']}/allocations"
                           ).json()["allocations"]
        assert len(allocs) == hyp["running_vms"]
        assert sum(a["resources"].get("VCPU", 0) for a in allocs.values()) == hyp["vcpus_used"]


def test_consumer_allocations_and_project_usages(cloud, admin_token):
    hyps = [h for h in hypervisors(cloud, admin_token) if h["running_vms"]]
    if not hyps:
        return
    allocs = placement(cloud, admin_token, f"/resource_providers/{hyps[0]['id']}/allocations"
                       ).json()["allocations"]
    consumer, alloc = next(iter(allocs.items()))
    mine = placement(cloud, admin_token, f"/allocations/{consumer}").json()
    assert mine["allocations"][hyps[0]["id"]]["resources"] == alloc["resources"]
    assert mine["consumer_type"] == "INSTANCE" and mine["project_id"]
    project = mine["project_id"]
    usages = placement(cloud, admin_token, "/usages", project_id=project).json()["usages"]
    quota = requests.get(cloud.url + f"/compute/v2.1/os-quota-sets/{project}/detail",
                         headers={"X-Auth-Token": admin_token}, timeout=10).json()["quota_set"]
    assert usages["INSTANCE"]["VCPU"] == quota["cores"]["in_use"]
    assert usages["INSTANCE"]["MEMORY_MB"] == quota["ram"]["in_use"]
    flat = placement(cloud, admin_token, "/usages", mv="1.9", project_id=project).json()
    assert flat["usages"]["VCPU"] == quota["cores"]["in_use"]
    assert placement(cloud, admin_token, f"/allocations/{uuid.uuid4()}").json() == {
        "allocations": {}}


def test_allocation_candidates_exclude_hosts_without_room(cloud, admin_token):
    rps = placement(cloud, admin_token, "/resource_providers").json()["resource_providers"]
    free = {}
    for rp in rps:
        inv = placement(cloud, admin_token, f"/resource_providers/{rp['uuid']}/inventories"
                        ).json()["inventories"]["MEMORY_MB"]
        used = placement(cloud, admin_token, f"/resource_providers/{rp['uuid']}/usages"
                         ).json()["usages"]["MEMORY_MB"]
        cap = int((inv["total"] - inv["reserved"]) * inv["allocation_ratio"])
        free[rp["uuid"]] = min(cap - used, inv["max_unit"])
    amounts = sorted(set(free.values()))
    ask = amounts[len(amounts) // 2]  # some hosts have room for this, some do not
    r = placement(cloud, admin_token, "/allocation_candidates",
                  resources=f"VCPU:1,MEMORY_MB:{ask}")
    assert r.status_code == 200, r.text
    body = r.json()
    got = set(body["provider_summaries"])
    assert got == {u for u, f in free.items() if f >= ask}
    assert got != set(free)
    req = body["allocation_requests"][0]
    rp_uuid = next(iter(req["allocations"]))
    assert req["allocations"][rp_uuid]["resources"] == {"VCPU": 1, "MEMORY_MB": ask}
    summary = body["provider_summaries"][rp_uuid]["resources"]["MEMORY_MB"]
    assert summary["capacity"] - summary["used"] >= ask
    assert placement(cloud, admin_token, "/allocation_candidates",
                     resources="VCPU:1,MEMORY_MB:99999999").json()["allocation_requests"] == []


def test_errors_in_placement_format(cloud, admin_token, member_token):
    r = placement(cloud, admin_token, "/allocation_candidates", resources="VCPU=1")
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert err["status"] == 400 and err["title"] == "Bad Request" and err["detail"]
    assert err["request_id"].startswith("req-")
    missing = placement(cloud, admin_token, f"/resource_providers/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["errors"][0]["status"] == 404
    denied = placement(cloud, member_token, "/resource_providers")
    assert denied.status_code == 403 and "errors" in denied.json()
    assert placement(cloud, admin_token, "/resource_providers", mv="1.99").status_code == 406


def test_traits_classes_aggregates(cloud, admin_token):
    classes = {c["name"] for c in placement(cloud, admin_token, "/resource_classes").json()[
        "resource_classes"]}
    assert {"VCPU", "MEMORY_MB", "DISK_GB"} <= classes
    traits = placement(cloud, admin_token, "/traits", name="startswith:COMPUTE_").json()
    assert traits["traits"] and all(t.startswith("COMPUTE_") for t in traits["traits"])
    hyps = hypervisors(cloud, admin_token)
    disabled = [h for h in hyps if h["status"] == "disabled"]
    if disabled:
        rp_traits = placement(cloud, admin_token,
                              f"/resource_providers/{disabled[0]['id']}/traits").json()
        assert "COMPUTE_STATUS_DISABLED" in rp_traits["traits"]
    aggs = requests.get(cloud.url + "/compute/v2.1/os-aggregates", timeout=10,
                        headers={"X-Auth-Token": admin_token}).json()["aggregates"]
    agg = next(a for a in aggs if a["hosts"])
    host = next(h for h in hyps if h["hypervisor_hostname"] == agg["hosts"][0])
    rp_aggs = placement(cloud, admin_token, f"/resource_providers/{host['id']}/aggregates"
                        ).json()
    assert agg["uuid"] in rp_aggs["aggregates"]
    members = placement(cloud, admin_token, "/resource_providers",
                        member_of=f"in:{agg['uuid']}").json()["resource_providers"]
    assert {rp["name"] for rp in members} == set(agg["hosts"])


def test_openstacksdk_resource_providers(cloud, os_config: Path, admin_token):
    import openstack

    conn = openstack.connect(cloud="demo")
    rps = list(conn.placement.resource_providers())
    assert {rp.id for rp in rps} == {h["id"] for h in hypervisors(cloud, admin_token)}
    assert all(rp.name and rp.root_provider_id == rp.id for rp in rps)


def _write(cloud: democloud.DemoCloud, token: str, method: str, path: str, body: Any = None,
           mv: str = "1.39") -> requests.Response:
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"placement {mv}"}
    return requests.request(method, cloud.url + PL + path, json=body, headers=headers,
                            timeout=10)


def test_provider_and_inventory_writes_check_generations(cloud, admin_token):
    name = f"osnb-rp-{uuid.uuid4().hex[:8]}"
    r = _write(cloud, admin_token, "POST", "/resource_providers", {"name": name})
    assert r.status_code == 200, r.text
    rp = r.json()
    assert rp["generation"] == 0 and rp["root_provider_uuid"] == rp["uuid"]
    assert r.headers["Location"].endswith(f"/resource_providers/{rp['uuid']}")
    base = f"/resource_providers/{rp['uuid']}"
    try:
        dup = _write(cloud, admin_token, "POST", "/resource_providers", {"name": name})
        assert dup.status_code == 409
        assert dup.json()["errors"][0]["code"] == "placement.duplicate_name"
        inv = {"total": 8, "allocation_ratio": 2.0}
        r = _write(cloud, admin_token, "PUT", base + "/inventories",
                   {"resource_provider_generation": 0, "inventories": {"VCPU": inv}})
        assert r.status_code == 200, r.text
        assert r.json()["resource_provider_generation"] == 1
        assert r.json()["inventories"]["VCPU"]["max_unit"] == 2147483647
        # the same write again names a generation that is gone
        stale = _write(cloud, admin_token, "PUT", base + "/inventories",
                       {"resource_provider_generation": 0, "inventories": {"VCPU": inv}})
        assert stale.status_code == 409
        assert stale.json()["errors"][0]["code"] == "placement.concurrent_update"
        stale = _write(cloud, admin_token, "PUT", base + "/inventories/VCPU",
                       {"resource_provider_generation": 0, "total": 4})
        assert stale.status_code == 409
        r = _write(cloud, admin_token, "PUT", base + "/inventories/VCPU",
                   {"resource_provider_generation": 1, "total": 4})
        assert r.status_code == 200 and r.json() == {
            "total": 4, "reserved": 0, "min_unit": 1, "max_unit": 2147483647,
            "step_size": 1, "allocation_ratio": 1.0, "resource_provider_generation": 2}
        # a custom class must exist before an inventory names it
        r = _write(cloud, admin_token, "POST", base + "/inventories",
                   {"resource_class": "CUSTOM_FPGA_X", "total": 2})
        assert r.status_code == 400 and "No such resource class CUSTOM_FPGA_X" in r.text
        assert _write(cloud, admin_token, "PUT",
                      "/resource_classes/CUSTOM_FPGA_X").status_code in (201, 204)
        r = _write(cloud, admin_token, "POST", base + "/inventories",
                   {"resource_class": "CUSTOM_FPGA_X", "total": 2})
        assert r.status_code == 201 and r.json()["resource_provider_generation"] == 3
        again = _write(cloud, admin_token, "POST", base + "/inventories",
                       {"resource_class": "CUSTOM_FPGA_X", "total": 2})
        assert again.status_code == 409
        unknown = _write(cloud, admin_token, "POST", base + "/inventories",
                         {"resource_class": "NOPE", "total": 2})
        assert unknown.status_code == 400
        assert placement(cloud, admin_token, "/resource_providers",
                         resources="CUSTOM_FPGA_X:2").json()["resource_providers"][0][
            "uuid"] == rp["uuid"]
        assert _write(cloud, admin_token, "DELETE",
                      base + "/inventories/CUSTOM_FPGA_X").status_code == 204
        assert _write(cloud, admin_token, "DELETE",
                      base + "/inventories/CUSTOM_FPGA_X").status_code == 404
        got = placement(cloud, admin_token, base + "/inventories").json()
        assert list(got["inventories"]) == ["VCPU"] and got["resource_provider_generation"] == 4
        child = _write(cloud, admin_token, "POST", "/resource_providers",
                       {"name": name + "-child", "parent_provider_uuid": rp["uuid"]}).json()
        assert child["root_provider_uuid"] == rp["uuid"]
        busy = _write(cloud, admin_token, "DELETE", base)
        assert busy.status_code == 409 and busy.json()["errors"][0]["code"] == \
            "placement.resource_provider.cannot_delete_parent"
        assert _write(cloud, admin_token, "DELETE",
                      f"/resource_providers/{child['uuid']}").status_code == 204
        renamed = _write(cloud, admin_token, "PUT", base, {"name": name + "-2"})
        assert renamed.status_code == 200 and renamed.json()["name"] == name + "-2"
        assert _write(cloud, admin_token, "DELETE", base + "/inventories").status_code == 204
        assert placement(cloud, admin_token, base + "/inventories").json()["inventories"] == {}
        # before 1.23 errors carry no code
        old = _write(cloud, admin_token, "POST", "/resource_providers", {"name": name + "-2"},
                     mv="1.22")
        assert old.status_code == 409 and "code" not in old.json()["errors"][0]
    finally:
        _write(cloud, admin_token, "DELETE", base)
    assert placement(cloud, admin_token, base).status_code == 404


def test_compute_node_provider_keeps_its_allocations(cloud, admin_token):
    hyp = next(h for h in hypervisors(cloud, admin_token) if h["running_vms"])
    base = f"/resource_providers/{hyp['id']}"
    r = _write(cloud, admin_token, "DELETE", base)
    assert r.status_code == 409
    assert r.json()["errors"][0]["code"] == "placement.resource_provider.inuse"
    gen = placement(cloud, admin_token, base).json()["generation"]
    r = _write(cloud, admin_token, "DELETE", base + "/inventories/VCPU")
    assert r.status_code == 409  # Placement codes a class deleted alone as a concurrent update
    assert r.json()["errors"][0]["code"] == "placement.concurrent_update"
    assert "in use" in r.json()["errors"][0]["detail"]
    assert placement(cloud, admin_token, base).json()["generation"] == gen
