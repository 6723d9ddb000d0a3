"""Subnet through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.subnet import Subnet


def test_declaration() -> None:
    assert (Subnet.base_path, Subnet.resource_key, Subnet.resources_key) == \
        ("/subnets", "subnet", "subnets")
    assert Subnet.allow_create and Subnet.allow_retrieve and Subnet.allow_update
    assert Subnet.allow_delete and Subnet.allow_list
    assert Subnet._props["is_dhcp_enabled"].server_key == "enable_dhcp"
    assert Subnet.query.mapping["subnet_pool_id"] == "subnetpool_id"


def test_list_filter_get_find(conn) -> None:
    subnets = conn.network.subnets()
    assert subnets and all(isinstance(s.ip_version, int) for s in subnets)
    first = subnets[0]
    on_net = conn.network.subnets(network_id=first.network_id)
    assert first in on_net and all(s.network_id == first.network_id for s in on_net)
    v4 = conn.network.subnets(ip_version=4, is_dhcp_enabled=True)
    assert all(s.ip_version == 4 and s.is_dhcp_enabled for s in v4)
    assert conn.network.get_subnet(first.id).cidr == first.cidr
    named = next(s for s in subnets if s.name)
    assert conn.network.find_subnet(named.name).id == named.id
    with pytest.raises(exc.NotFound):
        conn.network.find_subnet("no-such-subnet")


def test_create_update_delete(member) -> None:
    net = member.network.create_network(name="osnb-subnet-test")
    try:
        subnet = member.network.create_subnet(network_id=net.id, ip_version=4,
                                              cidr="192.168.77.0/24", name="osnb-subnet")
        assert subnet.cidr == "192.168.77.0/24" and subnet.gateway_ip == "192.168.77.1"
        assert subnet.allocation_pools and isinstance(subnet.allocation_pools[0], dict)
        updated = member.network.update_subnet(subnet, name="osnb-subnet-2",
                                               dns_nameservers=["192.0.2.53"])
        assert updated.name == "osnb-subnet-2" and updated.dns_nameservers == ["192.0.2.53"]
        member.network.delete_subnet(subnet)
        assert member.network.find_subnet(subnet.id, ignore_missing=True) is None
    finally:
        member.network.delete_network(net)
