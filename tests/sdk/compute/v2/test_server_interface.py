"""ServerInterface through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server_interface import ServerInterface


def test_declaration() -> None:
    assert ServerInterface.base_path == "/servers/%(server_id)s/os-interface"
    assert (ServerInterface.resource_key, ServerInterface.resources_key) == \
        ("interfaceAttachment", "interfaceAttachments")
    assert ServerInterface.allow_create and ServerInterface.allow_retrieve
    assert ServerInterface.allow_delete and ServerInterface.allow_list
    assert not ServerInterface.allow_update
    assert ServerInterface._id_prop is ServerInterface._props["port_id"]


def test_list_and_get(conn) -> None:
    server = next(s for s in conn.compute.servers(all_projects=True, status="ACTIVE")
                  if s.addresses)
    interfaces = conn.compute.server_interfaces(server)
    assert interfaces
    first = interfaces[0]
    assert first.id == first.port_id and first.server_id == server.id
    assert first.mac_addr and first.net_id and isinstance(first.fixed_ips, list)
    got = conn.compute.get_server_interface(first.port_id, server.id)
    assert got.mac_addr == first.mac_addr and got.port_state == first.port_state
    assert conn.compute.get_server_interface(first).net_id == first.net_id
    with pytest.raises(exc.NotFound):
        conn.compute.get_server_interface("00000000-0000-4000-8000-000000000000", server)


def test_attach_and_detach(conn) -> None:
    server = next(s for s in conn.compute.servers(all_projects=True, status="ACTIVE")
                  if s.addresses)
    net_id = conn.compute.server_interfaces(server)[0].net_id
    attached = conn.compute.create_server_interface(server, net_id=net_id)
    assert attached.port_id and attached.net_id == net_id
    conn.compute.delete_server_interface(attached, server)
    with pytest.raises(exc.NotFound):
        conn.compute.get_server_interface(attached.port_id, server)
