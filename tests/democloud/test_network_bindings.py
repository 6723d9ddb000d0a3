"""Neutron port bindings in the demo cloud over HTTP: a live migration's inactive binding
on the destination, activated there; an admin's API."""

from __future__ import annotations

from typing import Any

import pytest

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture()
def port(member: Api) -> Any:
    net = member.get("/networks", name="shared-services")["networks"][0]
    made = member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                       expect=201)["port"]
    yield made
    member.call("DELETE", f"/ports/{made['id']}", expect=204)


def test_bound_ports_list_their_active_binding(admin: Api) -> None:
    bound = next(p for p in admin.get("/ports", device_owner="network:dhcp")["ports"]
                 if p["binding:host_id"])
    bindings = admin.get(f"/ports/{bound['id']}/bindings")["bindings"]
    assert bindings == [{"host": bound["binding:host_id"], "vif_type": "ovs",
                         "vnic_type": "normal", "status": "ACTIVE",
                         "profile": bindings[0]["profile"],
                         "vif_details": bindings[0]["vif_details"]}]
    # the openvswitch mechanism driver's details, as Neutron 29 binds them; the port's own
    # also name the driver that bound it
    ovs = {"bridge_name": "br-int", "connectivity": "l2", "datapath_type": "system",
           "ovs_create_tap": False, "ovs_hybrid_plug": False, "port_filter": True}
    assert bindings[0]["vif_details"] == ovs
    assert bound["binding:vif_details"] == {**ovs, "bound_drivers": {"0": "openvswitch"}}


def test_a_port_bound_by_update_shows_the_drivers_details(admin: Api,
                                                           port: dict[str, Any]) -> None:
    assert admin.get(f"/ports/{port['id']}")["port"]["binding:vif_details"] == {}
    bound = admin.call("PUT", f"/ports/{port['id']}", {"port": {
        "binding:host_id": "compute-01"}}, expect=200)["port"]
    assert bound["binding:vif_type"] == "ovs"
    assert bound["binding:vif_details"]["bound_drivers"] == {"0": "openvswitch"}
    assert admin.get(f"/ports/{port['id']}/bindings")["bindings"][0]["vif_details"][
        "ovs_create_tap"] is False
    unbound = admin.call("PUT", f"/ports/{port['id']}", {"port": {"binding:host_id": ""}},
                         expect=200)["port"]
    assert unbound["binding:vif_type"] == "unbound" and unbound["binding:vif_details"] == {}


def test_migration_binds_then_activates(admin: Api, member: Api, port: dict[str, Any]) -> None:
    base = f"/ports/{port['id']}/bindings"
    assert admin.get(base)["bindings"] == []
    member.error("GET", base, None, 403, "PolicyNotAuthorized")
    member.error("POST", base, {"binding": {"host": "compute-01"}}, 403,
                 "PolicyNotAuthorized")
    first = admin.call("POST", base, {"binding": {"host": "compute-01"}},
                       expect=201)["binding"]
    assert first["status"] == "ACTIVE"
    assert admin.get(f"/ports/{port['id']}")["port"]["binding:vif_details"][
        "bound_drivers"] == {"0": "openvswitch"}
    assert admin.get(f"/ports/{port['id']}")["port"]["binding:host_id"] == "compute-01"
    admin.error("POST", base, {"binding": {"host": "compute-01"}}, 409,
                "PortBindingAlreadyExists")
    admin.error("POST", base, {"binding": {}}, 400, "HTTPBadRequest")
    second = admin.call("POST", base + "/", {"binding": {"host": "compute-02"}},
                        expect=201)["binding"]
    assert second["status"] == "INACTIVE"
    assert admin.get(base, status="INACTIVE")["bindings"] == [second]
    admin.error("PUT", f"{base}/compute-01/activate", None, 409, "PortBindingAlreadyActive")
    admin.error("PUT", f"{base}/compute-09/activate", None, 404, "PortBindingNotFound")
    active = admin.call("PUT", f"{base}/compute-02/activate", expect=200)["binding"]
    assert active["host"] == "compute-02" and active["status"] == "ACTIVE"
    assert admin.get(f"/ports/{port['id']}")["port"]["binding:host_id"] == "compute-02"
    assert {(b["host"], b["status"]) for b in admin.get(base)["bindings"]} == {
        ("compute-02", "ACTIVE"), ("compute-01", "INACTIVE")}
    admin.call("DELETE", f"{base}/compute-01", expect=204)
    admin.error("DELETE", f"{base}/compute-01", None, 404, "PortBindingNotFound")
    assert [b["host"] for b in admin.get(base)["bindings"]] == ["compute-02"]
