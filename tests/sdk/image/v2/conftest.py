"""Connections to the session's demo cloud: ``conn`` (admin) and ``member``."""

from __future__ import annotations

import pytest

import osnb


@pytest.fixture(scope="package")
def conn(cloud):
    return osnb.connect("demo", config=cloud.clouds)


@pytest.fixture(scope="package")
def member(cloud):
    return osnb.connect("demo-member", config=cloud.clouds)
