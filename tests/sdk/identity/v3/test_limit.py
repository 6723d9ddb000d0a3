"""RegisteredLimit and Limit (the unified limits API) through conn.identity, against the
demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.limit import Limit
from osnb.sdk.identity.v3.registered_limit import RegisteredLimit


def test_declarations() -> None:
    assert (RegisteredLimit.base_path, RegisteredLimit.resources_key) == \
        ("/registered_limits", "registered_limits")
    assert (Limit.base_path, Limit.resources_key) == ("/limits", "limits")
    assert {"service_id", "region_id", "resource_name"} <= set(RegisteredLimit.query.mapping)
    assert set(Limit.query.mapping) >= {"service_id", "region_id", "resource_name",
                                        "project_id", "domain_id"}


def _compute(conn) -> str:
    return next(s.id for s in conn.identity.services() if s.type == "compute")


def test_registered_limit_and_limit_lifecycle(conn, member, unique) -> None:
    sid, project = _compute(conn), member.current_project_id
    reg = conn.identity.create_registered_limit(service_id=sid, resource_name=unique,
                                                default_limit=4, region_id="RegionOne")
    try:
        assert reg.id and reg.default_limit == 4 and reg.region_id == "RegionOne"
        assert reg.description is None and reg.links["self"].endswith(reg.id)
        got = member.identity.get_registered_limit(reg.id)
        assert (got.service_id, got.resource_name) == (sid, unique)
        assert member.identity.registered_limits(resource_name=unique).ids() == [reg.id]
        assert conn.identity.update_registered_limit(reg, default_limit=5).default_limit == 5
        with pytest.raises(exc.Forbidden):
            member.identity.create_registered_limit(service_id=sid, resource_name="x",
                                                    default_limit=1)
        with pytest.raises(exc.Forbidden, match="no corresponding registered limit"):
            conn.identity.create_limit(service_id=sid, resource_name=unique,
                                       project_id=project, resource_limit=9)
        lim = conn.identity.create_limit(service_id=sid, resource_name=unique,
                                         region_id="RegionOne", project_id=project,
                                         resource_limit=9)
        try:
            assert (lim.project_id, lim.domain_id, lim.resource_limit) == (project, None, 9)
            assert member.identity.limits(resource_name=unique).ids() == [lim.id]
            assert member.identity.get_limit(lim.id).resource_limit == 9
            updated = conn.identity.update_limit(lim, resource_limit=12, description="more")
            assert (updated.resource_limit, updated.description) == (12, "more")
            with pytest.raises(exc.Conflict):
                conn.identity.create_limit(service_id=sid, resource_name=unique,
                                           region_id="RegionOne", project_id=project,
                                           resource_limit=1)
            with pytest.raises(exc.Forbidden, match="project limits associated"):
                conn.identity.delete_registered_limit(reg)
            with pytest.raises(exc.Forbidden):
                member.identity.delete_limit(lim)
        finally:
            conn.identity.delete_limit(lim)
    finally:
        conn.identity.delete_registered_limit(reg)
    with pytest.raises(exc.NotFound):
        conn.identity.get_registered_limit(reg.id)


def test_seeded_limits_as_frames(conn, member) -> None:
    frame = member.identity.registered_limits().to_pandas()
    assert {"servers", "class:VCPU"} <= set(frame["resource_name"])
    assert frame["default_limit"].dtype.kind == "i"
    mine = member.identity.limits().to_pandas()
    assert set(mine["project_id"]) == {member.current_project_id}
    assert len(conn.identity.limits()) >= len(mine)
