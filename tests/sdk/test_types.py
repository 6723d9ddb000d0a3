"""Prop conversions: strict towards the server, lenient from it."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk._types import ConversionError, conversion_for, parse_datetime

UTC = dt.timezone.utc


@pytest.mark.parametrize("text,expected", [
    ("2026-11-25T13:19:09Z", dt.datetime(2026, 11, 25, 13, 19, 9, tzinfo=UTC)),
    ("2026-11-25T13:19:09.123456789Z", dt.datetime(2026, 11, 25, 13, 19, 9, 123456, tzinfo=UTC)),
    ("2026-11-25T13:19:09.1", dt.datetime(2026, 11, 25, 13, 19, 9, 100000, tzinfo=UTC)),
    ("2026-11-25T14:19:09+01:00", dt.datetime(2026, 11, 25, 13, 19, 9, tzinfo=UTC)),
    ("2026-11-25 13:19:09", dt.datetime(2026, 11, 25, 13, 19, 9, tzinfo=UTC)),
])
def test_datetimes_parse_tz_aware(text, expected) -> None:
    got = parse_datetime(text)
    assert got == expected and got.tzinfo is not None


def test_unparseable_datetime_is_kept() -> None:
    assert parse_datetime("soon") == "soon"


@pytest.mark.parametrize("kind,wire,python", [
    (bool, "True", True), (bool, "false", False), (int, "42", 42), (int, 4.0, 4),
    (float, "1.5", 1.5), (float, 2, 2.0), (list[int], ["1", 2], [1, 2]),
    (int, "4.5", "4.5"), (bool, "perhaps", "perhaps"), (int, True, True), (dict, "x", "x"),
])
def test_from_wire_converts_or_keeps(kind, wire, python) -> None:
    assert conversion_for(kind).from_wire(wire) == python


@pytest.mark.parametrize("kind,value", [
    (int, "x"), (int, True), (int, 1.5), (bool, "perhaps"), (bool, 2), (float, "one"),
    (str, ["a"]), (list, "abc"), (dict, [1]), (dt.datetime, "yesterday"), (dt.datetime, 5),
])
def test_to_wire_refuses(kind, value) -> None:
    with pytest.raises(ConversionError):
        conversion_for(kind).to_wire(value)


def test_to_wire_normalises() -> None:
    assert conversion_for(int).to_wire("7") == 7
    assert conversion_for(str).to_wire(7) == "7"
    assert conversion_for(bool).to_wire(1) is True
    assert conversion_for(dt.datetime).to_wire("2026-01-01T00:00:00Z") == \
        "2026-01-01T00:00:00+00:00"
    assert conversion_for(int | None).to_wire(None) is None
