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


@pytest.fixture
def odd_projects(admin: Connection) -> object:
    """Projects whose names matplotlib would read as mathtext (one of it invalid)."""
    made = [admin.identity.create_project(name=name, domain_id="default")
            for name in ("$x^2$", r"cost $\notacommand{$")]
    yield made
    for project in made:
        admin.identity.delete_project(project)


def test_quota_heatmap_names_are_plain_text(admin: Connection, odd_projects: list) -> None:
    report = quota_report(admin, odd_projects, services=("compute",))
    ax = quota_heatmap(report, service="compute")
    ax.figure.canvas.draw()  # mathtext would raise on the invalid name, here
    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    assert {"$x^2$", r"cost $\notacommand{$"} <= set(labels)
    assert not any(t.get_parse_math() for t in labels.values())


def test_quota_heatmap_shows_over_quota(admin: Connection) -> None:
    report = quota_report(admin)
    over = report[(report.utilisation > 1) & (report.utilisation < float("inf"))]
    assert len(over) >= 1
    ax = quota_heatmap(report)
    image = ax.images[0]
    table = image.get_array()
    over_colour = image.cmap(image.norm(float(over.utilisation.iloc[0])))
    full_colour = image.cmap(image.norm(1.0))
    assert over_colour != full_colour  # 125 % does not look like 100 %
    assert (table > 1).any()  # the data keeps its value: the scale's extension colours it
    assert ax.figure.axes[-1] is not ax  # a colourbar ...
    colourbar = image.colorbar
    assert colourbar is not None and colourbar.extend in ("max", "both")
    texts = [t.get_text() for t in ax.texts]
    assert f"{float(over.utilisation.iloc[0]):.0%}" in texts  # and its value in the cell


def test_capacity_and_usage_plots(admin: Connection) -> None:
    assert isinstance(capacity_plot(capacity(admin)), Axes)
    assert isinstance(capacity_plot(capacity(admin, by="availability_zone")), Axes)
    end = dt.datetime.now(dt.timezone.utc)
    ax = usage_plot(usage(admin, end - dt.timedelta(days=7), end))
    assert isinstance(ax, Axes) and "usage" in ax.get_title().lower()
