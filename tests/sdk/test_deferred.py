"""Deferred listings: the frame built page by page, and the list still a list afterwards.

Over real HTTP: a short-lived demo cloud of its own (faults are injected into it, never
into the shared one) and the loopback service of :mod:`tests.sdk.fakeservice`. Inside
``deferred()`` a listing fetches its first page at once and the rest on first use; when
that use is ``to_pandas()`` the records of each page are let go once pulled into the
frame. The frame must be the one the records in one piece give, and records, iteration,
``partial``, errors, Ctrl-C and the collector must behave as for a listing fetched whole.
"""

from __future__ import annotations

import gc
import json
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import osnb
from osnb import democloud
from osnb.frames import records_to_frame
from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource import collector_paused
from osnb.sdk.resource_list import deferred

from .conftest import settle_fetch_ahead, without_faults
from .fakeservice import THINGS
from .things import Thing

FAST = {"retry_backoff": 0.01, "retry_max_delay": 0.05}


@pytest.fixture(scope="module")
def world() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=5, servers=600, projects=5, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture
def clean(world: democloud.DemoCloud) -> Iterator[democloud.DemoCloud]:
    yield from without_faults(world)


class Odd(Server):
    """Servers with odd records in the middle of the listing (the same ones each time the
    records are decoded): a record that is not an object, a flavor sent as a name, a date
    that is not one, a count beyond 64 bits, a bool that is a string."""

    @classmethod
    def _records(cls, body: Any, response: Any) -> list[Any]:
        records = super()._records(body, response)
        out: list[Any] = []
        for record in records:
            key = int(record["id"].replace("-", "")[:6], 16) % 97
            if key == 3:
                out.append(None)
            elif key == 5:
                out.append({**record, "flavor": "m1.small", "created": "someday",
                            "progress": 2**70, "locked": "maybe"})
            else:
                out.append(record)
        return out


def _listing(conn: Any, kind: type = Server, **query: Any) -> Any:
    """All servers of ``conn`` (or of a compute proxy) as ``kind``."""
    return getattr(conn, "compute", conn)._list(kind, base_path="/servers/detail", all_projects=True,
                              **query)


# The listing's size and its page size: no row, one page, a few, many.
SIZES = [({"name": "^no such server$"}, None), ({}, 1000), ({}, 250), ({}, 37)]


@pytest.mark.parametrize("kind", [Server, Odd], ids=["healthy", "odd-records"])
@pytest.mark.parametrize(("query", "limit"), SIZES, ids=["empty", "1-page", "3-pages",
                                                         "17-pages"])
def test_the_frame_built_page_by_page_is_the_frame_of_the_whole(clean, kind, query,
                                                                limit) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    whole = _listing(conn, kind, limit=limit, **query)
    if kind is Odd and query == {}:
        assert None in whole.records and any(
            isinstance(r, dict) and r.get("created") == "someday" for r in whole.records)
    for options in ({}, {"columns": "all"}, {"flatten": True},
                    {"columns": ["name", "flavor_name", "vcpus", "created_at"]}):
        with deferred():
            listing = _listing(conn, kind, limit=limit, **query)
        frame = listing.to_pandas(**options)
        expected = whole.to_pandas(**options)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
        assert frame.attrs == expected.attrs
        assert [str(t) for t in frame.dtypes] == [str(t) for t in expected.dtypes]
        # The records come back exactly as sent, and so do the objects built of them.
        assert len(listing) == len(whole) and listing.complete and \
            listing.pages == whole.pages
        assert json.dumps(listing.records) == json.dumps(whole.records)
        assert [s.to_dict() for s in listing] == [s.to_dict() for s in whole]
    assert gc.isenabled() and collector_paused().depth == 0


class Record(dict):  # type: ignore[type-arg]
    """A record that can be watched (a dict cannot be weakly referenced)."""


class Tracked(Server):
    refs: list[weakref.ref[Record]] = []

    @classmethod
    def _records(cls, body: Any, response: Any) -> list[Any]:
        records = [Record(r) for r in super()._records(body, response)]
        Tracked.refs.extend(weakref.ref(r) for r in records)
        return records

    @classmethod
    def alive(cls) -> int:
        return sum(ref() is not None for ref in cls.refs)


@pytest.mark.parametrize("keep_records", [True, False])
def test_a_frame_takes_each_page_and_lets_its_records_go(clean, monkeypatch,
                                                         keep_records) -> None:
    """While a deferred listing's frame is built, the records alive are those of the page
    being pulled in (and of the one before it, on its way out): never the listing's."""
    from osnb import frames

    alive: list[int] = []
    real_add = frames._FrameBuilder.add

    def add(self: Any, records: Any) -> None:
        alive.append(Tracked.alive())
        real_add(self, records)

    monkeypatch.setattr(frames._FrameBuilder, "add", add)
    conn = osnb.connect("demo", config=clean.clouds)
    with deferred(keep_records=keep_records):
        listing = _listing(conn, Tracked, limit=40)
    frame = listing.to_pandas()
    assert len(frame) == 600 and len(alive) >= 15
    assert max(alive) <= 2 * 40, alive
    assert Tracked.alive() == 0, "the frame keeps no record"
    alive.clear()
    Tracked.refs.clear()
    whole = _listing(conn, Tracked, limit=40)
    pd.testing.assert_frame_equal(whole.to_pandas(), frame)
    assert alive == [600]  # fetched whole: every record at once, and kept
    if keep_records:
        assert listing.records == whole.records


