"""The analyses send their independent requests at once, and no more requests than needed.

A demo cloud of this module's own (never the shared one) answers every request after
:data:`LATENCY` seconds. Requests are counted where they leave the client (a response hook
on the connection's HTTP session). One after another, ``n`` requests take at least
``n × LATENCY``; the analyses must take a small fraction of that, which no amount of
machine load can fake. Their results must not change with the latency.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest

import osnb
from osnb import democloud
from osnb.sdk.connection import Connection

LATENCY = 0.1


class Counter:
    """Requests sent through one connection."""

    def __init__(self, conn: Connection) -> None:
        self.count = 0
        conn.session.session.hooks["response"].append(self._seen)

    def _seen(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self.count += 1

    def run(self, fn: Callable[[], Any]) -> tuple[Any, int, float]:
        """``fn()``, the requests it sent and the seconds it took."""
        before = self.count
        start = time.perf_counter()
        result = fn()
        return result, self.count - before, time.perf_counter() - start


@pytest.fixture(scope="module")
def slow() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=23, servers=240, projects=6, build_seconds=0.1) as cloud:
        yield cloud


@pytest.fixture(scope="module")
def conn(slow: democloud.DemoCloud) -> Connection:
    connection = osnb.connect("demo", config=slow.clouds)
    connection.capacity()  # token, version discovery, microversions: not what is measured
    connection.names.prefetch(["project", "user", "network"])
    return connection


@pytest.fixture
def latency(slow: democloud.DemoCloud) -> Iterator[None]:
    slow.set_faults(latency_ms=LATENCY * 1000)
    yield
    slow.set_faults(latency_ms=0)


def test_capacity_takes_at_most_twice_its_slowest_chain(slow, conn) -> None:
    """After a first call has read every provider's inventories: the four listings and
    one allocation candidates request (every provider's usages), side by side. (The first
    call also reads each provider's inventories, and a later one those of each provider
    whose generation moved: :mod:`.test_capacity_cache`.)"""
    counter = Counter(conn)
    quiet, _, _ = counter.run(conn.capacity)
    # What its independent listings take, counted one by one:
    _, listings, _ = counter.run(lambda: (
        conn.compute.hypervisors(with_servers=True), conn.placement.resource_providers(),
        conn.compute.availability_zones(details=True), conn.compute.aggregates()))
    providers = conn.placement.resource_providers()
    summaries = conn.placement.allocation_candidate_summaries(resources="VCPU:1")
    assert len(providers) == len(quiet) >= 4
    assert {p.id for p in providers} <= set(summaries)  # none full: no usages of its own
    slow.set_faults(latency_ms=2 * LATENCY * 1000)
    try:
        frame, sent, seconds = counter.run(conn.capacity)
        # The slowest chain of dependent requests: the slowest of the four listings and
        # the summaries, which depend on none (timed each alone).
        chain = max(counter.run(listing)[2] for listing in (
            lambda: conn.compute.hypervisors(with_servers=True).to_pandas(),
            conn.placement.resource_providers,
            lambda: conn.compute.availability_zones(details=True),
            conn.compute.aggregates,
            lambda: conn.placement.allocation_candidate_summaries(resources="VCPU:1")))
    finally:
        slow.set_faults(latency_ms=0)
    assert sent == listings + 1  # nothing per host: one request for every usage
    pd.testing.assert_frame_equal(frame, quiet)
    assert seconds <= 2 * chain, f"{sent} requests took {seconds:.2f} s; chain {chain:.2f} s"


def test_capacity_first_call_reads_each_providers_inventories_at_once(slow) -> None:
    """A new connection knows no inventories: one request per provider, ``max_workers``
    at a time, beside the listings and the summaries; no usages of their own."""
    conn = osnb.connect("demo", config=slow.clouds)
    conn.placement.get_endpoint_data()
    conn.compute.get_endpoint_data()
    counter = Counter(conn)
    _, listings, _ = counter.run(lambda: (
        conn.compute.hypervisors(with_servers=True), conn.placement.resource_providers(),
        conn.compute.availability_zones(details=True), conn.compute.aggregates()))
    providers = len(conn.placement.resource_providers())
    slow.set_faults(latency_ms=LATENCY * 1000)
    try:
        frame, sent, seconds = counter.run(lambda: conn.capacity(max_workers=16))
    finally:
        slow.set_faults(latency_ms=0)
    assert sent == listings + 1 + providers
    assert len(frame) == providers
    # The listings and summaries, then the inventories 16 at a time: a few round trips,
    # where one after another they took ``sent``.
    assert seconds < sent * LATENCY / 2, f"{sent} requests took {seconds:.2f} s"


def test_server_story_fetches_its_parts_at_once(slow, conn) -> None:
    server = next(s for s in conn.compute.servers(all_projects=True, status="ACTIVE")
                  if s.addresses)
    net_id = conn.compute.server_interfaces(server)[0].net_id
    for _ in range(8):
        conn.compute.create_server_interface(server, net_id=net_id)
    for i in range(4):
        volume = conn.block_storage.create_volume(name=f"story-{i}", size=1)
        conn.block_storage.wait_for_status(volume, "available", interval=0.05, wait=30)
        conn.compute.create_volume_attachment(server, volume)
    counter = Counter(conn)
    quiet, _, _ = counter.run(lambda: conn.server_story(server.id))
    assert len(quiet.ports) >= 9 and len(quiet.volumes) >= 4
    slow.set_faults(latency_ms=2 * LATENCY * 1000)  # long beside the client's own work
    try:
        story, sent, seconds = counter.run(lambda: conn.server_story(server.id))
    finally:
        slow.set_faults(latency_ms=0)
    assert not story.errors
    pd.testing.assert_frame_equal(story.ports, quiet.ports)
    pd.testing.assert_frame_equal(story.volumes, quiet.volumes)
    pd.testing.assert_frame_equal(story.actions, quiet.actions)
    assert sent >= 20
    # The longest chain: the server, then its ports (or actions), then each port's
    # floating IPs (or each action's events): three requests, where one port after
    # another took eleven.
    assert seconds < 8 * 2 * LATENCY, f"{sent} requests took {seconds:.2f} s"


def test_lookup_asks_every_service_at_once(slow, conn) -> None:
    name = conn.compute.servers(all_projects=True)[0].name
    counter = Counter(conn)
    quiet, _, _ = counter.run(lambda: conn.lookup(name))
    slow.set_faults(latency_ms=2 * LATENCY * 1000)
    try:
        found, sent, seconds = counter.run(lambda: conn.lookup(name))
    finally:
        slow.set_faults(latency_ms=0)
    pd.testing.assert_frame_equal(found, quiet)
    assert "server" in set(found["kind"])
    assert sent >= 20
    assert seconds < sent * 2 * LATENCY / 4, f"{sent} requests took {seconds:.2f} s"


def test_usage_lists_and_names_at_once(slow, conn) -> None:
    end = datetime.now(timezone.utc)
    start = end - timedelta(days=30)
    conn.names.clear()
    counter = Counter(conn)
    quiet, _, _ = counter.run(lambda: conn.usage(start, end))
    conn.names.clear()
    slow.set_faults(latency_ms=5 * LATENCY * 1000)  # long beside the client's own work
    try:
        frame, sent, seconds = counter.run(lambda: conn.usage(start, end))
    finally:
        slow.set_faults(latency_ms=0)
    pd.testing.assert_frame_equal(frame, quiet)
    assert sent == 2  # the usage listing and the project listing, nothing per project
    assert seconds < 0.85 * 2 * 5 * LATENCY, f"{sent} requests took {seconds:.2f} s"
