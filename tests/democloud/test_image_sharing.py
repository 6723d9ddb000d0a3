"""Image members in the demo cloud over HTTP: an owner offers a shared image, the member
project sees it by id at once but in its list only once it accepts; Glance's 403/404/409;
and the same through ``openstack image add project`` / ``image set --accept``."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from osnb import democloud

PATCH = "application/openstack-images-v2.1-json-patch"


class Glance:
    """A tiny Glance client for one token."""

    def __init__(self, cloud: democloud.DemoCloud, token: str) -> None:
        self.base = cloud.url + "/image/v2"
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = token

    def call(self, method: str, path: str, body: Any = None, *, expect: int,
             **params: Any) -> Any:
        r = self.session.request(method, self.base + path, json=body, params=params or None,
                                 timeout=30)
        assert r.status_code == expect, (method, path, r.status_code, r.text)
        if r.headers.get("Content-Type", "").startswith("application/json"):
            return r.json()
        return r.text  # Glance's errors are HTML pages

    def listed(self, **params: Any) -> set[str]:
        return {i["id"] for i in self.call("GET", "/images", expect=200, limit=1000,
                                            **params)["images"]}


def new_member(cloud: democloud.DemoCloud, admin_token: str, project_id: str
               ) -> tuple[str, str, str]:
    """A new user with the member role in ``project_id``: its token, name and password."""
    ks, head = cloud.auth_url, {"X-Auth-Token": admin_token}
    domain = requests.get(ks + "/domains", headers=head, params={"name": "Default"},
                          timeout=10).json()["domains"][0]["id"]
    role = requests.get(ks + "/roles", headers=head, params={"name": "member"},
                        timeout=10).json()["roles"][0]["id"]
    name, password = f"glance-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    user = requests.post(ks + "/users", headers=head, timeout=10, json={"user": {
        "name": name, "password": password, "domain_id": domain}}).json()["user"]
    assert requests.put(f"{ks}/projects/{project_id}/users/{user['id']}/roles/{role}",
                        headers=head, timeout=10).status_code == 204
    r = requests.post(ks + "/auth/tokens", timeout=10, json={"auth": {"identity": {
        "methods": ["password"], "password": {"user": {"id": user["id"],
                                                      "password": password}}},
        "scope": {"project": {"id": project_id}}}})
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"], name, password


@pytest.fixture(scope="module")
def world(cloud: democloud.DemoCloud, admin_token: str, member_token: str) -> dict[str, Any]:
    """The owner (the demo member's project), a target project and a bystander."""
    head = {"X-Auth-Token": admin_token}
    mine = requests.get(cloud.auth_url + "/auth/tokens", timeout=10, headers={
        **head, "X-Subject-Token": member_token}).json()["token"]["project"]["id"]
    others = [p for p in requests.get(cloud.auth_url + "/projects", headers=head,
                                      timeout=10).json()["projects"]
              if p["id"] != mine and p["name"] not in ("admin", "service")
              and not p.get("is_domain")]
    target, bystander = others[:2]
    token, user, password = new_member(cloud, admin_token, target["id"])
    return {"mine": mine, "target": target["id"], "target_name": target["name"],
            "bystander": bystander["id"], "owner": Glance(cloud, member_token),
            "admin": Glance(cloud, admin_token), "them": Glance(cloud, token),
            "user": user, "password": password,
            "others": Glance(cloud, new_member(cloud, admin_token, bystander["id"])[0])}


@pytest.fixture
def shared(world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    image = world["owner"].call("POST", "/images", {
        "name": f"share-{uuid.uuid4().hex[:6]}", "visibility": "shared",
        "disk_format": "raw", "container_format": "bare"}, expect=201)
    yield image
    world["admin"].session.delete(f"{world['admin'].base}/images/{image['id']}", timeout=10)


def test_membership_walks_pending_to_accepted(world: dict[str, Any],
                                              shared: dict[str, Any]) -> None:
    owner, them, others = world["owner"], world["them"], world["others"]
    iid, target = shared["id"], world["target"]
    members = f"/images/{iid}/members"
    them.call("GET", f"/images/{iid}", expect=404)  # not a member yet
    made = owner.call("POST", members, {"member": target}, expect=200)
    assert (made["image_id"], made["member_id"], made["status"]) == (iid, target, "pending")
    assert made["schema"] == "/v2/schemas/member"
    owner.call("POST", members, {"member": target}, expect=409)
    # A member sees the image by id at once, in its list only once it has accepted.
    assert them.call("GET", f"/images/{iid}", expect=200)["id"] == iid
    assert iid not in them.listed()
    assert iid in them.listed(member_status="pending")
    assert iid in them.listed(member_status="all")
    # The owner may not answer for the member; a bystander does not see the membership.
    owner.call("PUT", f"{members}/{target}", {"status": "accepted"}, expect=403)
    others.call("GET", f"{members}/{target}", expect=404)
    accepted = them.call("PUT", f"{members}/{target}", {"status": "accepted"}, expect=200)
    assert accepted["status"] == "accepted"
    assert iid in them.listed() and iid not in them.listed(member_status="pending")
    assert them.call("GET", f"{members}/{target}", expect=200)["status"] == "accepted"
    assert [m["member_id"] for m in them.call("GET", members, expect=200)["members"]] == \
        [target]
    them.call("PUT", f"{members}/{target}", {"status": "maybe"}, expect=400)
    them.call("PUT", f"{members}/{target}", {}, expect=400)
    them.call("PUT", f"{members}/{target}", {"status": "rejected"}, expect=200)
    assert iid not in them.listed()
    assert iid in them.listed(member_status="rejected")
    # The member may not remove itself or add others; the owner removes it.
    them.call("DELETE", f"{members}/{target}", expect=403)
    them.call("POST", members, {"member": world["bystander"]}, expect=403)
    owner.call("DELETE", f"{members}/{target}", expect=204)
    them.call("GET", f"/images/{iid}", expect=404)
    owner.call("GET", f"{members}/{target}", expect=404)


def test_only_shared_images_have_members(world: dict[str, Any]) -> None:
    owner = world["owner"]
    image = owner.call("POST", "/images", {"name": "private-one", "visibility": "private"},
                       expect=201)
    try:
        text = owner.call("POST", f"/images/{image['id']}/members",
                          {"member": world["target"]}, expect=403)
        assert f"Not allowed to create members for image {image['id']}." in text
        text = owner.call("GET", f"/images/{image['id']}/members", expect=403)
        assert "Only shared images have members." in text
        owner.call("POST", f"/images/{image['id']}/members", {}, expect=400)
    finally:
        owner.call("DELETE", f"/images/{image['id']}", expect=204)


def test_an_admin_may_set_a_status_and_deleting_the_image_ends_memberships(
        world: dict[str, Any], shared: dict[str, Any]) -> None:
    members = f"/images/{shared['id']}/members"
    world["owner"].call("POST", members, {"member": world["target"]}, expect=200)
    done = world["admin"].call("PUT", f"{members}/{world['target']}",
                               {"status": "accepted"}, expect=200)
    assert done["status"] == "accepted"
    world["owner"].call("DELETE", f"/images/{shared['id']}", expect=204)
    assert shared["id"] not in world["them"].listed(member_status="all")


def _osc(config: Path, cloud_name: str, *args: str, json_out: bool = True) -> Any:
    exe = str(Path(sys.executable).parent / "openstack")
    cmd = [exe, "--os-cloud", cloud_name, *args] + (["-f", "json"] if json_out else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60,
                         env={"OS_CLIENT_CONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout) if json_out and out.stdout.strip() else out.stdout


def test_cli_add_project_accept_and_member_list(world: dict[str, Any], shared: dict[str, Any],
                                                clouds_yaml: Path, tmp_path: Path) -> None:
    """``image add project`` (owner), ``image set --accept`` (member),
    ``image member list``, ``image remove project``."""
    config = yaml.safe_load(clouds_yaml.read_text())
    target = dict(config["clouds"]["demo-member"])
    target["auth"] = {**target["auth"], "username": world["user"],
                      "password": world["password"], "project_name": world["target_name"]}
    config["clouds"]["target"] = target
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump(config))
    iid = shared["id"]
    added = _osc(path, "demo-member", "image", "add", "project", iid, world["target"])
    assert added["status"] == "pending"
    assert iid not in world["them"].listed()
    _osc(path, "target", "image", "set", "--accept", iid, json_out=False)
    assert iid in world["them"].listed()
    rows = _osc(path, "demo-member", "image", "member", "list", iid)
    assert [(r["Member ID"], r["Status"]) for r in rows] == [(world["target"], "accepted")]
    listed = _osc(path, "target", "image", "list")
    assert iid in {r["ID"] for r in listed}
    _osc(path, "demo-member", "image", "remove", "project", iid, world["target"],
         json_out=False)
    assert world["owner"].call("GET", f"/images/{iid}/members", expect=200)["members"] == []
