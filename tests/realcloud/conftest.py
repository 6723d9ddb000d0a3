"""The integration tier: one real Keystone per session, beside the demo cloud.

``identity`` runs a test against both (``demo`` and ``real``). Where the demo cloud is
known to differ from Keystone, the test is marked ``demo_gap("…")``: for ``demo`` it is a
strict xfail, so fixing the simulator turns it into a failure that says to drop the mark.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import osnb
from osnb import democloud
from osnb.sdk.connection import Connection

from . import keystone

_started: list[keystone.Keystone] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo_gap(reason): the demo cloud differs from real Keystone here "
                   "(strict xfail for the demo cloud)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for ks in _started:
        times = ", ".join(f"{k} {v:.1f} s" for k, v in ks.timings.items())
        terminalreporter.write_line(f"real Keystone at {ks.url}: {times}")


@pytest.fixture(scope="session")
def real_keystone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[keystone.Keystone]:
    """A real Keystone from PyPI; skipped with the reason when it cannot be had, except
    in CI with ``OSNB_REQUIRE_REAL_KEYSTONE=1``, where that is a failure."""
    try:
        with keystone.running(tmp_path_factory.mktemp("realcloud")) as ks:
            _started.append(ks)
            yield ks
    except keystone.KeystoneUnavailable as err:
        message = f"real Keystone unavailable: {err}"
        if keystone.required():
            pytest.fail(message + " (CI and OSNB_REQUIRE_REAL_KEYSTONE=1: not skipping)",
                        pytrace=False)
        pytest.skip(message)


@dataclass
class Identity:
    """One identity service under test: where it is and how to log in as its admin."""

    kind: str  # "demo" or "real"
    cloud_name: str
    clouds: dict[str, Any]

    @property
    def settings(self) -> dict[str, Any]:
        cloud: dict[str, Any] = self.clouds["clouds"][self.cloud_name]
        return cloud

    @property
    def auth(self) -> dict[str, Any]:
        auth: dict[str, Any] = self.settings["auth"]
        return auth

    @property
    def auth_url(self) -> str:
        return str(self.auth["auth_url"]).rstrip("/")

    def connect(self, auth: dict[str, Any] | None = None, *, authenticate: bool = False,
                **settings: Any) -> Connection:
        """A new Connection (its own session and token); ``auth`` replaces the admin's.
        Lazy unless ``authenticate``: tests choose when credentials are checked."""
        cloud = copy.deepcopy(self.settings)
        if auth is not None:
            cloud["auth"] = {"auth_url": self.auth_url, **auth}
        cloud.update(settings)
        return osnb.connect(self.cloud_name, config={"clouds": {self.cloud_name: cloud}},
                            authenticate=authenticate)


@pytest.fixture(scope="module", params=["demo", "real"])
def identity_service(request: pytest.FixtureRequest) -> Identity:
    if request.param == "demo":
        demo: democloud.DemoCloud = request.getfixturevalue("cloud")
        return Identity("demo", "demo", {"clouds": {"demo": demo.clouds["clouds"]["demo"]}})
    real: keystone.Keystone = request.getfixturevalue("real_keystone")
    return Identity("real", keystone.CLOUD_NAME, real.clouds)


@pytest.fixture
def identity(identity_service: Identity, request: pytest.FixtureRequest) -> Identity:
    """The service under test, ``demo`` then ``real``; applies ``demo_gap`` marks."""
    gap = request.node.get_closest_marker("demo_gap")
    if gap is not None and identity_service.kind == "demo":
        request.applymarker(pytest.mark.xfail(
            strict=True, reason=f"demo cloud differs from Keystone: {gap.args[0]}"))
    return identity_service


@pytest.fixture(scope="module")
def admin_conn(identity_service: Identity) -> Iterator[Connection]:
    """An admin Connection to the service under test, shared by a module."""
    conn = identity_service.connect()
    yield conn
    conn.close()
