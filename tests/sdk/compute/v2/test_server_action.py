"""Server lifecycle actions and the instance-action log, against the demo cloud."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.compute.v2.server_action import ServerAction, ServerActionEvent


@pytest.fixture(scope="module")
def server(member) -> Iterator[Server]:
    flavor = member.compute.find_flavor("m1.small")
    image_url = member.session.get_endpoint(service_type="image", interface="public")
    images = member.session.get(image_url.rstrip("/") + "/v2/images",
                                params={"status": "active"}).json()["images"]
    created = member.compute.create_server(name="osnb-actions-test", flavor_id=flavor.id,
                                           image_id=images[0]["id"], networks="none")
    yield member.compute.wait_for_server(created, interval=0.05, wait=20)
    member.compute.delete_server(created)


def test_declaration() -> None:
    assert ServerAction.base_path == "/servers/%(server_id)s/os-instance-actions"
    assert (ServerAction.resource_key, ServerAction.resources_key) == \
        ("instanceAction", "instanceActions")
    assert ServerAction.allow_list and ServerAction.allow_retrieve
    assert not (ServerAction.allow_create or ServerAction.allow_update
                or ServerAction.allow_delete)
    assert ServerAction._props["server_id"].in_uri
    assert ServerAction._id_prop is ServerAction._props["request_id"]
    assert ServerAction.query.mapping["changes_since"] == "changes-since"
    assert ServerAction._props["events"].conversion.item.kind is ServerActionEvent


def _cycle(member, server: Server, act, status: str) -> None:
    act(server)
    member.compute.wait_for_server(server, status, interval=0.05, wait=10)


def test_lifecycle_actions_reach_the_server(member, server: Server) -> None:
    compute = member.compute
    _cycle(member, server, compute.stop_server, "SHUTOFF")
    _cycle(member, server, compute.start_server, "ACTIVE")
    _cycle(member, server, compute.pause_server, "PAUSED")
    _cycle(member, server, compute.unpause_server, "ACTIVE")
    _cycle(member, server, compute.suspend_server, "SUSPENDED")
    _cycle(member, server, compute.resume_server, "ACTIVE")
    compute.reboot_server(server.id, "HARD")
    compute.wait_for_server(server, interval=0.05, wait=10)
    compute.lock_server(server, locked_reason="osnb maintenance")
    locked = compute.get_server(server.id)
    assert locked.is_locked is True and locked.locked_reason == "osnb maintenance"
    compute.unlock_server(server)
    assert compute.get_server(server.id).is_locked is False


def test_list_and_get_actions(member, server: Server) -> None:
    member.compute.reboot_server(server, "SOFT")
    member.compute.wait_for_server(server, interval=0.05, wait=10)
    actions = member.compute.server_actions(server)
    names = [a.action for a in actions]
    assert "create" in names and "reboot" in names
    reboot = next(a for a in actions if a.action == "reboot")
    assert reboot.server_id == server.id and isinstance(reboot.start_time, dt.datetime)
    got = member.compute.get_server_action(reboot.request_id, server)
    assert got.id == reboot.request_id and got.action == "reboot"
    assert got.events and isinstance(got.events[0], ServerActionEvent)
    assert got.events[0].event and isinstance(got.events[0].start_time, dt.datetime)
    with pytest.raises(exc.NotFound):
        member.compute.get_server_action("req-00000000-0000-4000-8000-000000000000", server)


def test_changes_since_reaches_the_server(member, server: Server) -> None:
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert len(member.compute.server_actions(server, changes_since=future)) == 0
    past = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    assert len(member.compute.server_actions(server, changes_since=past)) >= 1
