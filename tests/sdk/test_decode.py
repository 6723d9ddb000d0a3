"""How a body is decoded: orjson, but the standard library where orjson would not be exact.

A focused parser test: bodies are built by hand as the bytes a service sends.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from osnb.sdk.resource import _json


class Body(requests.Response):
    """A response with ``content``; ``stdlib`` counts the bodies left to the standard
    library (``Response.json``)."""

    def __init__(self, content: bytes) -> None:
        super().__init__()
        self._content = content
        self.status_code = 200
        self.encoding = "utf-8"
        self.stdlib = 0

    def json(self, **kwargs: Any) -> Any:
        self.stdlib += 1
        return super().json(**kwargs)


@pytest.mark.parametrize("text", [
    '{"total_ips": 18446744073709551616}', '{"a": [1, -340282366920938463463374607431768211456]}',
    '[123456789012345678901]', '123456789012345678901', '{"a":\n  99999999999999999999}',
    # 19 digits below -2**63: orjson would read -1e+19 and -9.223372036854776e+18
    '{"n": -9999999999999999999}', '[-9223372036854775809]',
])
def test_a_number_beyond_64_bits_stays_exact(text: str) -> None:
    body = Body(text.encode())
    assert _json(body) == json.loads(text) and body.stdlib == 1


@pytest.mark.parametrize("text", [
    # A hostId (sha224 hex) with 20 digits in a row, a marker made of digits, a date.
    '{"hostId": "ab123456789012345678901234cd", "marker": "123456789012345678901234"}',
    '{"n": 1234567890123456789, "t": "2026-01-02T03:04:05.123456789012345678Z"}',
    '{"n": -123456789012345678, "name": "host-1234"}',
])
def test_digits_inside_strings_do_not_leave_orjson(text: str) -> None:
    body = Body(text.encode())
    assert _json(body) == json.loads(text) and body.stdlib == 0


@pytest.mark.parametrize("large", [False, True], ids=["small", "page"])
@pytest.mark.parametrize("pad", range(16))
def test_a_long_number_is_found_wherever_it_falls_in_the_page(pad: int, large: bool) -> None:
    """A page (a body of ``SCAN_FROM`` bytes or more) is read eight bytes at a time: a
    number of exactly 20 digits (or a minus and 19) is found at every offset, and 19
    digits (or a minus and 18), which orjson reads exactly, are left to it, as is a run of
    40 digits inside a string; a small body the same."""
    from osnb.sdk.resource import SCAN_FROM

    key = '"f": "' + "f" * SCAN_FROM + '", ' if large else ""
    key += '"' + "k" * (pad + 1)
    for text, stdlib in [(f'{{{key}": 12345678901234567890}}', 1),
                         (f'{{{key}": -1234567890123456789}}', 1),
                         (f'{{{key}": 1234567890123456789}}', 0),
                         (f'{{{key}": -123456789012345678}}', 0),
                         (f'{{{key}": "x{"9" * 40}"}}', 0)]:
        body = Body(text.encode())
        assert _json(body) == json.loads(text) and body.stdlib == stdlib, text[-60:]


def test_the_page_scan_agrees_with_a_plain_reading_of_the_numbers() -> None:
    """Seeded random pages (numbers of every length and sign, digits inside strings at
    every offset): the scan sends a page to the standard library exactly when a regular
    expression reading every number literal finds one of 20 digits, or a minus and 19."""
    import random
    import re

    from osnb.sdk.resource import SCAN_FROM, _long_number

    def plain(content: bytes) -> bool:
        for match in re.finditer(rb"(?<![0-9-])(-?)([0-9]+)", content):
            before = content[match.start() - 1:match.start()] or b":"
            if before in b":,[ " and len(match[2]) >= (19 if match[1] else 20):
                return True
        return False

    rng = random.Random(17)
    filler = "f" * SCAN_FROM
    for _ in range(300):
        values = [rng.choice([rng.randrange(-10 ** rng.randrange(1, 24), 10 ** rng.randrange(1, 24)),
                              "x" * rng.randrange(9) + str(rng.randrange(10 ** 30)), 5])
                  for _ in range(rng.randrange(1, 6))]
        content = json.dumps({"f": filler, "k" * rng.randrange(1, 9): values}).encode()
        assert _long_number(content) == plain(content), values
