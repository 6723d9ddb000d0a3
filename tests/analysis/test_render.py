"""The analyses' cell text and counts: plain numbers, singular and plural (pure units)."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from osnb.analysis._common import analysis_frame, error_table, gib
from osnb.analysis._frame import plain_number
from osnb.analysis._render import cell_text, frame_rich, frame_size, plural


@pytest.mark.parametrize(("value", "text"), [
    (1_234_567.891, "1,234,567.89"), (4.0, "4"), (0.85, "0.85"), (1e-7, "<0.01"),
    (0.0, "0"), (None, "—"), (float("nan"), "—"), (pd.NA, "—"), (1048576, "1,048,576"),
    (True, "True"),
])
def test_cell_text_is_never_scientific(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_plural_and_sizes() -> None:
    assert plural(1, "server") == "1 server" and plural(120, "server") == "120 servers"
    assert plural(1, "item") == "1 item" and plural(0, "entry", "entries") == "0 entries"
    assert frame_size(pd.DataFrame({"a": [1]})) == "1 row × 1 column"
    assert frame_rich(pd.DataFrame({"a": [1], "b": [2]})).caption == "1 row × 2 columns"


def test_gib_and_plain_numbers() -> None:
    assert gib(512) == "0.5 GiB" and gib(131072) == "128 GiB" and gib(None) == "—"
    assert plain_number(12_345_678.9) == "12,345,678.90"
    frame = analysis_frame(pd.DataFrame({"x": [12_345_678.9, 0.5]}))
    assert "e+" not in repr(frame) and "12,345,678.90" in repr(frame)
    assert "e+" not in repr(frame[frame.x > 1])  # derived frames display the same way


def test_frames_pickle_with_their_errors() -> None:
    frame = analysis_frame(pd.DataFrame({"x": [1.5]}))
    frame.attrs["errors"] = error_table([("p", "boom")], ["project_id", "error"])
    back = pickle.loads(pickle.dumps(frame))
    assert type(back) is type(frame) and back.equals(frame)
    assert back.attrs["errors"] == frame.attrs["errors"]
