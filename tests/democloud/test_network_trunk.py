"""Neutron trunks in the demo cloud over HTTP: subports tagged by VLAN, owned by their
trunk, shown on the parent port; the 409s that keep ports and trunks consistent."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api, _cli


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture()
def ports(member: Api) -> Any:
    """A parent and three would-be subports on two of the member's networks."""
    made: list[dict[str, Any]] = []
    nets = []
    for i in range(2):
        net = member.call("POST", "/networks", {"network": {"name": f"trunk-net-{i}"}},
                          expect=201)["network"]
        member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                    "cidr": f"10.24{i}.0.0/24"}}, expect=201)
        nets.append(net)
    for i in range(4):
        made.append(member.call("POST", "/ports", {"port": {
            "network_id": nets[min(i, 1)]["id"], "name": f"trunk-port-{i}"}},
            expect=201)["port"])
    yield made
    for port in made:
        member.call("DELETE", f"/ports/{port['id']}")
    for net in nets:
        member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_seeded_trunk(admin: Api) -> None:
    trunks = admin.get("/trunks")["trunks"]
    assert trunks and trunks[0]["sub_ports"] == [] and trunks[0]["status"] == "DOWN"
    parent = admin.get(f"/ports/{trunks[0]['port_id']}")["port"]
    assert parent["trunk_details"] == {"trunk_id": trunks[0]["id"], "sub_ports": []}
    assert set(trunks[0]) == {"id", "name", "description", "project_id", "tenant_id", "tags",
                              "created_at", "updated_at", "revision_number",
                              "admin_state_up", "port_id", "status", "sub_ports"}


def test_subports_lifecycle(member: Api, ports: list[dict[str, Any]]) -> None:
    parent, a, b, c = ports
    trunk = member.call("POST", "/trunks", {"trunk": {
        "port_id": parent["id"], "name": "t1", "sub_ports": [
            {"port_id": a["id"], "segmentation_type": "vlan", "segmentation_id": 101}]}},
        expect=201)["trunk"]
    assert trunk["sub_ports"] == [{"segmentation_type": "vlan", "port_id": a["id"],
                                   "segmentation_id": 101}]
    sub = member.get(f"/ports/{a['id']}")["port"]
    assert sub["device_owner"] == "trunk:subport" and sub["device_id"] == trunk["id"]
    grown = member.call("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": b["id"], "segmentation_type": "vlan", "segmentation_id": "102"}]},
        expect=200)
    assert [s["segmentation_id"] for s in grown["sub_ports"]] == [101, 102]
    assert grown["revision_number"] > trunk["revision_number"]
    details = member.get(f"/ports/{parent['id']}")["port"]["trunk_details"]
    assert details["trunk_id"] == trunk["id"]
    assert {s["port_id"]: s["mac_address"] for s in details["sub_ports"]} == {
        a["id"]: a["mac_address"], b["id"]: b["mac_address"]}
    listed = member.get(f"/trunks/{trunk['id']}/get_subports")["sub_ports"]
    assert listed == grown["sub_ports"]
    # The refusals.
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": c["id"], "segmentation_type": "vlan", "segmentation_id": 101}]}, 409,
        "DuplicateSubPort")
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": a["id"], "segmentation_type": "vlan", "segmentation_id": 103}]}, 409,
        "PortInUseAsSubPort")
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": c["id"], "segmentation_type": "vlan", "segmentation_id": 4095}]}, 400,
        "InvalidInput")
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": parent["id"], "segmentation_type": "vlan", "segmentation_id": 9}]}, 409,
        "PortInUseAsTrunkParent")
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": str(uuid.uuid4()), "segmentation_id": 9}]}, 404, "PortNotFound")
    other = member.call("POST", "/trunks", {"trunk": {"port_id": c["id"]}},
                        expect=201)["trunk"]
    member.error("PUT", f"/trunks/{trunk['id']}/add_subports", {"sub_ports": [
        {"port_id": c["id"], "segmentation_type": "vlan", "segmentation_id": 9}]}, 409,
        "PortInUseAsTrunkParent")
    member.call("DELETE", f"/trunks/{other['id']}", expect=204)
    member.error("POST", "/trunks", {"trunk": {"port_id": parent["id"]}}, 409,
                 "TrunkPortInUse")
    member.error("DELETE", f"/ports/{parent['id']}", None, 409, "PortInUseAsTrunkParent")
    member.error("DELETE", f"/ports/{a['id']}", None, 409, "PortInUseAsSubPort")
    member.error("PUT", f"/trunks/{trunk['id']}/remove_subports", {"sub_ports": [
        {"port_id": c["id"]}]}, 404, "SubPortNotFound")
    shrunk = member.call("PUT", f"/trunks/{trunk['id']}/remove_subports", {"sub_ports": [
        {"port_id": a["id"]}]}, expect=200)
    assert [s["port_id"] for s in shrunk["sub_ports"]] == [b["id"]]
    freed = member.get(f"/ports/{a['id']}")["port"]
    assert freed["device_owner"] == "" and freed["device_id"] == ""
    renamed = member.call("PUT", f"/trunks/{trunk['id']}", {"trunk": {"name": "t2"}},
                          expect=200)["trunk"]
    assert renamed["name"] == "t2"
    member.error("PUT", f"/trunks/{trunk['id']}", {"trunk": {"port_id": c["id"]}}, 400,
                 "HTTPBadRequest")
    assert member.get("/trunks", name="t2")["trunks"][0]["id"] == trunk["id"]
    member.call("DELETE", f"/trunks/{trunk['id']}", expect=204)
    assert member.get(f"/ports/{b['id']}")["port"]["device_owner"] == ""
    assert "trunk_details" not in member.get(f"/ports/{parent['id']}")["port"]


