"""docs/services.md is generated from the code; every row in it is tested."""

from __future__ import annotations

from pathlib import Path

from osnb.sdk.coverage import coverage_rows, markdown

ROOT = Path(__file__).resolve().parents[2]


def test_services_table_is_current() -> None:
    written = (ROOT / "docs" / "services.md").read_text()
    assert written == markdown(), "regenerate: python -m osnb.sdk.coverage > docs/services.md"


def test_every_row_is_tested() -> None:
    """Each resource has its mirrored test module, or a test module beside it imports and
    exercises it (small families such as a service's catalog share one)."""
    missing = []
    for row in coverage_rows():
        parts = row.module.split(".")  # osnb.sdk.<service>.<version>.<module>
        folder = ROOT / "tests" / "sdk" / Path(*parts[2:-1])
        if (folder / f"test_{parts[-1]}.py").is_file():
            continue
        line = f"from {row.module} import "
        users = [t for t in folder.glob("test_*.py")
                 if any(ln.startswith(line) and row.resource.__name__ in ln
                        for ln in t.read_text().splitlines())]
        if not users:
            missing.append(f"{row.resource.__name__} ({row.module})")
    assert missing == []


def test_six_services_are_covered() -> None:
    services = {row.attribute for row in coverage_rows()}
    assert services == {"compute", "network", "block_storage", "image", "identity",
                        "placement"}
    assert len(coverage_rows()) >= 50
