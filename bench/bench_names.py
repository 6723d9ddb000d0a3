"""Names beside ids: what ``to_pandas(names=True)`` costs over ``to_pandas()``.

The question an operator asks first — servers per flavor name per project name — is one
``groupby`` on ``to_pandas(names=True)``. On a demo cloud of ``--servers`` servers (in a
child process, as in :mod:`bench.bench_frames`), each round runs, interleaved and in
alternating order:

- **frame**: ``servers.to_pandas()`` of an already fetched listing;
- **names, cold**: ``servers.to_pandas(names=True)`` with the connection's name cache
  cleared first, so projects, users and images are listed again (concurrently);
- **names, warm**: the same with the cache kept;
- **list + frame** and **list + names (cold)**: the listing included, the way a notebook
  cell runs it.

Ratios are per round (paired), reported as medians over ``--repeat`` rounds.

    python -m bench.bench_names [--servers 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import osnb

from .bench_frames import ServedCloud


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(servers: int, repeat: int) -> None:
    with ServedCloud(servers, projects=max(6, servers // 200)) as cloud:
        conn = osnb.connect("demo", config=cloud.clouds)
        listing = conn.compute.servers(all_projects=True, limit=1000)
        assert len(listing) == servers, len(listing)

        def cold() -> Any:
            conn.names.clear()
            return listing.to_pandas(names=True)

        def list_cold() -> Any:
            conn.names.clear()
            return conn.compute.servers(all_projects=True, limit=1000).to_pandas(names=True)

        methods: dict[str, Callable[[], Any]] = {
            "frame": listing.to_pandas,
            "names, cold": cold,
            "names, warm": lambda: listing.to_pandas(names=True),
            "list + frame": lambda: conn.compute.servers(all_projects=True,
                                                         limit=1000).to_pandas(),
            "list + names (cold)": list_cold,
        }
        frame = cold()  # warm up the pools, and check the answer is one groupby away
        per = frame.groupby(["project_name", "flavor_name"], observed=True).size()
        assert int(per.sum()) == servers
        times: dict[str, list[float]] = {name: [] for name in methods}
        order = list(methods)
        for i in range(repeat):
            for name in order if i % 2 == 0 else reversed(order):
                times[name].append(timed(methods[name]))
        print(f"{servers:,} servers, {repeat} rounds (median seconds; paired ratios)")
        print(f"{'method':<22}{'median s':>10}{'ratio':>10}  against")
        baselines = {"frame": None, "names, cold": "frame", "names, warm": "frame",
                     "list + frame": None, "list + names (cold)": "list + frame"}
        for name, base in baselines.items():
            median = statistics.median(times[name])
            if base is None:
                print(f"{name:<22}{median:>10.3f}{'':>10}")
                continue
            ratio = statistics.median(t / b for t, b in zip(times[name], times[base], strict=True))
            print(f"{name:<22}{median:>10.3f}{ratio:>9.2f}×  {base}")
        print(f"groupby(['project_name', 'flavor_name']): {len(per)} groups; "
              f"{len(frame.columns)} columns; name cache: {conn.names!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    run(args.servers, args.repeat)


if __name__ == "__main__":
    main()
