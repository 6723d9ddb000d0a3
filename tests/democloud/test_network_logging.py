"""Network logging in the demo cloud over HTTP: admin-only logs of loggable resources,
their targets checked, only name/description/enabled changing."""

from __future__ import annotations

import uuid

import pytest

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_logs(admin: Api, member: Api) -> None:
    types = admin.get("/log/loggable-resources")["loggable_resources"]
    assert {t["type"] for t in types} == {"security_group", "firewall_group"}
    seeded = admin.get("/log/logs")["logs"][0]
    assert seeded["event"] == "DROP" and seeded["resource_type"] == "security_group"
    group = admin.get(f"/security-groups/{seeded['resource_id']}")["security_group"]
    assert group["name"] == "default"
    log = admin.call("POST", "/log/logs", {"log": {"name": "osnb-log",
                                                   "resource_type": "security_group"}},
                     expect=201)["log"]
    assert (log["event"], log["enabled"], log["resource_id"], log["revision_number"]) == \
        ("ALL", True, None, 0)
    got = admin.call("PUT", f"/log/logs/{log['id']}", {"log": {"enabled": False}},
                     expect=200)["log"]
    assert got["enabled"] is False and got["revision_number"] == 1
    admin.error("PUT", f"/log/logs/{log['id']}", {"log": {"event": "DROP"}}, 400,
                "HTTPBadRequest")
    admin.error("POST", "/log/logs", {"log": {"resource_type": "network"}}, 400,
                "InvalidLogResourceType")
    admin.error("POST", "/log/logs", {"log": {"resource_type": "security_group",
                                              "resource_id": str(uuid.uuid4())}}, 404,
                "SecurityGroupNotFound")
    port = next(p for p in admin.get("/ports")["ports"]
                if p["security_groups"] and group["id"] not in p["security_groups"])
    admin.error("POST", "/log/logs", {"log": {"resource_type": "security_group",
                                              "resource_id": group["id"],
                                              "target_id": port["id"]}}, 400,
                "InvalidResourceConstraint")
    member.error("GET", "/log/logs", None, 403, "PolicyNotAuthorized")
    member.error("GET", "/log/loggable-resources", None, 403, "PolicyNotAuthorized")
    member.error("POST", "/log/logs", {"log": {"resource_type": "security_group"}}, 403,
                 "PolicyNotAuthorized")
    admin.call("DELETE", f"/log/logs/{log['id']}", expect=204)
