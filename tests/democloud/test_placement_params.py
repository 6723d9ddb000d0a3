"""Placement's query parameters are checked per microversion, as its JSON schemas do, and
its 406 names the versions it serves (issue #13, item 9)."""

from __future__ import annotations

import pytest
import requests

from osnb import democloud
from osnb.democloud.services.placement import MAX_VERSION, MIN_VERSION

from .test_placement import placement


def _unexpected(r: requests.Response, name: str) -> None:
    assert r.status_code == 400, r.text
    detail = r.json()["errors"][0]["detail"]
    assert detail == ("Invalid query string parameters: Additional properties are not "
                      f"allowed ('{name}' was unexpected)")


@pytest.mark.parametrize(("mv", "param", "value"), [
    ("1.0", "member_of", "in:00000000-0000-0000-0000-000000000000"),
    ("1.3", "resources", "VCPU:1"),
    ("1.13", "in_tree", "00000000-0000-0000-0000-000000000000"),
    ("1.17", "required", "HW_CPU_X86_AVX2"),
    ("1.39", "limit", "1"),
    ("1.39", "marker", "x"),
])
def test_provider_list_refuses_parameters_its_microversion_lacks(
        cloud: democloud.DemoCloud, admin_token: str, mv: str, param: str,
        value: str) -> None:
    _unexpected(placement(cloud, admin_token, "/resource_providers", mv, **{param: value}),
                param)


def test_provider_list_takes_them_from_the_microversion_that_added_them(
        cloud: democloud.DemoCloud, admin_token: str) -> None:
    everything = placement(cloud, admin_token, "/resource_providers", "1.0").json()
    assert everything["resource_providers"]
    one = everything["resource_providers"][0]
    named = placement(cloud, admin_token, "/resource_providers", "1.0", name=one["name"])
    assert [p["uuid"] for p in named.json()["resource_providers"]] == [one["uuid"]]
    for mv, param, value in (("1.3", "member_of", "in:00000000-0000-0000-0000-000000000000"),
                             ("1.4", "resources", "VCPU:1"),
                             ("1.14", "in_tree", one["uuid"]),
                             ("1.18", "required", "HW_CPU_X86_AVX2")):
        assert placement(cloud, admin_token, "/resource_providers", mv,
                         **{param: value}).status_code == 200, (mv, param)


def test_allocation_candidates_limit_needs_1_16(cloud: democloud.DemoCloud,
                                               admin_token: str) -> None:
    _unexpected(placement(cloud, admin_token, "/allocation_candidates", "1.15",
                          resources="VCPU:1", limit="1"), "limit")
    ok = placement(cloud, admin_token, "/allocation_candidates", "1.16",
                   resources="VCPU:1", limit="1")
    assert ok.status_code == 200 and len(ok.json()["allocation_requests"]) == 1
    _unexpected(placement(cloud, admin_token, "/allocation_candidates", "1.20",
                          resources="VCPU:1", member_of="x"), "member_of")


@pytest.mark.parametrize("mv", ["1.99", "2.0"])
def test_an_unserved_microversion_is_406_with_the_range(cloud: democloud.DemoCloud,
                                                         admin_token: str, mv: str) -> None:
    r = placement(cloud, admin_token, "/resource_providers", mv)
    assert r.status_code == 406
    err = r.json()["errors"][0]
    assert (err["min_version"], err["max_version"]) == (MIN_VERSION, MAX_VERSION)
    assert err["status"] == 406 and err["title"] == "Not Acceptable"
