"""An executed notebook's HTML made readable offline: a snapshot note, static views of
the widgets, and the widgets manager inline instead of from a CDN.

nbconvert's page loads require.js and the Jupyter widgets manager from public CDNs when
it is viewed: offline (a bastion host) the widgets are blank. :func:`finish_report`

* puts a note at the top: the page is a snapshot made at a given time, its widgets do not
  reach the cloud;
* after each widget's view, adds the widget's current view drawn from the saved state
  (:mod:`osnb.notebook.snapshot`): its table as shown, its detail pane. CSS hides it
  where the manager has drawn the widget;
* replaces the CDN scripts with the local copies (:mod:`osnb.notebook.widget_js`) inline,
  or removes them when there are none, and drops the MathJax loader (osnb's notebooks
  typeset no maths), so nothing is fetched when the page is viewed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from .render import css, escape_html
from .snapshot import SNAPSHOT_SCRIPT, links, widget_snapshot

__all__ = ["WIDGET_STATE", "WIDGET_VIEW", "finish_report"]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_VIEW = re.compile(rf'(<script type="{re.escape(WIDGET_VIEW)}">\s*(.*?)\s*</script>)', re.S)
_REQUIRE = re.compile(r'<script src="[^"]*require(?:\.min)?\.js"></script>')
_LOADER = re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?"
                     r"</script>", re.S)
_MATHJAX = re.compile(r'<script src="https?://[^"]*mathjax[^"]*">\s*</script>', re.I)


@functools.cache
def _report_css() -> str:
    return (resources.files("osnb") / "static" / "report.css").read_text(encoding="utf-8")


def _inline(code: str) -> str:
    """JavaScript for an inline ``<script>``: no ``</script`` can end it early."""
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def finish_report(page: str, nb: Any, *, widget_js: Path | None,
                  made_at: dt.datetime | None = None) -> str:
    """``page`` (nbconvert's HTML of ``nb``) made readable with no network; see the
    module docstring. ``widget_js`` is a folder from
    :func:`~osnb.notebook.widget_js.widget_js_dir` or None (snapshots only)."""
    from ..sdk.version import __version__

    made = (made_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    state = ((nb.metadata.get("widgets") or {}).get(WIDGET_STATE) or {}).get("state") or {}
    linked = links(state)
    views = 0

    def add_snapshot(match: re.Match[str]) -> str:
        nonlocal views
        try:
            model_id = str(json.loads(match.group(2))["model_id"])
        except (ValueError, KeyError, TypeError):
            return match.group(1)
        drawn = widget_snapshot(model_id, state, linked)
        if not drawn:
            return match.group(1)
        views += 1
        return (match.group(1) + "<div class='osnb-snapshot'><div class='osnb-snapshot-"
                f"caption'>widget as it was at {made:%Y-%m-%d %H:%M} UTC (static view)"
                f"</div>{drawn}</div>")

    page = _VIEW.sub(add_snapshot, page)
    page = _MATHJAX.sub("", page)
    if widget_js is not None and views:
        require = (widget_js / "requirejs" / "require.js").read_text(encoding="utf-8")
        manager = (widget_js / "html-manager" / "dist" / "embed-amd.js").read_text(
            encoding="utf-8")
        page = _REQUIRE.sub(lambda _: _inline(require), page, count=1)
        page = _LOADER.sub("", page)
        page = page.replace("</body>", _inline(manager) + "\n</body>", 1)
    else:
        page = _REQUIRE.sub("", page)
        page = _LOADER.sub("", page)
    widgets = ("its widgets are drawn from the state saved then (menus and buttons need "
               "a live kernel)" if views else "")
    note = (f"<div class='osnb-report-note' role='note'><b>Snapshot</b> made "
            f"<time datetime='{made:%Y-%m-%dT%H:%M:%SZ}'>{made:%Y-%m-%d %H:%M} UTC</time> "
            f"by osnb {escape_html(__version__)}: what the cloud held when the notebook ran"
            f"{'; ' + widgets if widgets else ''}. Nothing on this page talks to the "
            "cloud.</div>")
    head = (f"<style>{css()}</style><style>{_report_css()}</style>"
            + _inline(SNAPSHOT_SCRIPT))
    page = page.replace("</head>", head + "\n</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + note, page, count=1)
