"""``OSNB_DEMO_*`` size the demo cloud that ``connect("demo")`` starts."""

from __future__ import annotations

import pytest

from osnb.sdk.connect import _demo_overrides


def test_demo_size_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSNB_DEMO_SERVERS", "12")
    monkeypatch.setenv("OSNB_DEMO_PROJECTS", " 3 ")
    monkeypatch.delenv("OSNB_DEMO_SEED", raising=False)
    assert _demo_overrides() == {"servers": 12, "projects": 3}


def test_demo_size_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSNB_DEMO_SERVERS", "lots")
    with pytest.raises(ValueError, match="OSNB_DEMO_SERVERS='lots': expected a whole number"):
        _demo_overrides()
