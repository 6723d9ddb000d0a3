"""Trunk through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.trunk import Trunk


def test_declaration() -> None:
    assert (Trunk.base_path, Trunk.resource_key, Trunk.resources_key) == \
        ("/trunks", "trunk", "trunks")
    assert Trunk.allow_create and Trunk.allow_update and Trunk.allow_delete
    assert Trunk._props["is_admin_state_up"].server_key == "admin_state_up"
    assert Trunk.query.mapping["is_admin_state_up"] == "admin_state_up"


def test_seeded_listing_as_frame(conn) -> None:
    trunks = conn.network.trunks()
    assert trunks and trunks[0].status == "DOWN"
    frame = trunks.to_pandas()
    assert len(frame) == len(trunks) and {"port_id", "status"} <= set(frame)
    assert conn.network.get_trunk(trunks[0].id).port_id == trunks[0].port_id


def test_trunk_with_subports(member) -> None:
    net = member.network.create_network(name="osnb-trunk-net")
    member.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.243.0.0/24")
    parent, a, b = (member.network.create_port(network_id=net.id, name=f"osnb-t{i}")
                    for i in range(3))
    try:
        trunk = member.network.create_trunk(port_id=parent.id, name="osnb-trunk")
        assert trunk.sub_ports == [] and trunk.is_admin_state_up
        trunk = member.network.add_trunk_subports(trunk, [
            {"port_id": a.id, "segmentation_type": "vlan", "segmentation_id": 10},
            {"port_id": b.id, "segmentation_type": "vlan", "segmentation_id": 11}])
        assert [s["segmentation_id"] for s in trunk.sub_ports] == [10, 11]
        assert member.network.get_port(a).device_owner == "trunk:subport"
        assert member.network.get_trunk_subports(trunk)["sub_ports"] == trunk.sub_ports
        with pytest.raises(exc.HttpException) as err:
            member.network.add_trunk_subports(trunk, [
                {"port_id": a.id, "segmentation_type": "vlan", "segmentation_id": 12}])
        assert err.value.status_code == 409
        trunk = member.network.delete_trunk_subports(trunk.id, [{"port_id": a.id}])
        assert [s["port_id"] for s in trunk.sub_ports] == [b.id]
        assert member.network.update_trunk(trunk, name="renamed").name == "renamed"
        assert member.network.find_trunk("renamed").id == trunk.id
        member.network.delete_trunk(trunk)
        assert member.network.find_trunk(trunk.id, ignore_missing=True) is None
    finally:
        for port in (parent, a, b):
            member.network.delete_port(port)
        member.network.delete_network(net)
