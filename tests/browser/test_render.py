"""The tour notebook's HTML report, opened in headless Chromium as a user would see it.

Checks that a resource's HTML repr (the ``osnb-wrap`` table under a status badge), a list
table (``osnb-list`` and its row-count footer) and the widgets (drawn by the Jupyter
widgets HTML manager from the state saved in the report) are visible, and saves
screenshots under ``artifacts/browser/``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from osnb.notebook.execute import execute_notebook, notebook_path, to_html

from .chromium import browser_page, chromium_missing, widget_js_dir

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
IN_CI = os.environ.get("CI", "").lower() == "true"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nb = execute_notebook(notebook_path("01-tour.ipynb"), env={"OSNB_DEMO_SERVERS": "40"})
    path = tmp_path_factory.mktemp("report") / "01-tour.html"
    path.write_text(to_html(nb), encoding="utf-8")
    return path


def test_report_embeds_widget_state(report: Path) -> None:
    """Every widget view in the page refers to a model whose state the page carries."""
    page = report.read_text(encoding="utf-8")
    state_json = re.search(rf'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>',
                           page, re.S)
    assert state_json, "no widget state in the report"
    models = json.loads(state_json.group(1))["state"]
    views = [json.loads(m) for m in re.findall(
        rf'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', page, re.S)]
    assert len(views) >= 2  # server.widget() and servers.widget()
    for view in views:
        assert view["model_id"] in models
    names = {m["model_name"] for m in models.values()}
    assert {"VBoxModel", "ButtonModel", "HTMLModel", "SelectMultipleModel"} <= names


def _visible(page: Any, selector: str) -> Any:
    locator = page.locator(selector).first
    locator.wait_for(state="visible", timeout=20_000)
    return locator


def test_report_renders_in_chromium(report: Path) -> None:
    reason = chromium_missing()
    if reason:
        _unavailable(reason)
    assets = widget_js_dir()
    if isinstance(assets, str):
        _unavailable(assets)
    assert isinstance(assets, Path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_page(assets) as (page, notes):
        page.goto(report.as_uri())

        # A Resource: the osnb-wrap table under a header with a status badge.
        resource = _visible(page, ".jp-OutputArea-output "
                            ".osnb-wrap:has(.osnb-type:text-is('Server'))")
        badge = resource.locator(".osnb-header .osnb-badge").first
        assert badge.is_visible()
        assert badge.inner_text().strip() in {"ACTIVE", "SHUTOFF", "SUSPENDED", "PAUSED",
                                              "ERROR", "BUILD"}
        assert not page.locator(".osnb-text-repr-fallback").first.is_visible()
        # JupyterLab's CSS right-aligns table cells; osnb's tables stay left-aligned.
        cell = resource.locator("table.osnb-attrs td").first
        assert cell.evaluate("e => getComputedStyle(e).textAlign") == "left"

        # A list: the table and its "N rows × M columns" footer.
        listing = _visible(page, ".osnb-wrap:has(table.osnb-list):has(.osnb-footer)")
        assert listing.locator("table.osnb-list tbody tr").count() > 0
        footer = listing.locator(".osnb-footer").inner_text()
        assert re.search(r"\d+ rows × \d+ columns", footer), footer

        # Widgets, drawn by the widget manager from the saved state.
        button = _visible(page, ".widget-button:has-text('instance actions')")
        assert button.is_visible()
        _visible(page, ".widget-select-multiple")
        _visible(page, ".widget-html .osnb-wrap .osnb-badge")  # server.widget()'s table
        _visible(page, ".widget-html table.osnb-list")         # servers.widget()'s table

        resource.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "resource.png"))
        button.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "widget.png"))
        page.screenshot(path=str(ARTIFACTS / "tour-full.png"), full_page=True)
    errors = [n for n in notes if n.startswith("page error")]
    assert not errors, errors
