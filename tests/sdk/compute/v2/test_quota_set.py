"""QuotaSet through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.quota_set import QuotaSet


def test_declaration() -> None:
    assert (QuotaSet.base_path, QuotaSet.resource_key) == \
        ("/os-quota-sets/%(project_id)s", "quota_set")
    assert QuotaSet.allow_retrieve and QuotaSet.allow_update and QuotaSet.allow_delete
    assert not (QuotaSet.allow_list or QuotaSet.allow_create)
    assert QuotaSet._props["project_id"].in_uri


def test_get_with_usage_and_defaults(conn, member) -> None:
    project = member.current_project_id
    quotas = conn.compute.get_quota_set(project)
    assert quotas.id == project and quotas.project_id == project
    assert isinstance(quotas.cores, int) and isinstance(quotas.instances, int)
    used = conn.compute.get_quota_set(project, usage=True)
    assert used.instances["limit"] == quotas.instances and used.instances["in_use"] >= 1
    defaults = conn.compute.get_quota_set_defaults(project)
    assert isinstance(defaults.key_pairs, int)
    own = member.compute.get_quota_set(project)
    assert own.cores == quotas.cores


def test_update_and_revert(conn, member) -> None:
    project = member.current_project_id
    before = conn.compute.get_quota_set(project)
    try:
        updated = conn.compute.update_quota_set(project, cores=before.cores + 7)
        assert updated.cores == before.cores + 7
        assert conn.compute.get_quota_set(project).cores == before.cores + 7
        with pytest.raises(exc.Forbidden):
            member.compute.update_quota_set(project, cores=1000)
    finally:
        conn.compute.update_quota_set(project, cores=before.cores)
    assert conn.compute.get_quota_set(project).cores == before.cores


def test_revert_to_defaults(conn, cloud) -> None:
    projects = {s.project_id for s in conn.compute.servers(all_projects=True)}
    project = sorted(projects - {cloud.store.meta["member_project_id"]})[0]
    defaults = conn.compute.get_quota_set_defaults(project)
    conn.compute.update_quota_set(project, metadata_items=defaults.metadata_items + 1)
    conn.compute.revert_quota_set(project)
    assert conn.compute.get_quota_set(project).metadata_items == defaults.metadata_items
