"""QuotaSet, Limits, Pool and Service through conn.block_storage."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.limits import AbsoluteLimit, Limits
from osnb.sdk.block_storage.v3.quota_set import QuotaSet, QuotaSetDefaults, QuotaSetUsage
from osnb.sdk.block_storage.v3.service import Service
from osnb.sdk.block_storage.v3.stats import Pool


def test_declaration() -> None:
    assert (QuotaSet.base_path, QuotaSet.resource_key) == \
        ("/os-quota-sets/%(project_id)s", "quota_set")
    assert not QuotaSet.requires_id and QuotaSet.allow_update and not QuotaSet.allow_list
    assert QuotaSetDefaults.base_path == "/os-quota-sets/%(project_id)s/defaults"
    assert (Limits.base_path, Limits.resource_key) == ("/limits", "limits")
    assert Limits.allow_retrieve and not Limits.requires_id
    assert Pool.base_path.startswith("/scheduler-stats/get_pools") and Pool.allow_list
    assert (Service.base_path, Service.resources_key) == ("/os-services", "services")
    assert Service._props["availability_zone"].server_key == "zone"


def test_quota_set_usage_defaults(conn) -> None:
    project = conn.current_project_id
    quota = conn.block_storage.get_quota_set(project)
    assert quota.project_id == project and isinstance(quota.volumes, int)
    usage = conn.block_storage.get_quota_set(project, usage=True)
    assert isinstance(usage, QuotaSetUsage)
    assert usage.volumes["limit"] == quota.volumes and "in_use" in usage.volumes
    defaults = conn.block_storage.get_quota_set_defaults(project)
    assert isinstance(defaults.gigabytes, int)


def test_update_and_revert_quota_set(conn, cloud) -> None:
    project = cloud.store.meta["member_project_id"]
    default = conn.block_storage.get_quota_set_defaults(project)
    updated = conn.block_storage.update_quota_set(project, volumes=33)
    assert updated.volumes == 33
    assert conn.block_storage.get_quota_set(project).volumes == 33
    conn.block_storage.revert_quota_set(project)
    assert conn.block_storage.get_quota_set(project).volumes == default.volumes


def test_limits(member) -> None:
    limits = member.block_storage.get_limits()
    assert isinstance(limits.absolute, AbsoluteLimit)
    assert isinstance(limits.absolute.max_total_volumes, int)
    assert limits.absolute.total_volumes_used <= limits.absolute.max_total_volumes
    assert isinstance(limits.rate, list)


def test_pools_and_services(conn, member) -> None:
    pools = conn.block_storage.backend_pools()
    assert pools and all(isinstance(p.capabilities, dict) for p in pools)
    assert all("#" in p.name and "free_capacity_gb" in p.capabilities for p in pools)
    services = conn.block_storage.services()
    assert {s.binary for s in services} >= {"cinder-scheduler", "cinder-volume"}
    volume = conn.block_storage.services(binary="cinder-volume")
    assert volume and all(s.binary == "cinder-volume" for s in volume)
    host = volume[0].host
    assert [s.host for s in conn.block_storage.services(host=host)] == [host]
    with pytest.raises(exc.Forbidden):
        member.block_storage.backend_pools()
