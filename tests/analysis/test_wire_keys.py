"""The analyses read the services' data through the SDK's props, never by wire key.

A prop owns its wire key (``compute_host = prop("OS-EXT-SRV-ATTR:host")``); an analysis
that reads ``record["OS-EXT-SRV-ATTR:host"]`` gives the key a second owner, which drifts
when the prop is fixed. This scans the source of :mod:`osnb.analysis` for the wire keys
the SDK's props declare under another name:

- a key that no PEP-8 name could be (``OS-EXT-SRV-ATTR:host``, ``router:external``,
  ``zoneName``) may not appear as a string anywhere outside docstrings;
- any other such key (``tenant_id`` for a server's ``project_id``, ``created`` for its
  ``created_at``, ``hypervisor_hostname`` for a hypervisor's ``name``) may not be read:
  ``x["key"]``, ``x.get("key")``, ``x.pop("key")``, ``x.setdefault("key")``,
  ``"key" in x``. The analyses' own output columns of the same spelling (the quota
  report's ``service``, declared in a ``*_COLUMNS`` constant) may be read from their
  frames; a column written (story's ``bootable``) is no read.

A key passed through a variable is not traced; the one table of such names, capacity's
``CAPACITY_KINDS``, is checked to name the hypervisor's attributes.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

import osnb.analysis
from tests.sdk.test_meta import RESOURCES

ANALYSIS = Path(osnb.analysis.__file__).parent
PEP8_NAME = re.compile(r"[a-z_][a-z0-9_]*")
READERS = frozenset({"get", "pop", "setdefault"})

NESTED_KEYS = {
    "limit": "a quota's detail mapping ({limit, in_use, reserved}) per resource, which no "
             "prop declares; only the compute limits' RateLimits.limits is sent as 'limit'",
}
"""Keys the analyses may read although some prop elsewhere is sent under them, each with
why: the value read is a nested mapping no prop describes."""


def output_columns() -> dict[str, str]:
    """The columns the analyses' frames declare (``QUOTA_COLUMNS``…): reading them back
    from those frames is reading the analysis' own output."""
    columns: dict[str, str] = {}
    for path in sorted(ANALYSIS.glob("*.py")):
        module = importlib.import_module(f"osnb.analysis.{path.stem}")
        for attr, value in vars(module).items():
            if attr.endswith("_COLUMNS") and isinstance(value, tuple):
                columns.update({c: f"{path.stem}.{attr}" for c in value if isinstance(c, str)})
    return columns


ALLOWED = {**output_columns(), **NESTED_KEYS}


def differing_wire_keys() -> dict[str, set[str]]:
    """Wire key → the props (``Class.attribute``) sent under it, for every key that is
    not also the name of an attribute of the class that declares it."""
    keys: dict[str, set[str]] = {}
    for cls in RESOURCES:
        for name, p in cls._props.items():
            if p.in_uri:
                continue
            for key in (p.server_key, p.alias):
                if key and key not in cls._props:
                    keys.setdefault(key, set()).add(f"{cls.__name__}.{name}")
    return keys


WIRE_KEYS = differing_wire_keys()


