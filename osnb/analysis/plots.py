"""Plots of the analyses' frames, drawn by pandas with matplotlib (imported when called).

Outside a notebook, with no backend chosen (``MPLBACKEND`` unset), the non-interactive
Agg backend is selected so plotting works on a headless host.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..notebook.safety import printable

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


OVER_QUOTA_COLOUR = "#5b2a86"
"""The colour of a quota cell over 100 % (beyond the green → red scale)."""


def quota_heatmap(report: pd.DataFrame, service: str | None = None, *,
                  ax: Axes | None = None, max_projects: int = 60) -> Axes:
    """Projects × resources coloured by utilisation: green (0 %) to red (100 %), and over
    100 % a colour of its own (:data:`OVER_QUOTA_COLOUR`, the colourbar's extension) with
    the percentage written in the cell, so 125 % and 300 % read apart from 100 %.
    Unlimited quotas are blank. ``service`` picks one of the report's services; the
    ``max_projects`` fullest projects are shown. Names are drawn as plain text (a ``$``
    in a project name is no mathtext)."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.ticker import PercentFormatter

    plt = _pyplot()
    data = report if service is None else report[report["service"] == service]
    if data.empty:
        raise ValueError(f"quota_heatmap: no rows for service {service!r}")
    label = data["project_name"].fillna(data["project_id"]).astype(str)
    resource = (data["resource"] if service is not None else
                data["service"].astype(str) + ":" + data["resource"].astype(str))
    util = data["utilisation"].astype("float64")
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
    cmap = colormaps["RdYlGn_r"].with_extremes(over=OVER_QUOTA_COLOUR)
    values = table.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(np.where(np.isposinf(values), 2.0, values)),
                      aspect="auto", cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    for (row, column), value in np.ndenumerate(values):
        if value > 1:
            text = "∞" if np.isinf(value) else f"{value:.0%}"
            ax.text(column, row, text, ha="center", va="center", fontsize=7,
                    color="white", parse_math=False)
    ax.set_xticks(range(len(table.columns)))
    ax.set_xticklabels([printable(c) for c in table.columns], rotation=60, ha="right",
                       fontsize=8, parse_math=False)
    ax.set_yticks(range(len(table.index)))
    ax.set_yticklabels([printable(i) for i in table.index], fontsize=8, parse_math=False)
    bar = ax.figure.colorbar(image, ax=ax, extend="max",
                             format=PercentFormatter(xmax=1.0, decimals=0))
    bar.set_label("in use / limit (over 100 %: purple, value in the cell)")
    ax.set_title(f"Quota utilisation{f' · {service}' if service else ''}", parse_math=False)
    return ax


def _plain_text(ax: Axes) -> None:
    """Tick labels and legend entries from server strings, drawn without mathtext."""
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels()]
    legend = ax.get_legend()
    if legend is not None:
        texts += legend.get_texts()
    for text in texts:
        text.set_parse_math(False)
        text.set_text(printable(text.get_text()))


def capacity_plot(capacity_frame: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Used and free share of allocatable capacity for vCPUs, RAM and disk, one group of
    bars per row of a :func:`~osnb.analysis.capacity` frame (host, aggregate or zone)."""
    _pyplot()
    key = capacity_frame.columns[0]
    shares = {}
    for prefix, label in (("vcpus", "vCPU"), ("ram_gib", "RAM"), ("disk_gib", "disk")):
        cap = capacity_frame[f"{prefix}_capacity"].where(capacity_frame[f"{prefix}_capacity"]
                                                         > 0)
        used = capacity_frame[f"{prefix}_used"].astype("float64")
        shares[f"{label} used"] = (used / cap.astype("float64")).to_numpy()
    import pandas as pd

    frame = pd.DataFrame(shares, index=capacity_frame[key].astype(str))
    ax = frame.plot.barh(ax=ax, figsize=None if ax else (8, 1.5 + 0.5 * len(frame)),
                         xlim=(0, max(1.0, float(frame.max().max() or 0) * 1.05)))
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("allocated / allocatable capacity")
    ax.set_ylabel(str(key))
    ax.set_title(f"Capacity used per {key}")
    _plain_text(ax)
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
    _plain_text(ax)
    return ax
