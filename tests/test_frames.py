"""ResourceList.to_pandas: columns, dtypes, index, flattening — from raw records."""

from __future__ import annotations

import pandas as pd
import pytest

import osnb
from osnb.frames import frame_columns
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource_list import ResourceList


@pytest.fixture(scope="module")
def servers(cloud):
    return osnb.connect("demo", config=cloud.clouds).compute.servers(all_projects=True)


def test_columns_index_and_dtypes(cloud) -> None:
    servers = osnb.connect("demo", config=cloud.clouds).compute.servers(all_projects=True)
    frame = servers.to_pandas()
    assert not any(servers._built), "no Resource objects were built"
    assert list(frame.columns) == frame_columns(Server)
    assert frame.index.name == "id" and list(frame.index) == [s.id for s in servers]
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]" or \
        str(frame["created_at"].dtype).startswith("datetime64[")
    assert frame["created_at"].dt.tz is not None
    assert str(frame["is_locked"].dtype) == "boolean"
    assert str(frame["power_state"].dtype) == "Int64"
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["flavor"].iloc[0], dict)


def test_values_match_the_resources(servers) -> None:
    frame = servers.to_pandas()
    for server in servers[:5]:
        row = frame.loc[server.id]
        assert row["name"] == server.name and row["status"] == server.status
        assert row["created_at"] == server.created_at


def test_columns_and_flatten(servers) -> None:
    frame = servers.to_pandas(columns=["name", "flavor"], flatten=True)
    assert frame.columns[0] == "name"
    assert "flavor.vcpus" in frame.columns and "flavor.original_name" in frame.columns
    with pytest.raises(KeyError, match="no column.*flavour"):
        servers.to_pandas(columns=["flavour"])


def test_empty_list_has_the_same_columns() -> None:
    frame = ResourceList(Server, []).to_pandas()
    assert frame.empty and list(frame.columns) == frame_columns(Server)


def test_unexpected_values_are_kept_and_secrets_masked() -> None:
    records = [{"id": "a", "progress": "half", "created": "someday", "locked": "maybe",
                "adminPass": "hunter2"},
               {"id": "b", "progress": 50, "created": "2026-01-01T00:00:00Z", "locked": True}]
    frame = ResourceList(Server, records).to_pandas()
    assert frame.loc["a", "progress"] == "half" and frame.loc["b", "progress"] == 50
    assert frame.loc["a", "created_at"] == "someday"
    assert frame.loc["a", "is_locked"] == "maybe" and frame.loc["b", "is_locked"] is True
    assert frame.loc["a", "admin_password"] == "***"
    assert "hunter2" not in frame.to_string()
