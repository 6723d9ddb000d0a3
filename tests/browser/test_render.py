"""The tour notebook's HTML report, opened in headless Chromium with no network.

Two reports of one run: with the widgets manager inline (from the npm cache) the widgets
draw and a click on a list row opens its detail without a kernel; without it, every
widget's view is there as static HTML. Either way the page says it is a snapshot and
fetches nothing from outside. Screenshots go to ``artifacts/browser/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from osnb.notebook.execute import execute_notebook, notebook_path, to_html
from osnb.notebook.report import WIDGET_STATE, WIDGET_VIEW

from .chromium import browser_page, chromium_missing, widget_js_dir

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
IN_CI = os.environ.get("CI", "").lower() == "true"
MADE = dt.datetime(2026, 12, 4, 17, 5, tzinfo=dt.timezone.utc)


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def executed() -> Any:
    return execute_notebook(notebook_path("01-tour.ipynb"), env={"OSNB_DEMO_SERVERS": "40"})


@pytest.fixture(scope="module")
def report(executed: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report with the widgets manager inline."""
    assets = widget_js_dir()
    if isinstance(assets, str):
        _unavailable(assets)
    assert isinstance(assets, Path)
    path = tmp_path_factory.mktemp("report") / "01-tour.html"
    path.write_text(to_html(executed, widget_js=assets, made_at=MADE), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def static_report(executed: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report without the widgets manager: static views only."""
    path = tmp_path_factory.mktemp("static") / "01-tour.html"
    path.write_text(to_html(executed, widget_js=None, made_at=MADE), encoding="utf-8")
    return path


@pytest.fixture
def page_offline() -> Any:
    reason = chromium_missing()
    if reason:
        _unavailable(reason)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as (page, notes):
        yield page, notes


def test_report_embeds_widget_state_and_no_outside_script(report: Path,
                                                           static_report: Path) -> None:
    """Every widget view refers to a model the page carries; no script comes from a URL."""
    for path in (report, static_report):
        page = path.read_text(encoding="utf-8")
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
        assert not re.search(r"<script[^>]+src=[\"']?https?:", page)
        assert "addWidgetsRenderer" not in page  # nbconvert's CDN loader is gone
        assert page.count("class='osnb-snapshot'") == len(views)
        assert "Snapshot</b> made <time datetime='2026-12-04T17:05:00Z'>" in page


def _visible(page: Any, selector: str) -> Any:
    locator = page.locator(selector).first
    locator.wait_for(state="visible", timeout=20_000)
    return locator


def test_report_renders_offline_with_inline_widgets(report: Path, page_offline) -> None:
    page, notes = page_offline
    page.goto(report.as_uri())
    note = _visible(page, ".osnb-report-note")
    assert "Snapshot made 2026-12-04 17:05 UTC" in note.inner_text()

    # A Resource: the osnb-wrap table under a header with a status badge.
    resource = _visible(page, ".jp-OutputArea-output "
                        ".osnb-wrap:has(.osnb-type:text-is('Server'))")
    badge = resource.locator(".osnb-header .osnb-badge").first
    assert badge.inner_text().strip() in {"ACTIVE", "SHUTOFF", "SUSPENDED", "PAUSED",
                                          "ERROR", "BUILD"}
    assert not page.locator(".osnb-text-repr-fallback").first.is_visible()
    # JupyterLab's CSS right-aligns table cells; osnb's tables stay left-aligned.
    cell = resource.locator("table.osnb-attrs td").first
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "left"

    # A list: the table and its "N rows × M columns" footer.
    listing = _visible(page, ".osnb-wrap:has(table.osnb-list):has(.osnb-footer)")
    assert listing.locator("table.osnb-list tbody tr").count() > 0
    assert re.search(r"\d+ rows × \d+ columns", listing.locator(".osnb-footer").inner_text())

    # Widgets, drawn by the inline manager from the saved state; the static views step
    # aside.
    button = _visible(page, ".widget-button:has-text('instance actions')")
    _visible(page, ".widget-select-multiple")
    _visible(page, ".widget-html .osnb-wrap .osnb-badge")  # server.widget()'s table
    _visible(page, ".osnb-listwidget .widget-html table.osnb-list")
    assert page.locator(".osnb-snapshot:visible").count() == 0

    resource.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "resource.png"))
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "widget.png"))
    page.screenshot(path=str(ARTIFACTS / "tour-full.png"), full_page=True)
    assert not notes, notes  # nothing refused, no page or console error


def test_list_widget_row_click_opens_its_detail(report: Path, page_offline) -> None:
    """No kernel: the click picks the row, the jslinked Stack shows its detail."""
    page, notes = page_offline
    page.goto(report.as_uri())
    widget = _visible(page, ".osnb-listwidget.jupyter-widgets")
    rows = widget.locator("table.osnb-list tbody tr.osnb-row")
    assert rows.count() > 3
    ident = rows.nth(3).locator("td").first.inner_text().strip()
    detail = widget.locator(".osnb-detail")
    assert ident not in detail.inner_text()
    rows.nth(3).click()
    page.wait_for_function(
        "([box, id]) => box.querySelector('.osnb-detail').innerText.includes(id)",
        arg=[widget.element_handle(), ident], timeout=10_000)
    shown = detail.locator(".osnb-wrap:visible .osnb-id")
    assert shown.count() == 1 and shown.inner_text().strip() == ident
    assert widget.locator(".osnb-rows select").evaluate("s => s.selectedIndex") == 3
    rows.nth(1).click()
    ident1 = rows.nth(1).locator("td").first.inner_text().strip()
    page.wait_for_function(
        "([box, id]) => box.querySelector('.osnb-detail').innerText.includes(id)",
        arg=[widget.element_handle(), ident1], timeout=10_000)
    detail.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "row-click.png"))
    assert not notes, notes


def test_static_report_shows_every_widget_view_offline(static_report: Path,
                                                       page_offline) -> None:
    """Without the manager: the widgets' tables as shown, their detail panes, and a row
    click still opens the row's detail section."""
    page, notes = page_offline
    page.goto(static_report.as_uri())
    assert page.locator(".jupyter-widgets .widget-subarea").count() == 0
    snapshots = page.locator(".osnb-snapshot")
    assert snapshots.count() >= 2
    for i in range(snapshots.count()):
        assert snapshots.nth(i).is_visible()
    server = snapshots.nth(0)
    assert server.locator(".osnb-wrap .osnb-badge").first.is_visible()
    assert server.locator("button:has-text('instance actions')").count() == 1
    listing = page.locator(".osnb-snapshot:has(.osnb-listwidget)").first
    table = listing.locator("table.osnb-list")
    assert table.is_visible() and table.locator("tbody tr").count() == 40
    heads = table.locator("thead th").all_inner_texts()
    assert heads[:3] == ["id", "name", "status"]
    assert re.search(rf"40 of 40 rows × {len(heads)} columns",
                     listing.locator(".osnb-footer").inner_text())
    chosen = listing.locator("select[multiple] option:checked").all_inner_texts()
    assert sorted(chosen) == sorted(heads[1:])  # the column menu shows the table's columns
    row = table.locator("tbody tr").nth(2)
    ident = row.locator("td").first.inner_text().strip()
    pane = listing.locator(f"details:has(summary:has-text('{ident}'))")
    assert pane.count() == 1 and not pane.evaluate("d => d.open")
    row.click()
    assert pane.evaluate("d => d.open")
    assert ident in pane.locator(".osnb-wrap .osnb-id").inner_text()
    pane.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "static-report.png"))
    assert not notes, notes
