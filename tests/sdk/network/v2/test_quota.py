"""Network Quota, QuotaDefault and QuotaDetails through conn.network (admin)."""

from __future__ import annotations

from osnb.sdk.network.v2.quota import Quota, QuotaDefault, QuotaDetails


def test_declaration() -> None:
    assert (Quota.base_path, Quota.resource_key, Quota.resources_key) == \
        ("/quotas", "quota", "quotas")
    assert Quota.allow_retrieve and Quota.allow_update and Quota.allow_list
    assert not Quota.allow_create
    assert Quota._props["floating_ips"].server_key == "floatingip"
    assert Quota._id_prop is Quota._props["project_id"]
    assert QuotaDetails.base_path == "/quotas/%(project)s/details"
    assert QuotaDefault.base_path == "/quotas/%(project)s/default"
    assert not QuotaDefault.allow_update and not QuotaDetails.requires_id


def test_list_get_details_default(conn) -> None:
    project = conn.current_project_id
    listed = conn.network.quotas()
    assert all(q.project_id for q in listed)
    quota = conn.network.get_quota(project)
    assert isinstance(quota.networks, int) and isinstance(quota.floating_ips, int)
    assert quota.project_id == project
    details = conn.network.get_quota(project, details=True)
    assert isinstance(details, QuotaDetails)
    assert details.networks["limit"] == quota.networks and "used" in details.networks
    default = conn.network.get_quota_default(project)
    assert isinstance(default.ports, int)
    assert (default.router_routes, default.trunks) == (30, -1)  # Neutron 29's defaults
    assert details.trunks["limit"] == -1


def test_update_and_reset(conn, cloud) -> None:
    project = cloud.store.meta["member_project_id"]
    default = conn.network.get_quota_default(project)
    updated = conn.network.update_quota(project, routers=7, security_groups=-1)
    assert (updated.routers, updated.security_groups) == (7, -1)
    assert project in [q.project_id for q in conn.network.quotas()]
    assert conn.network.get_quota(project).routers == 7
    conn.network.delete_quota(project)
    assert conn.network.get_quota(project).routers == default.routers
