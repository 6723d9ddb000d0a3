"""Run osnb's notebooks headless and turn them into HTML reports (``osnb tour``, the tests).

The kernel is always this interpreter (``sys.executable``): a kernel spec for it is written
to a temporary folder for each run, so whatever ``python3`` kernel is registered on the
machine (another venv, a system Python) is never picked by mistake. Needs the
``notebooks`` extra (nbclient, nbconvert, nbformat, ipykernel), imported only when used.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["NOTEBOOKS", "execute_notebook", "notebook_path", "notebooks_dir", "to_html"]

NOTEBOOKS = ("01-tour.ipynb", "02-quotas.ipynb", "03-investigation.ipynb",
             "04-capacity.ipynb")
"""The notebooks osnb ships, in reading order."""

_EXTRA_HINT = "install the notebooks extra: pip install 'osnb[notebooks]'"


def notebooks_dir() -> Path:
    """Where the shipped notebooks are: package data in a wheel, the repo's ``notebooks/``
    (which ``osnb/notebooks`` links to) in a source checkout."""
    shipped = Path(str(resources.files("osnb") / "notebooks"))
    if (shipped / NOTEBOOKS[0]).is_file():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "notebooks"
    if (checkout / NOTEBOOKS[0]).is_file():
        return checkout
    raise FileNotFoundError(f"osnb's notebooks are not installed (looked in {shipped} and "
                            f"{checkout}); reinstall osnb")


def notebook_path(name: str) -> Path:
    """The path of a shipped notebook, by file name (``"01-tour.ipynb"``) or prefix
    (``"01"``)."""
    folder = notebooks_dir()
    for candidate in NOTEBOOKS:
        if candidate == name or candidate.startswith(name):
            return folder / candidate
    raise FileNotFoundError(f"no notebook {name!r}; osnb ships: {', '.join(NOTEBOOKS)}")


def _kernel_manager(spec_dir: Path) -> Any:
    """A kernel manager whose ``python3`` kernel is this interpreter."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(str(spec_dir / "python3"),
                      overrides={"display_name": f"Python ({sys.executable})"})
    specs = KernelSpecManager(kernel_dirs=[str(spec_dir)])
    if os.name == "posix":
        # Unix sockets beside the spec: local only, and no "running over TCP without
        # encryption" warning from the kernel.
        return KernelManager(kernel_name="python3", kernel_spec_manager=specs,
                             transport="ipc", ip=str(spec_dir / "kernel"))
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def execute_notebook(path: str | Path, *, env: Mapping[str, str] | None = None,
                     timeout: int = 300, cwd: str | Path | None = None) -> Any:
    """Execute the notebook at ``path`` top to bottom; returns the executed notebook.

    ``env`` is added to this process's environment for the kernel. Widget state is kept in
    the notebook's metadata, so an HTML export can render the widgets. A failing cell raises
    ``nbclient.exceptions.CellExecutionError`` naming the cell and the error.
    """
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ImportError(f"running notebooks needs nbclient and nbformat; {_EXTRA_HINT}"
                          ) from err

    nb = nbformat.read(str(path), as_version=4)
    workdir = str(cwd or Path(path).resolve().parent)
    with tempfile.TemporaryDirectory(prefix="osnb-kernel-") as spec_dir:
        km = _kernel_manager(Path(spec_dir))
        client = NotebookClient(nb, km=km, timeout=timeout, store_widget_state=True,
                                resources={"metadata": {"path": workdir}})
        try:
            client.execute(env={**os.environ, **(env or {})}, cwd=workdir)
        finally:
            if km.has_kernel:  # nbclient leaves a kernel it was given running
                km.shutdown_kernel()
    return nb


def to_html(nb: Any, *, widget_js: Path | None | bool = True,
            made_at: Any = None, **exporter_config: Any) -> str:
    """The executed notebook as a standalone HTML page (JupyterLab's look), readable
    offline: it says it is a snapshot (made ``made_at``, default now), and every widget's
    current view is there as static HTML too (:mod:`osnb.notebook.report`).

    ``widget_js`` is a folder with the Jupyter widgets manager
    (:func:`~osnb.notebook.widget_js.widget_js_dir`); ``True`` uses the cached copy if
    there is one. It goes into the page inline, so the widgets draw with no network;
    without it (``None``/``False``, or nothing cached) the static views stand in and the
    page loads nothing from outside.
    """
    try:
        from nbconvert import HTMLExporter
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ImportError(f"HTML reports need nbconvert; {_EXTRA_HINT}") from err

    from .report import finish_report
    from .widget_js import cached_widget_js

    if widget_js is True:
        widget_js = cached_widget_js()
    exporter = HTMLExporter(template_name="lab", **exporter_config)
    body, _ = exporter.from_notebook_node(nb)
    return finish_report(str(body), nb, widget_js=widget_js or None, made_at=made_at)
