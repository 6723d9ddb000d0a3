"""The services' own api-ref trees, fetched once from PyPI: the one place versions are pinned.

Each service publishes its API reference with its source; the samples in it are what the
service documents it sends. The sdists are downloaded with pip (``--no-binary :all:``), and
only ``api-ref/source/`` and Nova's ``doc/api_samples/`` are kept, under
``~/.cache/osnb/api-samples`` (``OSNB_SAMPLES_CACHE`` overrides it). Nothing fetched is
committed: the tests read facts from these files, they do not copy them.

``python -m tests.conformance.sources`` prepares the cache and prints what it cost.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

__all__ = ["PINNED", "cache_dir", "ensure", "source_dir"]

PINNED: dict[str, str] = {
    "nova": "34.0.0",
    "cinder": "29.0.0",
    "glance": "33.0.0",
    "keystone": "30.0.0",
    "openstack-placement": "16.0.0",
    "neutron-lib": "5.0.1",
}
"""Distribution → version. Nova 34 documents up to compute 2.104; osnb reads up to 2.100."""

KEPT = ("api-ref/source/", "doc/api_samples/")
accounts: list[str] = []
"""What each fetch in this process cost (pytest prints them in its summary)."""
_MARKER = ".complete"


def cache_dir() -> Path:
    """Where the extracted trees live (``OSNB_SAMPLES_CACHE`` or ~/.cache/osnb/api-samples)."""
    configured = os.environ.get("OSNB_SAMPLES_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "osnb" / "api-samples"


def source_dir(dist: str) -> Path:
    """The extracted tree of ``dist`` at its pinned version."""
    return cache_dir() / f"{dist}-{PINNED[dist]}"


def _missing() -> list[str]:
    return [d for d in PINNED if not (source_dir(d) / _MARKER).exists()]


def _extract(archive: Path, dest: Path) -> int:
    """Keep the api-ref and api_samples members of ``archive``; returns the bytes kept."""
    kept = 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) < 2 or not member.isfile():
                continue
            inner = parts[1]
            if not inner.startswith(KEPT) or ".." in inner.split("/"):
                continue
            target = dest / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:
                continue
            data = source.read()
            target.write_bytes(data)
            kept += len(data)
    (dest / _MARKER).write_text(archive.name + "\n")
    return kept


def ensure(report: bool = True) -> str | None:
    """Download and extract whatever pinned tree the cache lacks.

    Returns a one-line account of the cost when something was fetched (also written to
    stderr when ``report``), None when the cache was complete. Raises RuntimeError with
    pip's output when the download fails.
    """
    missing = _missing()
    if not missing:
        return None
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="osnb-samples-") as tmp:
        specs = [f"{d}=={PINNED[d]}" for d in missing]
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", "--dest", tmp, *specs],
            capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"pip download {' '.join(specs)} failed (set "
                               f"OSNB_SAMPLES_CACHE to a prepared cache when offline):\n"
                               f"{done.stdout}{done.stderr}")
        downloaded = kept = 0
        for archive in sorted(Path(tmp).glob("*.tar.gz")):
            name = archive.name.removesuffix(".tar.gz")
            dist = next(d for d in missing
                        if name.lower().replace("_", "-") == f"{d}-{PINNED[d]}")
            downloaded += archive.stat().st_size
            kept += _extract(archive, source_dir(dist))
    still = _missing()
    if still:
        raise RuntimeError(f"pip download did not bring {', '.join(still)}")
    line = (f"api samples: fetched {len(missing)} sdists ({downloaded / 1e6:.1f} MB) in "
            f"{time.monotonic() - start:.1f}s; kept {kept / 1e6:.1f} MB in {cache_dir()}")
    accounts.append(line)
    if report:
        print(line, file=sys.__stderr__, flush=True)
    return line


if __name__ == "__main__":
    start = time.monotonic()
    account = ensure(report=False)
    print(account or f"api samples: cache complete in {cache_dir()} "
                     f"({time.monotonic() - start:.2f}s to check)")
