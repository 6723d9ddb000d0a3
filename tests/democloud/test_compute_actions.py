"""Nova's server moves and actions in the demo cloud, over HTTP: the state machines and
their 409s, admin policy, migration records, instance actions and the hypervisors'
counters (Nova's view of placement)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_compute import boot, call, fault, flavor_id, image_id, wait_status

__all__ = ["flavor_id", "image_id"]  # fixtures, re-exported for this module's tests


def _flavor(cloud: democloud.DemoCloud, token: str, name: str) -> str:
    flavors = call(cloud, token, "GET", "/flavors").json()["flavors"]
    return next(f["id"] for f in flavors if f["name"] == name)


def _hyp(cloud: democloud.DemoCloud, token: str, name: str) -> dict[str, Any]:
    hyps = call(cloud, token, "GET", "/os-hypervisors/detail", "2.53").json()["hypervisors"]
    return next(h for h in hyps if h["hypervisor_hostname"] == name)


def _act(cloud: democloud.DemoCloud, token: str, sid: str, body: Any,
         mv: str = "2.1") -> requests.Response:
    return call(cloud, token, "POST", f"/servers/{sid}/action", mv, json=body)


def _actions(cloud: democloud.DemoCloud, token: str, sid: str) -> list[str]:
    rows = call(cloud, token, "GET", f"/servers/{sid}/os-instance-actions").json()
    return [a["action"] for a in rows["instanceActions"]]


def _migrations(cloud: democloud.DemoCloud, token: str, sid: str) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = call(cloud, token, "GET",
                                     f"/os-migrations?instance_uuid={sid}",
                                     "2.80").json()["migrations"]
    return got


@pytest.fixture
def server(cloud: democloud.DemoCloud, member_token: str, admin_token: str, flavor_id: str,
           image_id: str | None) -> Iterator[dict[str, Any]]:
    """A member's ACTIVE m1.tiny server, as its admin sees it."""
    sid = boot(cloud, member_token, flavor_id, image_id, f"act-{uuid.uuid4().hex[:6]}")
    yield wait_status(cloud, admin_token, sid, "ACTIVE")
    call(cloud, admin_token, "DELETE", f"/servers/{sid}")


