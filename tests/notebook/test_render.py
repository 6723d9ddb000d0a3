"""The rendering toolkit: one display settings object every renderer reads, section ids
that never repeat, and the building blocks escaping what they are given."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.getipython import get_ipython
from IPython.lib.pretty import pretty
from IPython.testing.globalipapp import start_ipython
from rich.console import Console

import osnb
import osnb.notebook
from osnb.analysis._render import frame_html, frame_rich
from osnb.notebook import render
from osnb.notebook.html import list_html, resource_html, value_html
from osnb.notebook.text import list_rich
from osnb.notebook.widgets import ListWidget
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.network.v2.port import Port

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def settings():
    """``osnb.notebook.settings``, put back as it was after the test."""
    saved = dataclasses.asdict(osnb.notebook.settings)
    yield osnb.notebook.settings
    for name, value in saved.items():
        setattr(osnb.notebook.settings, name, value)


@pytest.fixture(scope="module")
def servers(cloud):
    listing = osnb.connect("demo", config=cloud.clouds).compute.servers(all_projects=True)
    assert len(listing) > 25
    return listing


def _body_rows(fragment: str) -> int:
    return fragment.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr")


def _fallback(fragment: str) -> str:
    return re.search(r"<pre class='osnb-text-repr-fallback'>(.*?)</pre>", fragment, re.S)[1]


def _rich_rows(renderable) -> int:
    console = Console(width=250, record=True, color_system=None)
    console.print(renderable)
    return renderable.row_count


def _counts(servers) -> dict[str, int]:
    """Rows each renderer shows of ``servers`` with the settings as they are now (the
    widget follows ``widget_rows``, set alike by the tests)."""
    page = list_html(servers)
    frame = servers.to_pandas()[["name", "status"]]
    return {"html": _body_rows(page), "rich": _rich_rows(list_rich(servers)),
            "text": len(_fallback(page).splitlines()) - 2,  # the repr and "… N more"
            "widget": _body_rows(ListWidget(servers).table.value),
            "pretty": len(pretty(servers).splitlines()) - 2,  # IPython's plain text
            "analysis html": _body_rows(frame_html(frame)),
            "analysis rich": _rich_rows(frame_rich(frame))}


def test_display_limit_sets_the_rows_of_every_renderer(servers, settings) -> None:
    settings.widget_rows = 20
    assert set(_counts(servers).values()) == {20}
    settings.display_limit = settings.widget_rows = 5
    assert set(_counts(servers).values()) == {5}
    page = list_html(servers)
    assert "first 5 rows" in page and f"… {len(servers) - 5} more" in _fallback(page)


def test_the_magics_traits_set_the_display_settings(servers, settings) -> None:
    shell = start_ipython() or get_ipython()
    shell.run_line_magic("load_ext", "osnb")
    for line in ("display_limit = 3", "widget_rows = 3", "cell_width = 12"):
        shell.run_line_magic("config", "OsnbMagics." + line)
    assert settings.display_limit == settings.widget_rows == 3 and settings.cell_width == 12
    assert set(_counts(servers).values()) == {3}
    cells = [c for c in re.findall(r"<td>([^<]*)</td>", list_html(servers))
             if not c.endswith(" UTC")]  # times are never cut
    assert cells and max(len(c) for c in cells) <= 12 and any(c.endswith("…") for c in cells)
    for line in ("display_limit = 20", "widget_rows = 50", "cell_width = 60"):
        shell.run_line_magic("config", "OsnbMagics." + line)


def test_settings_refuse_typos_and_nonsense(settings) -> None:
    with pytest.raises(AttributeError):
        settings.display_limt = 5
    for bad in (0, -1, "5", 2.5, True):
        with pytest.raises(ValueError, match="display_limit"):
            settings.display_limit = bad
    assert settings.display_limit == 20


def test_expansion_thresholds_and_detail_rows_are_settings(settings) -> None:
    four = {"a": 1, "b": 2, "c": 3, "d": 4}
    assert " checked" not in value_html(four)
    settings.expand_keys = 4
    assert " checked" in value_html(four)
    assert value_html(list(range(5))) == "0, 1, 2, 3, 4"
    settings.inline_items = 4
    assert "<table" in value_html(list(range(5)))
    settings.detail_rows = 2
    assert value_html({str(i): i for i in range(5)}).count("<tr>") == 2
    assert "… 3 more" in value_html({str(i): i for i in range(5)})


def test_max_columns_and_widths_are_settings(cloud, settings) -> None:
    ports = osnb.connect("demo", config=cloud.clouds).network.ports()
    assert not getattr(Port, "display_columns", None)  # the limit picks the columns
    assert list_html(ports).split("<tbody>")[0].count("<th>") == 8
    settings.max_columns = 2
    assert list_html(ports).split("<tbody>")[0].count("<th>") == 2
    settings.text_width = 10
    assert render.shorten("x" * 50, settings.text_width) == "x" * 9 + "…"
    settings.cell_width = 7
    assert render.truncate("abcdefghij") == "abcdef…" and render.truncate("abc") == "abc"


SERVER = {"id": "s1", "name": "web", "status": "ACTIVE",
          "metadata": {"a": "1", "b": "2", "c": "3", "d": "4"}, "tags": list("abcdefghij")}


def _ids(fragment: str) -> list[str]:
    return re.findall(r"id='([^']+)'", fragment)


def test_section_ids_are_unique_within_a_process() -> None:
    server = Server._from_body(dict(SERVER))
    ids = _ids(resource_html(server)) + _ids(resource_html(server))
    assert len(ids) == 4 and len(set(ids)) == 4


def test_section_ids_differ_between_kernels() -> None:
    """Two outputs saved in one notebook from two kernel runs must not share an id (the
    checkbox of one would open the other)."""
    code = textwrap.dedent(f"""
        import osnb
        from osnb.sdk.compute.v2.server import Server
        print(Server._from_body({SERVER!r})._repr_html_())
    """)

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120, check=True,
                             cwd=Path(osnb.__file__).parent.parent).stdout
        return _ids(out)

    first, second = run(), run()
    assert len(first) == len(second) == 2
    assert not set(first) & set(second)


def test_building_blocks_escape_what_they_are_given() -> None:
    fragments = [render.badge_html(HOSTILE), render.header_html(HOSTILE, HOSTILE,
                                                                status=HOSTILE, ident=HOSTILE),
                 render.attrs_table([(HOSTILE, "v")]), render.list_table([HOSTILE], [["v"]]),
                 render.collapsible(HOSTILE, "", open_=False),
                 render.section(HOSTILE, ""), render.text_html(HOSTILE)]
    for fragment in fragments:
        assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    assert render.text_html(None) == "" and render.escape_html(None) == "None"
    assert render.badge_rich("[red]x").plain == "[red]x"
    assert render.badge_html("ERROR").startswith("<span class='osnb-badge osnb-bad'>")
    assert render.badge_html("connected").startswith("<span class='osnb-badge osnb-ok'>")
    assert render.shorten({"password": "s3cret", "x": "\x1b[2J"}) == "password=***, x=\\x1b[2J"


OSNB = Path(osnb.__file__).parent


BELOW = {"progress.py"}
"""Modules the SDK imports, which cannot use the notebook layer's toolkit."""


