"""Listing servers into a DataFrame: osnb against the floor and openstacksdk, one run.

For 1,000 / 10,000 / 50,000 servers on the embedded demo cloud:

- **floor**: raw ``requests`` pages following ``servers_links`` + ``.json()`` +
  ``pd.DataFrame(records)`` — the least any client can do;
- **osnb**: ``conn.compute.servers(all_projects=True, limit=1000).to_pandas()``;
- **openstacksdk**: ``pd.DataFrame([s.to_dict() for s in conn.compute.servers(...)])``.

The demo cloud runs in a child process (``osnb demo-cloud``), so the server's work neither
shares the GIL with the clients nor counts in their memory. Time is the best of
``--repeat`` rounds that interleave the methods; peak memory (tracemalloc) is measured in a separate run so its
overhead does not touch the times. Ratios are against the floor of the same size,
measured in the same process.

    python -m bench.bench_frames [--sizes 1000,10000,50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pandas as pd
import requests

import osnb

MICROVERSION = "2.96"  # what osnb's Server negotiates; the floor asks for the same shape


class ServedCloud:
    """``osnb demo-cloud`` in a child process: its URL and clouds.yaml."""

    def __init__(self, servers: int, projects: int) -> None:
        import subprocess
        import sys
        import tempfile

        import yaml

        self._dir = tempfile.TemporaryDirectory(prefix="osnb-bench-")
        path = f"{self._dir.name}/clouds.yaml"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "osnb.cli", "demo-cloud", "--servers", str(servers),
             "--projects", str(projects), "--write-clouds-yaml", path],
            stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        self.url = line.split(" at ")[1].split()[0]
        self._proc.stdout.readline()
        with open(path) as handle:
            self.clouds = yaml.safe_load(handle)

    def __enter__(self) -> ServedCloud:
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        self._proc.send_signal(signal.SIGINT)
        self._proc.wait(timeout=30)
        self._dir.cleanup()


def floor(cloud: Any, token: str) -> pd.DataFrame:
    session = requests.Session()
    session.headers.update({"X-Auth-Token": token,
                            "OpenStack-API-Version": f"compute {MICROVERSION}"})
    url: str | None = cloud.url + "/compute/v2.1/servers/detail?all_tenants=1&limit=1000"
    records: list[dict[str, Any]] = []
    while url:
        body = session.get(url, timeout=60).json()
        records.extend(body["servers"])
        url = next((link["href"] for link in body.get("servers_links", [])
                    if link.get("rel") == "next"), None)
    return pd.DataFrame(records)


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    del result
    return seconds


def peak_mib(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Peak traced memory of one run (tracemalloc slows it: never timed)."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak, result


def run_size(size: int, repeat: int, sdk_max: int) -> list[dict[str, Any]]:
    import openstack

    rows: list[dict[str, Any]] = []
    with ServedCloud(servers=size, projects=max(6, size // 200)) as cloud:
        conn = osnb.connect("demo", config=cloud.clouds)
        token = conn.authorize()
        auth = cloud.clouds["clouds"]["demo"]
        sdk = openstack.connect(auth=auth["auth"], region_name=auth["region_name"],
                                load_yaml_config=False, load_envvars=False)
        conn.compute.servers(all_projects=True, limit=1000)  # warm the server's caches
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("floor", lambda: floor(cloud, token)),
            ("osnb", lambda: conn.compute.servers(all_projects=True, limit=1000).to_pandas()),
        ]
        if size <= sdk_max:
            cases.append(("openstacksdk", lambda: pd.DataFrame(
                [s.to_dict() for s in sdk.compute.servers(all_projects=True, limit=1000)])))
        base: tuple[float, float] | None = None
        # Rounds interleave the methods, so a slow moment of the machine hits all of them.
        best = {name: float("inf") for name, _ in cases}
        for _ in range(repeat):
            for name, fn in cases:
                best[name] = min(best[name], timed(fn))
        for name, fn in cases:
            seconds = best[name]
            peak, frame = peak_mib(fn)
            base = base or (seconds, peak)
            rows.append({"servers": size, "method": name, "rows": len(frame),
                         "seconds": seconds, "x floor": seconds / base[0],
                         "peak MiB": peak, "mem x floor": peak / base[1]})
        # Iterating a listing as Resources: built lazily from the records.
        listing = conn.compute.servers(all_projects=True, limit=1000)
        start = time.perf_counter()
        names = [s.name for s in listing]
        iterate = time.perf_counter() - start
        start = time.perf_counter()
        raw = [r.get("name") for r in listing.records]
        raw_loop = time.perf_counter() - start
        assert names == raw
        rows.append({"servers": size, "method": "iterate Resources", "rows": len(names),
                     "seconds": iterate, "x floor": iterate / max(raw_loop, 1e-9),
                     "peak MiB": float("nan"), "mem x floor": float("nan")})
        sdk.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sdk-max", type=int, default=10000,
                        help="largest size to run openstacksdk on (it needs ~5 ms a server)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [row for size in sizes for row in run_size(size, args.repeat, args.sdk_max)]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 120, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    print("\n'x floor' of 'iterate Resources' is against a plain loop over the raw records.")


if __name__ == "__main__":
    main()
