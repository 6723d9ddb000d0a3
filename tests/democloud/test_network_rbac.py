"""Neutron RBAC policies in the demo cloud over HTTP: a network shared with one project
is visible there and nowhere else; wildcards are the ``shared``/``router:external`` flags."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud

from .test_network import Api, _cli


def _member_of(cloud: democloud.DemoCloud, admin_token: str, project_id: str) -> str:
    """A token of a new user with the member role in ``project_id`` (made through Keystone)."""
    ks = cloud.auth_url
    head = {"X-Auth-Token": admin_token}
    domain = requests.get(ks + "/domains", headers=head, params={"name": "Default"},
                          timeout=10).json()["domains"][0]["id"]
    role = requests.get(ks + "/roles", headers=head, params={"name": "member"},
                        timeout=10).json()["roles"][0]["id"]
    name, password = f"rbac-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    user = requests.post(ks + "/users", headers=head, timeout=10, json={"user": {
        "name": name, "password": password, "domain_id": domain}}).json()["user"]
    r = requests.put(f"{ks}/projects/{project_id}/users/{user['id']}/roles/{role}",
                     headers=head, timeout=10)
    assert r.status_code == 204, r.text
    r = requests.post(ks + "/auth/tokens", timeout=10, json={"auth": {"identity": {
        "methods": ["password"], "password": {"user": {"id": user["id"],
                                                      "password": password}}},
        "scope": {"project": {"id": project_id}}}})
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture(scope="module")
def projects(cloud: democloud.DemoCloud, admin_token: str, member_token: str
             ) -> dict[str, Any]:
    """The member's project, a target project and a bystander project (with members)."""
    head = {"X-Auth-Token": admin_token}
    mine = requests.get(cloud.auth_url + "/auth/tokens", timeout=10, headers={
        **head, "X-Subject-Token": member_token}).json()["token"]["project"]["id"]
    others = [p["id"] for p in requests.get(cloud.auth_url + "/projects", headers=head,
                                            timeout=10).json()["projects"]
              if p["id"] != mine and p["name"] not in ("admin", "service")
              and not p.get("is_domain")]
    target, bystander = others[:2]
    return {"mine": mine, "target": target, "bystander": bystander,
            "target_api": Api(cloud, _member_of(cloud, admin_token, target)),
            "bystander_api": Api(cloud, _member_of(cloud, admin_token, bystander))}


def _net(api: Api) -> dict[str, Any]:
    net = api.call("POST", "/networks", {"network": {"name": f"rbac-{uuid.uuid4().hex[:6]}"}},
                   expect=201)["network"]
    api.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                             "cidr": "10.250.0.0/24"}}, expect=201)
    return net


def test_seeded_wildcards_mirror_the_flags(admin: Api) -> None:
    policies = admin.get("/rbac-policies", object_type="network")["rbac_policies"]
    nets = {n["id"]: n for n in admin.get("/networks")["networks"]}
    shared = {p["object_id"] for p in policies
              if p["action"] == "access_as_shared" and p["target_tenant"] == "*"}
    external = {p["object_id"] for p in policies
                if p["action"] == "access_as_external" and p["target_tenant"] == "*"}
    assert shared == {i for i, n in nets.items() if n["shared"]} and len(shared) >= 3
    assert external == {i for i, n in nets.items() if n["router:external"]}
    assert set(policies[0]) == {"id", "project_id", "tenant_id", "object_type", "object_id",
                                "action", "target_tenant"}
    one = admin.get(f"/rbac-policies/{policies[0]['id']}")["rbac_policy"]
    assert one == policies[0]
    assert admin.get("/rbac-policies", action="access_as_external")["rbac_policies"] == [
        p for p in policies if p["action"] == "access_as_external"]
    qos = {p["id"] for p in admin.get("/qos/policies", shared=True)["policies"]}
    assert {p["object_id"] for p in admin.get("/rbac-policies", object_type="qos_policy")[
        "rbac_policies"]} == qos and len(qos) >= 3


