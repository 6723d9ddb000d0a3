"""The Jupyter widgets manager a report embeds, so its widgets draw with no network.

``osnb tour`` (build time) fetches two npm packages once with the ordinary ``npm pack``
from the npm registry into a cache outside the repository (``~/.cache/osnb/widget-js``,
or ``OSNB_WIDGET_JS_DIR``): ``@jupyter-widgets/html-manager`` (``embed-amd.js``, which
bundles the base, controls and output widgets) and ``requirejs`` (its AMD loader). A
report then carries both inline; nothing is fetched when the report is viewed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

__all__ = ["WIDGET_JS", "cached_widget_js", "widget_js_dir"]

WIDGET_JS = {"html-manager": "@jupyter-widgets/html-manager@1.0.15",
             "requirejs": "requirejs@2.3.8"}
"""npm packages a report's widgets need: the embed-amd.js renderer and the AMD loader.
html-manager 1.0 is the one for ipywidgets 8 (widget state version 2)."""


def _cache() -> Path:
    return Path(os.environ.get("OSNB_WIDGET_JS_DIR")
                or Path.home() / ".cache" / "osnb" / "widget-js")


def cached_widget_js() -> Path | None:
    """The cache folder when it holds both packages, else None; never fetches."""
    cache = _cache()
    if (cache / "html-manager" / "dist" / "embed-amd.js").is_file() and \
            (cache / "requirejs" / "require.js").is_file():
        return cache
    return None


def widget_js_dir() -> Path | str:
    """A folder with ``html-manager/dist/embed-amd.js`` and ``requirejs/require.js``
    (fetched with ``npm pack`` when not cached yet), or why there is none (no npm, no
    registry)."""
    cached = cached_widget_js()
    if cached is not None:
        return cached
    cache = _cache()
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed: cannot fetch the Jupyter widgets HTML manager"
    with tempfile.TemporaryDirectory(prefix="osnb-npm-") as tmp:
        # Offline, npm's default retries would hold `osnb tour` for minutes: one retry,
        # 30 s per request, then the report goes out with its static widget views.
        try:
            done = subprocess.run([npm, "pack", "--silent", "--fetch-retries=1",
                                   "--fetch-timeout=30000", "--pack-destination", tmp,
                                   *WIDGET_JS.values()], capture_output=True, text=True,
                                  timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return f"npm pack {' '.join(WIDGET_JS.values())} took over 120 s (offline?)"
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != len(WIDGET_JS):
            return f"npm pack {' '.join(WIDGET_JS.values())} failed: {done.stderr.strip()}"
        staging = Path(tempfile.mkdtemp(prefix="widget-js-", dir=_parent(cache)))
        for name, spec in WIDGET_JS.items():
            stem = spec.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
            tarball = next(t for t in tarballs if t.name.startswith(stem + "-"))
            _extract(tarball, staging / name)
        shutil.rmtree(cache, ignore_errors=True)
        staging.rename(cache)
    return cache


def _parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.parent


def _extract(tarball: Path, target: Path) -> None:
    """An npm tarball's ``package/`` into ``target``, refusing paths that leave it."""
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name.split("/", 1)[-1]
            dest = (target / name).resolve()
            if not member.isfile() or not dest.is_relative_to(target.resolve()):
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            if source is not None:
                dest.write_bytes(source.read())
