"""The package face sizes the embedded demo cloud from ``OSNB_DEMO_*`` (the SDK knows
nothing of it)."""

from __future__ import annotations

import pytest

from osnb.face import demo_overrides


def test_demo_size_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSNB_DEMO_SERVERS", "12")
    monkeypatch.setenv("OSNB_DEMO_PROJECTS", " 3 ")
    monkeypatch.delenv("OSNB_DEMO_SEED", raising=False)
    assert demo_overrides() == {"servers": 12, "projects": 3}


def test_demo_size_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSNB_DEMO_SERVERS", "lots")
    with pytest.raises(ValueError, match="OSNB_DEMO_SERVERS='lots': expected a whole number"):
        demo_overrides()
