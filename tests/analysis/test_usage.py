"""usage over a period against the per-project usage API."""

from __future__ import annotations

import datetime as dt

from osnb.analysis import usage
from osnb.analysis.usage import USAGE_COLUMNS
from osnb.sdk.connection import Connection


def test_usage_totals(admin: Connection) -> None:
    end = dt.datetime.now(dt.timezone.utc)
    start = end - dt.timedelta(days=30)
    df = usage(admin, start, end)
    assert list(df.columns) == list(USAGE_COLUMNS)
    assert len(df) > 0 and df.project_name.notna().all()
    assert (df.vcpu_hours > 0).all() and (df.hours > 0).all() and (df.servers > 0).all()
    # Hours cannot exceed the period times the servers that ran in it.
    assert (df.hours <= df.servers * 30 * 24 + 1e-6).all()
    assert df.vcpu_hours.is_monotonic_decreasing
    top = df.iloc[0]
    one = admin.compute.get_usage(top.project_id, start, end)
    assert abs(one.total_vcpus_usage - top.vcpu_hours) / top.vcpu_hours < 0.01
    assert len(one.server_usages or []) == top.servers
    servers = sum(len(u.server_usages or []) for u in admin.compute.usages(start, end,
                                                                           detailed=True))
    assert df.servers.sum() == servers
    assert admin.usage(start, end).project_id.tolist() == df.project_id.tolist()


def test_usage_in_gib_shown_plainly(admin: Connection) -> None:
    end = dt.datetime.now(dt.timezone.utc)
    start = end - dt.timedelta(days=30)
    df = usage(admin, start, end)
    top = df.iloc[0]
    one = admin.compute.get_usage(top.project_id, start, end)
    assert abs(one.total_memory_mb_usage / 1024 - top.ram_gib_hours) / top.ram_gib_hours < 0.01
    assert abs(one.total_local_gb_usage - top.disk_gib_hours) / top.disk_gib_hours < 0.01
    assert df.servers.dtype == "int64"
    assert (df.ram_gib_hours * 1024 > 1e6).any()  # MiB hours would show as 1.2e+06
    shown = repr(df) + (df._repr_html_() or "")
    assert "e+" not in shown and "e-0" not in shown
