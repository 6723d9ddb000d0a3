"""The quota report over 500 projects against its latency-only bound, one run.

A demo cloud in a child process (``osnb demo-cloud``, as in :mod:`bench.bench_frames`)
answers every request after ``--latency-ms`` (20 ms, a nearby cloud's round trip); the
report makes one request per project and service (1,500 in all), ``--workers`` at a
time. The latency-only bound is what those requests take if nothing but the latency
counted: ``requests x latency / workers``. The report's median time is given against it,
with the demo cloud's CPU per request (its child process, from ``/proc``) and this
process's, the client's (``time.process_time``: the SDK, requests, keystoneauth and the
frame; with 16 threads on one interpreter lock it is what stands between the report and
its bound). The client being measured is the osnb this process imports: to compare two
checkouts' clients, run this module from each in turn (``PYTHONPATH=DIR``).

Why a child process: the report is the client being measured, and a real cloud's APIs run
on other machines. A demo cloud in the client's process shares its interpreter lock, so
every millisecond the simulated Cinder or Neutron spends answering would be charged to
the client's time (and the two would take turns on one core of the machine's two).

``--baseline DIR`` serves a second demo cloud from another checkout of osnb (say the
commit before a change: ``git archive <commit> | tar -x -C DIR``); the rounds alternate
between the two clouds and each round's ratio is reported (paired, so a busy machine
slows both). ``--in-process`` also runs the report against a demo cloud in this process,
to show what the shared interpreter costs. Every report must give the same frame.

    python -m bench.bench_quota [--projects 500] [--latency-ms 20] [--workers 16]
        [--repeat 3] [--baseline DIR] [--in-process] [--sequential]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pandas as pd

import osnb
from osnb import democloud
from osnb.analysis import quota_report

from .bench_analysis import cpu_seconds
from .bench_frames import ServedCloud

KEY = ["project_id", "service", "resource"]


@contextlib.contextmanager
def _python_path(path: str) -> Iterator[None]:
    """Start children that import osnb from ``path`` (a baseline checkout): first on
    their import path, and their working directory (``python -m`` puts that first)."""
    saved, here = os.environ.get("PYTHONPATH"), os.getcwd()
    os.environ["PYTHONPATH"] = os.path.abspath(path)
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved


def _connect(clouds: dict[str, Any]) -> Any:
    conn = osnb.connect("demo", config=clouds)
    warm = quota_report(conn, [conn.current_project_id])  # token + version discovery
    assert warm.attrs["errors"].empty
    return conn


def _report(conn: Any, workers: int, pid: int | None
            ) -> tuple[float, float, float, pd.DataFrame]:
    """Seconds, the demo cloud's CPU seconds (when it is a child), this process's CPU
    seconds and the sorted frame."""
    served = cpu_seconds(pid) if pid else 0.0
    client = time.process_time()
    start = time.perf_counter()
    frame = quota_report(conn, max_workers=workers)
    seconds = time.perf_counter() - start
    client = time.process_time() - client
    served = cpu_seconds(pid) - served if pid else float("nan")
    assert frame.attrs["errors"].empty, frame.attrs["errors"]
    return seconds, served, client, frame.sort_values(KEY, ignore_index=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--servers", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="DIR",
                        help="also serve a demo cloud from this checkout; rounds alternate")
    parser.add_argument("--in-process", action="store_true",
                        help="also run against a demo cloud in this process")
    parser.add_argument("--sequential", action="store_true",
                        help="also run the report one request at a time (slow)")
    args = parser.parse_args(argv)

    clouds: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        started = time.perf_counter()
        sizes = {"servers": args.servers, "projects": args.projects,
                 "latency_ms": args.latency_ms}
        if args.baseline:
            with _python_path(args.baseline):
                clouds["baseline (child)"] = stack.enter_context(ServedCloud(**sizes))
        clouds["this tree (child)"] = stack.enter_context(ServedCloud(**sizes))
        if args.in_process:
            clouds["this tree (in process)"] = stack.enter_context(democloud.start(**sizes))
        print(f"demo clouds: {args.projects} projects, {args.servers} servers, "
              f"{args.latency_ms:g} ms latency (up in {time.perf_counter() - started:.1f} s)")
        conns = {label: _connect(cloud.clouds) for label, cloud in clouds.items()}

        seconds: dict[str, list[float]] = {label: [] for label in conns}
        served: dict[str, list[float]] = {label: [] for label in conns}
        client: dict[str, list[float]] = {label: [] for label in conns}
        pids = {label: getattr(getattr(cloud, "_proc", None), "pid", None)
                for label, cloud in clouds.items()}
        frames: dict[str, pd.DataFrame] = {}
        for _ in range(args.repeat):  # interleaved: each round visits every cloud
            for label, conn in conns.items():
                took, cpu, mine, frame = _report(conn, args.workers, pids[label])
                seconds[label].append(took)
                served[label].append(cpu)
                client[label].append(mine)
                if label in frames:
                    pd.testing.assert_frame_equal(frame, frames[label])
                frames[label] = frame
        if args.sequential:
            for label, conn in conns.items():
                start = time.perf_counter()
                quota_report(conn, sequential=True)
                print(f"sequential, {label}: {time.perf_counter() - start:.2f} s")

    first = next(iter(frames.values()))
    requests_made = first.drop_duplicates(["project_id", "service"]).shape[0]
    bound = requests_made * args.latency_ms / 1000 / args.workers
    for label, frame in frames.items():
        merged = frame.merge(first, on=KEY, suffixes=("", "_first"))
        differ = merged[(merged["limit"] != merged["limit_first"]) |
                        (merged["in_use"] != merged["in_use_first"])]
        if len(frame) != len(first) or len(differ):
            print(f"note: {label} differs from {next(iter(frames))} in {len(differ)} rows "
                  f"({len(frame)} vs {len(first)}): "
                  f"{sorted(set(differ['resource']))[:5]}")
    print(f"\n{requests_made:,} quota requests, {len(first):,} rows, {args.workers} workers: "
          f"latency-only bound {bound:.2f} s\n")
    print(f"{'cloud':<26} {'median s':>9} {'x bound':>8} {'cloud ms/req':>13} "
          f"{'client ms/req':>14}  rounds (s)")
    for label, runs in seconds.items():
        median = statistics.median(runs)
        per_request = statistics.median(served[label]) * 1000 / requests_made
        own = statistics.median(client[label]) * 1000 / requests_made
        ratio = f"{median / bound:>7.2f}x" if bound else f"{'-':>8}"
        print(f"{label:<26} {median:>9.2f} {ratio} {per_request:>13.2f} {own:>14.2f}  "
              f"{' '.join(f'{s:.2f}' for s in runs)}")
    if args.baseline:
        pairs = [new / base for base, new in zip(seconds["baseline (child)"],
                                                 seconds["this tree (child)"], strict=True)]
        print(f"\nthis tree / baseline, per round: {' '.join(f'{p:.2f}' for p in pairs)} "
              f"(median {statistics.median(pairs):.2f})")


if __name__ == "__main__":
    main()
