"""Router and its interfaces through conn.network, against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.router import Router


def test_declaration() -> None:
    assert (Router.base_path, Router.resource_key, Router.resources_key) == \
        ("/routers", "router", "routers")
    assert Router.allow_create and Router.allow_retrieve and Router.allow_update
    assert Router.allow_delete and Router.allow_list
    assert Router.query.mapping["is_ha"] == "ha"
    assert Router._props["is_distributed"].server_key == "distributed"


def test_list_filter_get_find(conn) -> None:
    routers = conn.network.routers()
    assert routers and all(isinstance(r.external_gateway_info, (dict, type(None)))
                           for r in routers)
    first = routers[0]
    mine = conn.network.routers(project_id=first.project_id)
    assert first in mine and all(r.project_id == first.project_id for r in mine)
    assert all(not r.is_ha for r in conn.network.routers(is_ha=False))
    assert conn.network.get_router(first.id).name == first.name
    assert conn.network.find_router(first.name, project_id=first.project_id) == first
    with pytest.raises(exc.NotFound):
        conn.network.find_router("no-such-router")


def test_create_interfaces_update_delete(member) -> None:
    net = member.network.create_network(name="osnb-router-test")
    subnet = member.network.create_subnet(network_id=net.id, ip_version=4,
                                          cidr="192.168.79.0/24")
    router = member.network.create_router(name="osnb-router")
    try:
        added = member.network.add_interface_to_router(router, subnet=subnet)
        assert added["subnet_id"] == subnet.id and added["port_id"]
        ports = member.network.ports(device_id=router.id)
        assert [p.id for p in ports] == [added["port_id"]]
        assert ports[0].device_owner == "network:router_interface"
        removed = member.network.remove_interface_from_router(router, subnet=subnet.id)
        assert removed["port_id"] == added["port_id"]
        assert not member.network.ports(device_id=router.id)
        updated = member.network.update_router(router, description="edge")
        assert updated.description == "edge"
    finally:
        member.network.delete_router(router)
        member.network.delete_subnet(subnet)
        member.network.delete_network(net)
    assert member.network.find_router(router.id, ignore_missing=True) is None
