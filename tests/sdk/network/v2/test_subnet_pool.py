"""SubnetPool and AddressScope through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import ipaddress

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.subnet_pool import AddressScope, SubnetPool


def test_declarations() -> None:
    assert (SubnetPool.base_path, SubnetPool.resource_key, SubnetPool.resources_key) == \
        ("/subnetpools", "subnetpool", "subnetpools")
    assert SubnetPool._props["default_prefix_length"].server_key == "default_prefixlen"
    assert SubnetPool.query.mapping["is_shared"] == "shared"
    assert (AddressScope.base_path, AddressScope.resource_key) == \
        ("/address-scopes", "address_scope")


def test_seeded_listings_as_frames(member) -> None:
    pools = member.network.subnet_pools(is_default=True)
    assert {p.name for p in pools} >= {"default-v4", "default-v6"}
    frame = pools.to_pandas()
    assert len(frame) == len(pools) and "default_prefix_length" in frame
    v4 = member.network.find_subnet_pool("default-v4")
    assert v4.minimum_prefix_length == 20 and v4.maximum_prefix_length == 28
    scope = member.network.get_address_scope(v4.address_scope_id)
    assert scope.name == "routable-v4" and scope.is_shared
    assert len(member.network.address_scopes().to_pandas()) >= 1


def test_pool_scope_subnet(member) -> None:
    scope = member.network.create_address_scope(name="osnb-scope", ip_version=4)
    pool = member.network.create_subnet_pool(
        name="osnb-pool", prefixes=["172.21.0.0/20"], address_scope_id=scope.id,
        minimum_prefix_length=22, default_prefix_length=24, maximum_prefix_length=28)
    net = member.network.create_network(name="osnb-pool-net")
    try:
        assert pool.ip_version == 4 and pool.default_prefix_length == 24
        subnet = member.network.create_subnet(network_id=net.id, ip_version=4,
                                              subnetpool_id=pool.id, prefixlen=26)
        assert subnet.subnet_pool_id == pool.id
        assert ipaddress.ip_network(subnet.cidr).prefixlen == 26
        assert member.network.get_network(net).ipv4_address_scope_id == scope.id
        assert pool.add_prefixes(member.network, ["172.21.16.0/20"]) == ["172.21.0.0/19"]
        with pytest.raises(exc.HttpException) as err:
            member.network.delete_subnet_pool(pool)
        assert err.value.status_code == 409
        assert member.network.update_subnet_pool(pool, name="renamed").name == "renamed"
        member.network.delete_subnet(subnet)
    finally:
        member.network.delete_network(net)
        member.network.delete_subnet_pool(pool)
        member.network.delete_address_scope(scope)
    assert member.network.find_address_scope(scope.id, ignore_missing=True) is None


def test_onboard_network_subnets(member) -> None:
    """A network's IPv4 subnets join a pool of the caller's: prefixes grow, the subnets
    name the pool; a second time their CIDRs are the pool's allocations (400)."""
    pool = member.network.create_subnet_pool(name="osnb-onboard", prefixes=["10.210.0.0/16"])
    net = member.network.create_network(name="osnb-onboard-net")
    try:
        subnet = member.network.create_subnet(network_id=net.id, ip_version=4,
                                              cidr="10.211.5.0/24")
        done = member.network.onboard_network_subnets(pool, net)
        assert done == [{"id": subnet.id, "cidr": "10.211.5.0/24"}]
        assert member.network.get_subnet(subnet).subnet_pool_id == pool.id
        assert "10.211.5.0/24" in member.network.get_subnet_pool(pool.id).prefixes
        with pytest.raises(exc.BadRequest):
            member.network.onboard_network_subnets(pool.id, net.id)
        member.network.delete_subnet(subnet)
    finally:
        member.network.delete_network(net)
        member.network.delete_subnet_pool(pool)
