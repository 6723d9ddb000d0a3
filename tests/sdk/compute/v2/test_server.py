"""Server and Flavor through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.flavor import Flavor
from osnb.sdk.compute.v2.server import Server


def test_declaration() -> None:
    assert (Server.base_path, Server.resource_key, Server.resources_key) == \
        ("/servers", "server", "servers")
    assert Server.allow_create and Server.allow_list and not Server.allow_head
    assert Server._props["project_id"].server_key == "tenant_id"
    assert Server.query.mapping["all_projects"] == "all_tenants"
    assert Flavor._props["is_public"].server_key == "os-flavor-access:is_public"


def test_list_all_projects_with_every_page(conn, cloud) -> None:
    servers = conn.compute.servers(all_projects=True)
    expected = cloud.call(lambda: len(cloud.store.table("servers")))
    assert len(servers) == expected
    paged = conn.compute.servers(all_projects=True, limit=7)
    assert paged.pages >= expected // 7
    assert [s.id for s in paged] == [s.id for s in servers]
    first = servers[0]
    assert isinstance(first.created_at, dt.datetime) and first.created_at.tzinfo
    assert isinstance(first.flavor, Flavor) and isinstance(first.flavor.vcpus, int)


def test_member_sees_only_its_project_and_cannot_list_all(member, cloud) -> None:
    project_id = cloud.store.meta["member_project_id"]
    mine = member.compute.servers()
    assert all(s.project_id == project_id for s in mine)
    with pytest.raises(exc.Forbidden) as err:
        member.compute.servers(all_projects=True)
    assert err.value.status_code == 403 and err.value.request_id


def test_filters_reach_the_server_with_their_names(conn) -> None:
    servers = conn.compute.servers(all_projects=True)
    host = next(s.compute_host for s in servers if s.compute_host)
    on_host = conn.compute.servers(all_projects=True, compute_host=host)
    assert on_host and all(s.compute_host == host for s in on_host)
    errors = conn.compute.servers(all_projects=True, status="ERROR")
    assert all(s.status == "ERROR" for s in errors)


def test_microversion_is_negotiated_per_resource(conn) -> None:
    server = conn.compute.servers(all_projects=True, limit=1)[0]
    got = conn.compute.get_server(server.id)
    assert got.headers["OpenStack-API-Version"] == "compute 2.100"
    assert conn.compute.microversion_for(Flavor) == "2.75"


def test_get_find_and_not_found(conn) -> None:
    servers = conn.compute.servers(all_projects=True)
    names = [s.name for s in servers]
    server = next(s for s in servers if names.count(s.name) == 1)
    assert conn.compute.get_server(server.id) == server
    assert conn.compute.find_server(server.name, all_projects=True) == server
    twin = next((n for n in names if names.count(n) > 1), None)
    if twin is not None:
        with pytest.raises(exc.DuplicateResource, match="use an id"):
            conn.compute.find_server(twin, all_projects=True)
    assert conn.compute.find_server(server.id).id == server.id
    with pytest.raises(exc.NotFound) as err:
        conn.compute.get_server("00000000-0000-4000-8000-000000000000")
    assert "could not be found" in err.value.message
    assert conn.compute.find_server("no-such-server", ignore_missing=True) is None


def test_create_wait_update_delete(member) -> None:
    flavor = member.compute.find_flavor("m1.small")
    image_url = member.session.get_endpoint(service_type="image", interface="public")
    images = member.session.get(image_url.rstrip("/") + "/v2/images",
                                params={"status": "active"}).json()["images"]
    image = min(images, key=lambda i: i.get("min_disk") or 0)
    server = member.compute.create_server(name="osnb-core-test", flavor_id=flavor.id,
                                          image_id=image["id"], networks="auto")
    assert server.id and server.status in ("BUILD", None)
    seen: list[str] = []
    server = member.compute.wait_for_server(server, interval=0.1, wait=20,
                                            callback=lambda r, s, t: seen.append(s))
    assert server.status == "ACTIVE" and "BUILD" in seen
    updated = member.compute.update_server(server, name="osnb-core-renamed")
    assert updated.name == "osnb-core-renamed"
    member.compute.delete_server(server)
    member.compute.wait_for_delete(server, interval=0.1, wait=20)
    with pytest.raises(exc.NotFound):
        member.compute.get_server(server.id)


def test_wait_for_status_reports_failure_and_timeout(conn) -> None:
    errored = conn.compute.servers(all_projects=True, status="ERROR")[0]
    with pytest.raises(exc.ResourceFailure) as err:
        conn.compute.wait_for_server(errored, interval=0.05, wait=5)
    assert err.value.resource.status == "ERROR"
    active = conn.compute.servers(all_projects=True, status="ACTIVE")[0]
    with pytest.raises(exc.ResourceTimeout) as timeout:
        conn.compute.wait_for_status(active, "SHUTOFF", interval=0.05, wait=0.2)
    assert timeout.value.resource.status == "ACTIVE"


def test_bad_create_is_refused_before_http(member) -> None:
    with pytest.raises(exc.InvalidValue, match="Server.min_count"):
        member.compute.create_server(name="x", min_count="several")


def test_flavors(conn) -> None:
    flavors = conn.compute.flavors()
    small = conn.compute.find_flavor("m1.small")
    assert small in flavors
    assert isinstance(small.ram, int) and isinstance(small.is_public, bool)
    assert conn.compute.get_flavor(small.id).name == "m1.small"
    big = conn.compute.flavors(min_ram=small.ram + 1)
    assert big and all(f.ram > small.ram for f in big)


def test_create_with_scheduler_hints_sends_them_beside_the_server(member) -> None:
    """Nova takes a create's hints beside ``server`` (``OS-SCH-HNT:scheduler_hints``) and,
    from 2.100, shows them inside it as ``scheduler_hints``."""
    from osnb.sdk.compute.v2.server import Server

    body = Server(name="x", scheduler_hints={"group": "g"})._envelope(
        dict(Server(name="x", scheduler_hints={"group": "g"})._changes))
    assert body == {"server": {"name": "x"}, "OS-SCH-HNT:scheduler_hints": {"group": "g"}}
    flavor = member.compute.find_flavor("m1.small")
    group = member.compute.create_server_group(name="osnb-hints", policy="anti-affinity")
    image_url = member.session.get_endpoint(service_type="image", interface="public")
    images = member.session.get(image_url.rstrip("/") + "/v2/images",
                                params={"status": "active"}).json()["images"]
    image = min(images, key=lambda i: i.get("min_disk") or 0)
    server = member.compute.create_server(name="osnb-hinted", flavor_id=flavor.id,
                                          image_id=image["id"], networks="auto",
                                          scheduler_hints={"group": group.id})
    try:
        got = member.compute.get_server(server.id)
        assert got.scheduler_hints == {"group": group.id}
        assert server.id in (member.compute.get_server_group(group.id).member_ids or [])
    finally:
        member.compute.delete_server(server)
        member.compute.wait_for_delete(server, interval=0.1, wait=20)
        member.compute.delete_server_group(group)
