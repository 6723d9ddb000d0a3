"""Make the README's screenshots: run the notebooks, open their HTML in headless Chromium,
and save a PNG of chosen cells' outputs under ``docs/img/``.

Run from the repository root (needs the ``test`` extra and Debian's chromium)::

    python docs/make_screenshots.py

Each picture is reduced to a 256-colour palette so it stays well under 300 KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from osnb.notebook.execute import execute_notebook, notebook_path, to_html  # noqa: E402
from tests.browser.chromium import browser_page, chromium_missing, widget_js_dir  # noqa: E402

IMG = ROOT / "docs" / "img"
WORK = ROOT / "artifacts" / "docs"
SMALL_DEMO = {"OSNB_DEMO_SERVERS": "40", "OSNB_DEMO_PROJECTS": "6", "OSNB_DEMO_SEED": "42"}
MAX_BYTES = 300_000

# notebook → [(picture, a line of the cell whose output is shown, max height in px)]
SHOTS = {
    "01-tour.ipynb": [
        ("connect.png", "%os_connect demo", 420),
        ("servers-list.png", "servers = conn.compute.servers(all_projects=True)", 560),
        ("server.png", "server = servers[0]", 620),
        ("list-widget.png", "servers.widget()", 560),
    ],
    "02-quotas.ipynb": [
        ("quota-near.png", "near = report[", 420),
        ("quota-heatmap.png", "analysis.plots.quota_heatmap(report)", 700),
    ],
    "03-investigation.ipynb": [
        ("server-story.png", "analysis.server_story(conn, server)", 760),
    ],
    "04-capacity.ipynb": [
        ("capacity.png", "analysis.plots.capacity_plot(by_host);", 620),
    ],
}


def _cell_id(nb: object, line: str) -> str:
    for cell in nb.cells:  # type: ignore[attr-defined]
        if cell.cell_type == "code" and line in cell.source:
            return str(cell.id)
    raise LookupError(f"no code cell contains {line!r}")


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True)


def main() -> int:
    reason = chromium_missing()
    assets = widget_js_dir()  # the widgets manager, inline in each page (npm, cached)
    if reason or isinstance(assets, str):
        print(f"cannot make screenshots: {reason or assets}", file=sys.stderr)
        return 1
    IMG.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    with browser_page(width=1100, height=900) as (page, notes):
        for name, shots in SHOTS.items():
            nb = execute_notebook(notebook_path(name), env=SMALL_DEMO)
            report = WORK / name.replace(".ipynb", ".html")
            report.write_text(to_html(nb, widget_js=assets), encoding="utf-8")
            page.goto(report.as_uri())
            page.wait_for_load_state("networkidle")
            for picture, line, max_height in shots:
                output = page.locator(
                    f'[id="cell-id={_cell_id(nb, line)}"] .jp-Cell-outputWrapper')
                output.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(300)  # widgets draw after the manager loads
                box = output.bounding_box()  # in the viewport, the output at its top
                assert box is not None, f"{picture}: output not visible"
                target = IMG / picture
                page.screenshot(path=str(target), clip={
                    "x": box["x"], "y": box["y"], "width": min(box["width"], 1100 - box["x"]),
                    "height": min(box["height"], max_height, 900 - box["y"])})
                _shrink(target)
                size = target.stat().st_size
                print(f"{target.relative_to(ROOT)}: {size / 1000:.0f} KB")
                if size > MAX_BYTES:
                    print(f"  too big (> {MAX_BYTES / 1000:.0f} KB)", file=sys.stderr)
                    return 1
    errors = [n for n in notes if n.startswith("page error")]
    for note in errors:
        print(note, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
