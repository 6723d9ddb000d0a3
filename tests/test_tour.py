"""``osnb tour``: the terminal tables, the quota and capacity summaries, the HTML report."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from osnb.cli import main
from osnb.tour import run_tour

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_tour_prints_tables_and_writes_report(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "out" / "tour.html"
    assert main(["tour", "--servers", "40", "--projects", "6", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    for title in ("Service catalog", "servers by status", "Servers in ERROR:", "Flavors",
                  "Quotas 80% used or more", "Capacity per availability zone",
                  "HTML report:"):
        assert title in out, title
    page = report.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in page
    assert "40 Server" in page  # the notebook ran against the tour's own cloud


def test_tour_without_report(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["tour", "--servers", "10", "--projects", "3", "--no-report"]) == 0
    assert "HTML report" not in capsys.readouterr().out
    assert not (tmp_path / "osnb-tour.html").exists()


def test_tour_tables_at_80_columns() -> None:
    """Faults on one line, ids whole, no None, counts that agree in number, GiB only."""
    console = Console(width=80, record=True, file=io.StringIO())
    assert run_tour(servers=120, projects=8, report=None, console=console) == 0
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "None" not in text
    assert " GB" not in text and "MiB" not in text and "MB" not in text
    assert not re.search(r"\b1 (servers|rows|columns|quotas|items)\b", text)
    assert re.search(r"\b120 servers by status", text)

    start = next(i for i, line in enumerate(lines) if "Servers in ERROR:" in line)
    count = int(re.search(r"Servers in ERROR: (\d+) server", lines[start]).group(1))
    assert count >= 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    rows = [line for line in lines[start:end] if line.startswith("│")]
    assert len(rows) == count  # one line per server: nothing wrapped
    for row in rows:
        assert UUID.search(row), row  # the id in full, copyable
    # At 80 columns the faults follow the table, one line each, cut with an ellipsis.
    after = end + 2  # the caption line
    faults = lines[after:after + count]
    names = [row.split("│")[1].strip() for row in rows]
    for name, line in zip(names, faults, strict=True):
        assert line.startswith(name) and ": " in line and len(line) <= 80
