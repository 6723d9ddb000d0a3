"""A large listing fetched whole keeps its frame's columns and its pages' bytes, not its
records: the default path of ``conn.compute.servers(...).to_pandas()``.

Over real HTTP, on a short-lived demo cloud of its own (faults are injected into it) and
the loopback service of :mod:`tests.sdk.fakeservice`. ``COLUMNS_FROM`` is lowered so that
600 servers in pages of 20-250 take that path; a listing under it (the reference here)
keeps its records as it always did. The frame must be the frame of the records in one
piece, the records exactly as sent, and errors, ``partial``, Ctrl-C, retries and the
collector as for a listing that keeps its records.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import requests

import osnb
from osnb import democloud
from osnb.sdk import exceptions as exc
from osnb.sdk import hooks
from osnb.sdk import resource_list as rl
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource import collector_paused

from .conftest import settle_fetch_ahead, without_faults
from .fakeservice import THINGS
from .test_deferred import FAST, Odd, Tracked, _listing
from .things import Thing


@pytest.fixture(scope="module")
def world() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=7, servers=600, projects=5, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture
def clean(world: democloud.DemoCloud) -> Iterator[democloud.DemoCloud]:
    yield from without_faults(world)


@pytest.fixture
def columns_from(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``columns_from(n)``: listings reaching ``n`` records take the columns' path."""
    return lambda n: monkeypatch.setattr(rl, "COLUMNS_FROM", n)


def _whole(conn: Any, kind: type = Server, **query: Any) -> Any:
    """The reference: the same listing keeping its records."""
    listing = _listing(conn, kind, **query)
    assert listing._records is not None and listing._builder is None
    return listing


@pytest.mark.parametrize("kind", [Server, Odd], ids=["healthy", "odd-records"])
@pytest.mark.parametrize(("limit", "threshold"), [(250, 1), (37, 1), (20, 100), (1000, 600)],
                         ids=["3-pages", "17-pages", "switch-at-page-5", "1-page"])
def test_the_columns_give_the_frame_and_the_records_of_the_whole(clean, columns_from, kind,
                                                                 limit, threshold) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    whole = _whole(conn, kind, limit=limit)
    columns_from(threshold)
    listing = _listing(conn, kind, limit=limit)
    assert listing._records is None and listing._builder is not None, "records were kept"
    assert len(listing) == len(whole) == 600 and listing.complete and \
        listing.pages == whole.pages
    for options in ({}, {"flatten": True}, {"columns": "all"},
                    {"columns": ["name", "flavor_name", "vcpus", "created_at"]}, {}):
        frame = listing.to_pandas(**options)
        expected = whole.to_pandas(**options)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
        assert [str(t) for t in frame.dtypes] == [str(t) for t in expected.dtypes]
    assert listing._records is None, "a frame needed no record"
    # The records come back exactly as sent, and so do the objects built of them.
    assert json.dumps(listing.records) == json.dumps(whole.records)
    assert [s.to_dict() for s in listing] == [s.to_dict() for s in whole]
    pd.testing.assert_frame_equal(listing.to_pandas(), whole.to_pandas(), check_exact=True)
    assert gc.isenabled() and collector_paused().depth == 0


def test_no_record_outlives_its_page_and_frames_share_nothing(clean, columns_from) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    expected = _whole(conn, limit=40).to_pandas()
    columns_from(1)
    Tracked.refs.clear()
    listing = _listing(conn, Tracked, limit=40)
    assert len(Tracked.refs) == 600 and Tracked.alive() == 0, "the listing kept records"
    first = listing.to_pandas()
    first.iloc[0, 0] = "changed"
    first["vcpus"] = 0
    second = listing.to_pandas()
    assert second.iloc[0, 0] != "changed" and (second["vcpus"] > 0).all()
    pd.testing.assert_frame_equal(second, expected)


