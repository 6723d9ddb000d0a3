"""Progress for listings and waits; an interrupted listing keeps what it fetched."""

from __future__ import annotations

import io

import pytest

import osnb
from osnb import progress
from osnb.sdk.resource_list import ResourceList


@pytest.fixture
def stream(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(progress.settings, "delay", 0.0)
    monkeypatch.setattr(progress.settings, "stream", buffer)
    monkeypatch.setattr(progress.settings, "mode", "text")
    return buffer


def test_listing_shows_pages_and_items(cloud, stream) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    servers = conn.compute.servers(all_projects=True, limit=10)
    out = stream.getvalue()
    assert "listing Server: 1 pages, 10 items" in out
    assert out.rstrip().endswith("s") and f"{servers.pages} pages, {len(servers)} items" in out


def test_quiet_below_the_delay(cloud, monkeypatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(progress.settings, "stream", buffer)
    monkeypatch.setattr(progress.settings, "delay", 60.0)
    osnb.connect("demo", config=cloud.clouds).compute.flavors()
    assert buffer.getvalue() == ""


def test_wait_shows_status(cloud, stream) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    server = conn.compute.servers(all_projects=True, status="ACTIVE", limit=1)[0]
    conn.compute.wait_for_server(server, interval=0.01)
    assert f"waiting for Server {server.id} to be ACTIVE: status ACTIVE" in stream.getvalue()


def test_interrupt_keeps_what_was_fetched_and_goes_on(adapter_interrupting) -> None:
    with pytest.raises(KeyboardInterrupt) as caught:
        adapter_interrupting()
    items = caught.value.partial  # type: ignore[attr-defined]
    assert isinstance(items, ResourceList) and len(items) == 10 and not items.complete


@pytest.fixture
def adapter_interrupting(cloud):
    """A listing whose second page is interrupted as a user's Ctrl-C would."""
    from osnb.sdk.compute.v2.server import Server

    class Interrupted(Server):
        pages = 0

        @classmethod
        def _records(cls, body, response):
            cls.pages += 1
            if cls.pages == 2:
                raise KeyboardInterrupt
            return super()._records(body, response)

    conn = osnb.connect("demo", config=cloud.clouds)
    return lambda: conn.compute._list(Interrupted, base_path="/servers/detail",
                                      all_projects=True, limit=10)
