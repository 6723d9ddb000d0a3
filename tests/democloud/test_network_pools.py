"""Neutron address scopes and subnet pools in the demo cloud over HTTP: a subnet takes its
CIDR from a pool; the scope's pools never overlap; what is in use stays."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from osnb import democloud

from .test_network import Api, _cli

GONE = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture()
def net(member: Api) -> Any:
    made = member.call("POST", "/networks", {"network": {"name": f"pool-{uuid.uuid4().hex[:6]}"}},
                       expect=201)["network"]
    yield made
    for subnet in member.get("/subnets", network_id=made["id"])["subnets"]:
        member.call("DELETE", f"/subnets/{subnet['id']}")
    member.call("DELETE", f"/networks/{made['id']}", expect=204)


def test_seeded_scope_and_default_pools(member: Api) -> None:
    scopes = member.get("/address-scopes")["address_scopes"]
    scope = next(s for s in scopes if s["name"] == "routable-v4")
    assert set(scope) == {"id", "name", "project_id", "tenant_id", "ip_version", "shared"}
    assert scope["shared"] and scope["ip_version"] == 4
    pools = {p["name"]: p for p in member.get("/subnetpools")["subnetpools"]}
    v4, v6 = pools["default-v4"], pools["default-v6"]
    assert v4["is_default"] and v4["address_scope_id"] == scope["id"]
    # Texts, as Neutron sends them (its subnet pool dict converts them with str()).
    assert (v4["min_prefixlen"], v4["default_prefixlen"], v4["max_prefixlen"]) == \
        ("20", "26", "28")
    assert v6["ip_version"] == 6 and v6["prefixes"] == ["2001:db8:1000::/48"]
    assert member.get(f"/subnetpools/{v4['id']}")["subnetpool"] == v4
    assert member.get("/subnetpools", ip_version=6)["subnetpools"] == [v6]


def test_subnets_allocated_from_a_pool(member: Api, net: dict[str, Any]) -> None:
    pool = member.get("/subnetpools", name="default-v4")["subnetpools"][0]
    first = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"]}},
        expect=201)["subnet"]
    block = ipaddress.ip_network(first["cidr"])
    assert block.prefixlen == 26 and block.subnet_of(ipaddress.ip_network("100.64.0.0/16"))
    assert first["subnetpool_id"] == pool["id"]
    second = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "use_default_subnetpool": True,
        "prefixlen": 24}}, expect=201)["subnet"]
    assert ipaddress.ip_network(second["cidr"]).prefixlen == 24
    assert not ipaddress.ip_network(second["cidr"]).overlaps(block)
    assert member.get(f"/networks/{net['id']}")["network"]["ipv4_address_scope"] == \
        pool["address_scope_id"]
    v6 = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 6, "use_default_subnetpool": True}},
        expect=201)["subnet"]
    assert v6["cidr"].startswith("2001:db8:1000:") and v6["cidr"].endswith("/64")
    # The refusals: a taken CIDR, a size out of bounds, the wrong family, no such pool.
    member.error("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"],
        "cidr": first["cidr"]}}, 409, "SubnetAllocationError")
    member.error("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"],
        "cidr": "192.0.2.0/24"}}, 400, "BadRequest")
    member.error("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"],
        "prefixlen": 30}}, 400, "InvalidInput")
    member.error("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 6, "subnetpool_id": pool["id"]}}, 400,
        "InvalidInput")
    member.error("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": GONE}}, 404,
        "SubnetPoolNotFound")


def test_pool_lifecycle_and_prefix_ops(admin: Api, member: Api, net: dict[str, Any]) -> None:
    pool = member.call("POST", "/subnetpools", {"subnetpool": {
        "name": "mine", "prefixes": ["192.168.0.0/16", "10.10.0.0/21"],
        "default_prefixlen": 25, "min_prefixlen": 24, "max_prefixlen": 30,
        "shared": "false"}}, expect=201)["subnetpool"]
    assert pool["prefixes"] == ["10.10.0.0/21", "192.168.0.0/16"] and pool["ip_version"] == 4
    member.error("POST", "/subnetpools", {"subnetpool": {"name": "x", "prefixes": [
        "10.0.0.0/8"], "shared": True}}, 403, "PolicyNotAuthorized")
    member.error("POST", "/subnetpools", {"subnetpool": {"name": "x", "prefixes": [
        "10.0.0.0/8", "2001:db8::/32"]}}, 400, "PrefixVersionMismatch")
    member.error("POST", "/subnetpools", {"subnetpool": {"name": "x", "prefixes": [
        "10.0.0.0/8"], "min_prefixlen": 24, "default_prefixlen": 16}}, 400,
        "IllegalSubnetPoolPrefixBounds")
    subnet = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"]}},
        expect=201)["subnet"]
    assert subnet["cidr"] == "10.10.0.0/25"
    grown = member.call("PUT", f"/subnetpools/{pool['id']}/add_prefixes", {
        "prefixes": ["10.10.8.0/21"]}, expect=200)
    assert grown["prefixes"] == ["10.10.0.0/20", "192.168.0.0/16"]
    member.error("PUT", f"/subnetpools/{pool['id']}/remove_prefixes", {
        "prefixes": ["10.10.0.0/20"]}, 409, "IllegalSubnetPoolPrefixUpdate")
    shrunk = member.call("PUT", f"/subnetpools/{pool['id']}/remove_prefixes", {
        "prefixes": ["192.168.0.0/16"]}, expect=200)
    assert shrunk["prefixes"] == ["10.10.0.0/20"]
    member.error("DELETE", f"/subnetpools/{pool['id']}", None, 409, "SubnetPoolInUse")
    renamed = member.call("PUT", f"/subnetpools/{pool['id']}", {"subnetpool": {
        "name": "renamed", "default_prefixlen": 26}}, expect=200)["subnetpool"]
    assert renamed["name"] == "renamed" and renamed["revision_number"] > pool["revision_number"]
    member.call("DELETE", f"/subnets/{subnet['id']}", expect=204)
    member.call("DELETE", f"/subnetpools/{pool['id']}", expect=204)
    member.error("GET", f"/subnetpools/{pool['id']}", None, 404, "SubnetPoolNotFound")


def test_scopes_keep_their_pools_apart(admin: Api, member: Api) -> None:
    scope = member.call("POST", "/address-scopes", {"address_scope": {
        "name": "scope-t", "ip_version": 4}}, expect=201)["address_scope"]
    assert scope["shared"] is False and set(scope) == {
        "id", "name", "project_id", "tenant_id", "ip_version", "shared"}
    member.error("POST", "/address-scopes", {"address_scope": {
        "name": "s", "ip_version": 4, "shared": True}}, 403, "PolicyNotAuthorized")
    member.error("POST", "/address-scopes", {"address_scope": {"name": "s", "ip_version": 5}},
                 400, "HTTPBadRequest")
    a = member.call("POST", "/subnetpools", {"subnetpool": {
        "name": "a", "prefixes": ["172.20.0.0/16"], "address_scope_id": scope["id"]}},
        expect=201)["subnetpool"]
    member.error("POST", "/subnetpools", {"subnetpool": {
        "name": "b", "prefixes": ["172.20.128.0/17"], "address_scope_id": scope["id"]}}, 400,
        "IllegalSubnetPoolAssociationToAddressScope")
    member.error("POST", "/subnetpools", {"subnetpool": {
        "name": "c", "prefixes": ["2001:db8:99::/48"], "address_scope_id": scope["id"]}}, 400,
        "IllegalSubnetPoolIpVersionAssociationWithAddressScope")
    member.error("DELETE", f"/address-scopes/{scope['id']}", None, 409, "AddressScopeInUse")
    assert member.call("PUT", f"/address-scopes/{scope['id']}", {"address_scope": {
        "name": "scope-u"}}, expect=200)["address_scope"]["name"] == "scope-u"
    member.call("DELETE", f"/subnetpools/{a['id']}", expect=204)
    member.call("DELETE", f"/address-scopes/{scope['id']}", expect=204)
    others = [s for s in admin.get("/address-scopes")["address_scopes"]
              if not s["shared"] and s["project_id"] != scope["project_id"]]
    for other in others:
        member.error("GET", f"/address-scopes/{other['id']}", None, 404,
                     "AddressScopeNotFound")


def test_cli_subnet_pool(os_config: Path, admin: Api) -> None:
    """``openstack subnet pool create/show/set/delete`` and a subnet from the pool."""
    name = f"cli-pool-{uuid.uuid4().hex[:6]}"
    made = _cli("subnet", "pool", "create", "--pool-prefix", "198.18.0.0/16",
                "--default-prefix-length", "24", "--min-prefix-length", "20",
                "--max-prefix-length", "28", name)
    net = admin.call("POST", "/networks", {"network": {"name": name}}, expect=201)["network"]
    try:
        assert made["prefixes"] in (["198.18.0.0/16"], "198.18.0.0/16")
        subnet = _cli("subnet", "create", "--network", net["id"], "--subnet-pool", name,
                      f"{name}-subnet")
        assert subnet["cidr"] == "198.18.0.0/24" and subnet["subnetpool_id"] == made["id"]
        assert name in {p["Name"] for p in _cli("subnet", "pool", "list")}
        admin.call("DELETE", f"/subnets/{subnet['id']}", expect=204)
    finally:
        admin.call("DELETE", f"/networks/{net['id']}", expect=204)
        subprocess.run([str(Path(sys.executable).parent / "openstack"), "--os-cloud", "demo",
                        "subnet", "pool", "delete", name], check=True, timeout=60,
                       capture_output=True)
    admin.error("GET", f"/subnetpools/{made['id']}", None, 404, "SubnetPoolNotFound")
