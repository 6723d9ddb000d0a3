"""Address groups, local IPs, default security group rules and network segment ranges in
the demo cloud over HTTP: what each refuses (400/403/404/409), what each does to the
records around it, and python-openstackclient driving them."""

from __future__ import annotations

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


def test_address_group_addresses(member: Api) -> None:
    group = member.call("POST", "/address-groups", {"address_group": {
        "name": "ag-test", "addresses": ["10.0.0.1", "10.1.0.0/16"]}},
        expect=201)["address_group"]
    assert group["addresses"] == ["10.0.0.1/32", "10.1.0.0/16"]
    # Neutron 29's keys: the standard attributes but tags (the api-ref sample lacks the
    # timestamps and the revision)
    assert set(group) == {"id", "name", "description", "project_id", "tenant_id",
                          "addresses", "created_at", "updated_at", "revision_number"}
    assert group["revision_number"] == 0 and group["created_at"] == group["updated_at"]
    base = f"/address-groups/{group['id']}"
    added = member.call("PUT", f"{base}/add_addresses", {"addresses": ["192.0.2.0/24"]},
                        expect=200)["address_group"]
    assert "192.0.2.0/24" in added["addresses"] and added["revision_number"] == 1
    member.error("PUT", f"{base}/add_addresses", {"addresses": ["192.0.2.0/24"]}, 400,
                 "AddressesAlreadyExist")
    member.error("PUT", f"{base}/add_addresses", {"addresses": ["not-an-ip"]}, 400,
                 "HTTPBadRequest")
    member.error("PUT", f"{base}/remove_addresses", {"addresses": ["198.18.0.0/15"]}, 404,
                 "AddressesNotFound")
    removed = member.call("PUT", f"{base}/remove_addresses", {"addresses": ["10.0.0.1/32"]},
                          expect=200)["address_group"]
    assert removed["addresses"] == ["10.1.0.0/16", "192.0.2.0/24"]
    assert member.get(base)["address_group"]["addresses"] == removed["addresses"]
    member.call("DELETE", base, expect=204)
    member.error("GET", base, None, 404, "AddressGroupNotFound")


def test_address_group_in_a_rule(admin: Api, member: Api) -> None:
    group = member.call("POST", "/address-groups", {"address_group": {
        "name": "ag-rule", "addresses": ["203.0.113.0/24"]}}, expect=201)["address_group"]
    sg = member.call("POST", "/security-groups", {"security_group": {"name": "ag-sg"}},
                     expect=201)["security_group"]
    rule = {"security_group_id": sg["id"], "direction": "ingress", "protocol": "tcp",
            "port_range_min": 443, "port_range_max": 443}
    made = member.call("POST", "/security-group-rules", {"security_group_rule": {
        **rule, "remote_address_group_id": group["id"]}}, expect=201)["security_group_rule"]
    assert made["remote_address_group_id"] == group["id"]
    member.error("POST", "/security-group-rules", {"security_group_rule": {
        **rule, "remote_address_group_id": group["id"], "remote_ip_prefix": "0.0.0.0/0"}},
        400, "SecurityGroupMultipleRemoteEntites")
    member.error("POST", "/security-group-rules", {"security_group_rule": {
        **rule, "remote_address_group_id": str(uuid.uuid4())}}, 404, "AddressGroupNotFound")
    member.error("DELETE", f"/address-groups/{group['id']}", None, 409, "AddressGroupInUse")
    # another project's member cannot see (nor change) an admin's group
    theirs = admin.call("POST", "/address-groups", {"address_group": {
        "name": "admin-ag", "addresses": []}}, expect=201)["address_group"]
    member.error("PUT", f"/address-groups/{theirs['id']}/add_addresses",
                 {"addresses": ["10.0.0.0/8"]}, 404, "AddressGroupNotFound")
    assert theirs["id"] not in {g["id"] for g in member.get("/address-groups")[
        "address_groups"]}
    admin.call("DELETE", f"/address-groups/{theirs['id']}", expect=204)
    member.call("DELETE", f"/security-group-rules/{made['id']}", expect=204)
    member.call("DELETE", f"/address-groups/{group['id']}", expect=204)
    member.call("DELETE", f"/security-groups/{sg['id']}", expect=204)


