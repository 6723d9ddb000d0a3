"""Shared fixtures: one demo cloud per test session, served over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud


@pytest.fixture(scope="session")
def cloud() -> Iterator[democloud.DemoCloud]:
    """The shared demo cloud. Tests may create objects but must not assume an empty world."""
    with democloud.start(seed=42, projects=6, servers=40, build_seconds=0.3) as running:
        yield running


@pytest.fixture(scope="session")
def clouds_yaml(cloud: democloud.DemoCloud, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clouds.yaml with ``demo`` (admin) and ``demo-member`` for this cloud."""
    return cloud.write_clouds_yaml(tmp_path_factory.mktemp("osconfig") / "clouds.yaml")


def _token(cloud: democloud.DemoCloud, name: str) -> tuple[str, dict[str, Any]]:
    auth = cloud.clouds["clouds"][name]["auth"]
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "password": auth["password"],
        "domain": {"name": auth["user_domain_name"]}}}},
        "scope": {"project": {"name": auth["project_name"],
                              "domain": {"name": auth["project_domain_name"]}}}}}
    r = requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"], r.json()["token"]


@pytest.fixture(scope="session")
def admin_token(cloud: democloud.DemoCloud) -> str:
    return _token(cloud, "demo")[0]


@pytest.fixture(scope="session")
def member_token(cloud: democloud.DemoCloud) -> str:
    return _token(cloud, "demo-member")[0]


@pytest.fixture(scope="session")
def admin_catalog(cloud: democloud.DemoCloud) -> list[dict[str, Any]]:
    catalog: list[dict[str, Any]] = _token(cloud, "demo")[1]["catalog"]
    return catalog


@pytest.fixture
def os_config(clouds_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point openstacksdk/openstackclient (and osnb) at this cloud's clouds.yaml only."""
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(clouds_yaml))
    for var in ("OS_CLOUD", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
        monkeypatch.delenv(var, raising=False)
    return clouds_yaml


@pytest.fixture(scope="session")
def conn(cloud: democloud.DemoCloud) -> Any:
    """osnb connected to the shared demo cloud as its admin."""
    import osnb

    return osnb.connect("demo", config=cloud.clouds)


@pytest.fixture(scope="session")
def member(cloud: democloud.DemoCloud) -> Any:
    """osnb connected to the shared demo cloud as a member of one project."""
    import osnb

    return osnb.connect("demo-member", config=cloud.clouds)
