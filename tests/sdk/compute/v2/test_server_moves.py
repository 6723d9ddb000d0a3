"""Server moves and actions through conn.compute, against the demo cloud over real HTTP:
resize/confirm/revert, migrations (cold and live, with ServerMigration), shelve,
rebuild, images, rescue, password, state, consoles, diagnostics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.compute.v2.server_diagnostics import ServerDiagnostics
from osnb.sdk.compute.v2.server_migration import ServerMigration
from osnb.sdk.compute.v2.server_remote_console import ConsoleAuthToken, ServerRemoteConsole


def test_declarations() -> None:
    assert ServerMigration.base_path == "/servers/%(server_id)s/migrations"
    assert ServerMigration._props["server_uuid"].server_key == "server_uuid"
    assert ServerDiagnostics._props["has_config_drive"].server_key == "config_drive"
    assert ServerRemoteConsole.resource_key == "remote_console"
    assert ConsoleAuthToken.base_path == "/os-console-auth-tokens"


def _image(conn: Any) -> str:
    url = conn.session.get_endpoint(service_type="image", interface="public")
    images = conn.session.get(url.rstrip("/") + "/v2/images",
                              params={"status": "active"}).json()["images"]
    return str(min(images, key=lambda i: (i.get("min_disk") or 0, i.get("min_ram") or 0))
               ["id"])


@pytest.fixture
def server(member: Any, conn: Any) -> Iterator[Server]:
    """A member's ACTIVE m1.tiny server."""
    made = member.compute.create_server(
        name=f"osnb-moves-{uuid.uuid4().hex[:6]}", image_id=_image(member),
        flavor_id=member.compute.find_flavor("m1.tiny").id, networks="none")
    yield member.compute.wait_for_server(made, interval=0.05, wait=20)
    conn.compute.delete_server(made.id)


def _wait(conn: Any, server: Server, status: str) -> Server:
    found: Server = conn.compute.wait_for_server(conn.compute.get_server(server.id), status,
                                                 interval=0.05, wait=20)
    return found


def test_resize_confirm_and_revert(member: Any, conn: Any, server: Server) -> None:
    source = conn.compute.get_server(server.id).compute_host
    member.compute.resize_server(server, member.compute.find_flavor("m1.small"))
    resized = _wait(conn, server, "VERIFY_RESIZE")
    assert resized.flavor.name == "m1.small" and resized.compute_host != source
    member.compute.revert_server_resize(server)
    back = _wait(conn, server, "ACTIVE")
    assert back.flavor.name == "m1.tiny" and back.compute_host == source
    member.compute.resize_server(server, member.compute.find_flavor("m1.small").id)
    _wait(member, server, "VERIFY_RESIZE")
    member.compute.confirm_server_resize(server)
    assert _wait(member, server, "ACTIVE").flavor.name == "m1.small"
    with pytest.raises(exc.HttpException) as err:
        member.compute.confirm_server_resize(server)
    assert err.value.status_code == 409


def test_cold_and_live_migration(member: Any, conn: Any, server: Server) -> None:
    with pytest.raises(exc.HttpException) as err:
        member.compute.migrate_server(server)
    assert err.value.status_code == 403
    conn.compute.migrate_server(server)
    _wait(conn, server, "VERIFY_RESIZE")
    conn.compute.confirm_server_resize(server)
    before = _wait(conn, server, "ACTIVE").compute_host
    conn.compute.live_migrate_server(server, block_migration="auto")
    [running] = conn.compute.server_migrations(server)
    assert running.status == "running" and running.server_uuid == server.id
    assert running.memory_total_bytes and running.source_compute == before
    assert conn.compute.server_migrations(server).to_pandas()["status"].tolist() == \
        ["running"]
    got = conn.compute.get_server_migration(running.id, server)
    assert got is not None and got.dest_compute == running.dest_compute
    conn.compute.force_complete_server_migration(running, server)
    landed = _wait(conn, server, "ACTIVE")
    assert landed.compute_host == running.dest_compute
    assert conn.compute.get_server_migration(running.id, server) is None
    conn.compute.live_migrate_server(server)
    [again] = conn.compute.server_migrations(server)
    conn.compute.abort_server_migration(again, server)
    assert _wait(conn, server, "ACTIVE").compute_host == running.dest_compute


def test_shelve_unshelve(member: Any, conn: Any, server: Server) -> None:
    member.compute.shelve_server(server)
    assert _wait(member, server, "SHELVED_OFFLOADED").compute_host is None
    member.compute.unshelve_server(server)
    assert _wait(conn, server, "ACTIVE").compute_host


def test_rebuild_images_rescue(member: Any, server: Server) -> None:
    rebuilt = member.compute.rebuild_server(server, _image(member), name="reborn",
                                            admin_password="pw")
    assert rebuilt.name == "reborn" and rebuilt.status == "REBUILD"
    _wait(member, server, "ACTIVE")
    image_id = member.compute.create_server_image(server, "snap", metadata={"k": "v"})
    assert image_id and uuid.UUID(image_id)
    assert member.compute.backup_server(server, "b", "daily", 1)
    member.compute.rescue_server(server, admin_pass="x")
    _wait(member, server, "RESCUE")
    member.compute.unrescue_server(server)
    _wait(member, server, "ACTIVE")
    actions = [a.action for a in member.compute.server_actions(server)]
    assert actions[:5] == ["unrescue", "rescue", "createBackup", "createImage", "rebuild"]


def test_password_state_consoles_diagnostics(member: Any, conn: Any,
                                             server: Server) -> None:
    member.compute.change_server_password(server, "n3w-pass")
    assert member.compute.get_server_password(server) == ""
    member.compute.clear_server_password(server)
    member.compute.trigger_server_crash_dump(server)
    output = member.compute.get_server_console_output(server, length=2)["output"]
    assert output.endswith("login: ") and len(output.split("\n")) == 2
    console = member.compute.create_console(server, "novnc")
    assert console["protocol"] == "vnc" and "token" in console["url"]
    token = console["url"].rsplit("%3D", 1)[-1]
    info = conn.compute.validate_console_auth_token(token)
    assert info.instance_uuid == server.id and info.port
    assert member.compute.get_server_console_url(server, "serial")["type"] == "serial"
    remote = member.compute.create_server_remote_console(server, protocol="spice",
                                                         type="spice-html5")
    assert remote.url and remote.protocol == "spice"
    diag = conn.compute.get_server_diagnostics(server)
    assert diag.num_cpus == 1 and diag.state == "running" and diag.memory_details
    with pytest.raises(exc.HttpException):
        member.compute.get_server_diagnostics(server)
    assert member.compute.fetch_server_security_groups(server).security_groups == []
    assert member.compute.get_server(server.id).fetch_topology(member.compute) == {
        "nodes": [], "pagesize_kb": None}
    with pytest.raises(exc.HttpException) as err:
        member.compute.reset_server_state(server, "error")
    assert err.value.status_code == 403
    conn.compute.reset_server_state(server, "error")
    assert _wait(member, server, "ERROR")
