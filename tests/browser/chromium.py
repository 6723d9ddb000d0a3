"""Headless Chromium for looking at osnb's HTML reports as a user would (tests and docs).

Debian's ``/usr/bin/chromium`` is driven by Playwright's Python package (never a browser
that Playwright downloads). Every request but file://, data: and loopback is refused, as
on a bastion host: a report must render from itself (its widgets manager is inline, from
the npm cache of :mod:`osnb.notebook.widget_js`; without it, the static widget views).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from osnb.notebook.widget_js import WIDGET_JS, widget_js_dir

__all__ = ["CHROMIUM", "FLAGS", "WIDGET_JS", "browser_page", "chromium_missing",
           "widget_js_dir"]

CHROMIUM = Path(os.environ.get("OSNB_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return (f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


LOCAL = re.compile(r"^(file|data|about|blob):|^https?://(127\.0\.0\.1|localhost|\[::1\])[:/]")


def _router(refused: list[str]) -> Any:
    """Let file://, data: and loopback requests through; refuse and note the rest."""

    def handle(route: Any) -> None:
        url = route.request.url
        if LOCAL.match(url):
            route.continue_()
            return
        refused.append(url)
        route.abort()

    return handle


@contextmanager
def browser_page(*, width: int = 1200,
                 height: int = 900) -> Iterator[tuple[Any, list[str]]]:
    """A page in headless Chromium with a fresh profile and no network: only file://,
    data: and loopback requests go through.

    Yields the page and a list that collects its console errors, page errors and the URLs
    of refused requests.
    """
    from playwright.sync_api import sync_playwright

    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="osnb-chromium-") as profile, \
            sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": width, "height": height}, device_scale_factor=1)
        try:
            context.route("**/*", _router(notes))
            page = context.new_page()
            page.on("pageerror", lambda err: notes.append(f"page error: {err}"))
            page.on("console", lambda msg: notes.append(f"console {msg.type}: {msg.text}")
                    if msg.type == "error" else None)
            yield page, notes
        finally:
            context.close()
