"""quota_report against the quota APIs themselves, and under failures."""

from __future__ import annotations

import pandas as pd
import pytest

import osnb
from osnb import democloud
from osnb.analysis import quota_report
from osnb.analysis.quota import QUOTA_COLUMNS
from osnb.sdk.connection import Connection


@pytest.fixture(scope="module")
def report(admin: Connection) -> pd.DataFrame:
    return quota_report(admin)


def _row(report: pd.DataFrame, project: str, service: str, resource: str) -> pd.Series:
    rows = report[(report.project_id == project) & (report.service == service)
                  & (report.resource == resource)]
    assert len(rows) == 1, (project, service, resource)
    return rows.iloc[0]


def test_columns_and_every_project(report: pd.DataFrame, admin: Connection) -> None:
    assert list(report.columns) == list(QUOTA_COLUMNS)
    projects = {p.id: p.name for p in admin.identity.projects()}
    assert set(report.project_id) == set(projects)
    assert set(report.service) == {"compute", "network", "block_storage"}
    assert report.attrs["errors"].empty
    named = report.drop_duplicates("project_id").set_index("project_id")["project_name"]
    assert named.to_dict() == projects


def test_numbers_equal_the_quota_apis(report: pd.DataFrame, admin: Connection) -> None:
    for project in list(report.project_id.unique())[:3]:
        compute = admin.compute.get_quota_set(project, usage=True)
        for key in ("cores", "instances", "ram"):
            row = _row(report, project, "compute", key)
            assert row.limit == compute.raw[key]["limit"]
            assert row.in_use == compute.raw[key]["in_use"]
            assert row.reserved == compute.raw[key]["reserved"]
        network = admin.network.get_quota(project, details=True)
        for wire, name in (("floatingip", "floating_ips"), ("port", "ports"),
                           ("security_group", "security_groups")):
            row = _row(report, project, "network", name)
            assert (row.limit, row.in_use) == (network.raw[wire]["limit"],
                                               network.raw[wire]["used"])
        volume = admin.block_storage.get_quota_set(project, usage=True)
        for key in ("volumes", "gigabytes", "snapshots"):
            row = _row(report, project, "block_storage", key)
            assert (row.limit, row.in_use) == (volume.raw[key]["limit"],
                                               volume.raw[key]["in_use"])


def test_derived_columns(report: pd.DataFrame) -> None:
    limited = report[report.limit >= 0]
    assert (limited.free == limited.limit - limited.in_use - limited.reserved).all()
    positive = limited[limited.limit > 0]
    assert ((positive.utilisation - positive.in_use / positive.limit).abs() < 1e-12).all()
    unlimited = report[report.limit == -1]
    assert len(unlimited) > 0
    assert unlimited.free.isna().all() and unlimited.utilisation.isna().all()


def test_integers_units_and_percentages(report: pd.DataFrame, admin: Connection) -> None:
    for column in ("limit", "in_use", "reserved", "free"):
        assert str(report[column].dtype) == "Int64", column
    assert (report.limit == -1).any()  # unlimited stays representable as -1
    assert report[report.limit == -1].free.isna().all()
    limited = report[report.limit > 0]
    assert (limited.used_pct == (limited.utilisation * 100).round(1)).all()
    units = report.set_index(["service", "resource"]).unit.to_dict()
    assert units[("compute", "ram")] == "MiB"
    assert units[("compute", "cores")] == units[("network", "ports")] == "count"
    assert units[("block_storage", "gigabytes")] == "GiB"
    assert "." not in report[["limit", "in_use", "reserved", "free"]].to_string()  # no 4.0


def test_finds_the_projects_near_and_over_quota(report: pd.DataFrame) -> None:
    over = report[report.utilisation > 1]
    near = report[(report.utilisation >= 0.8) & (report.utilisation <= 1)]
    assert len(over) >= 1 and len(near) >= 1
    assert (over.free < 0).all()
    # Projects over quota are seeded in compute and block storage.
    assert {"compute", "block_storage"} & set(over.service.astype(str))


def test_subset_by_id_name_and_project(admin: Connection) -> None:
    projects = list(admin.identity.projects())[:3]
    given = [projects[0], projects[1].id, projects[2].name]
    df = quota_report(admin, given, services=("compute",))
    assert set(df.project_id) == {p.id for p in projects}
    assert set(df.project_name) == {p.name for p in projects}
    assert set(df.service) == {"compute"}


def test_sequential_equals_concurrent(report: pd.DataFrame, admin: Connection) -> None:
    seq = quota_report(admin, sequential=True)
    key = ["project_id", "service", "resource"]
    a = report.sort_values(key, ignore_index=True)
    b = seq.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)


def test_member_gets_its_own_project(member: Connection) -> None:
    df = quota_report(member, services=("compute", "network"))
    assert set(df.project_id) == {member.current_project_id}
    assert df.attrs["errors"].empty


def test_unknown_service_is_a_clear_error(admin: Connection) -> None:
    with pytest.raises(ValueError, match="known: compute"):
        quota_report(admin, services=("dns",))


def test_failures_are_kept_apart_and_counted() -> None:
    """Half the requests fail for real (injected 5xx, no retries): the rest is reported."""
    with democloud.start(seed=7, projects=4, servers=4, build_seconds=0.1) as flaky:
        conn = osnb.connect("demo", config=flaky.clouds, status_code_retries=0)
        projects = list(conn.identity.projects())
        quota_report(conn, projects[:1])  # version discovery done before faults start
        flaky.set_faults(error_rate=0.5)
        with pytest.warns(UserWarning, match=r"requests failed"):
            df = quota_report(conn, max_workers=4)
        errors = df.attrs["errors"]
        assert list(errors.columns) == ["project_id", "project_name", "service", "error"]
        assert 0 < len(errors) < 3 * len(projects)
        assert errors.error.str.contains("ServerError|Unavailable|50[03]").all()
        done = set(map(tuple, df[["project_id", "service"]].drop_duplicates().astype(str)
                       .to_numpy()))
        failed = set(map(tuple, errors[["project_id", "service"]].astype(str).to_numpy()))
        assert not done & failed
        assert len(done | failed) == 3 * len(projects)
