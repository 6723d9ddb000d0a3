"""``osnb tour``: the terminal tables, the quota and capacity summaries, the HTML report."""

from __future__ import annotations

from pathlib import Path

import pytest

from osnb.cli import main


def test_tour_prints_tables_and_writes_report(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "out" / "tour.html"
    assert main(["tour", "--servers", "40", "--projects", "6", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    for title in ("Service catalog", "servers by status", "Servers in ERROR", "Flavors",
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
