"""The package surface: exports, and an import that stays light."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import osnb


def test_import_osnb_does_not_load_heavy_modules() -> None:
    code = ("import sys, osnb; heavy = [m for m in ('pandas', 'ipywidgets', 'IPython', "
            "'starlette', 'uvicorn', 'rich', 'keystoneauth1') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_every_module_declares_all() -> None:
    missing = []
    for info in pkgutil.walk_packages(osnb.__path__, "osnb."):
        if info.name.split(".")[-1].startswith("_") and not info.ispkg:
            continue
        module = importlib.import_module(info.name)
        if not hasattr(module, "__all__") and not info.ispkg:
            missing.append(info.name)
    assert missing == []


def test_public_entry_points() -> None:
    assert callable(osnb.connect)
    assert osnb.Connection.__name__ == "Connection"
    assert osnb.__version__
