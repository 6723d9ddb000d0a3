"""Placement's query parameters and microversions asked of the demo cloud and of a real
Placement (openstack-placement behind the real Keystone, see placement.py): the same status for each
question, and for each 400 and 406 the same error keys and facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests

from osnb import democloud

from . import keystone

UNEXPECTED = "Invalid query string parameters: Additional properties are not allowed"


@dataclass
class Service:
    kind: str
    url: str
    token: str

    def get(self, path: str, mv: str, **params: str) -> requests.Response:
        return requests.get(self.url + path, params=params, timeout=10, headers={
            "X-Auth-Token": self.token, "OpenStack-API-Version": f"placement {mv}"})


@pytest.fixture(scope="module", params=["demo", "real"])
def service(request: pytest.FixtureRequest) -> Service:
    if request.param == "real":
        pl: keystone.Service = request.getfixturevalue("real_placement")
        ks: keystone.Keystone = request.getfixturevalue("real_keystone")
        return Service("real", pl.url, ks.admin_token())
    cloud: democloud.DemoCloud = request.getfixturevalue("cloud")
    token: str = request.getfixturevalue("admin_token")
    return Service("demo", cloud.url + "/placement", token)


NIL = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(("path", "mv", "params", "unexpected"), [
    ("/resource_providers", "1.0", {"member_of": f"in:{NIL}"}, "'member_of' was"),
    ("/resource_providers", "1.3", {"resources": "VCPU:1"}, "'resources' was"),
    ("/resource_providers", "1.13", {"in_tree": NIL}, "'in_tree' was"),
    ("/resource_providers", "1.17", {"required": "HW_CPU_X86_AVX2"}, "'required' was"),
    ("/resource_providers", "1.39", {"limit": "1"}, "'limit' was"),
    ("/resource_providers", "1.39", {"limit": "1", "marker": "x"}, "'limit', 'marker' were"),
    ("/allocation_candidates", "1.15", {"resources": "VCPU:1", "limit": "1"}, "'limit' was"),
    ("/allocation_candidates", "1.20", {"resources": "VCPU:1", "member_of": "x"},
     "'member_of' was"),
])
def test_parameters_a_microversion_lacks_are_400(service: Service, path: str, mv: str,
                                                 params: dict[str, str],
                                                 unexpected: str) -> None:
    r = service.get(path, mv, **params)
    assert r.status_code == 400, r.text
    (err,) = r.json()["errors"]
    assert f"{UNEXPECTED} ({unexpected} unexpected)" in err["detail"]
    assert {"status", "title", "detail", "request_id"} <= set(err)
    assert (err["status"], err["title"]) == (400, "Bad Request")
    major, minor = (int(part) for part in mv.split("."))
    assert ("code" in err) == ((major, minor) >= (1, 23))  # error codes from 1.23


@pytest.mark.parametrize(("path", "mv", "params"), [
    ("/resource_providers", "1.0", {"name": "nothing-by-this-name"}),
    ("/resource_providers", "1.3", {"member_of": f"in:{NIL}"}),
    ("/resource_providers", "1.4", {"resources": "VCPU:1"}),
    ("/resource_providers", "1.14", {"in_tree": NIL}),
    ("/resource_providers", "1.18", {"required": "HW_CPU_X86_AVX2"}),
    ("/allocation_candidates", "1.16", {"resources": "VCPU:1", "limit": "1"}),
    ("/allocation_candidates", "1.21", {"resources": "VCPU:1", "member_of": f"in:{NIL}"}),
])
def test_the_microversion_that_added_a_parameter_takes_it(service: Service, path: str,
                                                          mv: str,
                                                          params: dict[str, str]) -> None:
    r = service.get(path, mv, **params)
    assert r.status_code == 200, r.text
    assert r.headers["OpenStack-API-Version"] == f"placement {mv}"


@pytest.mark.parametrize("mv", ["1.99", "2.0"])
def test_an_unserved_microversion_is_406_naming_the_range(service: Service, mv: str) -> None:
    r = service.get("/resource_providers", mv)
    assert r.status_code == 406
    (err,) = r.json()["errors"]
    assert (err["status"], err["title"]) == (406, "Not Acceptable")
    assert (err["min_version"], err["max_version"]) == ("1.0", "1.39")


def test_both_serve_the_same_range(service: Service) -> None:
    root: dict[str, Any] = requests.get(service.url + "/", timeout=10).json()
    (version,) = root["versions"]
    assert (version["min_version"], version["max_version"]) == ("1.0", "1.39")
