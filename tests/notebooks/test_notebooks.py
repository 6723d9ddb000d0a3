"""Every shipped notebook runs top to bottom against the embedded demo cloud.

Each runs in a fresh kernel of this interpreter (see ``osnb.notebook.execute``) and any
cell error fails the test with the cell and its traceback. The demo cloud is kept small
through ``OSNB_DEMO_*`` so the four notebooks take seconds, not minutes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from osnb.notebook.execute import NOTEBOOKS, execute_notebook, notebook_path, notebooks_dir

SMALL_DEMO = {"OSNB_DEMO_SERVERS": "40", "OSNB_DEMO_PROJECTS": "6", "OSNB_DEMO_SEED": "42"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name: str) -> None:
    nb = execute_notebook(notebook_path(name), env=SMALL_DEMO, timeout=180)
    errors = [out for cell in nb.cells for out in cell.get("outputs", [])
              if out.get("output_type") == "error"]
    assert not errors
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stripped(name: str) -> None:
    """Committed notebooks carry no outputs, counts or widget state: diffs stay reviewable."""
    nb = json.loads(notebook_path(name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]
    assert "widgets" not in nb["metadata"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_kernel_is_this_interpreter(tmp_path: Path) -> None:
    """Not whatever ``python3`` kernel is registered on the machine."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    target = tmp_path / "kernel-check.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("import sys; print(sys.executable)")]),
                   str(target))
    done = execute_notebook(target)
    assert done.cells[0].outputs[0]["text"].strip() == sys.executable


def test_notebooks_ship_with_the_package() -> None:
    assert sorted(p.name for p in notebooks_dir().glob("*.ipynb")) == sorted(NOTEBOOKS)
