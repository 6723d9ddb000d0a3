"""Widgets instantiated against the demo cloud, their state checked."""

from __future__ import annotations


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
    first = widget.rows.options[0][1]
    widget.rows.value = first
    assert first in widget.detail.value


def test_list_widget_escapes(conn) -> None:
    from osnb.sdk.compute.v2.server import Server
    from osnb.sdk.resource_list import ResourceList

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
