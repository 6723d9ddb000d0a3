"""Connections to the demo cloud for the identity tests: admin and an ordinary member."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import osnb


@pytest.fixture(scope="module")
def conn(cloud: Any) -> Any:
    return osnb.connect("demo", config=cloud.clouds)


@pytest.fixture(scope="module")
def member(cloud: Any) -> Any:
    return osnb.connect("demo-member", config=cloud.clouds)


@pytest.fixture
def unique() -> str:
    """A name no other test (or the seeded world) uses."""
    return f"osnb-test-{uuid.uuid4().hex[:8]}"