def test_local_ip_and_associations(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "lip-net"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.253.0.0/24"}}, expect=201)
    member.error("POST", "/local_ips", {"local_ip": {"name": "x"}}, 400, "BadRequest")
    lip = member.call("POST", "/local_ips", {"local_ip": {
        "network_id": net["id"], "local_ip_address": "10.253.0.200"}},
        expect=201)["local_ip"]
    assert lip["local_ip_address"] == "10.253.0.200" and lip["ip_mode"] == "translate"
    assert lip["tenant_id"] == lip["project_id"]  # Neutron 29 sends both
    assert member.get(f"/local_ips/{lip['id']}")["local_ip"]["tenant_id"] == lip["project_id"]
    holder = member.get(f"/ports/{lip['local_port_id']}")["port"]
    assert holder["device_owner"] == "network:local_ip" and holder["device_id"] == lip["id"]
    port = member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                       expect=201)["port"]
    base = f"/local_ips/{lip['id']}/port_associations"
    assoc = member.call("POST", base, {"port_association": {"fixed_port_id": port["id"]}},
                        expect=201)["port_association"]
    assert assoc == {"local_ip_id": lip["id"], "local_ip_address": "10.253.0.200",
                     "fixed_port_id": port["id"],
                     "fixed_ip": port["fixed_ips"][0]["ip_address"], "host": ""}
    member.error("POST", base, {"port_association": {"fixed_port_id": port["id"]}}, 409,
                 "LocalIPPortAssociationExists")
    assert member.get(base)["port_associations"] == [assoc]
    member.error("DELETE", f"/local_ips/{lip['id']}", None, 409, "LocalIPInUse")
    member.call("DELETE", f"{base}/{port['id']}", expect=204)
    member.error("DELETE", f"{base}/{port['id']}", None, 404, "LocalIPAssociationNotFound")
    member.call("DELETE", f"/local_ips/{lip['id']}", expect=204)
    member.error("GET", f"/ports/{lip['local_port_id']}", None, 404, "PortNotFound")


def test_default_security_group_rules_shape_new_groups(admin: Api, member: Api) -> None:
    seeded = member.get("/default-security-group-rules")["default_security_group_rules"]
    assert len(seeded) == 4
    body = {"default_security_group_rule": {"direction": "ingress", "protocol": "tcp",
                                            "port_range_min": "22", "port_range_max": "22",
                                            "remote_ip_prefix": "192.0.2.0/24",
                                            "used_in_non_default_sg": True}}
    member.error("POST", "/default-security-group-rules", body, 403, "PolicyNotAuthorized")
    made = admin.call("POST", "/default-security-group-rules", body,
                      expect=201)["default_security_group_rule"]
    assert made["port_range_min"] == 22 and made["used_in_default_sg"] is False
    admin.error("POST", "/default-security-group-rules", body, 409,
                "DefaultSecurityGroupRuleExists")
    sg = member.call("POST", "/security-groups", {"security_group": {"name": "tmpl"}},
                     expect=201)["security_group"]
    ssh = [r for r in sg["security_group_rules"] if r["direction"] == "ingress"]
    assert [(r["port_range_min"], r["remote_ip_prefix"]) for r in ssh] == \
        [(22, "192.0.2.0/24")]
    admin.call("DELETE", f"/default-security-group-rules/{made['id']}", expect=204)
    later = member.call("POST", "/security-groups", {"security_group": {"name": "tmpl2"}},
                        expect=201)["security_group"]
    assert {r["direction"] for r in later["security_group_rules"]} == {"egress"}
    for group in (sg, later):
        member.call("DELETE", f"/security-groups/{group['id']}", expect=204)


