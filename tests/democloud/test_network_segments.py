"""Neutron segments and service providers in the demo cloud over HTTP: each network's
first segment mirrors its provider attributes; an admin adds more; subnets bind to one."""

from __future__ import annotations

import uuid

import pytest

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_every_network_has_its_first_segment(admin: Api, member: Api) -> None:
    nets = admin.get("/networks")["networks"]
    segments = admin.get("/segments")["segments"]
    by_net = {s["network_id"]: s for s in segments}
    assert set(by_net) == {n["id"] for n in nets}
    vlan = next(n for n in nets if n["name"] == "provider-vlan-110")
    seg = by_net[vlan["id"]]
    assert (seg["network_type"], seg["physical_network"], seg["segmentation_id"]) == \
        ("vlan", "physnet1", 110)
    assert set(seg) == {"id", "name", "description", "network_id", "network_type",
                        "physical_network", "segmentation_id", "created_at", "updated_at",
                        "revision_number"}
    assert admin.get(f"/segments/{seg['id']}")["segment"] == seg
    assert admin.get("/segments", physical_network="physnet1")["segments"] == [seg]
    member.error("GET", "/segments", None, 403, "PolicyNotAuthorized")
    member.error("GET", f"/segments/{seg['id']}", None, 404, "SegmentNotFound")
    member.error("POST", "/segments", {"segment": {"network_id": vlan["id"],
                                                   "network_type": "vxlan"}}, 403,
                 "PolicyNotAuthorized")


def test_routed_network_segments(admin: Api) -> None:
    net = admin.call("POST", "/networks", {"network": {
        "name": f"routed-{uuid.uuid4().hex[:6]}", "provider:network_type": "vlan",
        "provider:physical_network": "physnet1", "provider:segmentation_id": 301}},
        expect=201)["network"]
    try:
        admin.error("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vlan", "physical_network": "physnet1",
            "segmentation_id": 301}}, 409, "VlanIdInUse")
        admin.error("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vlan", "segmentation_id": 302}}, 400,
            "InvalidInput")
        admin.error("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vlan", "physical_network": "physnet2",
            "segmentation_id": 5000}}, 400, "InvalidInput")
        second = admin.call("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vlan", "physical_network": "physnet2",
            "segmentation_id": "302", "name": "rack-2"}}, expect=201)["segment"]
        assert second["segmentation_id"] == 302 and second["name"] == "rack-2"
        assert len(admin.get("/segments", network_id=net["id"])["segments"]) == 2
        subnet = admin.call("POST", "/subnets", {"subnet": {
            "network_id": net["id"], "ip_version": 4, "cidr": "10.253.2.0/24",
            "segment_id": second["id"]}}, expect=201)["subnet"]
        assert subnet["segment_id"] == second["id"]
        other = admin.get("/segments")["segments"][0]
        admin.error("POST", "/subnets", {"subnet": {
            "network_id": net["id"], "ip_version": 4, "cidr": "10.253.3.0/24",
            "segment_id": other["id"]}}, 400, "InvalidInput")
        admin.error("DELETE", f"/segments/{second['id']}", None, 409, "SegmentInUse")
        first = next(s for s in admin.get("/segments", network_id=net["id"])["segments"]
                     if s["id"] != second["id"])
        admin.error("DELETE", f"/segments/{first['id']}", None, 409, "SegmentInUse")
        renamed = admin.call("PUT", f"/segments/{second['id']}", {"segment": {
            "name": "1", "description": "Segment One"}}, expect=200)["segment"]
        assert renamed["description"] == "Segment One" and renamed["revision_number"] == 1
        admin.error("PUT", f"/segments/{second['id']}", {"segment": {
            "segmentation_id": 5}}, 400, "HTTPBadRequest")
        admin.call("DELETE", f"/subnets/{subnet['id']}", expect=204)
        admin.call("DELETE", f"/segments/{second['id']}", expect=204)
    finally:
        admin.call("DELETE", f"/networks/{net['id']}", expect=204)
    assert admin.get("/segments", network_id=net["id"])["segments"] == []


def test_multi_segment_network_shows_segments(admin: Api, member: Api) -> None:
    """Neutron's multiprovider extension: a network with more than one segment shows
    ``segments`` (each segment's ``provider:*`` triple, first segment first) in place of
    the ``provider:*`` keys, to an admin only; with one segment, ``provider:*`` again."""
    net = admin.call("POST", "/networks", {"network": {
        "name": f"multi-{uuid.uuid4().hex[:6]}", "provider:network_type": "vlan",
        "provider:physical_network": "physnet1", "provider:segmentation_id": 311,
        "shared": True}}, expect=201)["network"]
    path = f"/networks/{net['id']}"
    provider = {"provider:network_type": "vlan", "provider:physical_network": "physnet1",
                "provider:segmentation_id": 311}
    assert "segments" not in net and {k: net[k] for k in provider} == provider
    try:
        second = admin.call("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vlan", "physical_network": "physnet2",
            "segmentation_id": 312}}, expect=201)["segment"]
        third = admin.call("POST", "/segments", {"segment": {
            "network_id": net["id"], "network_type": "vxlan", "segmentation_id": 7001}},
            expect=201)["segment"]
        want = [provider,
                {"provider:network_type": "vlan", "provider:physical_network": "physnet2",
                 "provider:segmentation_id": 312},
                {"provider:network_type": "vxlan", "provider:physical_network": None,
                 "provider:segmentation_id": 7001}]
        shown = admin.get(path)["network"]
        assert shown["segments"] == want
        assert not any(k.startswith("provider:") for k in shown)
        listed = {n["id"]: n for n in admin.get("/networks")["networks"]}
        assert listed[net["id"]]["segments"] == want
        assert not any("segments" in n for i, n in listed.items() if i != net["id"])
        assert admin.get(path, fields="segments")["network"] == {"segments": want}
        seen = member.get(path)["network"]
        assert "segments" not in seen and not any(k.startswith("provider:") for k in seen)
        admin.call("DELETE", f"/segments/{third['id']}", expect=204)
        assert len(admin.get(path)["network"]["segments"]) == 2
        admin.call("DELETE", f"/segments/{second['id']}", expect=204)
        shown = admin.get(path)["network"]
        assert "segments" not in shown and {k: shown[k] for k in provider} == provider
    finally:
        admin.call("DELETE", path, expect=204)


def test_service_providers(member: Api) -> None:
    providers = member.get("/service-providers")["service_providers"]
    assert {"service_type": "L3_ROUTER_NAT", "name": "ovs", "default": True} in providers
    assert member.get("/service-providers", service_type="QOS")["service_providers"] == [
        {"service_type": "QOS", "name": "openvswitch", "default": True}]
