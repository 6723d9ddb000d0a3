"""Client CPU per request: osnb's quota GET against the same GET with raw requests.

A demo cloud in a child process (:class:`bench.bench_frames.ServedCloud`, no added
latency) answers; this process's CPU time (``time.process_time``) is what is counted, so
the cloud's own work is not. Rounds alternate osnb and raw requests (paired, the machine
is shared); the ratio per round and its median are printed. The raw client is one
``requests.Session`` with the token header set: the floor for one HTTP GET plus JSON.

    python -m bench.bench_request_cpu [--requests 300] [--rounds 5] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from collections.abc import Callable
from typing import Any

import requests

import osnb

from .bench_frames import ServedCloud


def _per_request(call: Callable[[int], Any], n: int) -> float:
    """Microseconds of this process's CPU per call."""
    start = time.process_time()
    for i in range(n):
        call(i)
    return (time.process_time() - start) * 1e6 / n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE",
                        help="also write a cProfile of one osnb round to FILE")
    args = parser.parse_args(argv)

    with ServedCloud(servers=50, projects=20) as cloud:
        conn = osnb.connect("demo", config=cloud.clouds)
        projects = [p.id for p in conn.identity.projects()]
        network = conn.network
        network.get_quota(projects[0], details=True)  # token, discovery, connections
        url = network.get_endpoint().rstrip("/") + "/quotas/{}/details"
        raw = requests.Session()
        raw.headers["X-Auth-Token"] = conn.authorize()
        raw.get(url.format(projects[0])).json()

        def osnb_call(i: int) -> Any:
            return network.get_quota(projects[i % len(projects)], details=True)

        def raw_call(i: int) -> Any:
            response = raw.get(url.format(projects[i % len(projects)]))
            response.raise_for_status()
            return response.json()

        rounds: dict[str, list[float]] = {"osnb": [], "raw requests": []}
        for _ in range(args.rounds):
            rounds["osnb"].append(_per_request(osnb_call, args.requests))
            rounds["raw requests"].append(_per_request(raw_call, args.requests))
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(_per_request, osnb_call, args.requests)
            profile.dump_stats(args.profile)
        conn.close()

    print(f"client CPU per request, {args.requests} requests x {args.rounds} rounds")
    for label, runs in rounds.items():
        print(f"{label:<14} median {statistics.median(runs):8.0f} us   "
              f"rounds {' '.join(f'{r:.0f}' for r in runs)}")
    ratios = [a / b for a, b in zip(rounds["osnb"], rounds["raw requests"], strict=True)]
    print(f"osnb / raw, per round: {' '.join(f'{r:.2f}' for r in ratios)} "
          f"(median {statistics.median(ratios):.2f})")


if __name__ == "__main__":
    main()
