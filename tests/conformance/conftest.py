"""The conformance tier: the services' own api-ref samples, replayed over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .replay import Replay, replaying
from .sources import accounts


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The first run fetches the services' sdists: say what that cost."""
    for line in accounts:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running
