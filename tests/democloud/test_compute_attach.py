"""Attaching ports and volumes to a running server in the demo cloud (``os-interface``,
``os-volume_attachments``): what Neutron, Cinder and the server's JSON show afterwards."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_compute import boot, call, fault, flavor_id, image_id, wait_status

__all__ = ["flavor_id", "image_id"]  # fixtures, re-exported for this module's tests


def _neutron(cloud: democloud.DemoCloud, token: str, method: str, path: str,
             **kwargs: Any) -> requests.Response:
    return requests.request(method, cloud.url + "/network/v2.0" + path, timeout=10,
                            headers={"X-Auth-Token": token}, **kwargs)


def _cinder(cloud: democloud.DemoCloud, token: str, project_id: str, method: str,
            path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{cloud.url}/volume/v3/{project_id}{path}", timeout=10,
                            headers={"X-Auth-Token": token}, **kwargs)


@pytest.fixture
def server(cloud: democloud.DemoCloud, admin_token: str, flavor_id: str,
           image_id: str | None) -> Any:
    sid = boot(cloud, admin_token, flavor_id, image_id, f"attach-{uuid.uuid4().hex[:6]}")
    yield wait_status(cloud, admin_token, sid, "ACTIVE")
    call(cloud, admin_token, "DELETE", f"/servers/{sid}")


def test_attach_and_detach_interfaces(cloud: democloud.DemoCloud, admin_token: str,
                                      server: dict[str, Any]) -> None:
    sid = server["id"]
    assert server["addresses"] == {}
    net = _neutron(cloud, admin_token, "GET", "/networks?router:external=false").json()[
        "networks"][0]
    r = call(cloud, admin_token, "POST", f"/servers/{sid}/os-interface", "2.70",
             json={"interfaceAttachment": {"net_id": net["id"], "tag": "data"}})
    assert r.status_code == 200, r.text
    made = r.json()["interfaceAttachment"]
    assert made["net_id"] == net["id"] and made["tag"] == "data" and made["fixed_ips"]
    shown = call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"]
    assert [a["addr"] for a in shown["addresses"][net["name"]]] == \
        [made["fixed_ips"][0]["ip_address"]]
    port = _neutron(cloud, admin_token, "GET", f"/ports/{made['port_id']}").json()["port"]
    assert port["device_id"] == sid and port["device_owner"].startswith("compute:")

    # a port the caller brings is kept (unbound) on detach; Nova's own is deleted
    mine = _neutron(cloud, admin_token, "POST", "/ports",
                    json={"port": {"network_id": net["id"], "name": "brought"}}).json()["port"]
    r = call(cloud, admin_token, "POST", f"/servers/{sid}/os-interface",
             json={"interfaceAttachment": {"port_id": mine["id"]}})
    assert r.status_code == 200 and "tag" not in r.json()["interfaceAttachment"]
    again = call(cloud, admin_token, "POST", f"/servers/{sid}/os-interface",
                 json={"interfaceAttachment": {"port_id": mine["id"]}})
    fault(again, "conflictingRequest", 409)
    both = call(cloud, admin_token, "POST", f"/servers/{sid}/os-interface", json={
        "interfaceAttachment": {"port_id": mine["id"], "net_id": net["id"]}})
    fault(both, "badRequest", 400)
    listed = call(cloud, admin_token, "GET", f"/servers/{sid}/os-interface").json()
    assert {i["port_id"] for i in listed["interfaceAttachments"]} == {made["port_id"],
                                                                       mine["id"]}
    for port_id in (made["port_id"], mine["id"]):
        r = call(cloud, admin_token, "DELETE", f"/servers/{sid}/os-interface/{port_id}")
        assert r.status_code == 202, r.text
    assert _neutron(cloud, admin_token, "GET", f"/ports/{made['port_id']}").status_code == 404
    kept = _neutron(cloud, admin_token, "GET", f"/ports/{mine['id']}").json()["port"]
    assert kept["device_id"] == "" and kept["fixed_ips"]
    _neutron(cloud, admin_token, "DELETE", f"/ports/{mine['id']}")
    assert call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"][
        "addresses"] == {}
    fault(call(cloud, admin_token, "DELETE", f"/servers/{sid}/os-interface/{mine['id']}"),
          "itemNotFound", 404)
    actions = call(cloud, admin_token, "GET", f"/servers/{sid}/os-instance-actions").json()
    assert {"attach_interface", "detach_interface"} <= {
        a["action"] for a in actions["instanceActions"]}


def test_attach_and_detach_volumes(cloud: democloud.DemoCloud, admin_token: str,
                                   server: dict[str, Any]) -> None:
    sid, project = server["id"], server["tenant_id"]
    vids = []
    for _ in range(2):
        r = _cinder(cloud, admin_token, project, "POST", "/volumes",
                    json={"volume": {"size": 1, "name": "attach-test"}})
        assert r.status_code == 202, r.text
        vids.append(r.json()["volume"]["id"])
    cloud.call(lambda: [cloud.store.table("volumes")[v].update(status="available")
                        for v in vids])
    try:
        for vid in vids:
            r = call(cloud, admin_token, "POST", f"/servers/{sid}/os-volume_attachments",
                     "2.79", json={"volumeAttachment": {"volumeId": vid,
                                                        "delete_on_termination": True}})
            assert r.status_code == 200, r.text
            att = r.json()["volumeAttachment"]
            assert att["volumeId"] == vid and att["serverId"] == sid and att["device"]
            assert att["delete_on_termination"] is True
        busy = call(cloud, admin_token, "POST", f"/servers/{sid}/os-volume_attachments",
                    json={"volumeAttachment": {"volumeId": vids[0]}})
        assert busy.status_code in (400, 409)
        shown = call(cloud, admin_token, "GET", f"/servers/{sid}", "2.79").json()["server"]
        assert shown["os-extended-volumes:volumes_attached"] == [
            {"id": v, "delete_on_termination": True} for v in vids]
        vol = _cinder(cloud, admin_token, project, "GET", f"/volumes/{vids[0]}").json()
        assert vol["volume"]["status"] == "in-use"
        assert vol["volume"]["attachments"][0]["server_id"] == sid

        path = f"/servers/{sid}/os-volume_attachments"
        rows = call(cloud, admin_token, "GET", path).json()["volumeAttachments"]
        assert [a["volumeId"] for a in rows] == vids
        page = call(cloud, admin_token, "GET", path, params={"limit": 1, "offset": 1})
        assert [a["volumeId"] for a in page.json()["volumeAttachments"]] == vids[1:]
        assert call(cloud, admin_token, "GET", path, params={"offset": 2}).json()[
            "volumeAttachments"] == []
        assert len(call(cloud, admin_token, "GET", path, params={"limit": 0}).json()[
            "volumeAttachments"]) == 2
        fault(call(cloud, admin_token, "GET", path, params={"limit": "x"}), "badRequest", 400)
        fault(call(cloud, admin_token, "GET", path, params={"offset": -1}), "badRequest", 400)

        r = call(cloud, admin_token, "DELETE", f"{path}/{vids[0]}")
        assert r.status_code == 202, r.text
        fault(call(cloud, admin_token, "DELETE", f"{path}/{vids[0]}"), "itemNotFound", 404)
        vol = _cinder(cloud, admin_token, project, "GET", f"/volumes/{vids[0]}").json()
        assert vol["volume"]["status"] == "available" and vol["volume"]["attachments"] == []
        shown = call(cloud, admin_token, "GET", f"/servers/{sid}").json()["server"]
        assert [v["id"] for v in shown["os-extended-volumes:volumes_attached"]] == vids[1:]
    finally:
        call(cloud, admin_token, "DELETE", f"/servers/{sid}/os-volume_attachments/{vids[1]}")
        for vid in vids:
            _cinder(cloud, admin_token, project, "DELETE", f"/volumes/{vid}")


def test_attached_servers_keep_no_simulator_keys(cloud: democloud.DemoCloud) -> None:
    keys = cloud.call(lambda: {k for rec in cloud.store.table("servers").values()
                               for k in rec})
    assert keys and not [k for k in keys if k.startswith("_")]
