"""The plots draw on the Agg backend and return Axes."""

from __future__ import annotations

import datetime as dt

import matplotlib
import pytest

from osnb.analysis import capacity, capacity_plot, quota_heatmap, quota_report, usage, usage_plot
from osnb.sdk.connection import Connection

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402


@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    plt.close("all")


def test_quota_heatmap(admin: Connection) -> None:
    report = quota_report(admin, services=("compute", "network"))
    assert isinstance(quota_heatmap(report), Axes)
    ax = quota_heatmap(report, service="compute")
    assert isinstance(ax, Axes) and "compute" in ax.get_title()
    with pytest.raises(ValueError, match="no rows"):
        quota_heatmap(report, service="block_storage")


def test_capacity_and_usage_plots(admin: Connection) -> None:
    assert isinstance(capacity_plot(capacity(admin)), Axes)
    assert isinstance(capacity_plot(capacity(admin, by="availability_zone")), Axes)
    end = dt.datetime.now(dt.timezone.utc)
    ax = usage_plot(usage(admin, end - dt.timedelta(days=7), end))
    assert isinstance(ax, Axes) and "usage" in ax.get_title().lower()