def _sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(OSNB.rglob("*.py"))
            if "democloud" not in path.parts and "sdk" not in path.parts
            and str(path.relative_to(OSNB)) not in BELOW}


@pytest.mark.parametrize(("what", "pattern", "owners"), [
    ("an escaper", r"html\.escape\(|\bdef _e\(", {"notebook/safety.py"}),
    ("a status badge", r"osnb-badge", {"notebook/render.py"}),
    ("a status colour", r"osnb-ok|bold green", {"notebook/render.py"}),
    ("a truncation", r"\] \+ \"…\"", {"notebook/render.py"}),
    ("the section wrapper", r"osnb-text-repr-fallback", {"notebook/render.py"}),
    ("an element id", r"itertools\.count\(|id='\{", {"notebook/render.py"}),
])
def test_one_place_renders_each_thing(what: str, pattern: str, owners: set[str]) -> None:
    found = {str(path.relative_to(OSNB)) for path, text in _sources().items()
             if re.search(pattern, text)}
    assert found == owners, f"{what} outside the toolkit"


def test_no_renderer_hard_codes_a_row_limit() -> None:
    limits = [f"{path.relative_to(OSNB)}: {match[0]}" for path, text in _sources().items()
              for match in re.finditer(r"max_rows: int = \d+|\.head\(\d+\)|MAX_ITEMS",
                                       text)
              if "notebook" in path.parts or path.name in ("_render.py", "story.py",
                                                          "fanout.py")]
    assert limits == []


def test_frame_tables_badge_statuses(settings) -> None:
    frame = pd.DataFrame({"status": ["ERROR", None], "name": [HOSTILE, "b"]})
    page = frame_html(frame, title=HOSTILE)
    assert "osnb-badge osnb-bad" in page and "<script>" not in page
    assert page.count("osnb-badge") == 1  # a missing status is a dash, not a badge
