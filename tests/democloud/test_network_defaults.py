"""The defaults and checks an operator sets in the demo cloud, over HTTP: security groups'
default statefulness (cloud-wide and per project), quota updates that check usage
(``check_limit``), and a router's extra routes edited atomically."""

from __future__ import annotations

from typing import Any

import pytest

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _project(member: Api) -> str:
    return str(member.get("/ports")["ports"][0]["project_id"])


def test_default_statefulness(admin: Api, member: Api) -> None:
    path = "/security-groups-default-statefulness"
    key = "security_groups_default_statefulness"
    system = admin.get(path)[key]
    assert [(s["project_id"], s["stateful"]) for s in system] == [(None, True)]
    project = _project(member)
    body = {key: {"project_id": project, "stateful": False}}
    member.error("POST", path, body, 403, "PolicyNotAuthorized")
    mine = admin.call("POST", path, body, expect=201)[key]
    assert set(mine) == {"id", "project_id", "stateful"}
    admin.error("POST", path, body, 409, "SecurityGroupDefaultStatefulnessAlreadyExists")
    sg = member.call("POST", "/security-groups", {"security_group": {"name": "sl"}},
                     expect=201)["security_group"]
    assert sg["stateful"] is False
    explicit = member.call("POST", "/security-groups", {"security_group": {
        "name": "sf", "stateful": True}}, expect=201)["security_group"]
    assert explicit["stateful"] is True
    # the member sees the cloud's default and its own, not another project's
    assert {s["project_id"] for s in member.get(path)[key]} == {None, project}
    admin.call("PUT", f"{path}/{mine['id']}", {key: {"stateful": True}}, expect=200)
    later = member.call("POST", "/security-groups", {"security_group": {"name": "sl2"}},
                        expect=201)["security_group"]
    assert later["stateful"] is True
    admin.call("DELETE", f"{path}/{mine['id']}", expect=204)
    admin.error("GET", f"{path}/{mine['id']}", None, 404,
                "SecurityGroupDefaultStatefulnessNotFound")
    for group in (sg, explicit, later):
        member.call("DELETE", f"/security-groups/{group['id']}", expect=204)


def test_quota_check_limit(admin: Api, member: Api) -> None:
    project = _project(member)
    used = admin.get(f"/quotas/{project}/details")["quota"]["port"]["used"]
    assert used > 1
    admin.error("PUT", f"/quotas/{project}", {"quota": {"port": used - 1,
                                                        "check_limit": "True"}},
                409, "InvalidQuotaValue")
    before = admin.get(f"/quotas/{project}")["quota"]["port"]
    assert before >= used
    # without the check (or forced) the limit is set below the usage, as Neutron allows
    admin.call("PUT", f"/quotas/{project}", {"quota": {"port": used - 1,
                                                       "check_limit": True, "force": True}},
               expect=200)
    admin.call("PUT", f"/quotas/{project}", {"quota": {"port": before,
                                                       "check_limit": True}}, expect=200)
    admin.error("PUT", f"/quotas/{project}", {"quota": {"check_limit": "maybe"}}, 400,
                "HTTPBadRequest")


@pytest.fixture()
def router(member: Api) -> Any:
    net = member.call("POST", "/networks", {"network": {"name": "er-net"}},
                      expect=201)["network"]
    sub = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.249.0.0/24"}},
        expect=201)["subnet"]
    made = member.call("POST", "/routers", {"router": {"name": "er"}}, expect=201)["router"]
    member.call("PUT", f"/routers/{made['id']}/add_router_interface",
                {"subnet_id": sub["id"]}, expect=200)
    yield made
    member.call("PUT", f"/routers/{made['id']}/remove_router_interface",
                {"subnet_id": sub["id"]}, expect=200)
    member.call("DELETE", f"/routers/{made['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_extraroutes_atomic(member: Api, router: Any) -> None:
    base = f"/routers/{router['id']}"
    first = {"destination": "192.0.2.0/24", "nexthop": "10.249.0.10"}
    second = {"destination": "198.51.100.0/24", "nexthop": "10.249.0.11"}
    out = member.call("PUT", f"{base}/add_extraroutes", {"router": {"routes": [first]}},
                      expect=200)["router"]
    assert out["routes"] == [first]
    out = member.call("PUT", f"{base}/add_extraroutes", {"router": {
        "routes": [first, second]}}, expect=200)["router"]
    assert out["routes"] == [first, second]
    member.error("PUT", f"{base}/add_extraroutes", {"router": {"routes": [
        {"destination": "203.0.113.0/24", "nexthop": "172.31.0.1"}]}}, 400, "InvalidRoutes")
    member.error("PUT", f"{base}/add_extraroutes", {"router": {"routes": [
        {"destination": "203.0.113.0/24"}]}}, 400, "HTTPBadRequest")
    out = member.call("PUT", f"{base}/remove_extraroutes", {"router": {"routes": [first]}},
                      expect=200)["router"]
    assert out["routes"] == [second]
    assert member.get(base)["router"]["routes"] == [second]
