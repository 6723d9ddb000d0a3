"""Usage over a period: server hours per project from Nova's simple tenant usage."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._common import MIB_PER_GIB, analysis_frame, name_of, run_all

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

    parts = {
        "usages": lambda: conn.compute.usages(start, end, detailed=True).to_pandas(columns=[
            "project_id", "server_usages", "total_vcpus_usage", "total_memory_mb_usage",
            "total_local_gb_usage", "total_hours"]),
        "names": lambda: conn.names.resolve("project")}
    got: dict[str, Any] = {}
    for part, result, err in run_all(lambda p: parts[p](), parts):  # independent: at once
        if err is not None:
            raise err
        got[part] = result
    usages, names = got["usages"], got["names"]
    frame = pd.DataFrame({
        "project_id": usages["project_id"].to_numpy(dtype=object),
        "project_name": [name_of(names, pid) for pid in usages["project_id"]],
        "servers": [len(s) if isinstance(s, list) else 0 for s in usages["server_usages"]],
        "vcpu_hours": usages["total_vcpus_usage"].array,
        "ram_gib_hours": usages["total_memory_mb_usage"].array,
        "disk_gib_hours": usages["total_local_gb_usage"].array,
        "hours": usages["total_hours"].array}, columns=list(USAGE_COLUMNS))
    frame["servers"] = frame["servers"].astype("int64")
    for column in USAGE_COLUMNS[3:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["ram_gib_hours"] = frame["ram_gib_hours"] / MIB_PER_GIB
    frame = analysis_frame(frame.sort_values("vcpu_hours", ascending=False, ignore_index=True))
    frame.attrs.update(start=start, end=end)
    return frame
