"""The quota report over 500 projects: concurrent against sequential, one run.

A demo cloud with 500 projects answers every request after ``--latency-ms`` (20 ms, a
nearby cloud's round trip); the report makes one request per project and service (1,500
in all). The sequential run is the baseline, measured in the same process; both runs
must give the same frame.

    python -m bench.bench_quota [--projects 500] [--latency-ms 20] [--workers 8,16,32]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

import osnb
from osnb import democloud
from osnb.analysis import quota_report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--servers", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", default="8,16,32",
                        help="comma-separated max_workers values for the concurrent runs")
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",") if w]

    started = time.perf_counter()
    with democloud.start(projects=args.projects, servers=args.servers,
                         latency_ms=args.latency_ms) as cloud:
        print(f"demo cloud: {args.projects} projects, {args.servers} servers, "
              f"{args.latency_ms:g} ms latency (seeded in {time.perf_counter() - started:.1f} s)")
        conn = osnb.connect("demo", config=cloud.clouds)
        warm = quota_report(conn, [conn.current_project_id])  # token + version discovery
        assert warm.attrs["errors"].empty

        results: list[tuple[str, float, int]] = []
        frames: dict[str, pd.DataFrame] = {}
        start = time.perf_counter()
        frames["sequential"] = quota_report(conn, sequential=True)
        results.append(("sequential", time.perf_counter() - start, 1))
        for count in workers:
            label = f"concurrent ({count} workers)"
            start = time.perf_counter()
            frames[label] = quota_report(conn, max_workers=count)
            results.append((label, time.perf_counter() - start, count))

    key = ["project_id", "service", "resource"]
    base = frames["sequential"].sort_values(key, ignore_index=True)
    for label, frame in frames.items():
        assert frame.attrs["errors"].empty, (label, frame.attrs["errors"])
        pd.testing.assert_frame_equal(frame.sort_values(key, ignore_index=True), base)

    requests_made = base.drop_duplicates(["project_id", "service"]).shape[0]
    baseline = results[0][1]
    print(f"\n{requests_made:,} quota requests, {len(base):,} rows\n")
    print(f"{'run':<28} {'seconds':>8} {'requests/s':>11} {'speed-up':>9}")
    for label, seconds, _ in results:
        print(f"{label:<28} {seconds:>8.2f} {requests_made / seconds:>11.0f} "
              f"{baseline / seconds:>8.1f}x")


if __name__ == "__main__":
    main()