def wire_key_uses(source: str, wire_keys: Mapping[str, object],
                  allowed: Mapping[str, str] = ALLOWED) -> list[tuple[int, str]]:
    """``(line, key)`` for each use of a wire key in ``source`` (see the module doc)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        # attribute docstrings: a string statement after an assignment
        body = getattr(node, "body", None)
        for child in body if isinstance(body, list) else []:
            if isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant):
                docstrings.add(id(child.value))

    def key_of(node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in wire_keys:
            return node.value
        return None

    hits: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        key = key_of(node)
        if key is not None and id(node) not in docstrings and not PEP8_NAME.fullmatch(key):
            hits.append((node.lineno, key))  # type: ignore[attr-defined]
            continue
        read = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            read = key_of(node.slice)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in READERS and node.args:
            read = key_of(node.args[0])
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn))
                                                   for op in node.ops):
            read = key_of(node.left)
        if read is not None and PEP8_NAME.fullmatch(read) and read not in allowed:
            hits.append((node.lineno, read))  # type: ignore[attr-defined]
    return sorted(set(hits))


def test_the_sdk_declares_the_keys_this_guards() -> None:
    """The scan is only as good as its key set: it holds the keys that were read by
    hand before the analyses went through props."""
    for key, owner in [("OS-EXT-SRV-ATTR:host", "Server.compute_host"),
                       ("tenant_id", "Server.project_id"),
                       ("os-vol-tenant-attr:tenant_id", "Volume.project_id"),
                       ("OS-FLV-DISABLED:disabled", "Flavor.is_disabled"),
                       ("router:external", "Network.is_router_external"),
                       ("hypervisor_hostname", "Hypervisor.name"),
                       ("zoneName", "AvailabilityZone.name"),
                       ("created", "Server.created_at"),
                       ("memory_mb", "Hypervisor.memory_size"),
                       ("uuid", "ResourceProvider.id")]:
        assert owner in WIRE_KEYS.get(key, set()), key
    # A key that is also the attribute's own name is no wire key to avoid.
    assert "status" not in WIRE_KEYS and "floating_ip_address" not in WIRE_KEYS


@pytest.mark.parametrize("path", sorted(ANALYSIS.glob("*.py")), ids=lambda p: p.name)
def test_analysis_reads_no_wire_key(path: Path) -> None:
    hits = wire_key_uses(path.read_text(encoding="utf-8"), WIRE_KEYS)
    assert not hits, "read these through the resources' props (to_pandas(columns=[…]) " \
        "or the objects' attributes): " + ", ".join(
            f"{path.name}:{line} {key!r} (owned by {', '.join(sorted(WIRE_KEYS[key]))})"
            for line, key in hits)


@pytest.mark.parametrize("line", [
    'host = rec["OS-EXT-SRV-ATTR:host"]',
    'host = rec.get("OS-EXT-SRV-ATTR:host") or "(none)"',
    'KEYS = ("os-vol-tenant-attr:tenant_id", "size")',
    'project = r.get("tenant_id")',
    'when = r["created"]',
    'if "hypervisor_hostname" in hyp: pass',
    'zone = z.setdefault("zoneName", None)',
])
def test_the_scan_finds_a_wire_key_written_again(line: str) -> None:
    """Each of these, added to a real analysis module, fails the scan."""
    source = (ANALYSIS / "finders.py").read_text(encoding="utf-8")
    assert not wire_key_uses(source, WIRE_KEYS)
    hits = wire_key_uses(source + "\n\n" + line + "\n", WIRE_KEYS)
    assert hits and hits[0][0] == len(source.splitlines()) + 3


def test_the_scan_leaves_props_docs_and_output_names_alone() -> None:
    source = '''
"""Reads ``OS-EXT-SRV-ATTR:host`` through ``compute_host``."""
COLUMNS = ("id", "bootable", "hypervisor_hostname")
def f(server, frame, value):
    """Not ``r["tenant_id"]``."""
    frame["hypervisor_hostname"] = server.hypervisor_hostname
    return server.compute_host, server.project_id, value.get("limit")
'''
    assert wire_key_uses(source, WIRE_KEYS) == []


def test_capacity_reads_hypervisors_by_attribute() -> None:
    from osnb.analysis.capacity import CAPACITY_KINDS
    from osnb.sdk.compute.v2.hypervisor import Hypervisor

    for _, total, used, _ in CAPACITY_KINDS.values():
        assert {total, used} <= set(Hypervisor._props), (total, used)


@pytest.mark.parametrize("path", sorted(ANALYSIS.glob("*.py")), ids=lambda p: p.name)
def test_analysis_reads_no_raw_records(path: Path) -> None:
    """A listing's ``records`` are the bodies as sent, keyed by wire key: the analyses
    read listings through ``to_pandas(columns=[…])`` or the listed objects."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    uses = [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "records"]
    assert not uses, f"{path.name}: .records at line(s) {uses}"