def test_resize_confirm(cloud: democloud.DemoCloud, member_token: str, admin_token: str,
                        server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    before = _hyp(cloud, admin_token, source)
    small = _flavor(cloud, admin_token, "m1.small")
    msg = fault(_act(cloud, member_token, sid, {"confirmResize": None}), "conflictingRequest",
                409)
    assert msg == f"Cannot 'confirmResize' instance {sid} while it is in vm_state active"
    r = _act(cloud, member_token, sid, {"resize": {"flavorRef": small}})
    assert r.status_code == 202, r.text
    shown = call(cloud, member_token, "GET", f"/servers/{sid}").json()["server"]
    assert shown["status"] == "RESIZE"
    msg = fault(_act(cloud, member_token, sid, {"resize": {"flavorRef": small}}),
                "conflictingRequest", 409)
    assert "while it is in task_state resize_prep" in msg
    resized = wait_status(cloud, admin_token, sid, "VERIFY_RESIZE")
    dest = resized["OS-EXT-SRV-ATTR:host"]
    assert dest != source and resized["flavor"]["original_name"] == "m1.small"
    [m] = [m for m in _migrations(cloud, admin_token, sid) if m["migration_type"] == "resize"]
    assert (m["status"], m["source_compute"], m["dest_compute"]) == ("finished", source, dest)
    assert _hyp(cloud, admin_token, source)["vcpus_used"] == before["vcpus_used"]
    r = _act(cloud, member_token, sid, {"confirmResize": None})
    assert r.status_code == 204, r.text
    assert wait_status(cloud, member_token, sid, "ACTIVE")["flavor"]["original_name"] == \
        "m1.small"
    after = _hyp(cloud, admin_token, source)
    assert after["vcpus_used"] == before["vcpus_used"] - 1
    assert after["running_vms"] == before["running_vms"] - 1
    assert _migrations(cloud, admin_token, sid)[0]["status"] == "confirmed"
    assert _actions(cloud, member_token, sid)[:2] == ["confirmResize", "resize"]


def test_resize_revert_restores_host_and_flavor(cloud: democloud.DemoCloud,
                                                member_token: str, admin_token: str,
                                                server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    r = _act(cloud, member_token, sid, {"resize": {"flavorRef": _flavor(
        cloud, admin_token, "m1.medium")}})
    assert r.status_code == 202, r.text
    dest = wait_status(cloud, member_token, sid, "VERIFY_RESIZE", 10)
    dest_name = call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"][
        "OS-EXT-SRV-ATTR:host"]
    held = _hyp(cloud, admin_token, dest_name)["vcpus_used"]
    assert dest["flavor"]["original_name"] == "m1.medium"
    r = _act(cloud, member_token, sid, {"revertResize": None})
    assert r.status_code == 202, r.text
    assert call(cloud, member_token, "GET", f"/servers/{sid}").json()["server"][
        "status"] == "REVERT_RESIZE"
    back = wait_status(cloud, admin_token, sid, "ACTIVE")
    assert back["OS-EXT-SRV-ATTR:host"] == source
    assert back["flavor"]["original_name"] == "m1.tiny"
    assert _hyp(cloud, admin_token, dest_name)["vcpus_used"] == held - 2
    assert _migrations(cloud, admin_token, sid)[0]["status"] == "reverted"


def test_resize_refusals(cloud: democloud.DemoCloud, member_token: str,
                         server: dict[str, Any], flavor_id: str) -> None:
    sid = server["id"]
    msg = fault(_act(cloud, member_token, sid, {"resize": {"flavorRef": flavor_id}}),
                "badRequest", 400)
    assert msg == "When resizing, instances must change flavor!"
    fault(_act(cloud, member_token, sid, {"resize": {"flavorRef": "nope"}}), "badRequest", 400)
    fault(_act(cloud, member_token, sid, {"resize": {}}), "badRequest", 400)
    fault(_act(cloud, member_token, sid, {"revertResize": None}), "conflictingRequest", 409)


def test_cold_migrate_is_admin_only(cloud: democloud.DemoCloud, member_token: str,
                                    admin_token: str, server: dict[str, Any]) -> None:
    sid = server["id"]
    fault(_act(cloud, member_token, sid, {"migrate": None}), "forbidden", 403)
    msg = fault(_act(cloud, admin_token, sid, {"migrate": {"host": "nowhere"}}, "2.56"),
                "badRequest", 400)
    assert msg == "Compute host nowhere could not be found."
    r = _act(cloud, admin_token, sid, {"migrate": None})
    assert r.status_code == 202, r.text
    moved = wait_status(cloud, admin_token, sid, "VERIFY_RESIZE")
    assert moved["OS-EXT-SRV-ATTR:host"] != server["OS-EXT-SRV-ATTR:host"]
    assert moved["flavor"]["original_name"] == "m1.tiny"
    assert _migrations(cloud, admin_token, sid)[0]["migration_type"] == "migration"
    assert _act(cloud, admin_token, sid, {"confirmResize": None}).status_code == 204


def test_live_migration_runs_then_lands(cloud: democloud.DemoCloud, member_token: str,
                                        admin_token: str, server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    fault(_act(cloud, member_token, sid, body, "2.68"), "forbidden", 403)
    r = _act(cloud, admin_token, sid, body, "2.68")
    assert r.status_code == 202, r.text
    assert call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"]["status"] == \
        "MIGRATING"
    running = call(cloud, admin_token, "GET", f"/servers/{sid}/migrations", "2.80").json()
    [m] = running["migrations"]
    assert m["status"] == "running" and m["server_uuid"] == sid and m["uuid"]
    one = call(cloud, admin_token, "GET", f"/servers/{sid}/migrations/{m['id']}", "2.80")
    assert one.json()["migration"]["dest_compute"] == m["dest_compute"]
    fault(call(cloud, member_token, "GET", f"/servers/{sid}/migrations", "2.80"),
          "forbidden", 403)
    r = call(cloud, admin_token, "POST", f"/servers/{sid}/migrations/{m['id']}/action",
             "2.22", json={"force_complete": None})
    assert r.status_code == 202, r.text
    landed = wait_status(cloud, admin_token, sid, "ACTIVE")
    assert landed["OS-EXT-SRV-ATTR:host"] == m["dest_compute"] != source
    assert _migrations(cloud, admin_token, sid)[0]["status"] == "completed"
    assert call(cloud, admin_token, "GET", f"/servers/{sid}/migrations",
                "2.80").json()["migrations"] == []
    assert "live-migration" in _actions(cloud, admin_token, sid)


def test_live_migration_abort(cloud: democloud.DemoCloud, admin_token: str,
                              server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    r = _act(cloud, admin_token, sid, {"os-migrateLive": {"host": None,
                                                          "block_migration": False}}, "2.25")
    assert r.status_code == 202, r.text
    [m] = call(cloud, admin_token, "GET", f"/servers/{sid}/migrations",
               "2.24").json()["migrations"]
    held = _hyp(cloud, admin_token, m["dest_compute"])["vcpus_used"]
    r = call(cloud, admin_token, "DELETE", f"/servers/{sid}/migrations/{m['id']}", "2.24")
    assert r.status_code == 202, r.text
    back = wait_status(cloud, admin_token, sid, "ACTIVE")
    assert back["OS-EXT-SRV-ATTR:host"] == source
    assert _hyp(cloud, admin_token, m["dest_compute"])["vcpus_used"] == held - 1
    assert _migrations(cloud, admin_token, sid)[0]["status"] == "cancelled"
    fault(call(cloud, admin_token, "DELETE", f"/servers/{sid}/migrations/{m['id']}", "2.24"),
          "conflictingRequest", 409)


def test_evacuate_only_from_a_down_host(cloud: democloud.DemoCloud, member_token: str,
                                        admin_token: str, server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    fault(_act(cloud, member_token, sid, {"evacuate": {}}, "2.68"), "forbidden", 403)
    msg = fault(_act(cloud, admin_token, sid, {"evacuate": {}}, "2.68"), "badRequest", 400)
    assert msg == f"Compute service of {source} is still in use."
    svc = next(s for s in call(cloud, admin_token, "GET", "/os-services", "2.53",
                               params={"binary": "nova-compute", "host": source}).json()[
        "services"])
    before = _hyp(cloud, admin_token, source)["vcpus_used"]
    r = call(cloud, admin_token, "PUT", f"/os-services/{svc['id']}", "2.53",
             json={"forced_down": True})
    assert r.status_code == 200, r.text
    try:
        r = _act(cloud, admin_token, sid, {"evacuate": {}}, "2.68")
        assert r.status_code == 200, r.text
        assert not r.content  # 2.14+: no adminPass
        assert call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"][
            "status"] == "REBUILD"
        landed = wait_status(cloud, admin_token, sid, "ACTIVE")
        assert landed["OS-EXT-SRV-ATTR:host"] != source
        assert _hyp(cloud, admin_token, source)["vcpus_used"] == before - 1
        m = _migrations(cloud, admin_token, sid)[0]
        assert (m["migration_type"], m["status"]) == ("evacuation", "done")
    finally:
        call(cloud, admin_token, "PUT", f"/os-services/{svc['id']}", "2.53",
             json={"forced_down": False})


def test_shelve_offloads_and_unshelve_schedules(cloud: democloud.DemoCloud,
                                                member_token: str, admin_token: str,
                                                server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    before = _hyp(cloud, admin_token, source)
    fault(_act(cloud, member_token, sid, {"unshelve": None}), "conflictingRequest", 409)
    assert _act(cloud, member_token, sid, {"shelve": None}).status_code == 202
    shelved = wait_status(cloud, member_token, sid, "SHELVED_OFFLOADED")
    assert shelved["OS-EXT-STS:power_state"] == 4
    admin_view = call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"]
    assert admin_view["OS-EXT-SRV-ATTR:host"] is None and admin_view["hostId"] == ""
    freed = _hyp(cloud, admin_token, source)
    assert freed["vcpus_used"] == before["vcpus_used"] - 1
    assert freed["running_vms"] == before["running_vms"] - 1
    assert _act(cloud, member_token, sid, {"unshelve": None}).status_code == 202
    back = wait_status(cloud, admin_token, sid, "ACTIVE")
    assert back["OS-EXT-SRV-ATTR:host"]
    assert _actions(cloud, member_token, sid)[:2] == ["unshelve", "shelve"]


def test_shelve_offload_later_is_admin_only(cloud: democloud.DemoCloud, member_token: str,
                                            admin_token: str,
                                            server: dict[str, Any]) -> None:
    sid = server["id"]
    cloud.call(lambda: cloud.store.meta.__setitem__("nova_shelved_offload_time", -1))
    try:
        assert _act(cloud, member_token, sid, {"shelve": None}).status_code == 202
        assert wait_status(cloud, member_token, sid, "SHELVED")["OS-EXT-STS:vm_state"] == \
            "shelved"
    finally:
        cloud.call(lambda: cloud.store.meta.pop("nova_shelved_offload_time"))
    fault(_act(cloud, member_token, sid, {"shelveOffload": None}), "forbidden", 403)
    assert _act(cloud, admin_token, sid, {"shelveOffload": None}).status_code == 202
    assert call(cloud, member_token, "GET", f"/servers/{sid}").json()["server"]["status"] == \
        "SHELVED_OFFLOADED"
    fault(_act(cloud, admin_token, sid, {"shelveOffload": None}), "conflictingRequest", 409)


def test_rebuild(cloud: democloud.DemoCloud, member_token: str, server: dict[str, Any],
                 image_id: str | None) -> None:
    if image_id is None:
        pytest.skip("no public image in the world")
    sid = server["id"]
    fault(_act(cloud, member_token, sid, {"rebuild": {"imageRef": str(uuid.uuid4())}}),
          "badRequest", 400)
    r = _act(cloud, member_token, sid, {"rebuild": {"imageRef": image_id, "name": "reborn",
                                                    "adminPass": "s3cret"}})
    assert r.status_code == 202, r.text
    doc = r.json()["server"]
    assert doc["status"] == "REBUILD" and doc["adminPass"] == "s3cret"
    assert doc["name"] == "reborn" and doc["image"]["id"] == image_id
    wait_status(cloud, member_token, sid, "ACTIVE")
    assert _actions(cloud, member_token, sid)[0] == "rebuild"


def test_create_image_and_backup(cloud: democloud.DemoCloud, member_token: str,
                                 server: dict[str, Any]) -> None:
    sid = server["id"]
    r = _act(cloud, member_token, sid, {"createImage": {"name": "snap"}}, "2.45")
    assert r.status_code == 202, r.text
    assert uuid.UUID(r.json()["image_id"])
    r = _act(cloud, member_token, sid, {"createImage": {"name": "snap-old"}})
    assert r.status_code == 202 and "/images/" in r.headers["Location"]
    fault(_act(cloud, member_token, sid, {"createBackup": {
        "name": "b", "backup_type": "daily", "rotation": -1}}), "badRequest", 400)
    r = _act(cloud, member_token, sid, {"createBackup": {
        "name": "b", "backup_type": "daily", "rotation": 2}}, "2.45")
    assert r.status_code == 202 and r.json()["image_id"]
    assert _actions(cloud, member_token, sid)[:2] == ["createBackup", "createImage"]


def test_create_image_lands_in_glance(cloud: democloud.DemoCloud, member_token: str,
                                      server: dict[str, Any]) -> None:
    r = _act(cloud, member_token, server["id"], {"createImage": {"name": "snap"}}, "2.45")
    image = requests.get(f"{cloud.url}/image/v2/images/{r.json()['image_id']}", timeout=10,
                         headers={"X-Auth-Token": member_token})
    assert image.status_code == 200 and image.json()["instance_uuid"] == server["id"]


def test_backups_rotate_in_glance(cloud: democloud.DemoCloud, member_token: str,
                                  server: dict[str, Any]) -> None:
    """createBackup keeps the newest ``rotation`` backups of its type (Nova's rotation),
    other types and snapshots untouched."""
    sid = server["id"]
    made = []
    for n, kind in enumerate(("daily", "daily", "weekly", "daily")):
        r = _act(cloud, member_token, sid, {"createBackup": {
            "name": f"b{n}", "backup_type": kind, "rotation": 2}}, "2.45")
        assert r.status_code == 202, r.text
        made.append(r.json()["image_id"])
    images = requests.get(f"{cloud.url}/image/v2/images?limit=1000", timeout=10,
                          headers={"X-Auth-Token": member_token}).json()["images"]
    mine = {i["id"]: i for i in images if i.get("instance_uuid") == sid}
    assert made[0] not in mine  # the oldest daily rotated out
    assert {made[1], made[2], made[3]} <= set(mine)
    assert mine[made[2]]["backup_type"] == "weekly" and mine[made[3]]["image_type"] == "backup"


def test_rescue_and_unrescue(cloud: democloud.DemoCloud, member_token: str,
                             server: dict[str, Any]) -> None:
    sid = server["id"]
    fault(_act(cloud, member_token, sid, {"unrescue": None}), "conflictingRequest", 409)
    r = _act(cloud, member_token, sid, {"rescue": {"adminPass": "pw"}})
    assert r.status_code == 200 and r.json() == {"adminPass": "pw"}
    assert wait_status(cloud, member_token, sid, "RESCUE")
    assert _act(cloud, member_token, sid, {"unrescue": None}).status_code == 202
    wait_status(cloud, member_token, sid, "ACTIVE")


def test_soft_delete_restore_force_delete(cloud: democloud.DemoCloud, member_token: str,
                                          admin_token: str,
                                          server: dict[str, Any]) -> None:
    sid = server["id"]
    fault(_act(cloud, member_token, sid, {"restore": None}), "conflictingRequest", 409)
    cloud.call(lambda: cloud.store.meta.__setitem__("nova_reclaim_instance_interval", 60))
    try:
        assert call(cloud, member_token, "DELETE", f"/servers/{sid}").status_code == 204
        assert wait_status(cloud, member_token, sid, "SOFT_DELETED")
        assert _act(cloud, member_token, sid, {"restore": None}).status_code == 202
        wait_status(cloud, member_token, sid, "ACTIVE")
        assert call(cloud, member_token, "DELETE", f"/servers/{sid}").status_code == 204
        assert _act(cloud, member_token, sid, {"forceDelete": None}).status_code == 202
    finally:
        cloud.call(lambda: cloud.store.meta.pop("nova_reclaim_instance_interval"))
    fault(call(cloud, member_token, "GET", f"/servers/{sid}"), "itemNotFound", 404)


def test_password_state_and_crash_dump(cloud: democloud.DemoCloud, member_token: str,
                                       admin_token: str, server: dict[str, Any]) -> None:
    sid = server["id"]
    assert _act(cloud, member_token, sid, {"changePassword": {"adminPass": "n3w"}}
                ).status_code == 202
    fault(_act(cloud, member_token, sid, {"changePassword": {}}), "badRequest", 400)
    fault(_act(cloud, member_token, sid, {"trigger_crash_dump": None}), "itemNotFound", 404)
    assert _act(cloud, member_token, sid, {"trigger_crash_dump": None}, "2.17"
                ).status_code == 202
    fault(_act(cloud, member_token, sid, {"os-resetState": {"state": "error"}}),
          "forbidden", 403)
    fault(_act(cloud, admin_token, sid, {"os-resetState": {"state": "bogus"}}),
          "badRequest", 400)
    assert _act(cloud, admin_token, sid, {"os-resetState": {"state": "error"}}
                ).status_code == 202
    assert wait_status(cloud, member_token, sid, "ERROR")
    fault(_act(cloud, member_token, sid, {"changePassword": {"adminPass": "x"}}),
          "conflictingRequest", 409)
    assert _act(cloud, admin_token, sid, {"os-resetState": {"state": "active"}}
                ).status_code == 202
    actions = _actions(cloud, member_token, sid)
    assert actions[:3] == ["resetState", "resetState", "trigger_crash_dump"]
    fault(_act(cloud, member_token, sid, {"injectNetworkInfo": None}), "forbidden", 403)
    assert _act(cloud, admin_token, sid, {"injectNetworkInfo": None}).status_code == 202
    fault(_act(cloud, admin_token, sid, {"resetNetwork": None}), "computeFault", 410)


def test_consoles(cloud: democloud.DemoCloud, member_token: str, admin_token: str,
                  server: dict[str, Any]) -> None:
    sid = server["id"]
    r = _act(cloud, member_token, sid, {"os-getConsoleOutput": {"length": 3}})
    assert r.status_code == 200 and len(r.json()["output"].split("\n")) == 3
    assert r.json()["output"].endswith("login: ")
    r = call(cloud, member_token, "POST", f"/servers/{sid}/remote-consoles", "2.6",
             json={"remote_console": {"protocol": "vnc", "type": "novnc"}})
    assert r.status_code == 200, r.text
    console = r.json()["remote_console"]
    token = console["url"].rsplit("%3D", 1)[-1]
    fault(call(cloud, member_token, "GET", f"/os-console-auth-tokens/{token}", "2.31"),
          "forbidden", 403)
    info = call(cloud, admin_token, "GET", f"/os-console-auth-tokens/{token}", "2.31").json()
    assert info["console"]["instance_uuid"] == sid and info["console"]["port"] >= 5900
    fault(call(cloud, admin_token, "GET", f"/os-console-auth-tokens/{uuid.uuid4()}", "2.31"),
          "itemNotFound", 404)
    msg = fault(call(cloud, member_token, "POST", f"/servers/{sid}/remote-consoles", "2.6",
                     json={"remote_console": {"protocol": "rdp", "type": "rdp-html5"}}),
                "badRequest", 400)
    assert msg == "Unavailable console type rdp-html5."
    r = _act(cloud, member_token, sid, {"os-getVNCConsole": {"type": "novnc"}})
    assert r.status_code == 200 and r.json()["console"]["type"] == "novnc"


def test_diagnostics_password_topology_security_groups(
        cloud: democloud.DemoCloud, member_token: str, admin_token: str,
        server: dict[str, Any]) -> None:
    sid = server["id"]
    fault(call(cloud, member_token, "GET", f"/servers/{sid}/diagnostics"), "forbidden", 403)
    diag = call(cloud, admin_token, "GET", f"/servers/{sid}/diagnostics", "2.48").json()
    assert diag["num_cpus"] == 1 and diag["memory_details"]["maximum"] == 512 * 1024
    assert diag["state"] == "running" and diag["driver"] == "libvirt"
    assert call(cloud, member_token, "GET", f"/servers/{sid}/os-server-password").json() == \
        {"password": ""}
    assert call(cloud, member_token, "DELETE", f"/servers/{sid}/os-server-password"
                ).status_code == 204
    fault(call(cloud, member_token, "GET", f"/servers/{sid}/topology", "2.77"),
          "itemNotFound", 404)
    assert call(cloud, member_token, "GET", f"/servers/{sid}/topology", "2.78").json() == \
        {"nodes": [], "pagesize_kb": None}
    groups = call(cloud, member_token, "GET", f"/servers/{sid}/os-security-groups").json()
    assert groups == {"security_groups": []}  # booted with networks "none": no ports


def test_security_groups_of_a_seeded_server(cloud: democloud.DemoCloud,
                                            admin_token: str) -> None:
    servers = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1").json()[
        "servers"]
    sid = next(s["id"] for s in servers if s["addresses"])
    groups = call(cloud, admin_token, "GET", f"/servers/{sid}/os-security-groups").json()[
        "security_groups"]
    assert groups and {"id", "name", "rules", "tenant_id", "description"} <= set(groups[0])


def test_placement_follows_a_resize(cloud: democloud.DemoCloud, member_token: str,
                                    admin_token: str, server: dict[str, Any]) -> None:
    sid = server["id"]
    _act(cloud, member_token, sid, {"resize": {"flavorRef": _flavor(cloud, admin_token,
                                                                     "m1.small")}})
    wait_status(cloud, member_token, sid, "VERIFY_RESIZE")
    got = requests.get(f"{cloud.url}/placement/allocations/{sid}", timeout=10, headers={
        "X-Auth-Token": admin_token, "OpenStack-API-Version": "placement 1.28"}).json()
    [(_, alloc)] = got["allocations"].items()
    assert alloc["resources"]["VCPU"] == 1 and alloc["resources"]["MEMORY_MB"] == 2048
    mig = _migrations(cloud, admin_token, sid)[0]["uuid"]
    old = requests.get(f"{cloud.url}/placement/allocations/{mig}", timeout=10, headers={
        "X-Auth-Token": admin_token}).json()
    assert [a["resources"]["MEMORY_MB"] for a in old["allocations"].values()] == [512]


def _placement_used(cloud: democloud.DemoCloud, token: str, host: str) -> dict[str, int]:
    hdr = {"X-Auth-Token": token, "OpenStack-API-Version": "placement 1.14"}
    rps = requests.get(f"{cloud.url}/placement/resource_providers?name={host}", timeout=10,
                       headers=hdr).json()["resource_providers"]
    got: dict[str, int] = requests.get(
        f"{cloud.url}/placement/resource_providers/{rps[0]['uuid']}/usages", timeout=10,
        headers=hdr).json()["usages"]
    return got


def test_placement_and_nova_agree_through_resize_and_confirm(
        cloud: democloud.DemoCloud, member_token: str, admin_token: str,
        server: dict[str, Any]) -> None:
    """Each step of a resize leaves Placement's usages equal to Nova's counters, on both
    hosts: the migration holds the old flavor on the source until the confirm frees it."""
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    _act(cloud, member_token, sid, {"resize": {"flavorRef": _flavor(cloud, admin_token,
                                                                     "m1.small")}})
    dest = wait_status(cloud, admin_token, sid, "VERIFY_RESIZE")["OS-EXT-SRV-ATTR:host"]
    for step in ("VERIFY_RESIZE", "ACTIVE"):
        for host in {source, dest}:
            nova = _hyp(cloud, admin_token, host)
            used = _placement_used(cloud, admin_token, host)
            assert used.get("VCPU", 0) == nova["vcpus_used"], (step, host)
            assert used.get("MEMORY_MB", 0) == nova["memory_mb_used"] - 512, (step, host)
        if step == "VERIFY_RESIZE":
            assert _act(cloud, member_token, sid, {"confirmResize": None}).status_code == 204
            wait_status(cloud, member_token, sid, "ACTIVE")


def test_deleting_a_resized_server_frees_both_hosts(cloud: democloud.DemoCloud,
                                                    member_token: str, admin_token: str,
                                                    server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    _act(cloud, member_token, sid, {"resize": {"flavorRef": _flavor(cloud, admin_token,
                                                                     "m1.small")}})
    dest = wait_status(cloud, admin_token, sid, "VERIFY_RESIZE")["OS-EXT-SRV-ATTR:host"]
    held = {h: _hyp(cloud, admin_token, h) for h in (source, dest)}
    assert call(cloud, member_token, "DELETE", f"/servers/{sid}").status_code == 204
    for host in (source, dest):
        freed = _hyp(cloud, admin_token, host)
        assert freed["vcpus_used"] == held[host]["vcpus_used"] - 1, host
        assert freed["running_vms"] == held[host]["running_vms"] - 1, host
    assert _hyp(cloud, admin_token, dest)["memory_mb_used"] == \
        held[dest]["memory_mb_used"] - 2048


def test_a_windows_guest_posted_its_password(cloud: democloud.DemoCloud,
                                             admin_token: str) -> None:
    servers = call(cloud, admin_token, "GET", "/servers/detail?all_tenants=1",
                   "2.98").json()["servers"]
    windows = [s["id"] for s in servers if isinstance(s["image"], dict)
               and s["image"].get("properties", {}).get("os_type") == "windows"]
    if not windows:
        pytest.skip("no Windows server in this world")
    path = f"/servers/{windows[0]}/os-server-password"
    posted = call(cloud, admin_token, "GET", path).json()["password"]
    assert len(base64.b64decode(posted)) == 256
    assert call(cloud, admin_token, "DELETE", path).status_code == 204
    assert call(cloud, admin_token, "GET", path).json() == {"password": ""}
