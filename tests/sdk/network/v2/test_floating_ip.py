"""FloatingIP through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.floating_ip import FloatingIP


def test_declaration() -> None:
    assert (FloatingIP.base_path, FloatingIP.resource_key, FloatingIP.resources_key) == \
        ("/floatingips", "floatingip", "floatingips")
    assert FloatingIP.allow_create and FloatingIP.allow_retrieve and FloatingIP.allow_update
    assert FloatingIP.allow_delete and FloatingIP.allow_list
    assert FloatingIP._props["name"].server_key == "floating_ip_address"
    assert FloatingIP.query.mapping["name"] == "floating_ip_address"


def test_list_filter_get_find(conn) -> None:
    ips = conn.network.floating_ips()
    assert ips and [i.id for i in conn.network.ips()] == [i.id for i in ips]
    down = conn.network.ips(status="DOWN")
    assert all(i.status == "DOWN" for i in down)
    first = ips[0]
    on_net = conn.network.ips(floating_network_id=first.floating_network_id)
    assert first in on_net
    assert conn.network.get_ip(first.id).floating_ip_address == first.floating_ip_address
    assert conn.network.find_ip(first.floating_ip_address) == first
    assert conn.network.find_ip(first.id).name == first.floating_ip_address
    with pytest.raises(exc.NotFound):
        conn.network.find_ip("203.0.113.254")


def test_create_associate_delete(member) -> None:
    public = member.network.find_network("public")
    fip = member.network.create_ip(floating_network_id=public.id, description="osnb")
    try:
        assert fip.floating_ip_address and fip.port_id is None and fip.status
        net = member.network.create_network(name="osnb-fip-test")
        subnet = member.network.create_subnet(network_id=net.id, ip_version=4,
                                              cidr="192.168.80.0/24")
        router = member.network.create_router(
            name="osnb-fip-router", external_gateway_info={"network_id": public.id})
        member.network.add_interface_to_router(router, subnet=subnet)
        port = member.network.create_port(network_id=net.id)
        try:
            bound = member.network.update_ip(fip, port_id=port.id)
            assert bound.port_id == port.id and bound.fixed_ip_address
            assert member.network.ips(port_id=port.id)[0].id == fip.id
            unbound = member.network.update_ip(fip, port_id=None)
            assert unbound.port_id is None
        finally:
            member.network.delete_port(port)
            member.network.remove_interface_from_router(router, subnet=subnet)
            member.network.delete_router(router)
            member.network.delete_subnet(subnet)
            member.network.delete_network(net)
    finally:
        member.network.delete_ip(fip)
    assert member.network.find_ip(fip.id, ignore_missing=True) is None


def test_create_with_the_router_that_hosts_it(member) -> None:
    """``floating-ip-router-writable``: the router named on create is the one shown; one
    without a gateway on the floating IP's network is refused (400)."""
    public = member.network.find_network("public")
    router = member.network.create_router(
        name="osnb-fip-host", external_gateway_info={"network_id": public.id})
    bare = member.network.create_router(name="osnb-fip-bare")
    try:
        with pytest.raises(exc.BadRequest):
            member.network.create_ip(floating_network_id=public.id, router_id=bare.id)
        fip = member.network.create_ip(floating_network_id=public.id, router_id=router.id)
        assert fip.router_id == router.id
        assert member.network.get_ip(fip).router_id == router.id
        member.network.delete_ip(fip)
    finally:
        member.network.delete_router(router)
        member.network.delete_router(bare)