def test_sharing_reaches_the_target_and_nobody_else(member: Api, projects) -> None:
    net = _net(member)
    target, bystander = projects["target_api"], projects["bystander_api"]
    target.call("GET", f"/networks/{net['id']}", expect=404)
    policy = member.call("POST", "/rbac-policies", {"rbac_policy": {
        "object_type": "network", "object_id": net["id"], "action": "access_as_shared",
        "target_tenant": projects["target"]}}, expect=201)["rbac_policy"]
    assert policy["project_id"] == projects["mine"] and policy["target_tenant"] == \
        projects["target"]
    assert target.get(f"/networks/{net['id']}")["network"]["id"] == net["id"]
    assert net["id"] in {n["id"] for n in target.get("/networks")["networks"]}
    assert target.get("/subnets", network_id=net["id"])["subnets"]
    bystander.call("GET", f"/networks/{net['id']}", expect=404)
    assert net["id"] not in {n["id"] for n in bystander.get("/networks")["networks"]}
    # The target may not see the policy itself, nor change it.
    target.call("GET", f"/rbac-policies/{policy['id']}", expect=404)
    # A port of the target's on the network pins the policy: 409 until it is gone.
    port = target.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                       expect=201)["port"]
    member.error("DELETE", f"/rbac-policies/{policy['id']}", None, 409, "RbacPolicyInUse")
    member.error("PUT", f"/rbac-policies/{policy['id']}",
                 {"rbac_policy": {"target_tenant": projects["bystander"]}}, 409,
                 "RbacPolicyInUse")
    target.call("DELETE", f"/ports/{port['id']}", expect=204)
    moved = member.call("PUT", f"/rbac-policies/{policy['id']}", {"rbac_policy": {
        "target_tenant": projects["bystander"]}}, expect=200)["rbac_policy"]
    assert moved["target_tenant"] == projects["bystander"]
    target.call("GET", f"/networks/{net['id']}", expect=404)
    assert bystander.get(f"/networks/{net['id']}")["network"]["id"] == net["id"]
    member.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
    bystander.call("GET", f"/networks/{net['id']}", expect=404)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_refusals(admin: Api, member: Api, projects) -> None:
    net = _net(member)
    body = {"object_type": "network", "object_id": net["id"], "action": "access_as_shared",
            "target_tenant": projects["target"]}
    member.error("POST", "/rbac-policies", {"rbac_policy": {**body, "target_tenant": "*"}},
                 403, "PolicyNotAuthorized")
    member.error("POST", "/rbac-policies", {"rbac_policy": {
        k: v for k, v in body.items() if k != "target_tenant"}}, 400, "HTTPBadRequest")
    member.error("POST", "/rbac-policies", {"rbac_policy": {**body, "action": "own"}}, 400,
                 "HTTPBadRequest")
    member.error("POST", "/rbac-policies", {"rbac_policy": {
        **body, "object_type": "security_group", "action": "access_as_external"}}, 400,
        "InvalidActionForType")
    member.error("POST", "/rbac-policies", {"rbac_policy": {
        **body, "object_id": str(uuid.uuid4())}}, 404, "NetworkNotFound")
    public = admin.get("/networks", name="public")["networks"][0]
    member.error("POST", "/rbac-policies", {"rbac_policy": {**body, "object_id": public["id"]}},
                 400, "InvalidInput")
    policy = member.call("POST", "/rbac-policies", {"rbac_policy": body},
                         expect=201)["rbac_policy"]
    member.error("POST", "/rbac-policies", {"rbac_policy": body}, 409, "DuplicateRbacPolicy")
    projects["bystander_api"].error("DELETE", f"/rbac-policies/{policy['id']}", None, 404,
                                    "RbacPolicyNotFound")
    member.error("PUT", f"/rbac-policies/{policy['id']}", {"rbac_policy": {
        "action": "access_as_external"}}, 400, "HTTPBadRequest")
    member.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_admin_wildcard_is_the_shared_flag(admin: Api, member: Api, projects) -> None:
    net = _net(member)
    policy = admin.call("POST", "/rbac-policies", {"rbac_policy": {
        "object_type": "network", "object_id": net["id"], "action": "access_as_shared",
        "target_tenant": "*"}}, expect=201)["rbac_policy"]
    assert admin.get(f"/networks/{net['id']}")["network"]["shared"] is True
    assert projects["bystander_api"].get(f"/networks/{net['id']}")["network"]["shared"]
    admin.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
    assert admin.get(f"/networks/{net['id']}")["network"]["shared"] is False
    projects["bystander_api"].call("GET", f"/networks/{net['id']}", expect=404)
    # And the other way: the flag makes its policy.
    admin.call("PUT", f"/networks/{net['id']}", {"network": {"shared": True}}, expect=200)
    made = admin.get("/rbac-policies", object_id=net["id"])["rbac_policies"]
    assert [(p["action"], p["target_tenant"]) for p in made] == [("access_as_shared", "*")]
    admin.call("PUT", f"/networks/{net['id']}", {"network": {"shared": False}}, expect=200)
    assert admin.get("/rbac-policies", object_id=net["id"])["rbac_policies"] == []
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_external_to_one_project_and_the_quota(admin: Api, projects) -> None:
    net = _net(admin)
    policy = admin.call("POST", "/rbac-policies", {"rbac_policy": {
        "object_type": "network", "object_id": net["id"], "action": "access_as_external",
        "target_tenant": projects["target"]}}, expect=201)["rbac_policy"]
    assert projects["target_api"].get(f"/networks/{net['id']}")["network"]["id"] == net["id"]
    projects["bystander_api"].call("GET", f"/networks/{net['id']}", expect=404)
    admin.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
    admin.call("DELETE", f"/networks/{net['id']}", expect=204)
    # The policies a project holds count against its rbac_policy quota.
    admin_project = net["project_id"]
    detail = admin.get(f"/quotas/{admin_project}/details")["quota"]["rbac_policy"]
    held = [p for p in admin.get("/rbac-policies")["rbac_policies"]
            if p["project_id"] == admin_project]
    assert detail["used"] == len(held) >= 5 and detail["limit"] == 100


