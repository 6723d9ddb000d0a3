"""Migration through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

import osnb
from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.migration import Migration


def test_declaration() -> None:
    assert (Migration.base_path, Migration.resources_key) == ("/os-migrations", "migrations")
    assert Migration.allow_list and not (Migration.allow_retrieve or Migration.allow_create)
    assert Migration._id_prop is None  # id is Nova's integer id, uuid its UUID
    assert Migration.query.mapping["server_id"] == "instance_uuid"
    assert Migration.query.mapping["changes_since"] == "changes-since"


def test_list(conn) -> None:
    migrations = conn.compute.migrations()
    assert migrations
    first = migrations[0]
    assert isinstance(first.id, int) and first.uuid and first.id != first.uuid
    assert first.server_id
    assert isinstance(first.created_at, dt.datetime) and isinstance(first.old_flavor_id, int)


def test_filters_reach_the_server(conn) -> None:
    every = conn.compute.migrations()
    status = every[0].status
    assert all(m.status == status for m in conn.compute.migrations(status=status))
    server_id = every[0].server_id
    for_server = conn.compute.migrations(server_id=server_id)
    assert for_server and all(m.server_id == server_id for m in for_server)
    kind = every[0].migration_type
    assert all(m.migration_type == kind for m in conn.compute.migrations(migration_type=kind))
    source = every[0].source_compute
    assert all(m.source_compute == source
               for m in conn.compute.migrations(source_compute=source))
    project = every[0].project_id
    assert all(m.project_id == project for m in conn.compute.migrations(project_id=project))
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert len(conn.compute.migrations(changes_since=future)) == 0


def test_member_is_refused(cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    with pytest.raises(exc.Forbidden):
        member.compute.migrations()
