"""lookup finds things by id, name and address, across services."""

from __future__ import annotations

from osnb.analysis import lookup
from osnb.analysis.lookup import LOOKUP_COLUMNS
from osnb.sdk.connection import Connection


def test_server_by_id_and_by_name(admin: Connection) -> None:
    server = admin.compute.servers(all_projects=True)[0]
    by_id = lookup(admin, server.id)
    assert list(by_id.columns) == list(LOOKUP_COLUMNS)
    assert by_id[["kind", "id"]].values.tolist() == [["server", server.id]]
    assert by_id.project_id.iloc[0] == server.project_id
    assert by_id.project_name.iloc[0] == admin.identity.get_project(server.project_id).name
    by_name = admin.lookup(server.name)
    assert server.id in set(by_name[by_name.kind == "server"].id)
    assert (by_name[by_name.kind == "server"].name == server.name).all()


def test_port_by_id_and_fixed_ip(admin: Connection) -> None:
    port = next(p for p in admin.network.ports() if p.fixed_ips)
    assert lookup(admin, port.id)[["kind", "id"]].values.tolist() == [["port", port.id]]
    by_ip = lookup(admin, port.fixed_ips[0]["ip_address"])
    assert port.id in set(by_ip[by_ip.kind == "port"].id)


def test_floating_ip_by_address(admin: Connection) -> None:
    fip = admin.network.ips()[0]
    df = lookup(admin, fip.floating_ip_address)
    row = df[df.kind == "floating_ip"]
    assert row.id.tolist() == [fip.id]
    assert row.name.tolist() == [fip.floating_ip_address]


def test_project_user_flavor_hypervisor_by_name(admin: Connection, member: Connection) -> None:
    project = next(p for p in admin.identity.projects() if p.name != "admin")
    assert lookup(admin, project.name)[["kind", "id"]].values.tolist() == [
        ["project", project.id]]
    flavor = admin.compute.flavors()[0]
    assert ["flavor", flavor.id] in lookup(admin, flavor.name)[["kind", "id"]].values.tolist()
    hyp = admin.compute.hypervisors()[0]
    assert ["hypervisor", hyp.id] in lookup(admin, hyp.name)[["kind", "id"]].values.tolist()
    user = admin.identity.users()[0]
    assert ["user", user.id] in lookup(admin, user.name)[["kind", "id"]].values.tolist()


def test_nothing_found_is_an_empty_frame(admin: Connection) -> None:
    df = lookup(admin, "no-such-thing-anywhere")
    assert df.empty and df.attrs["errors"].empty


def test_member_sees_own_and_refusals_are_listed(member: Connection) -> None:
    server = member.compute.servers()[0]
    df = lookup(member, server.id)
    assert df[["kind", "id"]].values.tolist() == [["server", server.id]]
    assert df.project_name.tolist() == [member.names.name("project", server.project_id)]
    assert df.project_name.notna().all()  # the member's own project, by name
    assert set(df.attrs["errors"].kind) <= {"project", "user", "hypervisor"}


def test_member_keeps_a_hit_by_id_where_listing_by_name_is_forbidden(
        member: Connection) -> None:
    own = member.current_project_id
    df = lookup(member, own)
    assert ["project", own] in df[["kind", "id"]].values.tolist()
    # The user search is refused for a member (no hit by id either): reported, not lost.
    assert "user" in set(df.attrs["errors"].kind)
