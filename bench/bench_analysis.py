"""The analyses against their slowest chain of dependent requests, one run.

A demo cloud in a child process (``osnb demo-cloud``, as in :mod:`bench.bench_frames`)
answers every request after ``--latency-ms``. ``capacity()`` is timed twice over:

- **cold**: a fresh Connection (token and version discovery done, no inventories kept).
  Its four listings (hypervisors with their servers, resource providers, zones,
  aggregates) and the allocation candidates' summaries depend on none of the others; each
  root provider's inventories need the provider listing. Slowest chain: the slowest of
  those five, or the provider listing plus one inventories request, whichever is longer.
- **warm**: the same Connection again: inventories are kept by provider generation, so
  the chain is the slowest of the five independent requests (plus one placement request
  when a provider's generation moved or it is missing from the summaries).

Each part is timed alone, in the same run. Each call is reported against its chain and
against the pool's own bound (``requests x latency / max_workers``), with its request
count, the spread of its rounds, and where the time goes: the client's CPU seconds (this
process) and the demo cloud's (its child process, from ``/proc``) per call.
``server_story()``, ``lookup()`` and ``usage()`` are reported with their request counts
(counted by a response hook on the connection's HTTP session: what went over the wire).

    python -m bench.bench_analysis [--servers 10000] [--latency-ms 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import osnb

from .bench_frames import ServedCloud


class Counted:
    """Requests sent through a connection, counted where they leave (a response hook)."""

    def __init__(self, conn: Any) -> None:
        self.count = 0
        conn.session.session.hooks["response"].append(self._hook)

    def _hook(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self.count += 1


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn: Callable[[], Any], repeat: int, counter: Counted) -> tuple[float, int, Any]:
    seconds = []
    result = None
    requests = 0
    for _ in range(repeat):
        before = counter.count
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
        requests = counter.count - before
    return statistics.median(seconds), requests, result


def measure(conn: Any, max_workers: int, server_pid: int) -> tuple[float, int, float, float]:
    """One ``capacity()`` on ``conn``: seconds, requests, client and demo cloud CPU seconds."""
    counter = Counted(conn)
    client, server = time.process_time(), cpu_seconds(server_pid)
    start = time.perf_counter()
    conn.capacity(max_workers=max_workers)
    seconds = time.perf_counter() - start
    client, server = time.process_time() - client, cpu_seconds(server_pid) - server
    conn.session.session.hooks["response"].remove(counter._hook)
    return seconds, counter.count, client, server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-workers", type=int, default=16,
                        help="capacity()'s max_workers (its default is 16)")
    args = parser.parse_args(argv)

    with ServedCloud(servers=args.servers, projects=args.projects,
                     latency_ms=args.latency_ms) as cloud:
        conn = osnb.connect("demo", config=cloud.clouds)
        conn.authorize()
        counter = Counted(conn)
        conn.capacity()  # version discovery, microversions, the name cache
        rows: list[tuple[str, float, int, str]] = []
        paths = ""
        server_pid = cloud._proc.pid

        def fresh() -> Any:
            """A new Connection, authenticated and discovered, nothing kept."""
            new = osnb.connect("demo", config=cloud.clouds)
            new.authorize()
            new.compute.get_endpoint_data()
            new.placement.get_endpoint_data()
            return new

        cold, warm = [], []
        for _ in range(args.repeat):  # rounds interleaved: load on the machine hits both
            with fresh() as new:
                cold.append(measure(new, args.max_workers, server_pid))
            warm.append(measure(conn, args.max_workers, server_pid))
        hosts = len(conn.capacity())
        providers = list(conn.placement.resource_providers())
        chain_parts = {
            "hypervisors": lambda: conn.compute.hypervisors(with_servers=True).to_pandas(),
            "resource providers": lambda: list(conn.placement.resource_providers()),
            "zones": lambda: list(conn.compute.availability_zones(details=True)),
            "aggregates": lambda: list(conn.compute.aggregates()),
            "summaries": lambda: conn.placement.allocation_candidate_summaries(
                resources="VCPU:1"),
        }
        alone: dict[str, float] = {}
        base = 0  # requests of the five independent parts
        for name, fn in chain_parts.items():
            alone[name], sent, _ = timed(fn, args.repeat, counter)
            base += sent
        one = str(providers[0].id)
        inventories = timed(lambda: list(conn.placement.resource_provider_inventories(one)),
                            args.repeat, counter)[0]
        usages = timed(lambda: list(conn.placement.resource_provider_usages(one)),
                       args.repeat, counter)[0]
        lacking = len({p.id for p in providers} - set(chain_parts["summaries"]()))
        slowest = max(alone, key=lambda k: alone[k])
        # A provider the summaries lack (full) has its usages asked once they are in.
        after_summaries = alone["summaries"] + (usages if lacking else 0.0)
        cold_chain = max(alone[slowest], alone["resource providers"] + inventories,
                         after_summaries)
        warm_chain = max(alone[slowest], after_summaries)
        # max() of the paths, each named with its parts timed alone
        paths = (f"slowest alone {slowest} {alone[slowest]:.3f} s; resource providers "
                 f"{alone['resource providers']:.3f} s + inventories {inventories:.3f} s; "
                 f"summaries {alone['summaries']:.3f} s"
                 + (f" + usages {usages:.3f} s ({lacking} providers missing from them)"
                    if lacking else ""))
        for label, runs, chain in (("cold", cold, cold_chain), ("warm", warm, warm_chain)):
            rounds = [r[0] for r in runs]
            sent = max(r[1] for r in runs)
            pool = sent * args.latency_ms / 1000 / args.max_workers
            median = statistics.median(rounds)
            rows.append((f"capacity() {label}, {hosts} hosts", median, sent,
                         f"{median / chain:.2f}x the chain ({chain:.3f} s; rounds "
                         f"{min(rounds) / chain:.2f}-{max(rounds) / chain:.2f}x); "
                         f"{median / max(chain, pool):.2f}x the pool's bound ({sent} "
                         f"requests, {args.max_workers} at a time: {pool:.3f} s); CPU per "
                         f"call: client {statistics.median(r[2] for r in runs):.2f} s, "
                         f"demo cloud {statistics.median(r[3] for r in runs):.2f} s; "
                         f"requests per round {sorted(r[1] for r in runs)}, of which "
                         f"the five independent parts {base}"))

        servers = conn.compute.servers(all_projects=True, limit=5)
        busy = max(servers, key=lambda s: len(s.attached_volumes or []))
        story_s, story_n, _ = timed(lambda: conn.server_story(busy.id), args.repeat, counter)
        rows.append(("server_story()", story_s, story_n,
                     f"{len(busy.attached_volumes or [])} volumes attached"))
        look_s, look_n, _ = timed(lambda: conn.lookup(str(busy.name)), args.repeat, counter)
        rows.append(("lookup(name)", look_s, look_n, ""))
        end = datetime.now(timezone.utc)
        use_s, use_n, _ = timed(lambda: conn.usage(end - timedelta(days=30), end),
                                args.repeat, counter)
        rows.append(("usage(30 days)", use_s, use_n, ""))
        one_request = timed(lambda: conn.compute.get_server(str(busy.id)), args.repeat,
                            counter)[0]
        rows.append(("one GET (for scale)", one_request, 1, ""))

    print(f"{args.servers:,} servers, {args.latency_ms:g} ms per request, median of "
          f"{args.repeat}\n")
    print(f"{'analysis':<32} {'seconds':>8} {'requests':>9}  note")
    for label, seconds, requests, note in rows:
        print(f"{label:<32} {seconds:>8.3f} {requests:>9}  {note}")
    print(f"\ncapacity()'s chain: the longest of its paths, each part timed alone: {paths}")


if __name__ == "__main__":
    main()
