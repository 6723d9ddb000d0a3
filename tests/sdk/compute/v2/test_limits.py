"""Limits through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import osnb
from osnb.sdk.compute.v2.limits import AbsoluteLimits, Limits


def test_declaration() -> None:
    assert (Limits.base_path, Limits.resource_key) == ("/limits", "limits")
    assert Limits.allow_retrieve and not (Limits.allow_list or Limits.allow_update)
    assert Limits._props["absolute"].conversion.kind is AbsoluteLimits
    assert AbsoluteLimits._props["total_cores_used"].server_key == "totalCoresUsed"
    assert Limits.query.mapping["project_id"] == "tenant_id"


def test_get_limits(cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    limits = member.compute.get_limits()
    absolute = limits.absolute
    assert isinstance(absolute, AbsoluteLimits)
    assert isinstance(absolute.total_cores, int) and isinstance(absolute.instances, int)
    assert absolute.instances_used >= 1 and absolute.total_cores_used >= 1
    assert limits.rate == []


def test_project_id_reaches_the_server(conn, cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    theirs = conn.compute.get_limits(project_id=member.current_project_id).absolute
    assert theirs.instances_used == member.compute.get_limits().absolute.instances_used
    assert conn.compute.get_limits().absolute.instances_used != theirs.instances_used
