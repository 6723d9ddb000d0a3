"""The fuzz tier: hostile values from a server never break a view, and never escape it.

Every resource the SDK ships is fed records whose declared keys hold what a broken or
malicious cloud can send — integers past 64 bits, markup for HTML, rich and mathtext,
terminal control sequences, bidi overrides, 600 levels of nesting, the wrong JSON type,
lists of non-objects — and must come out of ``to_pandas`` (default, all columns,
flattened), the HTML repr, the rich render, IPython's pretty-printer and the widget
without an exception, with every control character shown escaped and no markup live.
Then a demo cloud is given hostile names through its API, and the analyses and plots run
over it. Bounded: a fixed number of examples per resource (hypothesis, no deadline).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from osnb.sdk.resource import Resource
from osnb.sdk.resource_list import ResourceList
from tests.sdk.test_meta import RESOURCES

MARKUP = "<script>alert(1)</script>"
CONTROLS = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
BIDI = "invoice\u202etxt.exe"
HOSTILE_TEXT = [MARKUP, "[bold red]rich[/]", "$x^2$ \\frac{a}{b}", CONTROLS, BIDI,
                "{{7*7}}", "a" * 3000, "", " ", "None", "nan", "\u0000nul"]


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for i in range(levels):
        value = {"k": value} if i % 2 else [value]
    return value


hostile_scalars = (st.sampled_from(HOSTILE_TEXT) | st.text(max_size=20)
                   | st.sampled_from([2**63, 2**70, -(2**64), 10**30, 1e308, -0.0, True])
                   | st.integers() | st.none())
hostile_values = st.recursive(
    hostile_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(HOSTILE_TEXT + ["addr", "name", "id", "version"]), inner, max_size=3),
    max_leaves=8,
) | st.just([1, "two", None, [3]])


def _records_for(cls: type[Resource]) -> Any:
    keys = sorted({p.server_key for p in cls._props.values() if not p.in_uri} - {"id"})
    record = st.fixed_dictionaries(
        {"id": st.sampled_from(["id-1", MARKUP, CONTROLS, BIDI])},
        optional={k: hostile_values for k in keys})
    return st.lists(record | st.sampled_from([None, 7, "text", []]), min_size=1, max_size=3)


def _no_live_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, \
        repr(text[:300])


def _views(items: ResourceList[Any]) -> None:
    from IPython.lib.pretty import pretty
    from rich.console import Console

    items.to_pandas()
    items.to_pandas(columns="all", flatten=True)
    html = items._repr_html_()
    assert MARKUP not in html
    _no_live_controls(html)
    console = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    console.print(items)
    for res in items[:3]:
        page = res._repr_html_()
        assert MARKUP not in page
        _no_live_controls(page)
        console.print(res)
        _no_live_controls(pretty(res))
    _no_live_controls(console.file.getvalue())  # type: ignore[attr-defined]
    _no_live_controls(pretty(items))
    items.widget()


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_hostile_records_never_break_a_view(cls: type[Resource]) -> None:
    @given(_records_for(cls))
    @settings(max_examples=12, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    def check(records: list[Any]) -> None:
        _views(ResourceList(cls, records))

    check()


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_deep_nesting_never_overflows_a_view(cls: type[Resource]) -> None:
    deep = _deep(600)
    record = {"id": "deep", **{p.server_key: deep for p in cls._props.values()
                               if not p.in_uri and p.server_key != "id"}}
    _views(ResourceList(cls, [record]))
