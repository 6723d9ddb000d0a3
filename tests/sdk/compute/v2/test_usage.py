"""Usage (simple tenant usage) through conn.compute, against the demo cloud."""

from __future__ import annotations

import datetime as dt

import osnb
from osnb.sdk.compute.v2.usage import ServerUsage, Usage

START = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


def test_declaration() -> None:
    assert (Usage.base_path, Usage.resource_key, Usage.resources_key) == \
        ("/os-simple-tenant-usage", "tenant_usage", "tenant_usages")
    assert Usage.allow_list and Usage.allow_retrieve and not Usage.allow_create
    assert Usage._id_prop is Usage._props["project_id"]
    assert Usage._props["server_usages"].conversion.item.kind is ServerUsage
    assert {"start", "end", "detailed"} <= set(Usage.query.mapping)


def test_list_with_start_end_detailed(conn) -> None:
    usages = conn.compute.usages(START)
    assert usages and all(u.server_usages is None for u in usages)
    first = usages[0]
    assert first.id == first.project_id and isinstance(first.total_hours, float)
    assert isinstance(first.start, dt.datetime) and first.start.year == 2020
    detailed = conn.compute.usages(START, detailed=True)
    assert any(u.server_usages for u in detailed)
    server = next(u for u in detailed if u.server_usages).server_usages[0]
    assert isinstance(server, ServerUsage) and isinstance(server.started_at, dt.datetime)
    assert isinstance(server.hours, float) and server.instance_id
    assert len(conn.compute.usages(START, START + dt.timedelta(days=1))) == 0


def test_get_usage(conn, cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    project = member.current_project_id
    usage = conn.compute.get_usage(project, START)
    assert usage.project_id == project and usage.total_hours > 0
    assert usage.server_usages and isinstance(usage.server_usages[0], ServerUsage)
    own = member.compute.get_usage(project, START, dt.datetime.now(dt.timezone.utc))
    assert own.total_vcpus_usage > 0
