"""The analyses against their slowest chain of dependent requests, one run.

A demo cloud in a child process (``osnb demo-cloud``, as in :mod:`bench.bench_frames`)
answers every request after ``--latency-ms``. For ``capacity()`` the slowest chain is the
longest of its four independent listings (hypervisors with their servers, resource
providers, zones, aggregates) plus one placement request of a provider (its inventories
and its usages are independent of each other): each is timed alone, in the same run, and
the analysis' median time is reported against their sum, and against the pool's own bound
(``requests x latency / max_workers``: every placement request is one of ``max_workers``
in flight). Where the time goes is shown as the client's CPU seconds (this process) and
the demo cloud's (its child process, from ``/proc``) per call. ``server_story()``,
``lookup()`` and ``usage()`` are reported with their request counts (counted by a
response hook on the connection's HTTP session: what went over the wire).

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

        server_pid = cloud._proc.pid
        client_0, server_0 = time.process_time(), cpu_seconds(server_pid)
        cap_s, cap_n, frame = timed(lambda: conn.capacity(max_workers=args.max_workers),
                                    args.repeat, counter)
        client_cpu = (time.process_time() - client_0) / args.repeat
        server_cpu = (cpu_seconds(server_pid) - server_0) / args.repeat
        hosts = len(frame)
        providers = list(conn.placement.resource_providers())
        chain_parts = {
            "hypervisors": lambda: conn.compute.hypervisors(with_servers=True).to_pandas(),
            "resource providers": lambda: list(conn.placement.resource_providers()),
            "zones": lambda: list(conn.compute.availability_zones(details=True)),
            "aggregates": lambda: list(conn.compute.aggregates()),
        }
        listing = {name: timed(fn, args.repeat, counter)[0] for name, fn in chain_parts.items()}
        one = providers[0].id
        inventories = timed(lambda: list(conn.placement.resource_provider_inventories(one)),
                            args.repeat, counter)[0]
        usages = timed(lambda: list(conn.placement.resource_provider_usages(one)),
                       args.repeat, counter)[0]
        slowest = max(listing, key=lambda k: listing[k])
        chain = listing[slowest] + max(inventories, usages)
        pool = cap_n * args.latency_ms / 1000 / args.max_workers
        rows.append((f"capacity() over {hosts} hosts", cap_s, cap_n,
                     f"{cap_s / chain:.2f}x the chain ({slowest} {listing[slowest]:.3f} s "
                     f"+ one placement request {max(inventories, usages):.3f} s); "
                     f"{cap_s / max(chain, pool):.2f}x the pool's bound ({cap_n} requests, "
                     f"{args.max_workers} at a time: {pool:.3f} s); CPU per call: client "
                     f"{client_cpu:.2f} s, demo cloud {server_cpu:.2f} s"))

        servers = conn.compute.servers(all_projects=True, limit=5)
        busy = max(servers, key=lambda s: len(s.attached_volumes or []))
        story_s, story_n, _ = timed(lambda: conn.server_story(busy.id), args.repeat, counter)
        rows.append(("server_story()", story_s, story_n,
                     f"{len(busy.attached_volumes or [])} volumes attached"))
        look_s, look_n, _ = timed(lambda: conn.lookup(busy.name), args.repeat, counter)
        rows.append(("lookup(name)", look_s, look_n, ""))
        end = datetime.now(timezone.utc)
        use_s, use_n, _ = timed(lambda: conn.usage(end - timedelta(days=30), end),
                                args.repeat, counter)
        rows.append(("usage(30 days)", use_s, use_n, ""))
        one_request = timed(lambda: conn.compute.get_server(busy.id), args.repeat, counter)[0]
        rows.append(("one GET (for scale)", one_request, 1, ""))

    print(f"{args.servers:,} servers, {args.latency_ms:g} ms per request, median of "
          f"{args.repeat}\n")
    print(f"{'analysis':<32} {'seconds':>8} {'requests':>9}  note")
    for label, seconds, requests, note in rows:
        print(f"{label:<32} {seconds:>8.3f} {requests:>9}  {note}")


if __name__ == "__main__":
    main()
