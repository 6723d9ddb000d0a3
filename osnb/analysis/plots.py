"""Plots of the analyses' frames, drawn by pandas with matplotlib (imported when called).

Outside a notebook, with no backend chosen (``MPLBACKEND`` unset), the non-interactive
Agg backend is selected so plotting works on a headless host.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["capacity_plot", "quota_heatmap", "usage_plot"]


def _pyplot() -> Any:
    """matplotlib.pyplot, with Agg chosen first if nothing else is set or implied."""
    import matplotlib

    in_notebook = "ipykernel" in sys.modules
    if not in_notebook and not os.environ.get("MPLBACKEND") and \
            "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def quota_heatmap(report: pd.DataFrame, service: str | None = None, *,
                  ax: Axes | None = None, max_projects: int = 60) -> Axes:
    """Projects × resources coloured by utilisation (0 → 1; over 1 is the darkest red);
    unlimited quotas are blank. ``service`` picks one of the report's services; the
    ``max_projects`` fullest projects are shown."""
    import numpy as np

    plt = _pyplot()
    data = report if service is None else report[report["service"] == service]
    if data.empty:
        raise ValueError(f"quota_heatmap: no rows for service {service!r}")
    label = data["project_name"].fillna(data["project_id"]).astype(str)
    resource = (data["resource"] if service is not None else
                data["service"].astype(str) + ":" + data["resource"].astype(str))
    util = data["utilisation"].replace([np.inf], 2.0)
    table = (data.assign(project=label, key=resource, value=util)
             .pivot_table(index="project", columns="key", values="value", aggfunc="max",
                          dropna=False))
    table = table.dropna(axis=1, how="all")
    order = table.max(axis=1).sort_values(ascending=False).index[:max_projects]
    table = table.loc[order]
    if ax is None:
        width = min(4 + 0.45 * len(table.columns), 24)
        height = min(2 + 0.3 * len(table.index), 24)
        _, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(np.ma.masked_invalid(table.to_numpy(dtype=float)), aspect="auto",
                      cmap="RdYlGn_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks(range(len(table.columns)))
    ax.set_xticklabels(list(table.columns), rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(table.index)))
    ax.set_yticklabels(list(table.index), fontsize=8)
    ax.figure.colorbar(image, ax=ax, label="utilisation (in use / limit)")
    ax.set_title(f"Quota utilisation{f' · {service}' if service else ''}")
    return ax


def capacity_plot(capacity_frame: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Used and free share of allocatable capacity for vCPUs, RAM and disk, one group of
    bars per row of a :func:`~osnb.analysis.capacity` frame (host, aggregate or zone)."""
    _pyplot()
    key = capacity_frame.columns[0]
    shares = {}
    for prefix, label in (("vcpus", "vCPU"), ("ram_mb", "RAM"), ("disk_gb", "disk")):
        cap = capacity_frame[f"{prefix}_capacity"].where(capacity_frame[f"{prefix}_capacity"]
                                                         > 0)
        shares[f"{label} used"] = (capacity_frame[f"{prefix}_used"] / cap).to_numpy()
    import pandas as pd

    frame = pd.DataFrame(shares, index=capacity_frame[key].astype(str))
    ax = frame.plot.barh(ax=ax, figsize=None if ax else (8, 1.5 + 0.5 * len(frame)),
                         xlim=(0, max(1.0, float(frame.max().max() or 0) * 1.05)))
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("allocated / allocatable capacity")
    ax.set_ylabel(str(key))
    ax.set_title(f"Capacity used per {key}")
    return ax


def usage_plot(usage_frame: pd.DataFrame, *, ax: Axes | None = None,
               top: int = 20) -> Axes:
    """vCPU hours per project over the usage period (the ``top`` largest), as bars."""
    _pyplot()
    frame = usage_frame.head(top)
    labels = frame["project_name"].fillna(frame["project_id"]).astype(str)
    series = frame.set_axis(labels)["vcpu_hours"].iloc[::-1]
    ax = series.plot.barh(ax=ax, figsize=None if ax else (8, 1.5 + 0.4 * len(series)))
    ax.set_xlabel("vCPU hours")
    ax.set_ylabel("project")
    start, end = usage_frame.attrs.get("start"), usage_frame.attrs.get("end")
    period = f" · {start:%Y-%m-%d} → {end:%Y-%m-%d}" if start and end else ""
    ax.set_title(f"Compute usage{period}")
    return ax
