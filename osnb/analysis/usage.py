"""Usage over a period: server hours per project from Nova's simple tenant usage."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ._common import MIB_PER_GIB, analysis_frame, name_of

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection

__all__ = ["USAGE_COLUMNS", "usage"]

USAGE_COLUMNS = ("project_id", "project_name", "servers", "vcpu_hours", "ram_gib_hours",
                 "disk_gib_hours", "hours")


def usage(conn: Connection, start: datetime, end: datetime) -> pd.DataFrame:
    """What each project used between ``start`` and ``end`` (``os-simple-tenant-usage``,
    admin), most vCPU hours first.

    Columns: ``project_id, project_name, servers`` (servers that ran in the period, an
    integer), ``vcpu_hours, ram_gib_hours, disk_gib_hours, hours`` (floats: server hours,
    and vCPU, RAM and disk hours). RAM is in GiB (Nova reports MiB hours, divided here by
    1024); disk is in GiB as Nova reports it (its "GB" are GiB). Naive times are taken
    as UTC.
    """
    import pandas as pd

    listing = conn.compute.usages(start, end, detailed=True)
    names = conn.names.resolve("project")
    rows = []
    for record in listing.records:
        pid = record.get("tenant_id")
        rows.append((pid, name_of(names, pid), len(record.get("server_usages") or []),
                     record.get("total_vcpus_usage"), record.get("total_memory_mb_usage"),
                     record.get("total_local_gb_usage"), record.get("total_hours")))
    frame = pd.DataFrame(rows, columns=list(USAGE_COLUMNS))
    frame["servers"] = frame["servers"].astype("int64")
    for column in USAGE_COLUMNS[3:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["ram_gib_hours"] = frame["ram_gib_hours"] / MIB_PER_GIB
    frame = analysis_frame(frame.sort_values("vcpu_hours", ascending=False, ignore_index=True))
    frame.attrs.update(start=start, end=end)
    return frame
