"""printable/escape_html: control and bidi characters from servers are shown, not obeyed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osnb.notebook.safety import _UNSAFE, escape_html, printable


@pytest.mark.parametrize(("sent", "shown"), [
    ("\x1b[2Jgone", "\\x1b[2Jgone"),                       # clear screen
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),             # window title (OSC 0)
    ("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",        # hyperlink (OSC 8)
     "\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\"),
    ("\x9b31m", "\\x9b31m"),                                # C1 CSI
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),             # right-to-left override
    ("a\u2066b\u2069", "a\\u2066b\\u2069"),                 # isolates
    ("tab\tand\nnewline", "tab\tand\nnewline"),             # layout stays
    ("ünïcødé ✓ 名前", "ünïcødé ✓ 名前"),
])
def test_printable_shows_controls_as_escapes(sent: str, shown: str) -> None:
    assert printable(sent) == shown


def test_escape_html_escapes_markup_and_controls() -> None:
    assert escape_html("<b onclick='x'>\u202e") == "&lt;b onclick=&#x27;x&#x27;&gt;\\u202e"
    assert escape_html(None) == "None"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    out = printable(text)
    assert not _UNSAFE.search(out)
    assert not _UNSAFE.search(escape_html(text))
    if not _UNSAFE.search(text):
        assert out == text