def test_cli_network_rbac(os_config: Path, admin: Api, projects) -> None:
    """``openstack network rbac create/list/show/delete`` against the demo cloud."""
    net = _net(admin)
    try:
        made = _cli("network", "rbac", "create", "--type", "network", "--action",
                    "access_as_shared", "--target-project", projects["target"], net["id"])
        assert made["object_id"] == net["id"] and made["target_project_id"] == \
            projects["target"]
        listed = _cli("network", "rbac", "list", "--type", "network")
        assert made["id"] in {row["ID"] for row in listed}
        shown = _cli("network", "rbac", "show", made["id"])
        assert shown["action"] == "access_as_shared"
        assert projects["target_api"].get(f"/networks/{net['id']}")["network"]["id"] == \
            net["id"]
        subprocess.run([str(Path(sys.executable).parent / "openstack"), "--os-cloud", "demo",
                        "network", "rbac", "delete", made["id"]], check=True, timeout=60,
                       capture_output=True)
        projects["target_api"].call("GET", f"/networks/{net['id']}", expect=404)
    finally:
        admin.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_security_group_shared_with_one_project(member: Api, projects) -> None:
    group = member.call("POST", "/security-groups", {"security_group": {
        "name": f"rbac-sg-{uuid.uuid4().hex[:6]}"}}, expect=201)["security_group"]
    target, bystander = projects["target_api"], projects["bystander_api"]
    target.call("GET", f"/security-groups/{group['id']}", expect=404)
    policy = member.call("POST", "/rbac-policies", {"rbac_policy": {
        "object_type": "security_group", "object_id": group["id"],
        "action": "access_as_shared", "target_tenant": projects["target"]}},
        expect=201)["rbac_policy"]
    assert target.get(f"/security-groups/{group['id']}")["security_group"]["id"] == \
        group["id"]
    bystander.call("GET", f"/security-groups/{group['id']}", expect=404)
    member.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
    target.call("GET", f"/security-groups/{group['id']}", expect=404)
    member.call("DELETE", f"/security-groups/{group['id']}", expect=204)


