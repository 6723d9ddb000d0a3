"""Faults: retries with backoff, Retry-After, no blind POST retries, re-auth mid-listing.

Each test runs its own short-lived demo cloud: faults are never switched on in the shared
one.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator

import pytest

import osnb
from osnb import democloud
from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.retry import RetryPolicy

from .conftest import without_faults

FAST = {"retry_backoff": 0.01, "retry_max_delay": 0.05}


@pytest.fixture(scope="module")
def flaky() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=7, servers=2500, projects=8, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture
def clean(flaky: democloud.DemoCloud) -> Iterator[democloud.DemoCloud]:
    yield from without_faults(flaky)


def test_policy_delays() -> None:
    policy = RetryPolicy(backoff=0.5, max_delay=4)
    rng = random.Random(1)
    draws = [policy.delay(3, rng=rng) for _ in range(200)]
    assert all(0 <= d <= 4 for d in draws) and len(set(draws)) > 100  # jittered
    assert policy.delay(0, retry_after=2.5) == 2.5
    assert policy.delay(0, retry_after=99) == 4  # capped
    assert policy.should_retry_status("GET", 503, 0)
    assert policy.should_retry_status("POST", 429, 0)
    assert not policy.should_retry_status("POST", 503, 0)
    assert not policy.should_retry_status("GET", 404, 0)
    assert not policy.should_retry_status("GET", 503, policy.retries)
    assert RetryPolicy.from_config({"status_code_retries": "7", "retry_backoff": 1}) == \
        RetryPolicy(retries=7, backoff=1.0)


def test_listing_under_errors_and_latency_loses_nothing(clean, caplog) -> None:
    conn = osnb.connect("demo", config=clean.clouds, **FAST)
    expected = conn.compute.servers(all_projects=True, limit=100).ids()
    assert len(expected) >= 2500
    clean.set_faults(latency_ms=2, error_rate=0.10)
    with caplog.at_level(logging.WARNING, logger="osnb.http"):
        got = conn.compute.servers(all_projects=True, limit=100)
    assert got.complete and got.ids() == expected
    retried = [r for r in caplog.records if "retry" in r.getMessage()]
    assert retried, "a 10% error rate over 26 pages should have needed a retry"
    assert all("X-Auth-Token" not in r.getMessage() for r in caplog.records)


def test_a_page_that_keeps_failing_raises_with_what_was_fetched(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=2, **FAST)

    class Flips(Server):
        pages = 0

        @classmethod
        def _records(cls, body, response):
            cls.pages += 1
            if cls.pages == 3:
                clean.set_faults(error_rate=1.0)
            return super()._records(body, response)

    with pytest.raises(exc.ServerError) as err:
        conn.compute._list(Flips, base_path="/servers/detail", all_projects=True, limit=100)
    partial = err.value.partial  # type: ignore[attr-defined]
    # Page 4 is requested ahead while page 3 is decoded: it may be answered before the
    # faults are on, and then page 5 is the one that fails.
    assert partial.complete is False and partial.pages in (3, 4)
    assert len(partial) == 100 * partial.pages == len(set(partial.ids()))
    assert err.value.status_code in (500, 503) and err.value.request_id


def test_429_honours_retry_after(clean, caplog) -> None:
    conn = osnb.connect("demo", config=clean.clouds, status_code_retries=2, **FAST)
    conn.compute.flavors()  # discovery done before the faults
    clean.set_faults(rate_limit_rate=1.0, retry_after=0)
    with caplog.at_level(logging.WARNING, logger="osnb.http"), \
            pytest.raises(exc.RateLimited) as err:
        conn.compute.flavors()
    assert err.value.retry_after == 0.0
    waits = [r.getMessage() for r in caplog.records if "answered 429" in r.getMessage()]
    assert len(waits) == 2 and all(w.endswith("in 0.0s") for w in waits)


def test_post_is_not_retried_on_a_server_error(clean, caplog) -> None:
    conn = osnb.connect("demo-member", config=clean.clouds, **FAST)
    flavor = conn.compute.find_flavor("m1.small")
    before = clean.call(lambda: len(clean.store.table("servers")))
    clean.set_faults(error_rate=1.0)
    with caplog.at_level(logging.WARNING, logger="osnb.http"), \
            pytest.raises(exc.ServerError):
        conn.compute.create_server(name="not-twice", flavor_id=flavor.id,
                                   image_id="any", networks="none")
    assert not [r for r in caplog.records if "POST" in r.getMessage()]
    clean.set_faults(error_rate=0)
    assert clean.call(lambda: len(clean.store.table("servers"))) == before


def test_token_revoked_mid_listing_reauthenticates(clean) -> None:
    conn = osnb.connect("demo", config=clean.clouds)
    first_token = conn.authorize()

    class Revokes(Server):
        pages = 0

        @classmethod
        def _records(cls, body, response):
            cls.pages += 1
            if cls.pages == 2:
                clean.call(lambda: setattr(clean.store.tokens[first_token], "revoked", True))
            return super()._records(body, response)

    listing = conn.compute._list(Revokes, base_path="/servers/detail", all_projects=True,
                                 limit=500)
    assert listing.complete and len(listing) >= 2500
    assert conn.authorize() != first_token