def test_a_small_listing_keeps_its_records(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    assert rl.COLUMNS_FROM > 600
    listing = _listing(conn, limit=100)
    assert listing._records is not None and listing._builder is None and not listing._kept


def test_without_the_frames_layer_the_records_are_kept(clean, columns_from,
                                                       monkeypatch) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    columns_from(1)
    real = hooks.lookup
    monkeypatch.setattr(hooks, "lookup",
                        lambda kind: None if kind == "frame_builder" else real(kind))
    listing = _listing(conn, limit=100)
    assert listing._records is not None and listing._builder is None and not listing._kept
    assert len(listing) == 600


def test_a_frame_that_fails_leaves_the_listing_whole(clean, columns_from,
                                                     monkeypatch) -> None:
    """A bug in the frame's columns must not fail the listing: its frame is then built of
    the records decoded from the bytes, as any other columns are."""
    from osnb import frames

    conn = osnb.connect("demo", config=clean.clouds)
    expected = _whole(conn, limit=50).to_pandas()
    columns_from(1)
    added: list[int] = []
    real_add = frames._FrameBuilder.add

    def add(self: Any, records: Any) -> None:
        added.append(len(records))
        if len(added) == 4:
            raise RuntimeError("a frame bug")
        real_add(self, records)

    monkeypatch.setattr(frames._FrameBuilder, "add", add)
    listing = _listing(conn, limit=50)
    assert listing.complete and len(listing) == 600 and listing._builder is None
    assert len(added) == 4, "the frame was given up at its failure"
    pd.testing.assert_frame_equal(listing.to_pandas(), expected, check_exact=True)


def test_a_page_failing_raises_at_the_call_with_the_pages_so_far(clean, columns_from) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=0, **FAST)
    expected = _whole(conn, limit=50)
    columns_from(1)

    class Flips(Server):
        pages = 0

        @classmethod
        def _records(cls, body: Any, response: Any) -> list[Any]:
            Flips.pages += 1
            if Flips.pages == 3:  # the fourth page and those after it fail
                clean.set_faults(error_rate=1.0)
            return super()._records(body, response)

    gc.enable()
    with pytest.raises(exc.ServerError) as err:
        _listing(conn, Flips, limit=50)
    partial = err.value.partial  # type: ignore[attr-defined]
    assert not partial.complete and partial._records is None
    # Page 4 went ahead while page 3 was decoded: it may have been answered first.
    assert partial.pages in (3, 4) and len(partial) == 50 * partial.pages
    assert gc.isenabled() and collector_paused().depth == 0
    settle_fetch_ahead()
    clean.set_faults(error_rate=0)
    pd.testing.assert_frame_equal(partial.to_pandas(),
                                  expected.to_pandas().iloc[:len(partial)], check_exact=True)
    assert partial.ids() == expected.ids()[:len(partial)]


def test_ctrl_c_while_fetching_keeps_the_rows(adapter, columns_from) -> None:
    columns_from(1)

    class Interrupted(Thing):
        pages = 0

        @classmethod
        def _records(cls, body: Any, response: Any) -> list[Any]:
            Interrupted.pages += 1
            if Interrupted.pages == 3:
                raise KeyboardInterrupt
            return super()._records(body, response)

    with pytest.raises(KeyboardInterrupt) as caught:
        adapter()._list(Interrupted, limit=5)
    settle_fetch_ahead()
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert not partial.complete and partial.pages == 2 and partial._builder is not None
    assert list(partial.to_pandas().index) == [t["id"] for t in THINGS[:10]]
    assert [t.id for t in partial] == [t["id"] for t in THINGS[:10]]
    assert gc.isenabled() and collector_paused().depth == 0


def test_ctrl_c_while_pulling_a_page_in_gives_up_the_frame_not_the_rows(adapter, columns_from,
                                                                       monkeypatch) -> None:
    """An interrupt inside a page's columns leaves them half filled: the frame is given
    up (the partial list's frame is built of its bytes), the interrupt goes on."""
    from osnb import frames

    columns_from(1)
    added: list[int] = []
    real_add = frames._FrameBuilder.add

    def add(self: Any, records: Any) -> None:
        added.append(len(records))
        if len(added) == 3:
            real_add(self, records[:2])  # some columns of the page in, not all
            raise KeyboardInterrupt
        real_add(self, records)

    monkeypatch.setattr(frames._FrameBuilder, "add", add)
    with pytest.raises(KeyboardInterrupt) as caught:
        adapter()._list(Thing, limit=5)
    settle_fetch_ahead()
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert not partial.complete and partial._builder is None and partial.pages == 3
    assert list(partial.to_pandas().index) == [t["id"] for t in THINGS[:15]]
    assert gc.isenabled() and collector_paused().depth == 0


