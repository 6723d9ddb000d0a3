"""Nova's addSecurityGroup/removeSecurityGroup on the demo cloud: Neutron's ports change,
Nova's view follows (over real HTTP, through osnb's SDK and python-openstackclient)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.sdk import exceptions as exc
from tests.conftest import _token

V21 = "/compute/v2.1"


@pytest.fixture(scope="module")
def own() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=42, projects=4, servers=20) as running:
        yield running


@pytest.fixture(scope="module")
def token(own: democloud.DemoCloud) -> str:
    return _token(own, "demo-member")[0]


def _server(cloud: democloud.DemoCloud, token: str) -> str:
    servers = requests.get(cloud.url + V21 + "/servers/detail", timeout=10,
                           headers={"X-Auth-Token": token}).json()["servers"]
    return str(next(s["id"] for s in servers if s["addresses"]))


def _group(cloud: democloud.DemoCloud, token: str, name: str) -> dict[str, Any]:
    r = requests.post(cloud.url + "/network/v2.0/security-groups", timeout=10,
                      headers={"X-Auth-Token": token},
                      json={"security_group": {"name": name}})
    assert r.status_code == 201, r.text
    group: dict[str, Any] = r.json()["security_group"]
    return group


def _act(cloud: democloud.DemoCloud, token: str, sid: str, body: Any) -> requests.Response:
    return requests.post(cloud.url + V21 + f"/servers/{sid}/action", json=body, timeout=10,
                         headers={"X-Auth-Token": token})


def _port_groups(cloud: democloud.DemoCloud, token: str, sid: str) -> list[list[str]]:
    ports = requests.get(cloud.url + f"/network/v2.0/ports?device_id={sid}", timeout=10,
                         headers={"X-Auth-Token": token}).json()["ports"]
    return [p["security_groups"] for p in ports]


def _names(cloud: democloud.DemoCloud, token: str, sid: str) -> list[str]:
    server = requests.get(cloud.url + V21 + f"/servers/{sid}", timeout=10,
                          headers={"X-Auth-Token": token}).json()["server"]
    return [g["name"] for g in server.get("security_groups") or []]


def test_adding_and_removing_a_group_changes_every_port(own, token) -> None:
    sid = _server(own, token)
    group = _group(own, token, f"web-{uuid.uuid4().hex[:6]}")
    assert _act(own, token, sid, {"addSecurityGroup": {"name": group["name"]}}
                ).status_code == 202
    assert all(group["id"] in groups for groups in _port_groups(own, token, sid))
    assert group["name"] in _names(own, token, sid)  # Nova reads them off the ports
    # by id works too, as Nova finds the group by name or id
    assert _act(own, token, sid, {"removeSecurityGroup": {"name": group["id"]}}
                ).status_code == 202
    assert not any(group["id"] in groups for groups in _port_groups(own, token, sid))
    assert group["name"] not in _names(own, token, sid)
    r = _act(own, token, sid, {"removeSecurityGroup": {"name": group["name"]}})
    assert r.status_code == 404 and "not associated with the instance" in r.text


def test_novas_refusals(own, token) -> None:
    sid = _server(own, token)
    r = _act(own, token, sid, {"addSecurityGroup": {"name": "no-such-group"}})
    assert r.status_code == 404 and "is not found for project" in r.text
    name = f"twice-{uuid.uuid4().hex[:6]}"
    _group(own, token, name)
    _group(own, token, name)
    r = _act(own, token, sid, {"addSecurityGroup": {"name": name}})
    assert r.status_code == 409 and "use an ID to be more specific" in r.text
    assert _act(own, token, sid, {"addSecurityGroup": {"name": "  "}}).status_code == 400
    assert _act(own, token, sid, {"addSecurityGroup": {}}).status_code == 400
    admin = _token(own, "demo")[0]
    other = next(s["id"] for s in requests.get(
        own.url + V21 + "/servers?all_tenants=1", headers={"X-Auth-Token": admin},
        timeout=10).json()["servers"] if s["id"] not in {
            x["id"] for x in requests.get(own.url + V21 + "/servers", timeout=10,
                                          headers={"X-Auth-Token": token}).json()["servers"]})
    # another project's server is not the member's to change: Nova hides it (404)
    assert _act(own, token, other, {"addSecurityGroup": {"name": "default"}}
                ).status_code == 404


def test_through_the_sdk(own, token) -> None:
    import osnb

    conn = osnb.connect("demo-member", config=own.clouds)
    sid = _server(own, token)
    group = conn.network.create_security_group(name=f"sdk-{uuid.uuid4().hex[:6]}")
    conn.compute.add_security_group_to_server(sid, group)
    assert group.name in _names(own, token, sid)
    conn.compute.remove_security_group_from_server(sid, group.id)
    assert group.name not in _names(own, token, sid)
    with pytest.raises(exc.NotFound):
        conn.compute.remove_security_group_from_server(sid, group)


def test_through_openstackclient(own, token, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE",
                       str(own.write_clouds_yaml(tmp_path / "clouds.yaml")))
    cli = str(Path(sys.executable).parent / "openstack")
    sid = _server(own, token)
    name = f"cli-{uuid.uuid4().hex[:6]}"
    _group(own, token, name)
    for verb in ("add", "remove"):
        out = subprocess.run([cli, "--os-cloud", "demo-member", "server", verb,
                              "security", "group", sid, name],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert (name in _names(own, token, sid)) == (verb == "add")
