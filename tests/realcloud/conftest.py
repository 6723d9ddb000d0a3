"""The integration tier: one real Keystone per session, beside the demo cloud, and real
Placement and Glance behind it (started when a test first asks for them).

``identity``, ``placement_conn`` and ``image_conn`` run a test against both (``demo`` and
``real``). Where the demo cloud is known to differ from the real service, the test is
marked ``demo_gap("…")``: for ``demo`` it is a strict xfail, so fixing the simulator turns
it into a failure that says to drop the mark.
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

from . import glance, keystone, neutron, placement

_started: list[keystone.Keystone | keystone.Service] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo_gap(reason): the demo cloud differs from the real service here "
                   "(strict xfail for the demo cloud)")
    config.addinivalue_line(
        "markers", "sdk_gap(reason): the SDK mishandles what the real service sends here "
                   "(strict xfail for the real service)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for svc in _started:
        times = ", ".join(f"{k} {v:.1f} s" for k, v in svc.timings.items())
        name = svc.name if isinstance(svc, keystone.Service) else "Keystone"
        terminalreporter.write_line(f"real {name} at {svc.url}: {times}")


def _unavailable(what: str, err: Exception) -> None:
    """Skip with the reason, or fail in CI with ``OSNB_REQUIRE_REAL_KEYSTONE=1``."""
    message = f"real {what} unavailable: {err}"
    if keystone.required():
        pytest.fail(message + " (CI and OSNB_REQUIRE_REAL_KEYSTONE=1: not skipping)",
                    pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def real_keystone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[keystone.Keystone]:
    """A real Keystone from PyPI; skipped with the reason when it cannot be had, except
    in CI with ``OSNB_REQUIRE_REAL_KEYSTONE=1``, where that is a failure."""
    try:
        with keystone.running(tmp_path_factory.mktemp("realcloud")) as ks:
            _started.append(ks)
            yield ks
    except keystone.KeystoneUnavailable as err:
        _unavailable("Keystone", err)


@pytest.fixture(scope="session")
def real_placement(real_keystone: keystone.Keystone,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[keystone.Service]:
    """A real Placement behind ``real_keystone``; skipped or failed as that one is."""
    try:
        with placement.running(real_keystone, tmp_path_factory.mktemp("placement")) as svc:
            _started.append(svc)
            yield svc
    except keystone.KeystoneUnavailable as err:
        _unavailable("Placement", err)


@pytest.fixture(scope="session")
def real_glance(real_keystone: keystone.Keystone,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[keystone.Service]:
    """A real Glance behind ``real_keystone``; skipped or failed as that one is."""
    try:
        with glance.running(real_keystone, tmp_path_factory.mktemp("glance")) as svc:
            _started.append(svc)
            yield svc
    except keystone.KeystoneUnavailable as err:
        _unavailable("Glance", err)


@pytest.fixture(scope="session")
def real_neutron(tmp_path_factory: pytest.TempPathFactory) -> Iterator[keystone.Service]:
    """A real Neutron from PyPI (:mod:`.neutron`: its own venv, no Keystone: requests carry
    the headers keystonemiddleware would set); skipped or failed as ``real_keystone`` is."""
    try:
        with neutron.running(tmp_path_factory.mktemp("neutron")) as svc:
            _started.append(svc)
            yield svc
    except keystone.KeystoneUnavailable as err:
        _unavailable("Neutron", err)


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
    return _cloud(request, "real_keystone")


def _apply_gap(request: pytest.FixtureRequest, kind: str, service: str) -> None:
    gap = request.node.get_closest_marker("demo_gap")
    if gap is not None and kind == "demo":
        request.applymarker(pytest.mark.xfail(
            strict=True, reason=f"demo cloud differs from {service}: {gap.args[0]}"))
    sdk = request.node.get_closest_marker("sdk_gap")
    if sdk is not None and kind == "real":
        request.applymarker(pytest.mark.xfail(
            strict=True, reason=f"the SDK mishandles real {service}: {sdk.args[0]}"))


@pytest.fixture
def identity(identity_service: Identity, request: pytest.FixtureRequest) -> Identity:
    """The service under test, ``demo`` then ``real``; applies ``demo_gap`` marks."""
    _apply_gap(request, identity_service.kind, "Keystone")
    return identity_service


def _cloud(request: pytest.FixtureRequest, real_fixture: str) -> Identity:
    """The demo cloud's admin (``request.param`` "demo"), or the real Keystone's once
    ``real_fixture`` has started."""
    if request.param == "demo":
        demo: democloud.DemoCloud = request.getfixturevalue("cloud")
        return Identity("demo", "demo", {"clouds": {"demo": demo.clouds["clouds"]["demo"]}})
    request.getfixturevalue(real_fixture)
    real: keystone.Keystone = request.getfixturevalue("real_keystone")
    return Identity("real", keystone.CLOUD_NAME, real.clouds)


@pytest.fixture(scope="module", params=["demo", "real"])
def placement_cloud(request: pytest.FixtureRequest) -> Iterator[tuple[str, Connection]]:
    """``(kind, admin Connection)`` with Placement: the demo cloud's, then the real one."""
    cloud = _cloud(request, "real_placement")
    conn = cloud.connect()
    yield cloud.kind, conn
    conn.close()


@pytest.fixture(scope="module", params=["demo", "real"])
def image_cloud(request: pytest.FixtureRequest) -> Iterator[tuple[str, Connection]]:
    """``(kind, admin Connection)`` with Glance: the demo cloud's, then the real one."""
    cloud = _cloud(request, "real_glance")
    conn = cloud.connect()
    yield cloud.kind, conn
    conn.close()


@pytest.fixture
def placement_conn(placement_cloud: tuple[str, Connection],
                   request: pytest.FixtureRequest) -> Connection:
    """An admin Connection to Placement, ``demo`` then ``real``; applies ``demo_gap``."""
    _apply_gap(request, placement_cloud[0], "Placement")
    return placement_cloud[1]


@pytest.fixture
def image_conn(image_cloud: tuple[str, Connection],
               request: pytest.FixtureRequest) -> Connection:
    """An admin Connection to Glance, ``demo`` then ``real``; applies ``demo_gap``."""
    _apply_gap(request, image_cloud[0], "Glance")
    return image_cloud[1]


@pytest.fixture(scope="module")
def admin_conn(identity_service: Identity) -> Iterator[Connection]:
    """An admin Connection to the service under test, shared by a module."""
    conn = identity_service.connect()
    yield conn
    conn.close()
