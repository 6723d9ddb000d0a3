"""An index of the services' api-ref: which sample documents which call at which microversion.

An api-ref section starts with ``.. rest_method:: GET /servers/{server_id}``; the
``.. literalinclude::`` lines after it (up to the next section) name its request and
response samples. A sample's microversion is its directory (Nova's ``v2.47/``, Cinder's
``v3.65/``) or its name's suffix (Placement's ``get-aggregates-1.19.json``); a sample without
one documents the service's base version.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from .sources import PINNED, source_dir

__all__ = ["Sample", "index", "parse_inc", "sample_version"]

SERVICES = {
    "nova": "compute",
    "cinder": "block-storage",
    "glance": "image",
    "keystone": "identity",
    "openstack-placement": "placement",
    "neutron-lib": "network",
}
BASE_VERSIONS = {"compute": "2.1", "block-storage": "3.0", "placement": "1.0"}

_REST = re.compile(r"^\.\.\s+rest_method::\s*(?:([A-Z]+)\s+(\S+))?\s*$")
_CONTINUED = re.compile(r"^([A-Z]+)\s+(/\S*)\s*$")
_INCLUDE = re.compile(r"^\.\.\s+literalinclude::\s+(\S+\.json)\s*$")
_DIR_VERSION = re.compile(r"^v(\d+\.\d+)$")
_NAME_VERSION = re.compile(r"-(\d+\.\d+)(?:-[a-z-]+)?\.json$")
_REQUEST = re.compile(r"(^|[-_.])req(uest)?([-_.]|$)")


@dataclasses.dataclass(frozen=True)
class Sample:
    """One response sample of one call (``request`` is its section's request sample)."""

    service: str
    method: str
    path: str
    microversion: str | None
    response: Path
    request: Path | None
    root: Path

    @property
    def name(self) -> str:
        """The sample's path inside its source tree: what a failing test names."""
        return self.response.relative_to(self.root).as_posix()

    def version_tuple(self) -> tuple[int, int]:
        major, minor = (self.microversion or "0.0").split(".")
        return int(major), int(minor)


def sample_version(path: Path, service: str) -> str | None:
    """The microversion a sample documents (None for unversioned services)."""
    for part in reversed(path.parts[:-1]):
        found = _DIR_VERSION.match(part)
        if found:
            return found.group(1)
    found = _NAME_VERSION.search(path.name)
    if found and service in BASE_VERSIONS:
        return found.group(1)
    return BASE_VERSIONS.get(service)


def _is_request(path: Path) -> bool:
    return bool(_REQUEST.search(path.stem))


def parse_inc(text: str) -> Iterator[tuple[str, str, list[str]]]:
    """``(method, path, [included .json, …])`` per ``rest_method`` section of ``text``."""
    current: tuple[str, str] | None = None
    includes: list[str] = []
    dangling = False  # ``.. rest_method::`` with the call on the next line (Cinder)
    for line in text.splitlines():
        rest = _REST.match(line.strip())
        continued = _CONTINUED.match(line.strip()) if dangling else None
        if rest or continued:
            if current:
                yield current[0], current[1], includes
            found = rest if rest and rest.group(1) else continued
            current = (found.group(1), found.group(2)) if found else None
            includes, dangling = [], bool(rest and not rest.group(1))
            continue
        dangling = dangling and not line.strip()
        include = _INCLUDE.match(line.strip())
        if include and current:
            includes.append(include.group(1))
    if current:
        yield current[0], current[1], includes


def index(dist: str) -> list[Sample]:
    """Every response sample an api-ref section of ``dist`` includes."""
    root = source_dir(dist)
    service = SERVICES[dist]
    out: list[Sample] = []
    for inc in sorted((root / "api-ref" / "source").rglob("*.inc")):
        for method, path, includes in parse_inc(inc.read_text(encoding="utf-8")):
            files = [(inc.parent / name).resolve() for name in includes]
            files = [f for f in files if f.is_file()]
            requests = [f for f in files if _is_request(f)]
            for response in files:
                if _is_request(response):
                    continue
                version = sample_version(response.relative_to(root.resolve()), service)
                request = next((r for r in requests
                                if sample_version(r.relative_to(root.resolve()), service)
                                == version), None)
                out.append(Sample(service, method, path, version, response,
                                  request, root.resolve()))
    return out + _unreferenced(root.resolve(), service, out)


def _unreferenced(root: Path, service: str, referenced: list[Sample]) -> list[Sample]:
    """Nova's samples the api-ref does not include, for the call of their namesakes.

    ``servers/v2.47/server-get-resp.json`` documents the call its namesake
    ``servers/v2.69/server-get-resp.json`` is included under, at 2.47.
    """
    samples = root / "doc" / "api_samples"
    if not samples.is_dir():
        return []
    calls: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for s in referenced:
        parts = s.response.relative_to(samples).parts if s.response.is_relative_to(
            samples) else ()
        if parts:
            calls.setdefault((parts[0], parts[-1]), set()).add((s.method, s.path))
    seen = {s.response for s in referenced}
    out: list[Sample] = []
    for response in sorted(samples.rglob("*.json")):
        parts = response.relative_to(samples).parts
        call = calls.get((parts[0], parts[-1]), set())
        if response in seen or _is_request(response) or len(call) != 1:
            continue
        method, path = next(iter(call))
        out.append(Sample(service, method, path, sample_version(
            response.relative_to(root), service), response, None, root))
    return out


def all_samples() -> list[Sample]:
    """The samples of every pinned service."""
    return [s for dist in PINNED for s in index(dist)]
