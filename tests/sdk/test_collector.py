"""Listings decode without the cyclic collector, and always give it back.

Over the real loopback service of :mod:`tests.sdk.fakeservice`: a listing that fails
midway (a repeated page, a truncated body, a 502), one interrupted by Ctrl-C, one
abandoned by its caller, and listings nested across threads.
"""

from __future__ import annotations

import gc
import math
import threading
from collections.abc import Iterator

import pytest
import requests

from osnb.sdk import exceptions as exc
from osnb.sdk.resource import _json, collector_paused

from .fakeservice import THINGS
from .things import Thing


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on and no pause in progress."""
    gc.enable()
    assert collector_paused().depth == 0
    yield
    assert collector_paused().depth == 0, "a pause was left in progress"
    gc.enable()


class Watched(Thing):
    """A Thing whose pages note whether the collector ran while they were decoded."""

    seen: list[bool] = []

    @classmethod
    def _records(cls, body, response):
        Watched.seen.append(gc.isenabled())
        return super()._records(body, response)


def test_pages_decode_with_the_collector_paused(adapter) -> None:
    Watched.seen = []
    listing = adapter()._list(Watched, limit=10)
    assert [t.id for t in listing] == [t["id"] for t in THINGS]
    assert Watched.seen == [False, False, False]
    assert gc.isenabled()


def test_the_caller_of_a_lazy_listing_runs_with_the_collector_on(adapter) -> None:
    during = []
    for _ in Thing.list(adapter(), limit=10):
        during.append(gc.isenabled())
    assert during and all(during)
    assert gc.isenabled()


def test_an_abandoned_listing_gives_the_collector_back(adapter) -> None:
    pages = Watched.list_pages(adapter(), limit=10)
    next(pages)
    assert gc.isenabled()
    pages.close()
    assert gc.isenabled() and collector_paused().depth == 0


@pytest.mark.parametrize("prefix, error", [
    ("/loop-page", exc.InvalidResponse),   # the second page repeats the first
    ("/truncated", exc.InvalidResponse),   # a body cut off mid-record
    ("/gateway", exc.ServerError),         # a 502 from a proxy in front
])
def test_a_listing_that_fails_gives_the_collector_back(adapter, prefix, error) -> None:
    with pytest.raises(error):
        adapter(prefix).with_options(retries=0)._list(Thing)
    assert gc.isenabled()
    with pytest.raises(error):
        list(Thing.list(adapter(prefix).with_options(retries=0)))
    assert gc.isenabled()


def test_ctrl_c_gives_the_collector_back(adapter) -> None:
    class Interrupted(Thing):
        @classmethod
        def _records(cls, body, response):
            if response.url.find("marker=") >= 0:
                raise KeyboardInterrupt
            return super()._records(body, response)

    with pytest.raises(KeyboardInterrupt) as caught:
        adapter()._list(Interrupted, limit=10)
    assert len(caught.value.partial) == 10  # type: ignore[attr-defined]
    assert gc.isenabled()


def test_a_collector_the_program_turned_off_stays_off(adapter) -> None:
    gc.disable()
    adapter()._list(Thing, limit=10)
    assert not gc.isenabled()


def test_listings_in_two_threads_turn_it_back_on_only_when_both_end(adapter) -> None:
    inside, go = threading.Event(), threading.Event()

    class Slow(Thing):
        @classmethod
        def _records(cls, body, response):
            inside.set()
            assert go.wait(timeout=30)
            return super()._records(body, response)

    results: list[int] = []
    slow = threading.Thread(target=lambda: results.append(len(adapter()._list(Slow))))
    slow.start()
    try:
        assert inside.wait(timeout=30)
        assert not gc.isenabled()
        other = adapter()._list(Thing, limit=10)  # starts and ends inside the slow one
        assert len(other) == len(THINGS)
        assert not gc.isenabled(), "the inner listing turned the collector on early"
    finally:
        go.set()
        slow.join(timeout=30)
    assert results == [len(THINGS)]
    assert gc.isenabled()


def _response(content: bytes) -> requests.Response:
    response = requests.Response()
    response._content = content
    response.status_code = 200
    response.url = "http://127.0.0.1/things"
    response.headers["content-type"] = "application/json"
    return response


def test_bodies_orjson_refuses_decode_as_the_standard_library_does() -> None:
    assert math.isnan(_json(_response(b'{"x": NaN}'))["x"])
    assert _json(_response(b'{"n": 18446744073709551615, "m": -9223372036854775808}')) == \
        {"n": 2**64 - 1, "m": -2**63}
    big = _json(_response(b'{"total_ips": 18446744073709551870, "n": -123456789012345678901}'))
    assert big == {"total_ips": 18446744073709551870, "n": -123456789012345678901}
    assert type(big["total_ips"]) is int  # orjson alone would read a float
    assert _json(_response('{"name": "é"}'.encode("utf-16")))["name"] == "é"
    assert _json(_response(b'{"a": 1.0, "b": 1, "c": "\\u00e9"}')) == {"a": 1.0, "b": 1,
                                                                       "c": "é"}
    assert type(_json(_response(b'{"a": 1.0}'))["a"]) is float
    with pytest.raises(exc.InvalidResponse, match="not JSON"):
        _json(_response(b'{"things": [{"id": "t00", "na'))
    with pytest.raises(exc.InvalidResponse, match="not JSON"):
        _json(_response(b""))
