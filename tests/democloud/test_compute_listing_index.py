"""A project's server listing walks the project's own index: same pages as filtering the
world's, kept right through creates and deletes (over real HTTP, a cloud of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud
from tests.conftest import _token

V21 = "/compute/v2.1"


@pytest.fixture(scope="module")
def own() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=11, projects=4, servers=60, build_seconds=0) as running:
        yield running


def _get(cloud: democloud.DemoCloud, token: str, path: str) -> Any:
    r = requests.get(cloud.url + V21 + path, headers={
        "X-Auth-Token": token, "OpenStack-API-Version": "compute 2.79"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _walk(cloud: democloud.DemoCloud, token: str, query: str, limit: int) -> list[str]:
    ids: list[str] = []
    page = _get(cloud, token, f"/servers?limit={limit}{query}")
    while True:
        ids += [s["id"] for s in page["servers"]]
        nxt = [link for link in page.get("servers_links", []) if link["rel"] == "next"]
        if not nxt:
            return ids
        marker = nxt[0]["href"].split("marker=")[1].split("&")[0]
        page = _get(cloud, token, f"/servers?limit={limit}&marker={marker}{query}")


def _expected(cloud: democloud.DemoCloud, project: str) -> list[str]:
    """The project's live servers, newest first (created desc, id desc), from the store."""
    def take() -> list[str]:
        mine = [s for s in cloud.store.table("servers").values()
                if s["tenant_id"] == project and s["status"] not in ("DELETED",)]
        return [s["id"] for s in sorted(mine, key=lambda s: (s["created"], s["id"]),
                                        reverse=True)]
    return cloud.call(take)


def test_a_projects_pages_follow_its_index_through_creates_and_deletes(own) -> None:
    admin = _token(own, "demo")[0]
    member, body = _token(own, "demo-member")
    project = body["project"]["id"]
    assert _walk(own, member, "", 3) == _expected(own, project)
    assert _walk(own, admin, f"&project_id={project}", 4) == _expected(own, project)
    image = requests.get(own.url + "/image/v2/images?limit=1&visibility=public", headers={
        "X-Auth-Token": admin}, timeout=10).json()["images"][0]
    flavor = min((f for f in _get(own, admin, "/flavors/detail")["flavors"]
                  if f["disk"] >= (image.get("min_disk") or 0)),
                 key=lambda f: (f["vcpus"], f["ram"]))["id"]
    image = image["id"]
    made = []
    for n in range(2):
        r = requests.post(own.url + V21 + "/servers", headers={
            "X-Auth-Token": member, "OpenStack-API-Version": "compute 2.79"}, timeout=10,
            json={"server": {"name": f"idx-{n}", "flavorRef": flavor, "imageRef": image,
                             "networks": "none"}})
        assert r.status_code == 202, r.text
        made.append(r.json()["server"]["id"])
    walked = _walk(own, member, "", 3)
    assert walked == _expected(own, project) and set(made) <= set(walked)
    assert walked[:2] == sorted(made, key=lambda i: walked.index(i))  # newest first
    r = requests.delete(own.url + V21 + f"/servers/{made[0]}", headers={
        "X-Auth-Token": member}, timeout=10)
    assert r.status_code == 204, r.text
    walked = _walk(own, member, "", 5)
    assert made[0] not in walked and walked == _expected(own, project)
    assert _walk(own, admin, f"&tenant_id={project}", 7) == walked
    # another project's server is a marker too, as in Nova (looked up elevated)
    other = next(s for s in _get(own, admin, "/servers?all_tenants=1&limit=1000")["servers"]
                 if s["id"] not in walked)
    after = _get(own, member, f"/servers?limit=100&marker={other['id']}")["servers"]
    assert set(s["id"] for s in after) <= set(walked)
    bad = requests.get(own.url + V21 + "/servers?marker=00000000-0000-0000-0000-000000000000",
                       headers={"X-Auth-Token": member}, timeout=10)
    assert bad.status_code == 400
