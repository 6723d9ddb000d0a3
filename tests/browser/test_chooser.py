"""``%os_connect --choose`` as a browser draws it from saved widget state (no kernel, no
network): before a pick it asks for a cloud and nothing was sent; after a pick against the
demo cloud its menus sit on the cloud's region and the token's project."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path
from typing import Any

import pytest

from osnb.notebook.chooser import Chooser
from osnb.notebook.execute import to_html
from osnb.notebook.registry import Registry
from osnb.notebook.report import WIDGET_STATE, WIDGET_VIEW

from .chromium import browser_page, chromium_missing, widget_js_dir
from .test_render import ARTIFACTS, _unavailable


def _report(chooser: Chooser, path: Path, widget_js: Path | None) -> Path:
    """A one-cell notebook showing the chooser, as nbclient would save it, as a report."""
    import nbformat
    from ipywidgets.embed import dependency_state

    view = {"version_major": 2, "version_minor": 0, "model_id": chooser.box.model_id}
    cell = nbformat.v4.new_code_cell("%os_connect --choose", outputs=[
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: view,
                                                     "text/plain": "VBox()"})])
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["widgets"] = {WIDGET_STATE: {
        "version_major": 2, "version_minor": 0,
        "state": dependency_state([chooser.box], drop_defaults=False)}}
    path.write_text(to_html(nb, widget_js=widget_js,
                            made_at=dt.datetime(2026, 12, 4, tzinfo=dt.timezone.utc)),
                    encoding="utf-8")
    return path


@pytest.fixture
def pages(os_config, tmp_path) -> Any:
    reason = chromium_missing()
    if reason:
        _unavailable(reason)
    assets = widget_js_dir()
    if isinstance(assets, str):
        _unavailable(assets)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_page(width=1100, height=400) as (page, notes):
        yield page, notes, assets


def test_chooser_before_and_after_a_pick(pages, cloud, tmp_path) -> None:
    page, notes, assets = pages
    registry = Registry()
    idle = Chooser(types.SimpleNamespace(registry=registry))
    assert registry.connections == {}
    page.goto(_report(idle, tmp_path / "idle.html", assets).as_uri())
    box = page.locator(".osnb-chooser.jupyter-widgets")
    box.wait_for(state="visible", timeout=20_000)
    assert box.locator("select").first.evaluate(
        "s => s.options[s.selectedIndex].text").replace("\xa0", " ") == "— pick a cloud —"
    assert "nothing is sent" in box.inner_text()

    picked = Chooser(types.SimpleNamespace(registry=registry))
    picked.cloud.value = "demo-member"
    picked.join(30)
    member = cloud.store.meta["member_project"]
    password = cloud.clouds["clouds"]["demo-member"]["auth"]["password"]
    for name, js in (("picked.html", assets), ("picked-static.html", None)):
        page.goto(_report(picked, tmp_path / name, js).as_uri())
        scope = ".osnb-chooser.jupyter-widgets" if js else ".osnb-snapshot .osnb-chooser"
        box = page.locator(scope)
        box.wait_for(state="visible", timeout=20_000)
        text = box.inner_text()
        if js:
            chosen = box.locator("select").evaluate_all(
                "ss => ss.map(s => s.options[s.selectedIndex] && "
                "s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' '))")
        else:
            chosen = [t.replace(" ▾", "") for t in
                      box.locator(".osnb-snap-input").all_inner_texts()]
        assert chosen[:3] == ["demo-member", picked.region.value, member], chosen
        assert picked.region.value not in (None, "(default)")
        assert "project(s) reachable" in text and password not in page.content()
        page.screenshot(path=str(ARTIFACTS / name.replace(".html", ".png")))
    assert not notes, notes
