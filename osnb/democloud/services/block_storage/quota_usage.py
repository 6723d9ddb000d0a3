"""What a project uses of Cinder's quotas, counted from its own records.

Volumes, snapshots, backups and groups are indexed by their project (a
:class:`~...store.Index`, kept by every write to those tables), so one project's usage
costs what that project owns, not a walk of every table. The counting rule is one function
(:func:`_tally`) for both that and :func:`usage_all`'s one pass over everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ...store import Record, Store

__all__ = ["OWNERS", "usage_all", "usage_of", "wire"]

OWNERS = {"volumes": "os-vol-tenant-attr:tenant_id",
          "snapshots": "os-extended-snapshot-attributes:project_id",
          "backups": "os-backup-project-attr:project_id",
          "volume_groups": "project_id"}
"""Each counted table and the key naming the project its records count against."""


def wire(store: Store) -> None:
    """Index the counted tables by project (before they are made: see
    :meth:`~...store.Store.index`)."""
    for table, key in OWNERS.items():
        store.index(table, key)


def _tally(u: defaultdict[str, int], volumes: Iterable[Record], snapshots: Iterable[Record],
           backups: Iterable[Record], groups: Iterable[Record]) -> None:
    for vol in volumes:
        if not vol.get("consumes_quota", True):
            continue
        u["volumes"] += 1
        u["gigabytes"] += vol["size"]
        u[f"volumes_{vol['volume_type']}"] += 1
        u[f"gigabytes_{vol['volume_type']}"] += vol["size"]
    for snap in snapshots:
        vtype = snap.get("_volume_type", "__DEFAULT__")
        u["snapshots"] += 1
        u["gigabytes"] += snap["size"]
        u[f"snapshots_{vtype}"] += 1
        u[f"gigabytes_{vtype}"] += snap["size"]
    for _ in groups:
        u["groups"] += 1
    for backup in backups:
        u["backups"] += 1
        u["backup_gigabytes"] += backup["size"]


def usage_of(store: Store, project: str) -> dict[str, int]:
    """In-use counts of ``project`` (only the keys it uses), from its own records."""
    u: defaultdict[str, int] = defaultdict(int)
    _tally(u, *(store.index(table, key).records(project) for table, key in OWNERS.items()))
    return dict(u)


def usage_all(store: Store) -> dict[str, dict[str, int]]:
    """In-use counts per project, one pass over each table."""
    by: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for table, key in OWNERS.items():
        for record in store.table(table).values():
            by[record[key]][table].append(record)
    out: dict[str, dict[str, int]] = {}
    for project, owned in by.items():
        u: defaultdict[str, int] = defaultdict(int)
        _tally(u, *(owned[table] for table in OWNERS))
        out[project] = dict(u)
    return out
