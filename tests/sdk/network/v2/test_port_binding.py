"""PortBinding through conn.network (admin), against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.port_binding import PortBinding


def test_declaration() -> None:
    assert (PortBinding.base_path, PortBinding.resource_key, PortBinding.resources_key) == \
        ("/ports/%(port_id)s/bindings", "binding", "bindings")
    assert PortBinding._props["host"].alternate_id and PortBinding._props["port_id"].in_uri


def test_bind_migrate_unbind(conn, member) -> None:
    net = conn.network.find_network("shared-services")
    port = member.network.create_port(network_id=net.id, name="osnb-binding")
    try:
        first = conn.network.create_port_binding(port, host="compute-03")
        assert first.status == "ACTIVE" and first.host == "compute-03"
        second = conn.network.create_port_binding(port.id, host="compute-04")
        assert second.status == "INACTIVE"
        listed = conn.network.port_bindings(port)
        assert {(b.host, b.status) for b in listed} == {("compute-03", "ACTIVE"),
                                                        ("compute-04", "INACTIVE")}
        assert len(listed.to_pandas()) == 2
        moved = conn.network.activate_port_binding(port, "compute-04")
        assert moved.status == "ACTIVE"
        assert conn.network.get_port(port).binding_host_id == "compute-04"
        conn.network.delete_port_binding(port, "compute-03")
        assert [b.host for b in conn.network.port_bindings(port)] == ["compute-04"]
        assert conn.network.delete_port_binding(port, "compute-03") is None
        with pytest.raises(exc.HttpException) as err:
            member.network.port_bindings(port)
        assert err.value.status_code == 403
    finally:
        member.network.delete_port(port)
