"""An admin connection to the demo cloud for the placement tests (placement is admin-only)."""

from __future__ import annotations

from typing import Any

import pytest

import osnb


@pytest.fixture(scope="module")
def conn(cloud: Any) -> Any:
    return osnb.connect("demo", config=cloud.clouds)
