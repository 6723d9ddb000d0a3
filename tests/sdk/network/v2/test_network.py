"""Network through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.network import Network


def test_declaration() -> None:
    assert (Network.base_path, Network.resource_key, Network.resources_key) == \
        ("/networks", "network", "networks")
    assert Network.allow_create and Network.allow_retrieve and Network.allow_update
    assert Network.allow_delete and Network.allow_list and not Network.allow_head
    assert Network._props["is_router_external"].server_key == "router:external"
    assert Network._props["is_shared"].server_key == "shared"
    assert Network.query.mapping["is_router_external"] == "router:external"
    assert Network.query.mapping["any_tags"] == "tags-any"


def test_list_with_every_page(conn) -> None:
    networks = conn.network.networks()
    paged = conn.network.networks(limit=2)
    assert len(networks) > 2 and paged.pages >= len(networks) // 2
    assert sorted(paged.ids()) == sorted(networks.ids())
    first = networks[0]
    assert isinstance(first.created_at, dt.datetime) and first.created_at.tzinfo
    assert isinstance(first.is_admin_state_up, bool) and isinstance(first.mtu, int)


def test_filters_reach_the_server_with_their_names(conn) -> None:
    external = conn.network.networks(is_router_external=True)
    assert external and all(n.is_router_external for n in external)
    shared = conn.network.networks(is_shared=True)
    assert shared and all(n.is_shared for n in shared)
    project = external[0].project_id
    assert all(n.project_id == project for n in conn.network.networks(project_id=project))


def test_get_find_and_not_found(conn) -> None:
    net = conn.network.find_network("public")
    assert net.is_router_external and conn.network.get_network(net.id) == net
    assert conn.network.find_network(net.id).name == "public"
    with pytest.raises(exc.NotFound):
        conn.network.find_network("no-such-network")
    assert conn.network.find_network("no-such-network", ignore_missing=True) is None
    with pytest.raises(exc.NotFound):
        conn.network.get_network("00000000-0000-4000-8000-000000000000")


def test_create_update_delete(member) -> None:
    net = member.network.create_network(name="osnb-net-test", is_admin_state_up=True)
    assert net.id and net.status and net.project_id == member.current_project_id
    updated = member.network.update_network(net, description="from osnb")
    assert updated.description == "from osnb"
    assert member.network.get_network(net.id).description == "from osnb"
    member.network.delete_network(net)
    assert member.network.find_network(net.id, ignore_missing=True) is None
