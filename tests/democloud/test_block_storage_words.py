"""Cinder's own words and shapes, from its declarations on the collection engine: the
400s quote jsonschema, lists come brief and in detail, pages carry the caller's limit."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from osnb import democloud

V3 = "/volume/v3"


def _call(cloud: democloud.DemoCloud, token: str, method: str, path: str,
          mv: str | None = None, **kw: Any) -> requests.Response:
    headers = {"X-Auth-Token": token}
    if mv:
        headers["OpenStack-API-Version"] = f"volume {mv}"
    return requests.request(method, cloud.url + V3 + path, headers=headers, timeout=10, **kw)


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/volumes", {"volume": {"size": 1, "colour": "red"}},
     "Invalid input for field/attribute volume. Value: {'size': 1, 'colour': 'red'}. "
     "Additional properties are not allowed ('colour' was unexpected)"),
    ("/volumes", {"volume": {"size": 0}},
     "Invalid input for field/attribute size. Value: 0. 0 is less than the minimum of 1"),
    ("/volumes", {"volume": {"size": 1, "metadata": {"a": 1}}},
     "Invalid input for field/attribute metadata. Value: {'a': 1}. {'a': 1} is not of type "
     "'object'"),
    ("/volumes", {"volume": {"size": 1, "name": 5}},
     "Invalid input for field/attribute name. Value: 5. 5 is not valid under any of the "
     "given schemas"),
    ("/volumes", {"volume": {"name": "x"}},
     "Invalid input for field/attribute volume. Value: {'name': 'x'}. 'size' is a required "
     "property"),
    ("/volumes", {"nothing": {}}, "Missing required element 'volume' in request body."),
    ("/snapshots", {"snapshot": {"name": "s"}},
     "Invalid input for field/attribute snapshot. Value: {'name': 's'}. 'volume_id' is a "
     "required property"),
    ("/volumes", {"volume": {"size": 1, "status": "available"}},
     "Additional properties are not allowed ('status' was unexpected)"),
])
def test_bodies_are_refused_in_jsonschemas_words(cloud: democloud.DemoCloud,
                                                 member_token: str, path: str,
                                                 body: dict[str, Any], message: str) -> None:
    r = _call(cloud, member_token, "POST", path, json=body)
    assert r.status_code == 400
    assert r.json()["badRequest"]["message"].endswith(message)


@pytest.mark.parametrize(("query", "message"), [
    ("colour=red", "Invalid filters colour are found in query options."),
    ("sort=name:sideways", "Unknown sort direction, must be 'desc' or 'asc'"),
    ("sort_key=bogus", "Invalid input received: Invalid sort key bogus"),
    ("limit=ten", "Invalid value 'ten' for parameter limit: must be an integer."),
    ("metadata=nope", "Invalid input received: Invalid metadata filter 'nope'."),
    ("marker=missing", "marker [missing] not found"),
])
def test_bad_list_queries(cloud: democloud.DemoCloud, member_token: str, query: str,
                          message: str) -> None:
    r = _call(cloud, member_token, "GET", "/volumes?" + query)
    assert r.status_code == 400 and r.json()["badRequest"]["message"] == message


def test_lists_come_brief_and_in_detail_with_a_count_from_3_45(
        cloud: democloud.DemoCloud, admin_token: str) -> None:
    detail = _call(cloud, admin_token, "GET", "/volumes/detail?all_tenants=1").json()
    brief = _call(cloud, admin_token, "GET", "/volumes?all_tenants=1").json()
    assert [v["id"] for v in brief["volumes"]] == [v["id"] for v in detail["volumes"]]
    assert {frozenset(v) for v in brief["volumes"]} == {frozenset({"id", "name", "links"})}
    assert detail["volumes"][0]["links"][0]["rel"] == "self"
    assert "count" not in brief
    r = _call(cloud, admin_token, "GET", "/volumes?all_tenants=1&with_count=true&limit=2",
              mv="3.45")
    assert r.json()["count"] == len(detail["volumes"]) and len(r.json()["volumes"]) == 2
    assert r.headers["OpenStack-API-Version"] == "volume 3.45"
    snaps = _call(cloud, admin_token, "GET", "/snapshots?all_tenants=1").json()["snapshots"]
    assert snaps and all("os-extended-snapshot-attributes:project_id" not in s
                         for s in snaps)


def test_the_next_link_repeats_the_callers_limit(cloud: democloud.DemoCloud,
                                                 admin_token: str) -> None:
    doc = _call(cloud, admin_token, "GET", "/volumes/detail?all_tenants=1&limit=2").json()
    href = doc["volumes_links"][0]["href"]
    assert href.endswith(f"marker={doc['volumes'][-1]['id']}&limit=2")
    doc = _call(cloud, admin_token, "GET", "/volumes/detail?all_tenants=1").json()
    assert "volumes_links" not in doc  # fewer than a full page of 1000


def test_a_member_sees_public_types_and_an_admin_manages_them(
        cloud: democloud.DemoCloud, admin_token: str, member_token: str) -> None:
    r = _call(cloud, admin_token, "POST", "/types", json={"volume_type": {
        "name": "words-private", "os-volume-type-access:is_public": False}})
    assert r.status_code == 200, r.text
    made = r.json()["volume_type"]
    try:
        assert made["is_public"] is False and made["qos_specs_id"] is None
        assert _call(cloud, member_token, "GET", f"/types/{made['id']}").status_code == 404
        assert _call(cloud, admin_token, "GET", "/types/words-private").json()[
            "volume_type"]["id"] == made["id"]
        r = _call(cloud, admin_token, "POST", "/types",
                  json={"volume_type": {"name": "words-private"}})
        assert r.status_code == 409
        r = _call(cloud, member_token, "PUT", f"/types/{made['id']}",
                  json={"volume_type": {"name": "x"}})
        assert r.status_code == 404
    finally:
        assert _call(cloud, admin_token, "DELETE", f"/types/{made['id']}").status_code == 202
    default = _call(cloud, member_token, "GET", "/types/default").json()["volume_type"]
    assert default["name"] == "__DEFAULT__" and "qos_specs_id" not in default


def test_timestamps_filter_by_comparison_and_limit_0_is_a_full_page(
        cloud: democloud.DemoCloud, admin_token: str) -> None:
    every = _call(cloud, admin_token, "GET", "/volumes/detail?all_tenants=1").json()["volumes"]
    middle = sorted(v["created_at"] for v in every)[len(every) // 2]
    older = _call(cloud, admin_token, "GET",
                  f"/volumes?all_tenants=1&created_at=lt:{middle}").json()["volumes"]
    assert {v["id"] for v in older} == {v["id"] for v in every if v["created_at"] < middle}
    assert 0 < len(older) < len(every)
    r = _call(cloud, admin_token, "GET", "/volumes?all_tenants=1&created_at=yesterday")
    assert r.status_code == 400
    r = _call(cloud, admin_token, "GET", "/volumes?all_tenants=1&limit=0")
    assert len(r.json()["volumes"]) == len(every)
