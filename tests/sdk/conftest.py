"""Fixtures for the SDK core: a real loopback service with every pagination style."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from keystoneauth1 import session as ks_session

from osnb import democloud
from osnb.democloud._serve import serve_app
from osnb.sdk.proxy import Proxy

from . import fakeservice


@pytest.fixture(scope="session")
def fake() -> Iterator[tuple[str, fakeservice.Log]]:
    log = fakeservice.Log()
    with serve_app(fakeservice.build(log)) as served:
        yield served.url, log


@pytest.fixture
def adapter(fake: tuple[str, fakeservice.Log]) -> Any:
    """A Proxy pointed at the fake service (no auth: it checks none)."""

    def make(prefix: str = "") -> Proxy:
        return Proxy(ks_session.Session(), service_type="test",
                     endpoint_override=fake[0] + prefix)

    return make


def settle_fetch_ahead() -> None:
    """Wait for the requests listings sent ahead to come back (they are never
    interrupted), so the next test starts with none in flight."""
    for thread in threading.enumerate():
        if thread.name == "osnb-fetch-ahead":
            thread.join(timeout=10)


def without_faults(cloud: democloud.DemoCloud) -> Iterator[democloud.DemoCloud]:
    """A fixture's body: ``cloud`` injecting no faults for one test and after it, once
    what was fetched ahead is back (``yield from without_faults(world)``)."""
    cloud.set_faults(latency_ms=0, error_rate=0, rate_limit_rate=0, retry_after=1)
    yield cloud
    cloud.set_faults(latency_ms=0, error_rate=0, rate_limit_rate=0, retry_after=1)
    settle_fetch_ahead()
