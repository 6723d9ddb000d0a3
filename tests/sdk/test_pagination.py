"""Every pagination style the core services use, and the guards, over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from osnb.sdk import exceptions as exc

from .fakeservice import THINGS
from .things import Thing

ALL_IDS = [t["id"] for t in THINGS]


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """A page a failed listing had sent ahead arrives before the next test counts."""
    yield
    for thread in threading.enumerate():
        if thread.name == "osnb-fetch-ahead":
            thread.join(timeout=10)


@pytest.mark.parametrize("prefix", ["", "/keystone", "/glance/v2", "/plain"])
def test_each_style_walks_to_the_end(adapter, prefix) -> None:
    ids = [t.id for t in Thing.list(adapter(prefix), limit=7)]
    assert ids == ALL_IDS


def test_nova_links_without_a_limit(adapter, fake) -> None:
    before = len(fake[1].requests)
    assert [t.id for t in Thing.list(adapter())] == ALL_IDS
    assert len(fake[1].requests) - before == 3  # pages of the server's default 10


def test_list_pages_yields_raw_records(adapter) -> None:
    pages = list(Thing.list_pages(adapter("/glance/v2"), limit=10))
    assert [len(p) for p in pages] == [10, 10, 5]
    assert pages[0][0] is not None and pages[0][0]["size"] == "0"  # raw, unconverted


def test_a_link_to_the_same_url_is_refused(adapter) -> None:
    with pytest.raises(exc.InvalidResponse, match="loops"):
        list(Thing.list(adapter("/loop-url")))


def test_the_same_page_twice_is_refused(adapter) -> None:
    with pytest.raises(exc.InvalidResponse, match="page it had sent before"):
        list(Thing.list(adapter("/loop-page")))


def test_pages_alternating_a_b_a_are_refused(adapter, fake) -> None:
    before = len(fake[1].requests)
    with pytest.raises(exc.InvalidResponse, match="page it had sent before"):
        list(Thing.list(adapter("/alternate").with_options(fetch_ahead=False)))
    assert len(fake[1].requests) - before == 3
    with pytest.raises(exc.InvalidResponse, match="page it had sent before"):
        list(Thing.list(adapter("/alternate")))  # fetching ahead: one page more at most


def test_ctrl_c_stops_a_loop_of_listings_and_keeps_the_rows(adapter, fake) -> None:
    class Interrupted(Thing):
        pages = 0

        @classmethod
        def _records(cls, body, response):
            Interrupted.pages += 1
            if Interrupted.pages == 2:
                raise KeyboardInterrupt
            return super()._records(body, response)

    proxy = adapter()
    ran = []
    with pytest.raises(KeyboardInterrupt) as caught:
        for _ in range(4):
            ran.append(proxy._list(Interrupted, limit=10))
    assert ran == []  # the interrupt was not swallowed by the first listing
    partial = caught.value.partial  # type: ignore[attr-defined]
    assert [t.id for t in partial] == [t["id"] for t in THINGS[:10]]
    assert not partial.complete


def test_a_link_to_another_host_is_refused(adapter, fake) -> None:
    with pytest.raises(exc.InvalidResponse, match="another host|refusing") as err:
        list(Thing.list(adapter("/elsewhere")))
    assert "198.51.100.7" in str(err.value)
    assert all("198.51.100.7" not in r["headers"].get("host", "") for r in fake[1].requests)


def test_a_body_without_its_key_is_a_clear_error(adapter) -> None:
    with pytest.raises(exc.InvalidResponse, match="no 'things' key"):
        list(Thing.list(adapter("/missing-key")))


def test_an_html_page_is_a_clear_error(adapter) -> None:
    with pytest.raises(exc.InvalidResponse, match="not JSON.*text/html"):
        list(Thing.list(adapter("/html")))


def test_proxy_list_keeps_what_it_fetched_when_a_page_fails(adapter) -> None:
    proxy = adapter("/loop-page")
    with pytest.raises(exc.InvalidResponse) as err:
        proxy._list(Thing)
    partial = err.value.partial  # type: ignore[attr-defined]
    assert partial.complete is False and len(partial) == 2


def test_truncated_json_is_a_clear_error(adapter) -> None:
    with pytest.raises(exc.InvalidResponse, match="not JSON.*application/json"):
        list(Thing.list(adapter("/truncated")))


def test_an_html_error_page_becomes_a_readable_http_error(adapter) -> None:
    with pytest.raises(exc.ServerError) as err:
        list(Thing.list(adapter("/gateway").with_options(retries=0)))
    assert err.value.status_code == 502
    assert err.value.message == "Bad Gateway: nginx"
    assert "<" not in str(err.value)
