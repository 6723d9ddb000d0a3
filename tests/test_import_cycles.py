"""No module of osnb is in an import cycle, except inside one service package of the
demo cloud.

The graph is grimp's (the one import-linter checks): every import counts, function-level
and ``TYPE_CHECKING`` ones included. A cycle among the modules of one demo-cloud service
(``osnb.democloud.services.compute.*``) is that package's own business; one that crosses
packages or layers is not.
"""

from __future__ import annotations

import grimp
import pytest

KNOWN: dict[frozenset[str], str] = {}
"""Cycles inside the SDK core that are not yet broken (each fails the test once gone, so
that the entry is removed)."""


def cycles(graph: grimp.ImportGraph, skip: str = "osnb.democloud") -> list[frozenset[str]]:
    """The strongly connected groups of two or more modules (Tarjan), ``skip`` left out."""
    def kept(name: str) -> bool:
        return not (name == skip or name.startswith(skip + "."))

    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m) if kept(i))
             for m in sorted(graph.modules) if kept(m)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(frozenset(group))
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("osnb", cache_dir=None)


def test_the_finder_sees_a_cycle_through_a_function_level_import() -> None:
    graph = grimp.ImportGraph()
    for name in ("osnb", "osnb.a", "osnb.b", "osnb.c", "osnb.democloud.x",
                 "osnb.democloud.y"):
        graph.add_module(name)
    graph.add_import(importer="osnb.a", imported="osnb.b", line_number=1, line_contents="")
    graph.add_import(importer="osnb.b", imported="osnb.c", line_number=1, line_contents="")
    graph.add_import(importer="osnb.c", imported="osnb.a", line_number=9,
                     line_contents="    from . import a")
    graph.add_import(importer="osnb.democloud.x", imported="osnb.democloud.y",
                     line_number=1, line_contents="")
    graph.add_import(importer="osnb.democloud.y", imported="osnb.democloud.x",
                     line_number=1, line_contents="")
    assert cycles(graph) == [frozenset({"osnb.a", "osnb.b", "osnb.c"})]


def test_no_module_outside_the_demo_cloud_is_in_an_import_cycle(graph) -> None:
    found = cycles(graph)
    assert [sorted(group) for group in found if group not in KNOWN] == []
    assert set(KNOWN) - set(found) == set(), "a known cycle is gone: remove it from KNOWN"


def _service_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[:3] == ["osnb", "democloud", "services"] and len(parts) > 4:
        return ".".join(parts[:4])
    return None


def test_demo_cloud_cycles_stay_inside_one_service_package(graph) -> None:
    found = cycles(graph, skip="osnb.sdk")  # the SDK is checked above; any prefix not shared
    crossing = [sorted(group) for group in found
                if any(m.startswith("osnb.democloud") for m in group)
                and (None in {_service_package(m) for m in group}
                     or len({_service_package(m) for m in group}) > 1)]
    assert crossing == []


def test_the_notebook_layer_does_not_import_the_package_face(graph) -> None:
    """The registry reaches ``connect`` through :mod:`osnb.face`, not ``osnb``, which
    imports the magics (the cycle osnb → magics → registry → osnb)."""
    layer = graph.find_descendants("osnb.notebook")
    assert [m for m in layer if graph.direct_import_exists(importer=m, imported="osnb")] == []
