"""capacity()'s placement columns computed the slow way, as it did before #17: each
provider's inventories and usages asked one by one through the proxy, nothing kept.

The oracle for the tests of the fast path (allocation candidates' summaries, inventories
kept by generation): on the same cloud, at the same moment, both must give the same
numbers, column for column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from osnb.analysis.capacity import CAPACITY_KINDS
from osnb.sdk.connection import Connection

__all__ = ["PLACEMENT_COLUMNS", "placement_columns", "slow_path"]

PLACEMENT_COLUMNS = [f"{prefix}_{amount}" for prefix, (*_, ratio) in CAPACITY_KINDS.items()
                     for amount in ("total", "reserved", "used", "capacity", "free",
                                    "used_pct")] + [kind[3] for kind in CAPACITY_KINDS.values()]


def slow_path(conn: Connection, names: Any = None) -> pd.DataFrame:
    """Per provider name (``names``: only those), what capacity() shows from placement,
    read with two requests per provider. A class a provider has no inventory of is
    missing (no Nova to fill it in), as capacity() shows it on a cloud without Nova."""
    rows: dict[str, dict[str, Any]] = {}
    for rp in conn.placement.resource_providers():
        if names is not None and rp.name not in set(names):
            continue
        inventories = {i.resource_class: i
                       for i in conn.placement.resource_provider_inventories(rp.id)}
        usages = {u.resource_class: u.usage
                  for u in conn.placement.resource_provider_usages(rp.id)}
        row: dict[str, Any] = {}
        for prefix, (rc, *_, ratio) in CAPACITY_KINDS.items():
            inv = inventories.get(rc)
            row[f"{prefix}_total"] = None if inv is None else inv.total
            row[f"{prefix}_reserved"] = 0 if inv is None else inv.reserved or 0
            row[f"{prefix}_used"] = None if inv is None else usages.get(rc)
            row[ratio] = 1.0 if inv is None or inv.allocation_ratio is None \
                else inv.allocation_ratio
        rows[str(rp.name)] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    for prefix, (*_, ratio) in CAPACITY_KINDS.items():
        scale = 1024 if prefix == "ram_gib" else 1
        total, reserved, used = (frame[f"{prefix}_{a}"].astype("Float64")
                                 for a in ("total", "reserved", "used"))
        capacity = np.floor((total - reserved) * frame[ratio].astype("Float64"))
        frame[f"{prefix}_capacity"] = capacity
        frame[f"{prefix}_free"] = capacity - used
        frame[f"{prefix}_used_pct"] = (used / capacity.where(capacity > 0) * 100).round(1)
        for amount in ("total", "reserved", "used", "capacity", "free"):
            frame[f"{prefix}_{amount}"] = frame[f"{prefix}_{amount}"].astype("Float64") / scale
    return frame[PLACEMENT_COLUMNS].astype("float64").sort_index()


def placement_columns(hosts: pd.DataFrame) -> pd.DataFrame:
    """capacity()'s placement columns per hypervisor (provider) name, as plain floats (the
    slow path's type: ``Int64`` and ``float64`` values compare as numbers)."""
    frame = hosts.set_index("hypervisor_hostname")[PLACEMENT_COLUMNS]
    frame.index.name = None
    return frame.astype("float64").sort_index()
