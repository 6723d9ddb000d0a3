"""Widgets instantiated against the demo cloud, their state checked."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from osnb.notebook.html import cell_text, display_columns, list_frame, list_html, missing
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource_list import ResourceList

NESTED = {"id": "n1", "name": "nested", "status": "ACTIVE",
          "metadata": {"role": "web", "password": "meta-secret-123"},
          "tags": ["blue", "green"], "adminPass": "admin-pass-456"}


def _headers(fragment: str) -> list[str]:
    return re.findall(r"<th>(.*?)</th>", fragment.split("<tbody>")[0])


def test_list_widget_filters_sorts_and_chooses_columns(conn) -> None:
    servers = conn.compute.servers(all_projects=True)
    box = servers.widget()
    widget = box._osnb
    assert len(widget.view()) == len(servers)
    widget.filter.value = "error"
    errors = widget.view()
    assert 0 < len(errors) < len(servers)
    widget.filter.value = ""
    widget.sort.value = "name"
    names = list(widget.view()["name"])
    assert names == sorted(names)
    widget.descending.value = True
    assert list(widget.view()["name"]) == sorted(names, reverse=True)
    widget.columns.value = ("name", "status")
    assert list(widget.view().columns) == ["name", "status"]
    assert "<th>status</th>" in widget.table.value


def test_every_offered_sort_works_on_real_data(conn) -> None:
    """Dict, list and mixed columns sort by their text instead of raising; missing last."""
    servers = conn.compute.servers(all_projects=True)
    widget = servers.widget()._osnb
    for column in widget.sort.options[1:]:
        widget.columns.value = (column,)
        for descending in (False, True):
            widget.descending.value = descending
            widget.sort.value = column
            view = widget.view()[column]
            gaps = [missing(v) for v in view]
            assert gaps == sorted(gaps), column  # missing values last
            values = view[[not gap for gap in gaps]]
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype(str)
            if values.dtype != object:
                assert (values.is_monotonic_decreasing if descending else
                        values.is_monotonic_increasing), column
                continue
            try:
                natural = sorted(values.tolist(), reverse=descending) == values.tolist()
            except TypeError:
                natural = False
            texts = [cell_text(v, 10_000) for v in values]
            assert natural or texts == sorted(texts, reverse=descending), column
        widget.sort.value = "(none)"


def test_only_readable_columns_are_offered_and_counted(conn) -> None:
    servers = conn.compute.servers(all_projects=True)
    widget = servers.widget()._osnb
    props = Server._props
    for menu in (widget.sort.options[1:], widget.columns.options):
        for column in menu:
            p = props.get(column)
            assert p is None or not (p.secret or getattr(p, "request_only", False)), column
    assert "admin_password" not in widget.columns.options
    heads = _headers(widget.table.value)
    assert heads[0] == "id" and heads[1:] == list(widget.columns.value)
    assert f"× {len(heads)} columns" in widget.table.value


def test_tables_and_widget_share_the_frames_columns_and_cells() -> None:
    items = ResourceList(Server, [dict(NESTED), dict(NESTED, id="n2", name="other")])
    frame = list_frame(items)
    columns = display_columns(Server, frame)
    assert _headers(list_html(items)) == columns
    widget = items.widget()._osnb
    assert list(widget.columns.value) == columns
    widget.columns.value = ("name", "metadata", "tags")
    table = widget.table.value
    assert "role=web" in table and "blue, green" in table  # as the frame cell reads
    assert "{&#x27;role&#x27;" not in table and "meta-secret-123" not in table
    assert "admin-pass-456" not in table


def test_row_click_opens_its_detail(conn) -> None:
    servers = conn.compute.servers(all_projects=True)
    widget = servers.widget()._osnb
    rows = re.findall(r"<tr class=\"osnb-row\" onclick=\"([^\"]*)\">", widget.table.value)
    assert len(rows) == min(len(servers), widget.max_rows)
    assert "selectedIndex=2;" in rows[2]  # a click picks that row in the row menu
    assert widget.selected_html == ""
    ident = widget.rows.options[2][1]
    widget.rows.index = 2
    assert widget.detail.selected_index == 2
    assert ident in widget.selected_html and "osnb-attrs" in widget.selected_html
    widget.sort.value = "name"  # a new view: nothing chosen, panes follow the rows
    assert widget.selected_html == ""
    assert len(widget.detail.children) == len(widget.rows.options)


def test_list_widget_escapes(conn) -> None:
    items = ResourceList(Server, [{"id": "x", "name": "<b>bold</b>", "status": "ACTIVE"}])
    widget = items.widget()._osnb
    assert "<b>bold</b>" not in widget.table.value and "&lt;b&gt;" in widget.table.value


def test_server_widget_loads_related_objects(conn) -> None:
    server = conn.compute.servers(all_projects=True, limit=1)[0]
    box = server.widget()
    table, buttons, output = box.children
    assert server.id in table.value
    labels = [b.description for b in buttons.children]
    assert labels[:2] == ["flavor", "image"] and "instance actions" in labels
    buttons.children[0].click()
    assert "Flavor" in output.value and "vcpus" in output.value


LISTINGS = {
    "networks": lambda c: c.network.networks(), "ports": lambda c: c.network.ports(),
    "images": lambda c: c.image.images(), "volumes": lambda c: c.block_storage.volumes(
        all_projects=True), "flavors": lambda c: c.compute.flavors(),
    "projects": lambda c: c.identity.projects(), "hypervisors": lambda c:
    c.compute.hypervisors(), "providers": lambda c: c.placement.resource_providers()}


@pytest.mark.parametrize("kind", sorted(LISTINGS))
def test_every_listing_draws_and_sorts(conn, kind) -> None:
    """Each service's lists: the three tables draw and every offered sort works."""
    from rich.console import Console

    items = LISTINGS[kind](conn)
    assert len(items) > 0
    assert "osnb-list" in list_html(items)
    console = Console(width=200, record=True, color_system=None)
    console.print(items)
    assert f"{len(items):,} {items.resource_type.__name__}" in console.export_text()
    widget = items.widget()._osnb
    for column in widget.sort.options[1:]:
        widget.sort.value = column
        widget.descending.value = not widget.descending.value
        assert len(widget.view()) == len(items)
    assert f"× {len(widget.columns.value) + 1} columns" in widget.table.value