def test_a_listing_used_first_as_a_list_keeps_its_records(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    with deferred():
        listing = _listing(conn, limit=100)
    assert listing._pending is not None, "only the first page was fetched"
    assert len(listing) == 600 and listing._pending is None and not listing._kept
    frame = listing.to_pandas()  # from the records, which stay
    assert listing._records is not None and list(frame.index) == listing.ids()


def test_without_kept_records_the_list_says_so(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    with deferred(keep_records=False):
        listing = _listing(conn, limit=100)
    frame = listing.to_pandas()
    assert len(frame) == len(listing) == 600 and listing.complete and listing.pages == 7  # and an empty one
    assert not listing._kept
    with pytest.raises(exc.InvalidRequest, match="went into a frame.*list again"):
        listing[0]
    with pytest.raises(exc.InvalidRequest, match="were not kept"):
        listing.to_pandas()


def test_errors_of_the_first_page_raise_at_the_call(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    with deferred(), pytest.raises(exc.InvalidQuery):
        conn.compute.servers(no_such_filter=1)


@pytest.mark.parametrize("keep_records", [True, False])
def test_a_page_failing_mid_frame_raises_with_the_pages_so_far(clean, keep_records) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=0, **FAST)

    class Flips(Server):
        pages = 0

        @classmethod
        def _records(cls, body: Any, response: Any) -> list[Any]:
            Flips.pages += 1
            if Flips.pages == 3:  # the fourth page and those after it fail
                clean.set_faults(error_rate=1.0)
            return super()._records(body, response)

    gc.enable()
    with deferred(keep_records=keep_records):
        listing = _listing(conn, Flips, limit=50)
    with pytest.raises(exc.ServerError) as err:
        listing.to_pandas()
    partial = err.value.partial  # type: ignore[attr-defined]
    assert partial is listing and not partial.complete
    # Page 4 went ahead while page 3 was decoded: it may have been answered first.
    assert partial.pages in (3, 4) and len(partial) == 50 * partial.pages
    assert gc.isenabled() and collector_paused().depth == 0
    settle_fetch_ahead()
    clean.set_faults(error_rate=0)
    if keep_records:
        assert partial.ids() == _listing(conn, limit=50).ids()[:len(partial)]
    else:
        with pytest.raises(exc.InvalidRequest, match="not kept"):
            partial.ids()


def test_ctrl_c_while_fetching_for_a_frame_keeps_the_rows(adapter) -> None:
    class Interrupted(Thing):
        pages = 0

        @classmethod
        def _records(cls, body: Any, response: Any) -> list[Any]:
            Interrupted.pages += 1
            if Interrupted.pages == 3:
                raise KeyboardInterrupt
            return super()._records(body, response)

    with deferred():
        listing = adapter()._list(Interrupted, limit=5)
    with pytest.raises(KeyboardInterrupt) as caught:
        listing.to_pandas()
    settle_fetch_ahead()
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert partial is listing and not partial.complete and partial.pages == 2
    assert [t.id for t in partial] == [t["id"] for t in THINGS[:10]]
    assert gc.isenabled() and collector_paused().depth == 0


def test_ctrl_c_while_converting_ends_the_listing_too(adapter, monkeypatch) -> None:
    from osnb import frames

    added = []
    real_add = frames._FrameBuilder.add

    def add(self: Any, records: Any) -> None:
        added.append(len(records))
        if len(added) == 2:
            raise KeyboardInterrupt
        real_add(self, records)

    monkeypatch.setattr(frames._FrameBuilder, "add", add)
    with deferred():
        listing = adapter()._list(Thing, limit=5)
    with pytest.raises(KeyboardInterrupt) as caught:
        listing.to_pandas()
    settle_fetch_ahead()
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert partial is listing and not partial.complete and listing._pending is None
    assert [t.id for t in partial] == [t["id"] for t in THINGS[:10]]
    assert gc.isenabled() and collector_paused().depth == 0


def test_pipelined_and_sequential_frames_agree_under_5xx_faults(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=8, **FAST)
    expected = _listing(conn.compute.with_options(fetch_ahead=False), limit=20).ids()
    senders: list[str] = []
    conn.session.session.hooks["response"].append(
        lambda response, *args, **kwargs: senders.append(threading.current_thread().name))
    clean.set_faults(error_rate=0.15)
    with deferred():
        ahead = _listing(conn, limit=20)
        one_by_one = _listing(conn.compute.with_options(fetch_ahead=False), limit=20)
    frames = [ahead.to_pandas(), one_by_one.to_pandas()]
    assert ahead.complete and one_by_one.complete
    assert list(frames[0].index) == list(frames[1].index) == expected
    assert len(set(expected)) == 600
    assert senders.count("osnb-fetch-ahead") >= 25, "the pages were not fetched ahead"
    clean.set_faults(error_rate=0)
    assert ahead.ids() == expected


def test_a_deferred_list_used_from_two_threads_is_fetched_once(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    with deferred():
        listing = _listing(conn, limit=30)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(listing.to_pandas())),
               threading.Thread(target=lambda: results.append(len(listing)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    frames = [r for r in results if isinstance(r, pd.DataFrame)]
    assert len(results) == 2 and len(frames[0]) == 600
    assert [r for r in results if isinstance(r, int)] == [600]
    assert listing.pages == 21  # 20 full, and an empty one
    pd.testing.assert_frame_equal(frames[0], records_to_frame(Server, listing.records))
