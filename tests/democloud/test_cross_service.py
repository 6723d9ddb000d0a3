"""What one service of the demo cloud shows of another's changes, and the fast paths that
generate and encode the world, checked against the general ones."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
import pytest
import requests

from osnb import democloud
from osnb.democloud import build_store
from osnb.democloud.services.compute import glue as compute_glue
from osnb.democloud.services.compute import views as compute_views
from osnb.democloud.services.compute.common import Server, state
from osnb.democloud.store import Store, uuid_text


def _get(cloud: democloud.DemoCloud, token: str, path: str, mv: str = "2.100") -> Any:
    r = requests.get(cloud.url + path, timeout=30, headers={
        "X-Auth-Token": token, "OpenStack-API-Version": f"compute {mv}"})
    assert r.status_code == 200, r.text
    return r.json()


def _send(cloud: democloud.DemoCloud, token: str, method: str, path: str, body: Any,
          expect: int) -> Any:
    r = requests.request(method, cloud.url + path, json=body, timeout=30,
                         headers={"X-Auth-Token": token})
    assert r.status_code == expect, r.text
    return r.json() if r.content else None


def _floating(server: dict[str, Any]) -> list[str]:
    return [a["addr"] for addrs in server["addresses"].values() for a in addrs
            if a["OS-EXT-IPS:type"] == "floating"]


def test_floating_ip_through_neutron_shows_in_nova(cloud: democloud.DemoCloud,
                                                   admin_token: str) -> None:
    servers = _get(cloud, admin_token,
                   "/compute/v2.1/servers/detail?all_tenants=1&status=ACTIVE")["servers"]
    server = next(s for s in servers if not _floating(s))
    sid = server["id"]
    # Warm the cached JSON of both the show and the list shapes first.
    _get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")
    ports = _send(cloud, admin_token, "GET", f"/network/v2.0/ports?device_id={sid}", None,
                  200)["ports"]
    assert ports, server
    public = next(n for n in _send(cloud, admin_token, "GET",
                                   "/network/v2.0/networks?router:external=true", None,
                                   200)["networks"])
    fip = _send(cloud, admin_token, "POST", "/network/v2.0/floatingips", {"floatingip": {
        "floating_network_id": public["id"], "project_id": server["tenant_id"]}},
        201)["floatingip"]
    _send(cloud, admin_token, "PUT", f"/network/v2.0/floatingips/{fip['id']}",
          {"floatingip": {"port_id": ports[0]["id"]}}, 200)

    shown = _get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")["server"]
    assert _floating(shown) == [fip["floating_ip_address"]]
    entry = next(a for addrs in shown["addresses"].values() for a in addrs
                 if a["OS-EXT-IPS:type"] == "floating")
    assert entry == {"version": 4, "addr": fip["floating_ip_address"],
                     "OS-EXT-IPS:type": "floating",
                     "OS-EXT-IPS-MAC:mac_addr": ports[0]["mac_address"]}
    listed = _get(cloud, admin_token,
                  f"/compute/v2.1/servers/detail?all_tenants=1&uuid={sid}")["servers"]
    assert listed[0]["addresses"] == shown["addresses"]

    _send(cloud, admin_token, "PUT", f"/network/v2.0/floatingips/{fip['id']}",
          {"floatingip": {"port_id": None}}, 200)
    assert _floating(_get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")["server"]) == []
    _send(cloud, admin_token, "PUT", f"/network/v2.0/floatingips/{fip['id']}",
          {"floatingip": {"port_id": ports[0]["id"]}}, 200)
    _send(cloud, admin_token, "DELETE", f"/network/v2.0/floatingips/{fip['id']}", None, 204)
    assert _floating(_get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")["server"]) == []


def test_cinder_detach_shows_in_nova(cloud: democloud.DemoCloud, admin_token: str) -> None:
    servers = _get(cloud, admin_token, "/compute/v2.1/servers/detail?all_tenants=1")["servers"]
    server = next(s for s in servers if s["os-extended-volumes:volumes_attached"])
    sid = server["id"]
    vid = server["os-extended-volumes:volumes_attached"][0]["id"]
    _get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")
    _send(cloud, admin_token, "POST", f"/volume/v3/volumes/{vid}/action", {
        "os-reset_status": {"status": "available", "attach_status": "detached"}}, 202)
    shown = _get(cloud, admin_token, f"/compute/v2.1/servers/{sid}")["server"]
    assert vid not in [v["id"] for v in shown["os-extended-volumes:volumes_attached"]]


@pytest.fixture(scope="module")
def world() -> Store:
    return build_store(servers=600, projects=8)


def test_seeded_addresses_match_the_general_path(world: Store) -> None:
    servers = list(world.table("servers").values())
    assert any(compute_glue.addresses(world, s) for s in servers)
    assert any(a["OS-EXT-IPS:type"] == "floating"
               for s in servers for addrs in s["addresses"].values() for a in addrs)
    for server in servers:
        assert server["addresses"] == compute_glue.addresses(world, server), server["id"]


def test_seeded_ports_have_the_general_shape(world: Store) -> None:
    from osnb.democloud.services.network import model

    ports = world.table("ports")
    seeded = next(p for p in ports.values() if p["device_owner"].startswith("compute:"))
    server = world.table("servers")[seeded["device_id"]]
    made = model.new_port(world, project_id=seeded["project_id"],
                          network_id=seeded["network_id"], device_id=server["id"],
                          device_owner=seeded["device_owner"],
                          host=seeded["binding:host_id"] or None)
    assert list(made) == list(seeded)
    same = {k for k in seeded if k not in ("id", "mac_address", "fixed_ips", "created_at",
                                           "updated_at")}
    assert {k: made[k] for k in same} == {k: seeded[k] for k in same}
    model.delete_port(world, made["id"])


def test_page_encoding_is_byte_identical(world: Store) -> None:
    base = "http://127.0.0.1:1"
    recs = [world.table("servers")[sid] for sid in state(world).order]
    for mv, admin in (((2, 100), True), ((2, 1), False), ((2, 47), True)):
        state(world).encoded.clear()
        page = compute_views.servers_page_json(world, base, recs, mv, admin)
        single = [orjson.dumps(compute_views.server_view(base, r, compute_views.bucket(mv),
                                                          admin)) for r in recs]
        assert page == b"[" + b",".join(single) + b"]"
        assert [compute_views.server_json(world, base, r, mv, admin) for r in recs] == single


def test_store_uuid_is_uuid4_of_the_seeded_bits() -> None:
    import random

    store = Store()
    twin = random.Random(store.config.seed)
    for _ in range(1000):
        assert store.uuid() == str(uuid.UUID(int=twin.getrandbits(128), version=4))


def test_every_401_names_keystone(cloud) -> None:
    import requests

    for path in ("/compute/v2.1/servers", "/network/v2.0/ports", "/volume/v3/volumes",
                 "/image/v2/images", "/placement/resource_providers"):
        reply = requests.get(cloud.url + path, timeout=10)
        assert reply.status_code == 401, path
        assert reply.headers["WWW-Authenticate"] == f'Keystone uri="{cloud.url}/identity"'


def test_newest_page_matches_the_view_for_odd_records(world: Store) -> None:
    base = "http://127.0.0.1:1"
    rec = next(iter(world.table("servers").values()))
    for odd in ({"name": "_leading"}, {"description": '"_x'}, {"fault": {"code": 500}}):
        twin = Server({**rec, **odd}).init_private(rec.flavor_id)
        page = compute_views.servers_page_json(world, base, [twin], compute_views.NEWEST, True)
        assert page == b"[" + orjson.dumps(
            compute_views.server_view(base, twin, compute_views.NEWEST, True)) + b"]"


def test_stored_links_follow_the_url_the_world_is_served_at() -> None:
    store = build_store(servers=20, projects=6)
    recs = list(store.table("servers").values())
    for base in ("", "http://127.0.0.1:1", "http://localhost:2"):
        page = orjson.loads(compute_views.servers_page_json(store, base, recs,
                                                            compute_views.NEWEST, True))
        assert [s["links"] for s in page] == [compute_views.server_links(base, s["id"])
                                               for s in recs]


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def test_seeded_actions_are_what_record_action_makes() -> None:
    from osnb.democloud.services.compute import servers as compute_servers

    store = build_store(servers=60, projects=6)
    st = state(store)
    assert st.seeded_actions and not store.table("instance_actions")
    sid, seeded = next((s, a) for s, a in st.seeded_actions.items() if len(a) > 1)
    server = store.table("servers")[sid]
    rids = compute_servers.actions_of(store, sid)
    assert sid not in st.seeded_actions and len(rids) == len(seeded)
    made = [store.table("instance_actions")[r] for r in rids]
    for rec, args in zip(made, seeded, strict=True):
        project, host, host_id, action, rid, user, start, event, result, message, \
            traceback, duration = args
        rid = "req-" + uuid_text(rid)  # drawn as bits, made into text with the record
        twin = Store()
        twin_server = {**server, "OS-EXT-SRV-ATTR:host": host or None, "hostId": host_id}
        general = compute_servers.record_action(
            twin, twin_server, action, request_id=rid, user_id=user,
            start=EPOCH + dt.timedelta(microseconds=start),
            event=event, result=result, message=message, traceback=traceback,
            duration_s=duration)
        assert rec == general
    # A later action comes after the seeded ones; deleting the server forgets them all.
    other = next(s for s in st.seeded_actions)
    compute_servers.record_action(store, store.table("servers")[other], "reboot",
                                  request_id="req-later", user_id="u")
    assert state(store).actions[other][-1] == "req-later"
    assert len(state(store).actions[other]) > 1
    compute_servers.remove_server(store, store.table("servers")[other])
    assert other not in st.seeded_actions and "req-later" not in store.table(
        "instance_actions")
