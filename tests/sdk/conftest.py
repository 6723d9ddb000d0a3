"""Fixtures for the SDK core: a real loopback service with every pagination style."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from keystoneauth1 import session as ks_session

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
