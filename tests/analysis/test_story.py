"""server_story of a failed server, and its HTML with hostile strings."""

from __future__ import annotations

import time

import pytest
from rich.console import Console

from osnb.analysis import ServerStory, server_story
from osnb.sdk.connection import Connection

HOSTILE = "<script>alert('x')</script>&[red]"


def test_error_server_story(admin: Connection) -> None:
    failed = admin.compute.servers(all_projects=True, status="ERROR")[0]
    story = admin.server_story(failed.id)
    assert isinstance(story, ServerStory)
    assert story.server.id == failed.id and story.fault and story.fault["code"] >= 400
    assert story.flavor.get("vcpus")
    bad = story.failed_events
    assert len(bad) >= 1 and bad.event_result.str.lower().eq("error").any()
    assert story.actions.start_time.is_monotonic_decreasing
    html = story._repr_html_()
    assert "fault" in html and bad.event.iloc[0] in html and "&lt;" not in story.server.name
    assert failed.name in repr(story)
    text = _rich_text(story)
    assert failed.name in text and "fault" in text


def test_story_by_name_with_ports_and_volumes(admin: Connection) -> None:
    server = next(s for s in admin.compute.servers(all_projects=True)
                  if s.attached_volumes and s.status == "ACTIVE")
    story = server_story(admin, server)
    assert set(story.volumes.id) == {v["id"] for v in server.attached_volumes}
    sizes = {v["id"]: admin.block_storage.get_volume(v["id"]).size
             for v in server.attached_volumes}
    assert story.volumes.set_index("id").size_gib.to_dict() == sizes
    flavor = dict(story._summary())["flavor"]
    ram = story.flavor["ram"] / 1024
    assert f"{ram:g} GiB RAM" in flavor and "GiB disk" in flavor and "MB" not in flavor
    ports = admin.network.ports(device_id=server.id)
    assert set(story.ports.id) == {p.id for p in ports}
    assert story.host is not None and story.host.name == server.hypervisor_hostname
    networks = {n.id: n.name for n in admin.network.networks()}
    assert (story.ports.network_name == story.ports.network_id.map(networks)).all()
    users = {u.id: u.name for u in admin.identity.users()}
    acted = story.actions.dropna(subset=["user_id"])
    assert len(acted) and (acted.user_name == acted.user_id.map(users)).all()
    project = admin.identity.get_project(server.project_id).name
    summary = dict(story._summary())
    assert summary["project"] == f"{project} ({server.project_id})"
    assert summary["user"] == f"{users[server.user_id]} ({server.user_id})"
    assert f"{project} ({server.project_id})" in story._repr_html_()
    assert story.image is not None and story.errors == []


@pytest.fixture(scope="module")
def hostile_server(admin: Connection) -> object:
    flavor = admin.compute.find_flavor("m1.small")
    assert flavor is not None
    image = next(i for i in admin.image.images(status="active")
                 if (i.min_disk or 0) <= (flavor.disk or 0))
    server = admin.compute.create_server(name=HOSTILE, flavor_id=flavor.id,
                                         image_id=image.id, networks="auto",
                                         description=HOSTILE)
    deadline = time.monotonic() + 10
    while admin.compute.get_server(server).status == "BUILD" and time.monotonic() < deadline:
        time.sleep(0.1)
    yield server
    admin.compute.delete_server(server)


def test_hostile_strings_are_escaped(admin: Connection, hostile_server: object) -> None:
    story = server_story(admin, hostile_server)
    html = story._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    text = _rich_text(story)
    assert "[red]" in text  # shown as characters, not taken as markup


def _rich_text(story: ServerStory) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(story)
    return console.export_text()


def test_a_server_with_odd_nested_values_still_has_a_story() -> None:
    """A broken cloud's server: flavor a bare string, fault a string, addresses a list;
    every other part of the story fails (the replay cloud answers nothing else). The story
    is still told, its failures listed."""
    from rich.console import Console

    from osnb.analysis import server_story
    from tests.conformance.replay import PROJECT, replaying

    body = {"server": {"id": "s1", "name": "odd", "status": "ERROR", "tenant_id": PROJECT,
                       "user_id": "u1", "flavor": "m1.small", "fault": "it broke",
                       "image": "", "addresses": ["10.0.0.1"],
                       "os-extended-volumes:volumes_attached": "none"}}
    with replaying() as replay:
        replay.serve("compute", body, "2.100")
        story = server_story(replay.connect(), "s1")
    assert story.flavor == {"original_name": "m1.small"}
    assert story.fault == {"message": "it broke"}
    assert story.errors
    assert "m1.small" in story._repr_html_() and "it broke" in story._repr_html_()
    Console(width=100, file=__import__("io").StringIO()).print(story)
