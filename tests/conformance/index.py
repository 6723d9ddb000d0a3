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
from typing import Any

import yaml

from .sources import PINNED, source_dir

__all__ = ["Sample", "documented_version", "documented_versions", "index", "parse_inc",
           "sample_version"]

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


def _sections(text: str) -> Iterator[tuple[str | None, str, list[str]]]:
    """``(method, path, lines)`` per ``rest_method`` section, after ``(None, "", intro)``."""
    current: tuple[str | None, str] = (None, "")
    lines: list[str] = []
    dangling = False  # ``.. rest_method::`` with the call on the next line (Cinder)
    for line in text.splitlines():
        rest = _REST.match(line.strip())
        continued = _CONTINUED.match(line.strip()) if dangling else None
        if rest or continued:
            if current[0] or not dangling:
                yield current[0], current[1], lines
            found = rest if rest and rest.group(1) else continued
            current = (found.group(1), found.group(2)) if found else (None, "")
            lines, dangling = [], bool(rest and not rest.group(1))
            continue
        dangling = dangling and not line.strip()
        lines.append(line)
    yield current[0], current[1], lines


def parse_inc(text: str) -> Iterator[tuple[str, str, list[str]]]:
    """``(method, path, [included .json, …])`` per ``rest_method`` section of ``text``."""
    for method, path, includes, _ in parse_sections(text):
        yield method, path, includes


def parse_sections(text: str) -> Iterator[tuple[str, str, list[str], str | None]]:
    """:func:`parse_inc` with the microversion each section's own prose documents (an
    action's section too: Cinder's ``revert`` is "Available since API microversion 3.40")."""
    for method, path, lines in _sections(text):
        if method:
            yield method, path, _includes(lines), documented_version(lines)


def _includes(lines: list[str]) -> list[str]:
    """The ``.json`` files a section's ``literalinclude`` directives name, the name on the
    directive's line or, as Cinder writes some (its extra specs and encryption specs
    shows), on the next non-blank line."""
    stripped = [line.strip() for line in lines]
    names: list[str] = []
    for at, line in enumerate(stripped):
        found = _INCLUDE.match(line)
        if found:
            names.append(found.group(1))
        elif line == ".. literalinclude::":
            following = next((text for text in stripped[at + 1:] if text), "")
            if following.endswith(".json") and " " not in following:
                names.append(following)
    return names


_PARAM = re.compile(r"^-\s+(\S+?):\s+(\S+)$")
"""``- key: parameter_id``; a key may hold colons itself (``OS-EXT-SRV-ATTR:host``)."""


def parameters(ref: Path) -> dict[str, dict[str, Any]]:
    """The api-ref's ``parameters.yaml``: parameter id → its declaration."""
    path = ref / "parameters.yaml"
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def response_parameters(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """``(method, path) → {response key: its parameter id}``: the keys each section's
    Response parameters document (``- parent_provider_uuid: resource_provider_…_1_14``)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for method, path, lines in _sections(text):
        if not method:
            continue
        keys: dict[str, str] = {}
        response = False
        for line in lines:
            bare = line.strip()
            if bare in ("Response", "Response Parameters"):
                response = True
            elif bare == "Request":
                response = False
            found = _PARAM.match(bare) if response else None
            if found:
                keys.setdefault(found.group(1), found.group(2))
        if keys:
            out[method, path] = keys
    return out


def response_key_versions(text: str, params: dict[str, dict[str, Any]]
                          ) -> dict[tuple[str, str], dict[str, str]]:
    """``(method, path) → {response key: the microversion it appears in}`` for the keys a
    section's Response parameters declare with a ``min_version``.

    A sample that shows such a key documents that microversion or a newer one, even when
    its file name says nothing (Placement's ``get-resource_provider.json`` shows
    ``parent_provider_uuid``, new in 1.14)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for call, keys in response_parameters(text).items():
        versions = {key: str(declared["min_version"]) for key, param in keys.items()
                    if isinstance(declared := params.get(param), dict)
                    and declared.get("min_version")}
        if versions:
            out[call] = versions
    return out


_DOCUMENTED = [re.compile(pattern, re.I) for pattern in (
    r"(?<!\()\b(?:available|new)\b[^.]{0,40}?\b(?:micro)?version\s+`*(\d+\.\d+)",
    r"\b(?:available|new)\b[^.]{0,40}?\b(\d+\.\d+)\s+microversion",
    r"\bmicroversion\s+`*(\d+\.\d+)`*\s+or\s+(?:greater|later|higher)",
    r"\bAPIs?\s+with\s+microversion\s+`*(\d+\.\d+)",
)]
_PROSE_END = re.compile(r"^(Request|Response|\.\. rest_|\.\. literalinclude::)")


def documented_version(lines: list[str]) -> str | None:
    """The microversion a section's prose says its call needs, None when it says none.

    Read up to the section's first request/response heading or directive, in the wordings
    of the api-refs: "Available starting in the 3.27 microversion", "Available since API
    microversion 3.12", "Microversion 2.23 or greater is required for this API", "New in
    version 3.3", "This is the new transfer APIs with microversion 3.55". A version a call
    stops at ("Starting with microversion 2.53 this API is superseded") is not one of them,
    nor a parameter's ("``ip6`` (New in version 2.5)").
    """
    prose: list[str] = []
    for line in lines:
        if _PROSE_END.match(line.strip()):
            break
        prose.append(line.strip())
    text = " ".join(prose)
    for pattern in _DOCUMENTED:
        found = pattern.search(text)
        if found:
            return found.group(1)
    return None


def documented_versions(text: str) -> dict[tuple[str, str], str]:
    """``(method, path) → microversion`` for the sections of ``text`` that document one.

    A section's own statement wins; otherwise the file's introduction (before its first
    ``rest_method``: "Available in microversion 3.62 or higher") holds for all its calls.
    ``POST …/action`` is left out: its sections are many actions, each with its own version.
    """
    out: dict[tuple[str, str], str] = {}
    intro: str | None = None
    for method, path, lines in _sections(text):
        version = documented_version(lines)
        if method is None:
            intro = intro or version
        elif (version or intro) and not path.endswith("/action"):
            out.setdefault((method, path), version or intro or "")
    return out


def included(source: Path, inc: Path, name: str) -> Path:
    """The file a ``literalinclude`` names: relative to its .inc, or, with a leading ``/``,
    to the api-ref's source directory (Sphinx's rule; Nova's versions.inc writes
    ``/../../doc/api_samples/versions/versions-get-resp.json``)."""
    return ((source / name.lstrip("/")) if name.startswith("/") else (inc.parent / name)
            ).resolve()


def index(dist: str) -> list[Sample]:
    """Every response sample an api-ref section of ``dist`` includes."""
    root = source_dir(dist)
    service = SERVICES[dist]
    out: list[Sample] = []
    for inc in sorted((root / "api-ref" / "source").rglob("*.inc")):
        for method, path, includes in parse_inc(inc.read_text(encoding="utf-8")):
            files = [included(root / "api-ref" / "source", inc, name) for name in includes]
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