def test_pipelined_and_sequential_listings_agree_under_5xx_faults(clean, columns_from) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=8, **FAST)
    expected = _listing(conn.compute.with_options(fetch_ahead=False), limit=20).ids()
    columns_from(1)
    senders: list[str] = []
    conn.session.session.hooks["response"].append(
        lambda response, *args, **kwargs: senders.append(threading.current_thread().name))
    clean.set_faults(error_rate=0.15)
    ahead = _listing(conn, limit=20)
    one_by_one = _listing(conn.compute.with_options(fetch_ahead=False), limit=20)
    assert ahead.complete and one_by_one.complete
    assert ahead._builder is not None and one_by_one._builder is not None
    assert list(ahead.to_pandas().index) == list(one_by_one.to_pandas().index) == expected
    assert len(set(expected)) == 600
    assert senders.count("osnb-fetch-ahead") >= 25, "the pages were not fetched ahead"
    clean.set_faults(error_rate=0)
    assert ahead.ids() == one_by_one.ids() == expected


def test_the_kept_pages_are_compressed_beside_the_listing(clean, columns_from,
                                                         monkeypatch) -> None:
    import time
    import zlib

    conn = osnb.connect("demo", config=clean.clouds)
    whole = _whole(conn, limit=100)
    columns_from(1)
    monkeypatch.setattr(rl, "WAITED_PACK_LEVEL", 0)  # whether a page was waited for varies
    assert _listing(conn, limit=100)._kept[0].packed is None, "packed by default"
    monkeypatch.setattr(rl, "PACK_LEVEL", 1)
    listing = _listing(conn, limit=100)
    deadline = time.monotonic() + 60
    while any(k.packed is None for k in listing._kept[:-1]) and time.monotonic() < deadline:
        time.sleep(0.05)
    pages = [k for k in listing._kept if k.count]
    assert pages and all(k.content is None for k in pages), "a page was not compressed"
    sent = sum(len(zlib.decompress(k.packed)) for k in pages)
    assert sum(len(k.packed) for k in pages) * 4 < sent
    assert json.dumps(listing.records) == json.dumps(whole.records)


def test_pages_the_listing_waited_for_are_compressed_and_others_not(clean, columns_from
                                                                    ) -> None:
    """Where the network is what a listing waits on (50 ms a request here), the kept pages
    are compressed while it waits; where the page fetched ahead is in when wanted, they
    are kept as received (compressing would take CPU from the listing). The records are
    the same either way."""
    import time

    conn = osnb.connect("demo", config=clean.clouds)
    whole = _whole(conn, limit=100)
    columns_from(1)
    clean.set_faults(latency_ms=50)
    try:
        slow = _listing(conn, limit=100)
    finally:
        clean.set_faults(latency_ms=0)
    pages = [k for k in slow._kept if k.count]
    assert sum(k.level > 0 for k in pages) >= len(pages) - 1, "waited for, yet not packed"
    deadline = time.monotonic() + 60
    while any(k.level and k.packed is None for k in pages) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(k.packed is not None and k.content is None for k in pages)
    assert json.dumps(slow.records) == json.dumps(whole.records)

    # Fetched ahead and in by the time it is wanted: not waited for, kept as received.
    response = requests.Response()
    response._content, response.osnb_waited = b"[]", False  # type: ignore[attr-defined]
    assert rl._Kept(response, 0).level == rl.PACK_LEVEL == 0
    response.osnb_waited = True  # type: ignore[attr-defined]
    assert rl._Kept(response, 0).level == rl.WAITED_PACK_LEVEL == 1
