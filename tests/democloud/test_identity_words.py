"""Keystone's own words in the demo cloud: the 400s of its JSON schemas, the 403s naming
the policy rule, the 404s and 409s naming the kind of object, checked before the record
is looked up, as Keystone does."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from osnb import democloud

TIMEOUT = 10


def _call(cloud: democloud.DemoCloud, token: str, method: str, path: str,
          body: Any = None) -> requests.Response:
    return requests.request(method, cloud.auth_url + path, json=body, timeout=TIMEOUT,
                            headers={"X-Auth-Token": token})


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/projects", {"project": {}},
     "Invalid input for field 'project': 'name' is a required property."),
    ("/projects", {"project": {"name": 3}},
     "Invalid input for field 'name': 3 is not of type 'string'."),
    ("/projects", {"project": {"name": "x", "description": 5}},
     "Invalid input for field 'description': 5 is not of type 'string or null'."),
    ("/users", {"user": {"name": "x", "enabled": "yes"}},
     "Invalid input for field 'enabled': 'yes' is not of type 'boolean'."),
    ("/users", {"user": {"name": "x", "password": ["hunter2"]}},
     "Invalid input for field 'password': The value is not of type 'string or null'."),
    ("/users", {"user": {"name": " "}}, "Invalid input for field 'name': '' is too short."),
    ("/groups", {"grp": {}},
     "Invalid input for field 'group': a JSON object named 'group' is required."),
    ("/endpoints", {"endpoint": {"interface": "sideways", "url": "u", "service_id": "s"}},
     "Invalid input for field 'interface': 'sideways' does not match "
     "'^(?:admin|internal|public)$'."),
])
def test_bodies_are_checked_in_keystones_words(cloud: democloud.DemoCloud, admin_token: str,
                                               path: str, body: Any, message: str) -> None:
    r = _call(cloud, admin_token, "POST", path, body)
    assert r.status_code == 400 and r.json()["error"]["message"] == message


@pytest.mark.parametrize(("method", "path", "rule"), [
    ("GET", "/projects?limit=x", "list_projects"),
    ("GET", "/groups/nope", "get_group"),
    ("PATCH", "/users/nope", "update_user"),
    ("DELETE", "/projects/nope", "delete_project"),
    ("POST", "/regions", "create_region"),
])
def test_policy_comes_first_and_names_the_rule(cloud: democloud.DemoCloud, member_token: str,
                                               method: str, path: str, rule: str) -> None:
    r = _call(cloud, member_token, method, path, {"x": {}} if method != "GET" else None)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == ("You are not authorized to perform the requested "
                                            f"action: identity:{rule}.")


def test_not_found_conflict_and_immutable_keys(cloud: democloud.DemoCloud,
                                               admin_token: str) -> None:
    r = _call(cloud, admin_token, "GET", "/roles/nope")
    assert (r.status_code, r.json()["error"]["message"]) == (404, "Could not find role: nope.")
    name = f"words-{uuid.uuid4().hex[:8]}"
    made = _call(cloud, admin_token, "POST", "/groups", {"group": {"name": name}})
    assert made.status_code == 201, made.text
    group = made.json()["group"]
    try:
        r = _call(cloud, admin_token, "POST", "/groups", {"group": {"name": name}})
        assert (r.status_code, r.json()["error"]["message"]) == (
            409, "Conflict occurred attempting to store group - Duplicate entry found with "
                 f"name {name} at domain ID default.")
        same = _call(cloud, admin_token, "PATCH", f"/groups/{group['id']}",
                     {"group": {"domain_id": "default", "description": "d"}})
        assert same.status_code == 200 and same.json()["group"]["description"] == "d"
        moved = _call(cloud, admin_token, "PATCH", f"/groups/{group['id']}",
                      {"group": {"domain_id": "elsewhere"}})
        assert (moved.status_code, moved.json()["error"]["message"]) == (
            400, "Update of `domain_id` is not allowed.")
    finally:
        _call(cloud, admin_token, "DELETE", f"/groups/{group['id']}")


def test_only_projects_and_users_page(cloud: democloud.DemoCloud, admin_token: str) -> None:
    roles = _call(cloud, admin_token, "GET", "/roles").json()["roles"]
    paged = _call(cloud, admin_token, "GET", "/roles?limit=1&marker=nope&sort_key=name").json()
    assert paged["roles"] == roles and "truncated" not in paged
    assert paged["links"]["next"] is None
    r = _call(cloud, admin_token, "GET", "/users?limit=-1")
    assert r.json()["error"]["message"] == ("Invalid value '-1' for parameter limit: must be "
                                            "an integer >= 0.")
    r = _call(cloud, admin_token, "GET", "/projects?enabled=maybe")
    assert r.json()["error"]["message"] == "Invalid value 'maybe' for boolean parameter enabled."