def test_over_quota(admin: Api, member: Api, projects) -> None:
    net = _net(member)
    admin.call("PUT", f"/quotas/{projects['mine']}", {"quota": {"rbac_policy": 1}},
               expect=200)
    try:
        body = {"object_type": "network", "object_id": net["id"],
                "action": "access_as_shared"}
        first = member.call("POST", "/rbac-policies", {"rbac_policy": {
            **body, "target_tenant": projects["target"]}}, expect=201)["rbac_policy"]
        member.error("POST", "/rbac-policies", {"rbac_policy": {
            **body, "target_tenant": projects["bystander"]}}, 409, "OverQuota")
        member.call("DELETE", f"/rbac-policies/{first['id']}", expect=204)
    finally:
        admin.call("PUT", f"/quotas/{projects['mine']}", {"quota": {"rbac_policy": 10}},
                   expect=200)
        member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_shared_is_computed_per_caller(admin: Api, member: Api, projects) -> None:
    """Neutron's ``_is_network_shared``: ``shared`` is true for a caller when an
    ``access_as_shared`` policy targets ``*`` or the caller's own project — so a network
    shared to one project is ``shared`` to that project only, not to its owner, the admin
    or a bystander; an ``access_as_external`` policy does not make it ``shared``."""
    net = _net(member)
    target, bystander = projects["target_api"], projects["bystander_api"]
    path = f"/networks/{net['id']}"
    try:
        policy = member.call("POST", "/rbac-policies", {"rbac_policy": {
            "object_type": "network", "object_id": net["id"], "action": "access_as_shared",
            "target_tenant": projects["target"]}}, expect=201)["rbac_policy"]
        assert target.get(path)["network"]["shared"] is True
        listed = {n["id"]: n for n in target.get("/networks")["networks"]}
        assert listed[net["id"]]["shared"] is True
        assert target.get(path, fields="shared")["network"] == {"shared": True}
        assert member.get(path)["network"]["shared"] is False
        assert admin.get(path)["network"]["shared"] is False
        assert {n["id"]: n["shared"] for n in admin.get("/networks", id=net["id"])[
            "networks"]} == {net["id"]: False}
        bystander.call("GET", path, expect=404)
        # The stored flag is untouched: no wildcard policy was made.
        assert [p["target_tenant"] for p in admin.get(
            "/rbac-policies", object_id=net["id"])["rbac_policies"]] == [projects["target"]]
        # A wildcard makes it shared for everyone, the owner and the bystander too.
        wild = admin.call("POST", "/rbac-policies", {"rbac_policy": {
            "object_type": "network", "object_id": net["id"], "action": "access_as_shared",
            "target_tenant": "*"}}, expect=201)["rbac_policy"]
        for api in (admin, member, target, bystander):
            assert api.get(path)["network"]["shared"] is True
        admin.call("DELETE", f"/rbac-policies/{wild['id']}", expect=204)
        member.call("DELETE", f"/rbac-policies/{policy['id']}", expect=204)
        target.call("GET", path, expect=404)
        # External to one project: visible there, but not shared.
        external = admin.call("POST", "/rbac-policies", {"rbac_policy": {
            "object_type": "network", "object_id": net["id"],
            "action": "access_as_external", "target_tenant": projects["target"]}},
            expect=201)["rbac_policy"]
        assert target.get(path)["network"]["shared"] is False
        admin.call("DELETE", f"/rbac-policies/{external['id']}", expect=204)
    finally:
        member.call("DELETE", path, expect=204)
