"""ipywidgets views: a resource with its related objects, an interactive list, a chooser.

Widgets render through the same escaping HTML functions as the static reprs, so a
server-supplied string is text here too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .html import (
    cell_text,
    display_columns,
    list_frame,
    list_html,
    missing,
    readable_columns,
    resource_html,
    table_html,
)
from .render import escape_html, footer_html, printable, section, settings, warning_html

if TYPE_CHECKING:
    import ipywidgets

    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

__all__ = ["RELATED", "ListWidget", "list_widget", "resource_widget"]

Loader = Callable[[Any, Any], Any]


def _server_related() -> dict[str, Loader]:
    def volumes(conn: Any, server: Any) -> Any:
        return [conn.block_storage.get_volume(v["id"]) for v in server.attached_volumes or []]

    return {
        "flavor": lambda conn, s: s.flavor,
        "image": lambda conn, s: conn.image.get_image((s.image or {}).get("id")),
        "ports": lambda conn, s: conn.network.ports(device_id=s.id),
        "volumes": volumes,
        "instance actions": lambda conn, s: conn.compute.server_actions(s),
    }


RELATED: dict[str, Callable[[], dict[str, Loader]]] = {"Server": _server_related}
"""Resource class name → loaders of its related objects, shown one click away."""


def resource_widget(res: Resource) -> ipywidgets.VBox:
    """The resource's table, plus a button per related object that loads it below."""
    import ipywidgets as w

    table = w.HTML(resource_html(res))
    output = w.HTML()
    buttons = []
    proxy = getattr(res, "_proxy", None)
    conn = getattr(proxy, "connection", None)
    factory = RELATED.get(type(res).__name__)
    if factory is not None and conn is not None:
        for label, load in factory().items():
            button = w.Button(description=label, layout=w.Layout(width="auto"))

            def show(_: Any, load: Loader = load, label: str = label) -> None:
                output.value = _render(label, lambda: load(conn, res))

            button.on_click(show)
            buttons.append(button)
    box = w.VBox([table, w.HBox(buttons), output])
    box.add_class("osnb-widget")
    return box


def _render(label: str, load: Callable[[], Any]) -> str:
    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

    try:
        value = load()
    except Exception as err:  # noqa: BLE001 - shown in the pane, never a traceback wall
        return warning_html(f"{escape_html(label)}: {escape_html(type(err).__name__)}: "
                            f"{escape_html(str(err))}")
    if isinstance(value, (Resource, ResourceList)):
        return value._repr_html_()
    if isinstance(value, list):
        return "".join(v._repr_html_() if isinstance(v, Resource) else escape_html(str(v))
                       for v in value) or f"<i>no {escape_html(label)}</i>"
    if value is None:
        return f"<i>no {escape_html(label)}</i>"
    return f"<pre>{escape_html(str(value))}</pre>"


_ROW_CLICK = ("var w=this.closest('.osnb-listwidget'),"
              "s=w&&w.querySelector('.osnb-rows select');"
              "if(s){{s.selectedIndex={row};"
              "s.dispatchEvent(new Event('change',{{bubbles:true}}));}}")
"""A row's ``onclick``: pick the row in the widget's row menu, as a click there would, so
the model hears it (the detail pane follows in the browser; Python sees the change)."""


