"""Static HTML of a widget's current view, drawn from the widget state a report saves.

A report's widgets need the Jupyter widgets manager (JavaScript) to draw; where it cannot
load (no network, scripts blocked) the page would show nothing. This draws the same view
from the saved state instead: boxes, HTML panes (osnb's tables, as shown), menus with
their choice, buttons, progress bars, Output areas and selection containers (a ``Stack``
becomes one folding section per page, the shown one open). No network, no kernel.

Strings a widget holds (labels, options, descriptions) are escaped; an ``HTML`` widget's
value is HTML by contract and goes in as the manager would put it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .render import text_html

__all__ = ["SNAPSHOT_SCRIPT", "links", "widget_snapshot"]

SNAPSHOT_SCRIPT = """
document.addEventListener('change', function (event) {
  var menu = event.target;
  if (!menu.matches || !menu.matches('.osnb-snapshot select[data-osnb-controls]')) return;
  var stack = document.querySelector('[data-osnb-stack="' +
                                     menu.getAttribute('data-osnb-controls') + '"]');
  if (!stack) return;
  Array.prototype.forEach.call(stack.children, function (pane, i) {
    pane.open = i === menu.selectedIndex;
    if (pane.open) pane.scrollIntoView({block: 'nearest'});
  });
});
"""
"""Lets a menu linked to a Stack (``jslink``) open that Stack's page in a snapshot, as the
link does in the live widget."""

_REF = "IPY_MODEL_"
_CHOICE = {"DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel",
           "SelectionSliderModel"}
_TEXT = {"TextModel", "TextareaModel", "ComboboxModel", "IntTextModel", "FloatTextModel",
         "BoundedIntTextModel", "BoundedFloatTextModel", "IntSliderModel",
         "FloatSliderModel", "DatePickerModel"}


def _ref(value: Any) -> str | None:
    return value[len(_REF):] if isinstance(value, str) and value.startswith(_REF) else None


def links(state: Mapping[str, Any]) -> dict[str, str]:
    """Menu model id → Stack model id, for every ``jslink(menu.index,
    stack.selected_index)`` in the state (either direction)."""
    out: dict[str, str] = {}
    for model in state.values():
        if model.get("model_name") not in ("LinkModel", "DirectionalLinkModel"):
            continue
        ends = [model["state"].get("source"), model["state"].get("target")]
        if not all(isinstance(e, list) and len(e) == 2 for e in ends):
            continue
        (a, a_attr), (b, b_attr) = ends
        pair = {a_attr: _ref(a), b_attr: _ref(b)}
        if pair.get("index") and pair.get("selected_index"):
            out[str(pair["index"])] = str(pair["selected_index"])
    return out


def widget_snapshot(model_id: str, state: Mapping[str, Any],
                    linked: Mapping[str, str] | None = None) -> str:
    """The view of widget ``model_id`` as static HTML (``""`` for an unknown model)."""
    return _Drawer(state, links(state) if linked is None else linked).draw(model_id, 0)


class _Drawer:
    def __init__(self, state: Mapping[str, Any], linked: Mapping[str, str]) -> None:
        self.state = state
        self.linked = linked

    def draw(self, model_id: str | None, depth: int) -> str:
        model = self.state.get(model_id or "")
        if model is None or depth > 40:
            return ""
        name = str(model.get("model_name", ""))
        s: dict[str, Any] = model.get("state") or {}
        layout = (self.state.get(_ref(s.get("layout")) or "") or {}).get("state") or {}
        if layout.get("display") == "none" or layout.get("visibility") == "hidden":
            return ""
        classes = " ".join(["osnb-snap", f"osnb-snap-{name.removesuffix('Model').lower()}",
                            *map(str, s.get("_dom_classes") or [])])
        inner = self._inner(name, s, model_id or "", depth)
        return f"<div class='{text_html(classes)}'>{inner}</div>"

    def _children(self, s: Mapping[str, Any], depth: int) -> list[str]:
        return [self.draw(_ref(c), depth + 1) for c in s.get("children") or []]

    def _label(self, s: Mapping[str, Any]) -> str:
        text = s.get("description")
        return f"<span class='osnb-snap-label'>{text_html(text)}</span>" if text else ""

    def _inner(self, name: str, s: dict[str, Any], model_id: str, depth: int) -> str:
        if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
            return "".join(self._children(s, depth))
        if name in ("HTMLModel", "HTMLMathModel"):
            return self._label(s) + str(s.get("value") or "")
        if name == "LabelModel":
            return text_html(s.get("value"))
        if name in ("ButtonModel", "ToggleButtonModel"):
            pressed = " osnb-snap-pressed" if s.get("value") is True else ""
            return (f"<button class='osnb-snap-button{pressed}' disabled>"
                    f"{text_html(s.get('description'))}</button>")
        if name == "CheckboxModel":
            checked = " checked" if s.get("value") else ""
            return f"<label><input type='checkbox' disabled{checked}> {text_html(s.get('description'))}</label>"
        if name in _CHOICE or name in ("SelectMultipleModel",):
            return self._choice(name, s, model_id)
        if name in _TEXT or name == "PasswordModel":
            value = "•" * 8 if name == "PasswordModel" and s.get("value") else s.get("value")
            shown = text_html(value) if value not in (None, "") else \
                f"<span class='osnb-none'>{text_html(s.get('placeholder') or '')}</span>"
            return f"{self._label(s)}<span class='osnb-snap-input'>{shown}</span>"
        if name in ("IntProgressModel", "FloatProgressModel"):
            low, high = float(s.get("min") or 0), float(s.get("max") or 100)
            value = float(s.get("value") or 0)
            return (f"{self._label(s)}<progress max='{high - low:g}' "
                    f"value='{value - low:g}'></progress>")
        if name in ("StackModel", "TabModel", "AccordionModel"):
            return self._pages(s, model_id, depth)
        if name == "OutputModel":
            return "".join(_output(o) for o in s.get("outputs") or [])
        if name == "ImageModel":
            return "<span class='osnb-none'>(image)</span>"
        return f"<span class='osnb-none'>({text_html(name.removesuffix('Model'))})</span>"

    def _choice(self, name: str, s: Mapping[str, Any], model_id: str) -> str:
        labels = [str(x) for x in s.get("_options_labels") or []]
        index = s.get("index")
        chosen = set(index) if isinstance(index, list) else {index}
        controls = self.linked.get(model_id)
        if name in ("SelectModel", "SelectMultipleModel") or controls:
            rows = int(s.get("rows") or 5)
            options = "".join(f"<option{' selected' if i in chosen else ''}>{text_html(x)}</option>"
                              for i, x in enumerate(labels))
            extra = (f" data-osnb-controls='{text_html(controls)}'" if controls else " disabled")
            multiple = " multiple" if name == "SelectMultipleModel" else ""
            return (f"{self._label(s)}<select size='{rows}'{multiple}{extra}>{options}"
                    f"</select>")
        picked = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
        return f"{self._label(s)}<span class='osnb-snap-input'>{text_html(picked)} ▾</span>"

    def _pages(self, s: Mapping[str, Any], model_id: str, depth: int) -> str:
        titles = list(s.get("titles") or [])
        selected = s.get("selected_index")
        pages = []
        for i, child in enumerate(self._children(s, depth)):
            title = titles[i] if i < len(titles) and titles[i] else f"page {i + 1}"
            opened = " open" if i == selected else ""
            pages.append(f"<details{opened}><summary>{text_html(title)}</summary>{child}</details>")
        return f"<div data-osnb-stack='{text_html(model_id)}'>{''.join(pages)}</div>"


def _output(output: Mapping[str, Any]) -> str:
    """One nbformat output of an Output widget, as the notebook would show it."""
    kind = output.get("output_type")
    if kind == "stream":
        return f"<pre>{text_html(output.get('text'))}</pre>"
    if kind == "error":
        return f"<pre class='osnb-warning'>{text_html(output.get('ename'))}: {text_html(output.get('evalue'))}</pre>"
    data = output.get("data") or {}
    if "text/html" in data:
        value = data["text/html"]
        return "".join(value) if isinstance(value, list) else str(value)
    if "image/png" in data:
        png = str(data["image/png"]).replace("\n", "")
        return f"<img src='data:image/png;base64,{text_html(png)}'>"
    if "text/plain" in data:
        value = data["text/plain"]
        return f"<pre>{text_html(''.join(value) if isinstance(value, list) else value)}</pre>"
    return ""