def test_a_bound_trunk_stays_and_others_may_not_touch(admin: Api, member: Api,
                                                      ports: list[dict[str, Any]]) -> None:
    parent = ports[0]
    trunk = member.call("POST", "/trunks", {"trunk": {"port_id": parent["id"]}},
                        expect=201)["trunk"]
    admin.call("PUT", f"/ports/{parent['id']}", {"port": {
        "device_owner": "compute:nova", "device_id": str(uuid.uuid4())}}, expect=200)
    member.error("DELETE", f"/trunks/{trunk['id']}", None, 409, "TrunkInUse")
    admin.call("PUT", f"/ports/{parent['id']}", {"port": {"device_owner": "",
                                                         "device_id": ""}}, expect=200)
    others = [t for t in admin.get("/trunks")["trunks"] if t["project_id"] !=
              trunk["project_id"]]
    assert others
    member.error("GET", f"/trunks/{others[0]['id']}", None, 404, "TrunkNotFound")
    member.error("PUT", f"/trunks/{others[0]['id']}/add_subports", {"sub_ports": []}, 404,
                 "TrunkNotFound")
    assert others[0]["id"] not in {t["id"] for t in member.get("/trunks")["trunks"]}
    member.call("DELETE", f"/trunks/{trunk['id']}", expect=204)


def test_cli_network_trunk(os_config: Path, member: Api, ports: list[dict[str, Any]]) -> None:
    parent, a = ports[0], ports[1]
    made = _cli("network", "trunk", "create", "--parent-port", parent["id"], "--subport",
                f"port={a['id']},segmentation-type=vlan,segmentation-id=200", "cli-trunk")
    try:
        assert made["name"] == "cli-trunk" and made["port_id"] == parent["id"]
        shown = _cli("network", "subport", "list", "--trunk", "cli-trunk")
        assert [(s["Port"], s["Segmentation ID"]) for s in shown] == [(a["id"], 200)]
        assert "cli-trunk" in {t["Name"] for t in _cli("network", "trunk", "list")}
    finally:
        subprocess.run([str(Path(sys.executable).parent / "openstack"), "--os-cloud", "demo",
                        "network", "trunk", "delete", "cli-trunk"], check=True, timeout=60,
                       capture_output=True)
    assert member.get(f"/ports/{a['id']}")["port"]["device_owner"] == ""