def _range(name: str, lo: int, hi: int, **extra: Any) -> dict[str, Any]:
    return {"network_segment_range": {"name": name, "network_type": "vlan",
                                      "physical_network": "physnet1", "minimum": lo,
                                      "maximum": hi, "shared": False, **extra}}


def test_segment_ranges(admin: Api, member: Api) -> None:
    member.error("GET", "/network_segment_ranges", None, 403, "PolicyNotAuthorized")
    ranges = admin.get("/network_segment_ranges")["network_segment_ranges"]
    vxlan = next(r for r in ranges if r["network_type"] == "vxlan")
    nets = admin.get("/networks", **{"provider:network_type": "vxlan"})["networks"]
    ids = {str(n["provider:segmentation_id"]) for n in nets
           if 1000 <= (n["provider:segmentation_id"] or 0) <= 1999}
    assert ids and set(vxlan["used"]) == ids
    assert len(vxlan["available"]) == 1000 - len(ids)
    admin.error("DELETE", f"/network_segment_ranges/{vxlan['id']}", None, 409,
                "NetworkSegmentRangeDefaultReadOnly")
    admin.error("POST", "/network_segment_ranges", _range("clash", 150, 250), 409,
                "NetworkSegmentRangeOverlaps")
    admin.error("POST", "/network_segment_ranges", _range("nophys", 300, 310,
                                                          physical_network=None),
                400, "InvalidInput")
    made = admin.call("POST", "/network_segment_ranges", _range("tenant", 300, 320),
                      expect=201)["network_segment_range"]
    assert made["available"] == list(range(300, 321)) and made["used"] == {}
    # Neutron 29 shows a range's owner as project_id alone (the api-ref sample also shows
    # tenant_id)
    assert "tenant_id" not in made and all("tenant_id" not in r for r in ranges)
    assert made["project_id"] == admin.get("/networks")["networks"][0]["project_id"] or \
        made["project_id"]
    net = admin.call("POST", "/networks", {"network": {
        "name": "in-range", "provider:network_type": "vlan",
        "provider:physical_network": "physnet1", "provider:segmentation_id": 310}},
        expect=201)["network"]
    shown = admin.get(f"/network_segment_ranges/{made['id']}")["network_segment_range"]
    assert shown["used"] == {"310": net["project_id"]} and 310 not in shown["available"]
    admin.error("PUT", f"/network_segment_ranges/{made['id']}", {"network_segment_range": {
        "maximum": 305}}, 409, "NetworkSegmentRangeReferencedByProject")
    admin.error("DELETE", f"/network_segment_ranges/{made['id']}", None, 409,
                "NetworkSegmentRangeReferencedByProject")
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)
    grown = admin.call("PUT", f"/network_segment_ranges/{made['id']}", {
        "network_segment_range": {"maximum": 330}}, expect=200)["network_segment_range"]
    assert grown["maximum"] == 330 and grown["revision_number"] == 1
    admin.call("DELETE", f"/network_segment_ranges/{made['id']}", expect=204)


def test_cli_address_group_and_segment_range(os_config: Path, admin: Api) -> None:
    group = _cli("address", "group", "create", "--address", "10.9.0.0/16",
                 "--address", "10.8.0.1", "cli-group")
    assert sorted(group["addresses"]) == ["10.8.0.1/32", "10.9.0.0/16"]
    assert admin.get(f"/address-groups/{group['id']}")["address_group"]["name"] == \
        "cli-group"
    made = _cli("network", "segment", "range", "create", "--network-type", "vlan",
                "--physical-network", "physnet1", "--minimum", "400", "--maximum", "410",
                "--shared", "cli-range")
    assert made["minimum"] == 400 and made["shared"] is True
    listed = _cli("network", "segment", "range", "list")
    assert "cli-range" in {r["Name"] for r in listed}
    admin.call("DELETE", f"/network_segment_ranges/{made['id']}", expect=204)