class ListWidget:
    """An interactive table over a ResourceList: filter, sort, choose columns, click a row
    to see it.

    The columns and cells are those of ``items.to_pandas()``, as in the static tables;
    secrets and request-only props are not offered. The detail pane is a ``Stack`` of the
    shown rows' tables linked in the browser to the row menu, so a click shows a row's
    detail without a round trip to the kernel (and in a saved report too).
    """

    def __init__(self, items: ResourceList[Any], max_rows: int | None = None) -> None:
        import ipywidgets as w

        self.items = items
        self._max_rows = max_rows
        self.frame = list_frame(items)
        options = readable_columns(items.resource_type, self.frame)
        shown = display_columns(items.resource_type, self.frame)
        self.filter = w.Text(placeholder="filter rows (any shown column contains…)",
                             description="filter")
        self.sort = w.Dropdown(options=["(none)", *options], value="(none)",
                               description="sort by")
        self.descending = w.Checkbox(value=False, description="descending")
        self.columns = w.SelectMultiple(options=options, value=shown,
                                        description="columns", rows=6)
        self.table = w.HTML()
        self.rows = w.Select(options=[], description="row", rows=6,
                             layout=w.Layout(width="60%"))
        self.rows.add_class("osnb-rows")
        self.detail = w.Stack([], selected_index=None)
        self.detail.add_class("osnb-detail")
        self._details: dict[Any, Any] = {}
        self._link = w.jslink((self.rows, "index"), (self.detail, "selected_index"))
        self.rows.observe(lambda _: setattr(self.detail, "selected_index", self.rows.index),
                          names="index")  # jslink acts in the browser only
        self._position = {_key(ident): i for i, ident in reversed(list(enumerate(
            self.frame.index)))}
        self._names: dict[Any, Any] = {} if "name" not in self.frame.columns else dict(
            zip(map(_key, self.frame.index), self.frame["name"], strict=True))
        for control in (self.filter, self.sort, self.descending, self.columns):
            control.observe(lambda _: self.refresh(), names="value")
        self.box = w.VBox([w.HBox([self.filter, self.sort, self.descending]), self.columns,
                           self.table, self.rows, self.detail])
        self.box.add_class("osnb-listwidget")
        self.refresh()

    @property
    def max_rows(self) -> int:
        """Rows shown: as given, else the ``widget_rows`` setting (read at each refresh)."""
        return settings.widget_rows if self._max_rows is None else self._max_rows

    def view(self) -> Any:
        """The rows after the filter and sort, as a DataFrame (all rows, chosen columns)."""
        frame = self.frame
        columns = list(self.columns.value) or list(frame.columns[:1])
        text = self.filter.value.strip().lower()
        if text:
            hay = [frame[c].astype(object).map(lambda v: _full_text(v).lower()) for c in columns]
            keep = hay[0].str.contains(text, regex=False)
            for column in hay[1:]:
                keep |= column.str.contains(text, regex=False)
            frame = frame[keep]
        if self.sort.value != "(none)":
            frame = _sorted(frame, self.sort.value, descending=self.descending.value)
        return frame[columns]

    def refresh(self) -> None:
        view = self.view()
        shown = view.head(self.max_rows)
        clicks = [f' class="osnb-row" onclick="{_ROW_CLICK.format(row=i)}"'
                  for i in range(len(shown))]
        columns = len(view.columns) + 1  # the id is shown too
        footer = f"{len(view):,} of {len(self.frame):,} rows × {columns} columns"
        if len(view) > self.max_rows:
            footer += f" (first {self.max_rows} shown)"
        table = (table_html(shown, list(view.columns), index=True, row_attrs=clicks)
                 + footer_html(f"{escape_html(footer)}; click a row to see it"))
        self.table.value = section(footer, f"<div class='osnb-clickable'>{table}</div>")
        labels = []
        for ident in shown.index:
            name = self._names.get(_key(ident))
            labels.append((printable(f"{'' if missing(name) else name} ({ident})"), ident))
        self.rows.index = None
        self.rows.options = labels
        self.detail.selected_index = None
        self.detail.children = [self._detail_of(ident) for ident in shown.index]
        self.detail.titles = tuple(label for label, _ in labels)

    def _detail_of(self, ident: Any) -> Any:
        import ipywidgets as w

        pane = self._details.get(_key(ident))
        if pane is None:
            res = self.items[self._position[_key(ident)]]
            pane = self._details[_key(ident)] = w.HTML(resource_html(res, style=False))
        return pane

    @property
    def selected_html(self) -> str:
        """The detail pane's HTML for the chosen row ("" when none is chosen)."""
        index = self.detail.selected_index
        return "" if index is None else str(self.detail.children[index].value)


def _sorted(frame: Any, column: str, *, descending: bool) -> Any:
    """``frame`` sorted on ``column``, missing values last; values that do not order
    among themselves (dicts, mixed types) sort by the text the table shows."""
    try:
        return frame.sort_values(column, ascending=not descending, na_position="last",
                                 kind="stable")
    except (TypeError, ValueError):
        return frame.sort_values(
            column, ascending=not descending, na_position="last", kind="stable",
            key=lambda values: values.map(lambda v: None if missing(v) else _full_text(v)))


def _full_text(value: Any) -> str:
    """A cell's whole text, uncut (what the filter searches and the sort compares)."""
    return cell_text(value, sys.maxsize)


def _key(ident: Any) -> Any:
    """A row's id as a dict key: a broken server may send a list or an object as an id."""
    try:
        hash(ident)
    except TypeError:
        return repr(ident)
    return ident


def list_widget(items: ResourceList[Any]) -> Any:
    """The interactive table's widget (``ListWidget(items).box``)."""
    widget = ListWidget(items)
    widget.box._osnb = widget  # keep the controller alive with its view
    return widget.box


def preview(items: ResourceList[Any]) -> str:
    """The static HTML a list shows (for widget-less front ends)."""
    return list_html(items)
