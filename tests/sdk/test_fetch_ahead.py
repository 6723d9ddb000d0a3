"""Listings fetch the next page while the current one is decoded, and change nothing else.

Over real HTTP: the loopback service of :mod:`tests.sdk.fakeservice` (its log shows what
arrived and when) and a short-lived demo cloud of its own with injected 5xx faults (never
the shared one). Fetching ahead must give what a sequential listing gives, raise what it
raises, keep ``.partial``, give the collector back, and stop when its caller does.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import osnb
from osnb import democloud
from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource import collector_paused

from .conftest import settle_fetch_ahead, without_faults
from .fakeservice import THINGS
from .things import Thing

FAST = {"retry_backoff": 0.01, "retry_max_delay": 0.05}


def _fetchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "osnb-fetch-ahead"]


def _settle() -> None:
    """Wait for requests already sent ahead to come back (they are never interrupted)."""
    settle_fetch_ahead()
    assert not _fetchers(), "a fetch-ahead thread is still running"


def _wait_for(predicate: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return False


@pytest.fixture(scope="module")
def flaky() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=11, servers=400, projects=4, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture
def clean(flaky: democloud.DemoCloud) -> Iterator[democloud.DemoCloud]:
    yield from without_faults(flaky)


def test_the_next_page_is_requested_before_the_caller_has_the_first(adapter, fake) -> None:
    log = fake[1]
    pages = Thing.list_pages(adapter(), limit=5)
    before = len(log.requests)
    first = next(pages)
    # The caller holds page 1 and does nothing: page 2 arrives at the service anyway.
    assert _wait_for(lambda: len(log.requests) - before >= 2), "page 2 was not fetched ahead"
    assert log.requests[before + 1]["query"].get("marker") == first[-1]["id"]
    time.sleep(0.1)
    assert len(log.requests) - before == 2, "more than one page went ahead"
    rest = [r["id"] for page in pages for r in page]
    assert [r["id"] for r in first] + rest == [t["id"] for t in THINGS]
    _settle()
    sent = len(log.requests) - before
    before = len(log.requests)
    list(Thing.list_pages(adapter().with_options(fetch_ahead=False), limit=5))
    assert sent == len(log.requests) - before == 6  # what a sequential listing sends


def test_a_sequential_proxy_waits_for_its_caller(adapter, fake) -> None:
    log = fake[1]
    pages = Thing.list_pages(adapter().with_options(fetch_ahead=False), limit=5)
    before = len(log.requests)
    next(pages)
    time.sleep(0.2)
    assert len(log.requests) - before == 1
    pages.close()


def test_closing_a_listing_stops_its_fetcher(adapter, fake) -> None:
    log = fake[1]
    pages = Thing.list_pages(adapter(), limit=5)
    before = len(log.requests)
    next(pages)
    pages.close()  # the caller is gone: the page in flight comes back, nothing follows
    _settle()
    sent = len(log.requests) - before
    time.sleep(0.2)
    assert sent <= 2 and len(log.requests) - before == sent
    assert collector_paused().depth == 0


def test_ctrl_c_mid_listing_stops_the_fetcher_and_keeps_the_rows(adapter, fake) -> None:
    class Interrupted(Thing):
        pages = 0

        @classmethod
        def _records(cls, body, response):
            Interrupted.pages += 1
            if Interrupted.pages == 2:
                raise KeyboardInterrupt
            return super()._records(body, response)

    log = fake[1]
    before = len(log.requests)
    with pytest.raises(KeyboardInterrupt) as caught:
        adapter()._list(Interrupted, limit=5)
    _settle()
    sent = len(log.requests) - before
    time.sleep(0.2)
    assert sent <= 3 and len(log.requests) - before == sent  # pages 1, 2 and one ahead
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert [t.id for t in partial] == [t["id"] for t in THINGS[:5]] and not partial.complete
    assert gc.isenabled() and collector_paused().depth == 0


@pytest.mark.parametrize("prefix", ["/loop-url", "/loop-page", "/alternate", "/elsewhere"])
def test_loop_guards_refuse_as_a_sequential_listing_does(adapter, fake, prefix) -> None:
    log = fake[1]
    raised = []
    sent = []
    for proxy in (adapter(prefix), adapter(prefix).with_options(fetch_ahead=False)):
        before = len(log.requests)
        with pytest.raises(exc.InvalidResponse) as err:
            proxy._list(Thing)
        _settle()
        sent.append(len(log.requests) - before)
        raised.append((str(err.value).split(" (")[0], len(err.value.partial)))  # type: ignore[attr-defined]
    assert raised[0] == raised[1]
    assert sent[1] <= sent[0] <= sent[1] + 1  # at most the one page that went ahead
    assert all("198.51.100.7" not in r["headers"].get("host", "") for r in log.requests)


@pytest.mark.parametrize("prefix", ["", "/glance/v2", "/keystone", "/plain"])
def test_every_style_gives_what_a_sequential_listing_gives(adapter, prefix) -> None:
    ahead = [t.id for t in Thing.list(adapter(prefix), limit=4)]
    one_by_one = [t.id for t in Thing.list(adapter(prefix).with_options(fetch_ahead=False),
                                           limit=4)]
    assert ahead == one_by_one == [t["id"] for t in THINGS]


def test_pipelined_and_sequential_listings_agree_under_5xx_faults(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=8, **FAST)
    expected = conn.compute.with_options(fetch_ahead=False).servers(
        all_projects=True, limit=20).ids()
    assert len(expected) >= 400
    senders: list[str] = []
    conn.session.session.hooks["response"].append(
        lambda response, *args, **kwargs: senders.append(threading.current_thread().name))
    clean.set_faults(error_rate=0.15)
    ahead = conn.compute.servers(all_projects=True, limit=20)
    one_by_one = conn.compute.with_options(fetch_ahead=False).servers(all_projects=True,
                                                                       limit=20)
    assert ahead.complete and one_by_one.complete
    assert ahead.ids() == one_by_one.ids() == expected
    assert len(set(ahead.ids())) == len(expected)
    assert senders.count("osnb-fetch-ahead") >= 19, "the pages were not fetched ahead"


def test_a_page_failing_ahead_raises_in_the_caller_with_the_rows_so_far(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=1, **FAST)

    class Flips(Server):
        @classmethod
        def _records(cls, body, response):
            clean.set_faults(error_rate=1.0)  # from the first page on, every request fails
            return super()._records(body, response)

    gc.enable()
    with pytest.raises(exc.ServerError) as err:
        conn.compute._list(Flips, base_path="/servers/detail", all_projects=True, limit=50)
    partial = err.value.partial  # type: ignore[attr-defined]
    # Page 2 went ahead while page 1 was decoded: it may have been answered before the
    # faults were on. Either way the rows kept are whole pages, in order, none twice.
    assert partial.complete is False and partial.pages in (1, 2)
    assert len(partial) == 50 * partial.pages == len(set(partial.ids()))
    assert gc.isenabled() and collector_paused().depth == 0
