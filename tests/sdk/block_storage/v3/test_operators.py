"""Services, clusters, capabilities, extensions, resource filters, quota classes and
availability zones through conn.block_storage (admin)."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.availability_zone import AvailabilityZone
from osnb.sdk.block_storage.v3.capabilities import Capabilities
from osnb.sdk.block_storage.v3.cluster import Cluster
from osnb.sdk.block_storage.v3.extension import Extension
from osnb.sdk.block_storage.v3.quota_class_set import QuotaClassSet
from osnb.sdk.block_storage.v3.resource_filter import ResourceFilter
from osnb.sdk.block_storage.v3.service import LogLevel


def test_declaration() -> None:
    assert (Cluster.base_path, Cluster.min_microversion) == ("/clusters", "3.7")
    assert AvailabilityZone._props["name"].server_key == "zoneName"
    assert (Capabilities.base_path, Capabilities.allow_retrieve) == ("/capabilities", True)
    assert Extension._props["updated_at"].server_key == "updated"
    assert (ResourceFilter.base_path, ResourceFilter.min_microversion) == (
        "/resource_filters", "3.33")
    assert LogLevel.resources_key == "log_levels"
    assert Cluster._id_prop is Cluster._props["name"]
    assert (QuotaClassSet.base_path, QuotaClassSet.resource_key) == (
        "/os-quota-class-sets", "quota_class_set")


def test_disable_and_enable_a_service(conn, member) -> None:
    svc = conn.block_storage.find_service("block02@netapp-hdd")
    assert svc is not None and svc.binary == "cinder-volume"
    disabled = conn.block_storage.disable_service(svc, reason="sdk maintenance")
    try:
        assert disabled.status == "disabled"
        shown = conn.block_storage.services(host=svc.host)[0]
        assert shown.disabled_reason == "sdk maintenance"
        made = member.block_storage.create_volume(size=1, volume_type="hdd")
        assert member.block_storage.get_volume(made).status == "error"
        why = [m for m in member.block_storage.messages() if m.resource_uuid == made.id]
        assert why
        for message in why:
            member.block_storage.delete_message(message)
        member.block_storage.delete_volume(made)
    finally:
        assert conn.block_storage.enable_service(svc).status == "enabled"
    assert conn.block_storage.find_service("nowhere") is None


def test_freeze_thaw_failover_log_levels(conn) -> None:
    ceph = conn.block_storage.find_service("block01@ceph-ssd")
    assert conn.block_storage.freeze_service(ceph).is_frozen is True
    assert conn.block_storage.services(host=ceph.host)[0].is_frozen is True
    assert conn.block_storage.thaw_service(ceph).is_frozen is False
    conn.block_storage.failover_service(ceph)
    assert conn.block_storage.services(host=ceph.host)[0].replication_status == \
        "failed-over"
    conn.block_storage.failover_service(ceph, backend_id="default")
    conn.block_storage.set_service_log_levels(level="WARNING", binary="cinder-scheduler",
                                              prefix="cinder.scheduler")
    levels = conn.block_storage.get_service_log_levels(binary="cinder-scheduler")
    assert levels and all(lv.levels == {"cinder.scheduler": "WARNING"} for lv in levels)
    assert set(levels.to_pandas().columns) >= {"binary", "host"}


def test_clusters_capabilities_extensions(conn, member) -> None:
    clusters = conn.block_storage.clusters()
    assert [c.name for c in clusters] == ["ceph-cluster@ceph-ssd"]
    cluster = conn.block_storage.get_cluster("ceph-cluster@ceph-ssd")
    assert cluster.num_hosts == 1 and cluster.binary == "cinder-volume"
    assert conn.block_storage.disable_cluster(cluster, reason="sdk").status == "disabled"
    assert conn.block_storage.enable_cluster(cluster).status == "enabled"
    caps = conn.block_storage.get_capabilities("block01@ceph-ssd")
    assert caps.volume_backend_name == "ceph-ssd" and "qos" in caps.properties
    with pytest.raises(exc.Forbidden):
        member.block_storage.get_capabilities("block01@ceph-ssd")
    aliases = member.block_storage.extensions()
    assert "os-hosts" in {e.alias for e in aliases} and len(aliases.to_pandas()) == \
        len(aliases)
    filters = member.block_storage.resource_filters(resource="volume")
    assert filters[0].resource == "volume" and "name" in filters[0].filters
    zones = member.block_storage.availability_zones()
    assert [z.name for z in zones] == ["nova"] and zones[0].state == {"available": True}


def test_quota_class_set(conn, member) -> None:
    default = conn.block_storage.get_quota_class_set()
    assert default.id == "default" and default.volumes == 10
    with pytest.raises(exc.Forbidden):
        member.block_storage.get_quota_class_set()
    changed = conn.block_storage.update_quota_class_set("default", groups=12)
    try:
        assert changed.groups == 12
        project = conn.current_project_id
        assert conn.block_storage.get_quota_set_defaults(project).groups == 12
    finally:
        conn.block_storage.update_quota_class_set("default", groups=10)
