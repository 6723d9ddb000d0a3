"""The finders return the demo cloud's seeded problems."""

from __future__ import annotations

from osnb.analysis import (
    detached_volumes,
    orphaned_floating_ips,
    ports_without_device,
    servers_in_error,
    servers_per_host,
)
from osnb.sdk.connection import Connection


def test_servers_in_error(admin: Connection) -> None:
    df = servers_in_error(admin)
    expected = {s.id for s in admin.compute.servers(all_projects=True, status="ERROR")}
    assert len(expected) >= 1 and set(df.id) == expected
    assert df.fault_message.notna().all() and df.project_name.notna().all()
    projects = {p.id: p.name for p in admin.identity.projects()}
    users = {u.id: u.name for u in admin.identity.users()}
    images = {i.id: i.name for i in admin.image.images()}
    for row in df.itertuples():
        assert row.project_name == projects[row.project_id]
        assert row.user_name == users[row.user_id]
        assert row.image_id is None or row.image_name == images[row.image_id]


def test_servers_per_host_adds_up(admin: Connection) -> None:
    df = servers_per_host(admin)
    servers = admin.compute.servers(all_projects=True)
    assert df.total.sum() == len(servers)
    hyps = {h.name: h.running_vms for h in admin.compute.hypervisors()}
    assert "ERROR" in df.columns
    for _, row in df[df.host != "(none)"].iterrows():
        assert row.total >= hyps.get(row.host, 0) - 1  # a server may be building
    assert df.total.dtype == "int64" and df.vcpus.dtype == "int64"
    ram = sum((s.raw.get("flavor") or {}).get("ram") or 0 for s in servers)
    assert abs(df.ram_gib.sum() * 1024 - ram) < 1e-6


def test_orphaned_floating_ips(admin: Connection, member: Connection) -> None:
    df = orphaned_floating_ips(admin)
    expected = {ip.id for ip in admin.network.ips() if not ip.port_id}
    assert len(expected) >= 1 and set(df.id) == expected
    networks = {n.id: n.name for n in admin.network.networks()}
    assert (df.floating_network_name == df.floating_network_id.map(networks)).all()
    own = orphaned_floating_ips(member)
    assert len(own) >= 1 and set(own.project_id) <= {member.current_project_id}
    # A member may not list projects; its own project is still named.
    own_name = admin.identity.get_project(member.current_project_id).name
    assert set(own.project_name) == {own_name}


def test_detached_volumes(admin: Connection) -> None:
    df = detached_volumes(admin)
    expected = {v.id for v in admin.block_storage.volumes(all_projects=True)
                if not v.attachments and v.status not in ("creating", "deleting")}
    assert len(expected) >= 1 and set(df.id) == expected
    assert (df.idle_days >= 0).all() and df.idle_days.is_monotonic_decreasing
    sizes = {v.id: v.size for v in admin.block_storage.volumes(all_projects=True)}
    assert str(df.size_gib.dtype) == "Int64"
    assert df.set_index("id").size_gib.to_dict() == {i: sizes[i] for i in df.id}


def test_ports_without_device(admin: Connection) -> None:
    df = ports_without_device(admin)
    assert {"debug-port", "vrrp-keepalived", "migration-tmp"} <= set(df.name)
    expected = {p.id for p in admin.network.ports() if not p.device_id}
    assert set(df.id) == expected
    networks = {n.id: n.name for n in admin.network.networks()}
    assert (df.network_name == df.network_id.map(networks)).all()
