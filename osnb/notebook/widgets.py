"""ipywidgets views: a resource with its related objects, an interactive list, a chooser.

Widgets render through the same escaping HTML functions as the static reprs, so a
server-supplied string is text here too.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .html import _wrap, display_columns, list_html, resource_html, status_class

if TYPE_CHECKING:
    import ipywidgets

    from ..sdk.resource import Resource
    from ..sdk.resource_list import ResourceList

__all__ = ["RELATED", "ListWidget", "chooser", "list_widget", "resource_widget"]

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
        return (f"<div class='osnb-warning'>{html.escape(label)}: "
                f"{html.escape(type(err).__name__)}: {html.escape(str(err))}</div>")
    if isinstance(value, (Resource, ResourceList)):
        return value._repr_html_()
    if isinstance(value, list):
        return "".join(v._repr_html_() if isinstance(v, Resource) else html.escape(str(v))
                       for v in value) or f"<i>no {html.escape(label)}</i>"
    if value is None:
        return f"<i>no {html.escape(label)}</i>"
    return f"<pre>{html.escape(str(value))}</pre>"


class ListWidget:
    """An interactive table over a ResourceList: filter, sort, choose columns, see a row."""

    def __init__(self, items: ResourceList[Any], max_rows: int = 50) -> None:
        import ipywidgets as w

        self.items = items
        self.max_rows = max_rows
        self.frame = items.to_pandas()
        shown = display_columns(items.resource_type, items.records[:max_rows])
        options = list(self.frame.columns)
        self.filter = w.Text(placeholder="filter rows (any shown column contains…)",
                             description="filter")
        self.sort = w.Dropdown(options=["(none)", *options], value="(none)",
                               description="sort by")
        self.descending = w.Checkbox(value=False, description="descending")
        self.columns = w.SelectMultiple(options=options,
                                        value=[c for c in shown if c in options],
                                        description="columns", rows=6)
        self.table = w.HTML()
        self.rows = w.Select(options=[], description="detail", rows=6,
                             layout=w.Layout(width="60%"))
        self.detail = w.HTML()
        for control in (self.filter, self.sort, self.descending, self.columns):
            control.observe(lambda _: self.refresh(), names="value")
        self.rows.observe(lambda _: self.show_detail(), names="value")
        self.box = w.VBox([w.HBox([self.filter, self.sort, self.descending]), self.columns,
                           self.table, self.rows, self.detail])
        self.refresh()

    def view(self) -> Any:
        """The rows after the filter and sort, as a DataFrame (all rows, chosen columns)."""
        frame = self.frame
        columns = list(self.columns.value) or list(frame.columns[:1])
        text = self.filter.value.strip().lower()
        if text:
            hay = frame[columns].astype(str).apply(lambda col: col.str.lower())
            frame = frame[hay.apply(lambda col: col.str.contains(text, regex=False)).any(axis=1)]
        if self.sort.value != "(none)":
            frame = frame.sort_values(self.sort.value, ascending=not self.descending.value,
                                      na_position="last", kind="stable")
        return frame[columns]

    def refresh(self) -> None:
        view = self.view()
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["id", *view.columns])
        body = []
        for ident, row in view.head(self.max_rows).iterrows():
            cells = []
            for column, value in zip(["id", *view.columns], [ident, *row.tolist()],
                                     strict=True):
                text = html.escape("" if _missing(value) else str(value))
                if column == "status" and text:
                    text = f"<span class='osnb-badge {status_class(value)}'>{text}</span>"
                cells.append(f"<td>{text}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        footer = f"{len(view):,} of {len(self.frame):,} rows × {len(view.columns)} columns"
        if len(view) > self.max_rows:
            footer += f" (first {self.max_rows} shown)"
        table = (f"<table class='osnb-list'><thead><tr>{head}</tr></thead><tbody>"
                 f"{''.join(body)}</tbody></table>"
                 f"<div class='osnb-footer'>{html.escape(footer)}</div>")
        self.table.value = _wrap(footer, table)
        names = self.frame["name"] if "name" in self.frame.columns else None
        self.rows.options = [
            (f"{names[i] if names is not None and not _missing(names[i]) else ''} ({i})", i)
            for i in view.head(self.max_rows).index]

    def show_detail(self) -> None:
        ident = self.rows.value
        for res in self.items:
            if res.id == ident:
                self.detail.value = resource_html(res)
                return
        self.detail.value = ""


def _missing(value: Any) -> bool:
    try:
        return bool(value is None or value != value)  # NaN / NA
    except (TypeError, ValueError):
        return False


def list_widget(items: ResourceList[Any]) -> Any:
    """The interactive table's widget (``ListWidget(items).box``)."""
    widget = ListWidget(items)
    widget.box._osnb = widget  # keep the controller alive with its view
    return widget.box


def chooser(magics: Any, name: str = "conn") -> Any:
    """Dropdowns of clouds, their regions and reachable projects; Connect binds ``name``."""
    import ipywidgets as w

    from ..sdk.config import known_clouds, load_config
    from ..sdk.connect import DEMO_CLOUDS

    clouds, _ = load_config()
    names = sorted(set(known_clouds()) | set(DEMO_CLOUDS))
    cloud = w.Dropdown(options=names, description="cloud")
    region = w.Dropdown(options=[], description="region")
    project = w.Dropdown(options=[], description="project")
    go = w.Button(description="Connect", button_style="primary")
    out = w.Output()

    def regions_of(cloud_name: str) -> list[str]:
        cfg = clouds.get(cloud_name) or {}
        regions = cfg.get("regions") or ([cfg["region_name"]] if cfg.get("region_name") else [])
        return [r["name"] if isinstance(r, dict) else str(r) for r in regions] or ["(default)"]

    def on_cloud(_: Any = None) -> None:
        region.options = regions_of(cloud.value)
        project.options = ["(default)"]
        try:
            conn, _cached = magics.registry.connect(cloud.value)
            identity = conn.session.get_endpoint(service_type="identity", interface="public")
            reply = conn.session.get(identity.rstrip("/") + "/v3/auth/projects"
                                     if not identity.rstrip("/").endswith("/v3")
                                     else identity.rstrip("/") + "/auth/projects")
            project.options = ["(default)"] + sorted(p["name"] for p in reply.json()["projects"])
        except Exception as err:  # noqa: BLE001 - the menu still works with defaults
            with out:
                print(f"could not list projects of {cloud.value}: {err}")

    def on_go(_: Any) -> None:
        out.clear_output()
        with out:
            magics.connect_and_bind(
                cloud.value, region=None if region.value == "(default)" else region.value,
                project=None if project.value == "(default)" else project.value, name=name)

    cloud.observe(on_cloud, names="value")
    go.on_click(on_go)
    on_cloud()
    box = w.VBox([w.HBox([cloud, region, project, go]), out])
    box.add_class("osnb-chooser")
    return box


def preview(items: ResourceList[Any]) -> str:
    """The static HTML a list shows (for widget-less front ends)."""
    return list_html(items)
