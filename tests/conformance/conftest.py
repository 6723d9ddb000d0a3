"""The conformance tier: the services' own api-ref samples, replayed over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .replay import Replay, replaying


@pytest.fixture(scope="session")
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running
