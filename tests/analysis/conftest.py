"""Connections to the shared demo cloud for the analysis tests."""

from __future__ import annotations

import pytest

import osnb
from osnb import democloud
from osnb.sdk.connection import Connection


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud) -> Connection:
    return osnb.connect("demo", config=cloud.clouds)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud) -> Connection:
    return osnb.connect("demo-member", config=cloud.clouds)
