"""The quota report: every project's limits and use, across services, in one frame."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._common import (
    analysis_frame,
    error_table,
    error_text,
    project_names,
    run_all,
    services_in_catalog,
    widen_pool,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection
    from ..sdk.resource import Resource

__all__ = ["QUOTA_COLUMNS", "QUOTA_SERVICES", "quota_report", "quota_unit"]

QUOTA_COLUMNS = ("project_id", "project_name", "service", "resource", "unit", "limit",
                 "in_use", "reserved", "free", "utilisation", "used_pct")
ERROR_COLUMNS = ("project_id", "project_name", "service", "error")


def _compute(conn: Connection, project: str) -> Resource:
    return conn.compute.get_quota_set(project, usage=True)


def _network(conn: Connection, project: str) -> Resource:
    return conn.network.get_quota(project, details=True)


def _block_storage(conn: Connection, project: str) -> Resource:
    return conn.block_storage.get_quota_set(project, usage=True)


QUOTA_SERVICES: dict[str, Callable[[Connection, str], Resource]] = {
    "compute": _compute,
    "network": _network,
    "block_storage": _block_storage,
}
"""Service → the call that reads one project's limits with their use."""


def quota_report(conn: Connection, projects: Iterable[Any] | None = None,
                 services: Sequence[str] = ("compute", "network", "block_storage"), *,
                 max_workers: int = 16, sequential: bool = False) -> pd.DataFrame:
    """Limit, use and headroom of every quota of ``projects`` (default: all), one row each.

    One request per project and service, ``max_workers`` at a time (``sequential`` for one
    by one). Columns: ``project_id, project_name, service, resource, unit, limit, in_use,
    reserved, free, utilisation, used_pct``; ``resource`` is the SDK's attribute name
    (``floating_ips``, ``cores``…).

    ``limit``, ``in_use``, ``reserved`` and ``free`` are integers (pandas ``Int64``) in the
    API's own unit, named in ``unit``: ``"count"``, ``"GiB"`` (Cinder's gigabytes) or
    ``"MiB"`` (Nova's ``ram``, kept exact rather than rounded to GiB) or ``"bytes"``. A ``limit`` of -1
    means unlimited and stays -1. ``free`` is ``limit - in_use - reserved``; ``utilisation``
    is the ratio ``in_use / limit`` (float) and ``used_pct`` the same as a percentage,
    rounded to 0.1; all three are missing (NA/NaN) where the limit is unlimited.

    A project that fails does not spoil the report: its failures are in
    ``df.attrs["errors"]`` (``project_id, project_name, service, error``) and a warning
    says how many requests failed. A service missing from the catalog is skipped, with
    one row there (no project) saying so.
    """
    import pandas as pd

    unknown = [s for s in services if s not in QUOTA_SERVICES]
    if unknown:
        raise ValueError(f"quota_report: unknown service(s) {', '.join(unknown)}; "
                         f"known: {', '.join(QUOTA_SERVICES)}")
    present, missing = services_in_catalog(conn, services)
    names = project_names(conn)
    targets = _resolve_projects(conn, projects, names)
    jobs = [(pid, name, service) for pid, name in targets for service in present]
    if not sequential:
        widen_pool(conn, max_workers)

    def fetch(job: tuple[str, str | None, str]) -> Resource:
        return QUOTA_SERVICES[job[2]](conn, job[0])

    rows: list[tuple[Any, ...]] = []
    errors: list[tuple[Any, ...]] = [(None, None, service, text) for service, text in missing]
    for (pid, name, service), res, err in run_all(fetch, jobs, max_workers=max_workers,
                                                  sequential=sequential):
        if err is not None or res is None:
            errors.append((pid, name, service, error_text(err or ValueError("no result"))))
            continue
        rows.extend((pid, name, service, row[0], quota_unit(service, row[0]), *row[1:])
                    for row in _quota_rows(res))
    frame = pd.DataFrame(rows, columns=list(QUOTA_COLUMNS[:8]))
    for column in ("limit", "in_use", "reserved"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    unlimited = (frame["limit"] < 0).fillna(False).astype(bool)
    frame["free"] = (frame["limit"] - frame["in_use"] - frame["reserved"]).mask(unlimited)
    # x/0 is inf (over a zero quota), 0/0 NaN (a zero quota, unused).
    limit = frame["limit"].astype("float64").mask(unlimited)
    frame["utilisation"] = frame["in_use"].astype("float64") / limit
    frame["used_pct"] = (frame["utilisation"] * 100).round(1)
    frame["service"] = pd.Categorical(frame["service"], categories=list(services))
    frame = analysis_frame(frame)
    frame.attrs["errors"] = error_table(errors, list(ERROR_COLUMNS))
    if missing:
        warnings.warn(f"quota_report: not in the catalog, skipped: "
                      f"{', '.join(s for s, _ in missing)}; see df.attrs['errors']",
                      stacklevel=2)
    if len(errors) > len(missing):
        failed = len({e[0] for e in errors[len(missing):]})
        warnings.warn(f"quota_report: {len(errors) - len(missing)} of {len(jobs)} requests "
                      f"failed ({failed} project(s)); see df.attrs['errors']", stacklevel=2)
    return frame


def _resolve_projects(conn: Connection, projects: Iterable[Any] | None,
                      names: dict[str, str | None]) -> list[tuple[str, str | None]]:
    """(id, name) for each project given as a Project, an id or a name."""
    if projects is None:
        if not names:  # the caller may not list projects: report its own
            pid = conn.current_project_id
            return [(pid, conn.config.config.get("auth", {}).get("project_name"))] if pid \
                else []
        return list(names.items())
    by_name = {name: pid for pid, name in names.items() if name}
    out = []
    for item in projects:
        pid = getattr(item, "id", item)
        if pid not in names and pid in by_name:
            pid = by_name[pid]
        name = names.get(pid) or getattr(item, "name", None)
        out.append((str(pid), name))
    return out


def _quota_rows(res: Resource) -> list[tuple[str, Any, Any, Any]]:
    """(resource, limit, in_use, reserved) from a quota body whose values are mappings
    (Nova and Cinder say ``in_use``, Neutron ``used``)."""
    rows = []
    for key, value in res.raw.items():
        if not isinstance(value, dict) or "limit" not in value:
            continue
        p = res._by_key.get(key)
        name = p.name if p is not None else key
        in_use = value.get("in_use", value.get("used", 0))
        rows.append((name, value.get("limit"), in_use, value.get("reserved", 0) or 0))
    return rows


def quota_unit(service: str, resource: str) -> str:
    """The unit of a quota: ``"MiB"`` for Nova's ``ram``, ``"GiB"`` for Cinder's gigabytes
    (total, per volume, per volume type, backups), ``"bytes"`` for Nova's injected-file
    sizes, ``"count"`` for everything else."""
    if service == "compute" and resource == "ram":
        return "MiB"
    if service == "block_storage" and "gigabytes" in resource:
        return "GiB"
    if resource.endswith("_bytes"):
        return "bytes"
    return "count"
