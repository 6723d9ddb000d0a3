"""The IPython terminal after ``%load_ext osnb``: rich tables without ``%load_ext rich``,
and the service proxies offered by ``dir(conn)`` and tab completion."""

from __future__ import annotations

import warnings

import pytest
from IPython.core.completer import provisionalcompleter
from IPython.core.getipython import get_ipython
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

from osnb.notebook.terminal import install_terminal_printers
from osnb.sdk.connection import SERVICES


@pytest.fixture(scope="module")
def terminal():
    """IPython's terminal shell (as ``ipython`` runs) with the extension loaded."""
    shell = start_ipython() or get_ipython()  # one shell per process
    shell.run_line_magic("load_ext", "osnb")
    return shell


def _plain(shell, expression: str) -> str:
    with capture_output():
        value = shell.ev(expression)
    data, _ = shell.display_formatter.format(value)
    return str(data["text/plain"])


def test_list_and_resource_print_as_rich_tables(terminal, conn) -> None:
    terminal.user_ns["servers"] = conn.compute.servers(all_projects=True)
    listing = _plain(terminal, "servers")
    assert not listing.startswith("<ResourceList")
    lines = listing.splitlines()
    assert any(c in lines[0] for c in "┏┌━─")  # a drawn table, not repr lines
    assert "name" in listing and "status" in listing
    first = terminal.user_ns["servers"][0]
    assert first.id in listing or first.name in listing
    assert f"{len(terminal.user_ns['servers']):,} Server" in listing
    server = _plain(terminal, "servers[0]")
    assert not server.startswith("<Server")
    assert "Server" in server.splitlines()[0] and "project_id" in server


def test_kernels_keep_their_plain_text() -> None:
    """In a kernel (not a terminal shell) nothing is registered: the front end shows HTML."""
    class Kernelish:
        pass

    assert install_terminal_printers(Kernelish()) is False


def test_dir_and_completion_offer_service_proxies(terminal, conn) -> None:
    names = set(dir(conn))
    assert set(SERVICES) <= names
    assert {"capacity", "lookup", "close"} <= names
    terminal.user_ns["conn"] = conn
    with warnings.catch_warnings(), provisionalcompleter():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        offered = {c.text for c in terminal.Completer.completions("conn.", 5)}
    assert {"compute", "network", "image", "block_storage", "identity",
            "placement"} <= offered, sorted(offered)
