"""Port through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.port import Port


def test_declaration() -> None:
    assert (Port.base_path, Port.resource_key, Port.resources_key) == \
        ("/ports", "port", "ports")
    assert Port.allow_create and Port.allow_retrieve and Port.allow_update
    assert Port.allow_delete and Port.allow_list
    assert Port._props["binding_host_id"].server_key == "binding:host_id"
    assert Port._props["security_group_ids"].server_key == "security_groups"
    assert Port.query.mapping["binding:host_id"] == "binding:host_id"


def test_list_filter_get(conn) -> None:
    ports = conn.network.ports()
    compute = [p for p in ports if p.device_owner == "compute:nova" and p.binding_host_id]
    assert compute
    host = compute[0].binding_host_id
    on_host = conn.network.ports(binding_host_id=host)
    assert on_host and all(p.binding_host_id == host for p in on_host)
    owned = conn.network.ports(device_owner="compute:nova", device_id=compute[0].device_id)
    assert owned and all(p.device_id == compute[0].device_id for p in owned)
    port = conn.network.get_port(compute[0].id)
    assert isinstance(port.binding_vif_details, dict) and isinstance(port.fixed_ips, list)
    assert conn.network.find_port(port.id) == port
    with pytest.raises(exc.NotFound):
        conn.network.find_port("no-such-port")


def test_create_update_delete(member) -> None:
    net = member.network.create_network(name="osnb-port-test")
    try:
        member.network.create_subnet(network_id=net.id, ip_version=4, cidr="192.168.78.0/24")
        port = member.network.create_port(network_id=net.id, name="osnb-port")
        assert port.mac_address and port.fixed_ips[0]["ip_address"].startswith("192.168.78.")
        assert member.network.find_port("osnb-port", network_id=net.id).id == port.id
        updated = member.network.update_port(port, is_admin_state_up=False)
        assert updated.is_admin_state_up is False
        member.network.delete_port(port)
        assert member.network.find_port(port.id, ignore_missing=True) is None
    finally:
        for p in member.network.ports(network_id=net.id):
            member.network.delete_port(p)
        for s in member.network.subnets(network_id=net.id):
            member.network.delete_subnet(s)
        member.network.delete_network(net)
