"""The store's time helpers: the same texts and microseconds as datetime gives."""

from __future__ import annotations

import datetime as dt
import random

from osnb.democloud.store import DAY_US, Stamps, epoch_us, isotime, span_us

BASE = dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=dt.timezone.utc)


def test_spans_round_as_timedelta_does() -> None:
    rng = random.Random(5)
    for i in range(20000):
        amount = rng.random() * 300 * 86400 * rng.choice([1, -1])
        if i % 5 == 0:
            amount = round(amount * 2e6) / 2e6  # exactly half a microsecond
        assert span_us(amount) == dt.timedelta(seconds=amount) // dt.timedelta(
            microseconds=1), amount
        days = rng.random() * 40
        assert span_us(days, DAY_US) == dt.timedelta(days=days) // dt.timedelta(
            microseconds=1), days


def test_stamps_match_isotime() -> None:
    stamps = Stamps()
    rng = random.Random(6)
    for _ in range(20000):
        when = BASE - dt.timedelta(microseconds=rng.randrange(-10**14, 10**14))
        us = epoch_us(when)
        assert stamps.zulu(us) == isotime(when)
        assert stamps.micro(us) == isotime(when, micro=True, zulu=False)
    assert stamps.zulu(0) == "1970-01-01T00:00:00Z"
    assert stamps.micro(DAY_US - 1) == "1970-01-01T23:59:59.999999"
