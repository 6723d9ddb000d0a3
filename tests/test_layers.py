"""The SDK stands alone: ``osnb.sdk`` imports no layer above it, and rendering, frames
and the connection's analysis shortcuts reach it through one door (``osnb.sdk.hooks``)
that the package face fills."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import osnb

UPPER = ("osnb.notebook", "osnb.analysis", "osnb.frames", "osnb.democloud")
SDK = Path(osnb.__file__).parent / "sdk"


def _is_upper(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in UPPER)


def _module_of(path: Path) -> str:
    parts = path.relative_to(SDK.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_names(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module ``source`` (of ``module``) imports, at any depth (function-level
    too), relative imports resolved, plus every string given to ``importlib.import_module``."""
    package = module if is_package else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_the_checker_sees_lazy_relative_and_importlib_imports() -> None:
    source = textwrap.dedent("""
        import importlib
        from . import hooks
        def f():
            from ..notebook.html import resource_html
            from ... import democloud
            return importlib.import_module("osnb.analysis")
    """)
    names = {name for _, name in _imported_names(source, "osnb.sdk.compute.server")}
    assert {"osnb.sdk.compute.hooks", "osnb.sdk.notebook.html", "osnb.democloud",
            "osnb.analysis"} <= names
    names = {name for _, name in _imported_names(source, "osnb.sdk.resource")}
    assert "osnb.notebook.html" in names and "osnb.sdk.hooks" in names
    assert {"osnb.notebook.html", "osnb.analysis"} <= {n for n in names if _is_upper(n)}


def test_sdk_source_imports_no_upper_layer_even_lazily() -> None:
    offenders = [f"{path.relative_to(SDK.parent)}:{line}: {name}"
                 for path in sorted(SDK.rglob("*.py"))
                 for line, name in _imported_names(path.read_text(), _module_of(path),
                                                   path.name == "__init__.py")
                 if _is_upper(name)]
    assert offenders == []


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sdk_alone_renders_plainly_and_loads_no_upper_layer() -> None:
    """Every SDK module imported and used with the door empty (no package-face loaders):
    plain reprs, clear errors, and not one module of an upper layer in sys.modules."""
    out = _run("""
        import importlib, pkgutil, sys
        import osnb.sdk
        from osnb.sdk import hooks
        hooks._loaders.clear()
        for info in pkgutil.walk_packages(osnb.sdk.__path__, "osnb.sdk."):
            importlib.import_module(info.name)
        from osnb.sdk.compute.v2.flavor import Flavor
        from osnb.sdk.connection import Connection
        from osnb.sdk.resource_list import ResourceList
        flavor = Flavor({"id": "f1", "name": "<b>tiny</b>", "vcpus": 1})
        flavors = ResourceList(Flavor, [{"id": "f1", "name": "tiny", "vcpus": 1}])
        assert flavor._repr_html_() == "<pre>" + repr(flavor).replace("<", "&lt;").replace(">", "&gt;") + "</pre>", flavor._repr_html_()
        assert flavor.__rich__() == repr(flavor)
        assert flavors.__rich__() == repr(flavors)
        assert flavors._repr_html_().startswith("<pre>&lt;ResourceList of 1 Flavor")
        from IPython.lib.pretty import pretty
        assert pretty(flavor) == repr(flavor), pretty(flavor)
        conn = Connection.__new__(Connection)
        for call in (flavors.to_pandas, lambda: flavors.child_frame("x"), flavor.widget,
                     flavors.widget, lambda: conn.lookup("x"), conn.quota_report,
                     lambda: conn.capacity(), lambda: conn.usage(None, None),
                     lambda: conn.server_story("x"), lambda: conn.for_projects([])):
            try:
                call()
            except LookupError as err:
                assert "import osnb" in str(err), err
            else:
                raise AssertionError(call)
        print(sorted(m for m in sys.modules if m.split(".")[:2] in
                     (["osnb", "notebook"], ["osnb", "analysis"], ["osnb", "frames"],
                      ["osnb", "democloud"])))
    """)
    assert out == "[]"


def test_after_import_osnb_the_door_renders_and_frames() -> None:
    """The ordinary path: `import osnb` installs loaders only (no notebook layer, pandas,
    rich or ipywidgets yet); the first repr loads the renderers through the door."""
    out = _run("""
        import sys
        import osnb
        from osnb.sdk.compute.v2.flavor import Flavor
        from osnb.sdk.resource_list import ResourceList
        from osnb.sdk import hooks
        before = sorted(m for m in ("osnb.notebook", "osnb.frames", "osnb.analysis",
                                    "pandas", "rich", "ipywidgets") if m in sys.modules)
        flavor = Flavor({"id": "f1", "name": "<b>tiny</b>", "vcpus": 2})
        flavors = ResourceList(Flavor, [{"id": "f1", "name": "<b>tiny</b>", "vcpus": 2}])
        html = flavor._repr_html_()
        assert "osnb-" in html and "&lt;b&gt;tiny" in html and "<b>tiny" not in html, html
        assert "osnb-" in flavors._repr_html_()
        from rich.console import Console
        import io
        console = Console(record=True, width=100, file=io.StringIO())
        console.print(flavor.__rich__())
        assert "<b>tiny</b>" in console.export_text()
        from IPython.lib.pretty import pretty
        assert pretty(flavor) != repr(flavor) and "tiny" in pretty(flavor)
        frame = flavors.to_pandas()
        assert list(frame["vcpus"]) == [2] and list(frame["name"]) == ["<b>tiny</b>"]
        import osnb.analysis
        assert hooks.lookup("lookup") is osnb.analysis.lookup
        print(before)
    """)
    assert out == "[]"
