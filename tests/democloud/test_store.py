"""The store: its time helpers (the same texts and microseconds as datetime gives) and its
deferred tables."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from osnb.democloud import build_store
from osnb.democloud.store import DAY_US, Stamps, epoch_us, isotime, public, span_us

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


TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _untimed(value: Any) -> Any:
    """``value`` with its timestamps blanked: two worlds are made a few ms apart."""
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return "<time>" if isinstance(value, str) and TIME.fullmatch(value) else value


def _deferred_rows(store: Any) -> dict[str, Any]:
    return {name: {k: _untimed(public(v)) for k, v in store.table(name).items()}
            for name in ("ports", "floatingips", "volumes", "snapshots", "backups",
                         "migrations")}


def test_deferred_tables_are_made_on_first_read_and_the_same_whenever() -> None:
    early = build_store(servers=120, projects=6)
    late = build_store(servers=120, projects=6)
    assert {"ports", "floatingips", "volumes", "migrations"} <= set(early.deferred)
    assert "migrations" not in early.tables
    made_now = _deferred_rows(early)
    assert not early.deferred and all(made_now.values())
    # Draws from the world's own stream before the first read change nothing deferred.
    late.rng.random()
    late.uuid()
    assert _deferred_rows(late) == made_now


def test_deferred_ports_match_the_servers_addresses() -> None:
    store = build_store(servers=80, projects=6)
    servers = list(store.table("servers").values())
    ports = store.table("ports")
    for server in servers:
        fixed = {a["addr"]: a["OS-EXT-IPS-MAC:mac_addr"]
                 for addrs in server["addresses"].values() for a in addrs
                 if a["OS-EXT-IPS:type"] == "fixed"}
        mine = [ports[p] for p in server.port_ids]
        assert {ip["ip_address"]: p["mac_address"] for p in mine
                for ip in p["fixed_ips"]} == fixed
        assert all(p["device_id"] == server["id"] for p in mine)


def test_deferred_floating_ips_and_volumes_match_the_servers() -> None:
    store = build_store(servers=300, projects=6)
    servers = list(store.table("servers").values())
    fips = {f["floating_ip_address"]: f for f in store.table("floatingips").values()}
    volumes = store.table("volumes")
    floating = attached = 0
    for server in servers:
        addrs = [a for addrs in server["addresses"].values() for a in addrs]
        fixed = [a["addr"] for a in addrs if a["OS-EXT-IPS:type"] == "fixed"]
        for a in addrs:
            if a["OS-EXT-IPS:type"] == "floating":
                floating += 1
                fip = fips[a["addr"]]
                assert fip["port_id"] in server.port_ids
                assert fip["fixed_ip_address"] in fixed and fip["router_id"]
                assert fip["port_details"]["device_id"] == server["id"]
                assert fip["project_id"] == server["tenant_id"]
        for att in server["os-extended-volumes:volumes_attached"]:
            attached += 1
            vol = volumes[att["id"]]
            assert vol["status"] == "in-use"
            assert vol["os-vol-tenant-attr:tenant_id"] == server["tenant_id"]
            assert [(a["server_id"], a["host_name"]) for a in vol["attachments"]] == \
                [(server["id"], server["OS-EXT-SRV-ATTR:host"])]
    assert floating and attached


def test_deferred_tables_are_made_out_of_the_collectors_way() -> None:
    """A deferred fill runs with the cyclic collector paused (it would rescan the new
    records over and over) and moves what it made out of its reach; the collector's state
    is as it was."""
    import gc

    store = build_store(servers=60, projects=6)
    made_while: list[bool] = []

    def fill() -> None:
        made_while.append(gc.isenabled())
        # A record the collector tracks (a dict holding a list): the freeze must move it.
        store.tables["probe"] = {"p1": {"id": "p1", "tags": ["x"]}}

    store.defer(fill, "probe")
    assert gc.isenabled()
    store.table("probe")
    assert made_while == [False] and gc.isenabled()
    record = store.tables["probe"]["p1"]
    # Frozen: tracked, but in none of the generations the collector scans. (Not a count of
    # frozen objects: other threads' worlds freed meanwhile would lower it.)
    assert gc.is_tracked(record) and not any(o is record for o in gc.get_objects())
