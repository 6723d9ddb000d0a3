"""Terminal reprs: rich renders that never interpret server strings as markup."""

from __future__ import annotations

from rich.console import Console

from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource_list import ResourceList

RECORD = {"id": "s1", "name": "[bold red]boom[/]", "status": "ACTIVE",
          "metadata": {"password": "meta-secret-123", "role": "web"},
          "adminPass": "admin-pass-456", "created": "2026-01-01T00:00:00Z"}


def render(obj) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(obj)
    return console.export_text()


def test_resource_rich_shows_markup_as_text_and_masks() -> None:
    out = render(Server._from_body(dict(RECORD)))
    assert "[bold red]boom[/]" in out
    assert "meta-secret-123" not in out and "admin-pass-456" not in out
    assert "ACTIVE" in out and "2026-01-01 00:00:00 UTC" in out


def test_list_rich_counts_rows() -> None:
    items = ResourceList(Server, [dict(RECORD, id=f"s{i}") for i in range(30)])
    out = render(items)
    assert "30 Server (first 20" in out
    assert out.count("[bold red]boom[/]") == 20


def test_ipython_plain_printer() -> None:
    from IPython.lib.pretty import pretty

    text = pretty(Server._from_body(dict(RECORD)))
    assert text.splitlines()[0] == "<Server id='s1' name='[bold red]boom[/]' status='ACTIVE'>"
    assert "meta-secret-123" not in text and "admin-pass-456" not in text
    import osnb.notebook

    saved = osnb.notebook.settings.display_limit
    osnb.notebook.settings.display_limit = 10  # a listing's lines follow the setting
    try:
        listing = pretty(ResourceList(Server, [dict(RECORD, id=f"s{i}") for i in range(12)]))
    finally:
        osnb.notebook.settings.display_limit = saved
    assert listing.splitlines()[0] == "<ResourceList of 12 Server>"
    assert "… 2 more" in listing and len(listing.splitlines()) == 12
