"""Listing servers into a DataFrame: osnb against the floors and openstacksdk, one run.

For 1,000 / 10,000 / 50,000 servers on the embedded demo cloud:

- **floor**: raw ``requests`` pages following ``servers_links`` + ``.json()`` (stdlib) +
  ``pd.DataFrame(records)`` — what a hand-written client does;
- **floor-orjson-nogc**: the same with ``orjson.loads`` and the cyclic collector paused
  around the listing — the least CPython can do with these libraries;
- **osnb**: ``conn.compute.servers(all_projects=True, limit=1000).to_pandas()``: the
  listing fetched whole, each page pulled into the frame's columns as it arrives and only
  its bytes kept, then the frame made;
- **osnb packed**: the same, the pages' bytes compressed on a thread of their own
  (``PACK_LEVEL = 1``);
- **osnb deferred** / **osnb lean**: the same listed inside ``deferred()`` /
  ``deferred(keep_records=False)``: the frame built page by page as the pages arrive,
  each page's records let go once pulled in (deferred keeps the pages' bytes to give the
  records again if asked; lean keeps nothing of them);
- **osnb@base** (with ``--base REF``): ``osnb`` as it was at commit ``REF``, imported in
  the same process as the package ``osnb_base``, so before and after run interleaved in
  the same rounds;
- **openstacksdk**: ``pd.DataFrame([s.to_dict() for s in conn.compute.servers(...)])``
  (only up to ``--sdk-max`` servers: it needs ~5 ms a server).

The demo cloud runs in a child process (``osnb demo-cloud``), so the server's work neither
shares the GIL with the clients nor counts in their memory. Each round runs every method
once, in an order rotated from round to round; a method's ratio to the floor is taken per
round (paired) and the median of those is reported, with the median µs per server.
Peak memory is the ``VmHWM`` of a fresh child process that runs only that method once
(``peak MiB``), and the same less the child's resident size just before the listing
(``listing MiB``: what the listing itself needed above the imports).

    python -m bench.bench_frames [--sizes 1000,10000,50000] [--repeat 5] [--latency-ms 0]
                                 [--base REF] [--no-pin]

The demo cloud runs on a CPU of its own and the clients on the others (:func:`pin`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import orjson
import pandas as pd
import requests

import osnb

MICROVERSION = "2.96"  # what osnb's Server negotiates; the floors ask for the same shape
QUERY = "/compute/v2.1/servers/detail?all_tenants=1&limit=1000"


class ServedCloud:
    """``osnb demo-cloud`` in a child process: its URL and clouds.yaml."""

    def __init__(self, servers: int, projects: int, latency_ms: float = 0.0) -> None:
        import yaml

        self._dir = tempfile.TemporaryDirectory(prefix="osnb-bench-")
        self.clouds_path = f"{self._dir.name}/clouds.yaml"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "osnb.cli", "demo-cloud", "--servers", str(servers),
             "--projects", str(projects), "--latency-ms", str(latency_ms),
             "--write-clouds-yaml", self.clouds_path],
            stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        self.url = line.split(" at ")[1].split()[0]
        self._proc.stdout.readline()
        with open(self.clouds_path) as handle:
            self.clouds = yaml.safe_load(handle)

    def __enter__(self) -> ServedCloud:
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        self._proc.send_signal(signal.SIGINT)
        try:  # a client's idle keep-alive connection can hold a graceful shutdown back
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=30)
        self._dir.cleanup()


def _pages(url: str, token: str, decode: Callable[[requests.Response], Any]) -> list[Any]:
    session = requests.Session()
    session.headers.update({"X-Auth-Token": token,
                            "OpenStack-API-Version": f"compute {MICROVERSION}"})
    next_url: str | None = url + QUERY
    records: list[dict[str, Any]] = []
    while next_url:
        body = decode(session.get(next_url, timeout=120))
        records.extend(body["servers"])
        next_url = next((link["href"] for link in body.get("servers_links", [])
                         if link.get("rel") == "next"), None)
    return records


def floor(url: str, token: str) -> pd.DataFrame:
    return pd.DataFrame(_pages(url, token, lambda r: r.json()))


def floor_orjson_nogc(url: str, token: str) -> pd.DataFrame:
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pd.DataFrame(_pages(url, token, lambda r: orjson.loads(r.content)))
    finally:
        if enabled:
            gc.enable()


METHODS = ("floor", "floor-orjson-nogc", "osnb", "osnb packed", "osnb deferred", "osnb lean",
           "osnb@base", "openstacksdk")


def base_package(ref: str) -> str:
    """``osnb`` at commit ``ref`` as the package ``osnb_base`` in a temporary directory
    (returned; put it on ``sys.path``): its own imports renamed, so that it and the
    working tree's ``osnb`` load side by side in one process."""
    root = tempfile.mkdtemp(prefix="osnb-base-")
    archive = subprocess.run(["git", "archive", ref, "osnb"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", root], input=archive, check=True)
    package = os.path.join(root, "osnb_base")
    os.rename(os.path.join(root, "osnb"), package)
    names = r"(sdk|notebook|frames|analysis|progress|face)"
    for folder, _, files in os.walk(package):
        for file in files:
            if not file.endswith(".py"):
                continue
            path = os.path.join(folder, file)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            text = re.sub(rf'"osnb\.{names}', r'"osnb_base.\1', text)
            text = re.sub(r"from osnb([ .])", r"from osnb_base\1", text)
            text = re.sub(r"^import osnb$", "import osnb_base as osnb", text, flags=re.M)
            text = text.replace('files("osnb")', 'files("osnb_base")')
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    return root


def make_method(name: str, url: str, clouds: dict[str, Any]) -> Callable[[], Any]:
    """The method ``name`` ready to run: connected (and authenticated) beforehand."""
    if name in ("osnb", "osnb@base"):
        package: Any = osnb if name == "osnb" else importlib.import_module("osnb_base")
        conn = package.connect("demo", config=clouds)
        conn.authorize()
        return lambda: conn.compute.servers(all_projects=True, limit=1000).to_pandas()
    if name == "osnb packed":
        from osnb.sdk import resource_list

        conn = osnb.connect("demo", config=clouds)
        conn.authorize()

        def packed() -> Any:
            level, resource_list.PACK_LEVEL = resource_list.PACK_LEVEL, 1
            try:
                return conn.compute.servers(all_projects=True, limit=1000).to_pandas()
            finally:
                resource_list.PACK_LEVEL = level

        return packed
    if name in ("osnb deferred", "osnb lean"):
        from osnb.sdk.resource_list import deferred

        conn = osnb.connect("demo", config=clouds)
        conn.authorize()

        def listed() -> Any:
            with deferred(keep_records=name == "osnb deferred"):
                listing = conn.compute.servers(all_projects=True, limit=1000)
            return listing.to_pandas()

        return listed
    if name == "openstacksdk":
        import openstack

        auth = clouds["clouds"]["demo"]
        sdk = openstack.connect(auth=auth["auth"], region_name=auth["region_name"],
                                load_yaml_config=False, load_envvars=False)
        sdk.authorize()
        return lambda: pd.DataFrame(
            [s.to_dict() for s in sdk.compute.servers(all_projects=True, limit=1000)])
    token = osnb.connect("demo", config=clouds).authorize()
    fn = {"floor": floor, "floor-orjson-nogc": floor_orjson_nogc}[name]
    return lambda: fn(url, token)


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(name: str, url: str, clouds_path: str) -> None:
    """Run one method once and print its memory as JSON: the fresh-process peak."""
    import yaml

    with open(clouds_path) as handle:
        clouds = yaml.safe_load(handle)
    fn = make_method(name, url, clouds)
    before = _status_mib("VmRSS")
    rows = len(fn())
    print(json.dumps({"rows": rows, "peak": _status_mib("VmHWM"), "before": before}))


def peak_memory(name: str, cloud: ServedCloud) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_frames", "--child", name,
                          "--url", cloud.url, "--clouds", cloud.clouds_path],
                         check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _has_base() -> bool:
    try:
        importlib.import_module("osnb_base")
    except ImportError:
        return False
    return True


def timed(fn: Callable[[], Any]) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rows = len(result)
    del result
    return seconds, rows


def conversions(listing: Any, size: int, repeat: int, latency_ms: float
                ) -> list[dict[str, Any]]:
    """The records of one listing into a frame: osnb's typed columns against the same
    conversions written by hand (:mod:`bench.frames_by_hand`, asserted equal), and
    ``flatten=True`` against ``to_pandas()``; paired rounds, nothing fetched."""
    from osnb.frames import records_to_frame
    from osnb.sdk.compute.v2.server import Server

    from .frames_by_hand import servers_frame

    records = listing.records
    pd.testing.assert_frame_equal(records_to_frame(Server, records), servers_frame(records))
    pairs = {"convert: osnb": (lambda: records_to_frame(Server, records),
                               lambda: servers_frame(records)),
             # From the records both, as a listing that keeps them makes its frames (a
             # large one keeps its frame made: its to_pandas() is a copy of it).
             "flatten=True": (lambda: records_to_frame(Server, records, flatten=True),
                              lambda: records_to_frame(Server, records))}
    rows = []
    for label, (ours, base) in pairs.items():
        mine: list[float] = []
        theirs: list[float] = []
        for round_ in range(repeat):
            for fn, into in ((ours, mine), (base, theirs))[::1 if round_ % 2 else -1]:
                into.append(timed(fn)[0])
        ratios = [m / t for m, t in zip(mine, theirs, strict=True)]
        against = "hand-written" if label.startswith("convert") else "to_pandas()"
        rows.append({"servers": size, "latency ms": latency_ms, "method": label,
                     "µs/server": statistics.median(mine) / size * 1e6,
                     "x floor": statistics.median(ratios),
                     "x floor min..max": f"{min(ratios):.2f}..{max(ratios):.2f} "
                                         f"(x {against}: "
                                         f"{statistics.median(theirs) / size * 1e6:.1f} µs)",
                     "peak MiB": float("nan"), "listing MiB": float("nan"),
                     "mem x floor": float("nan")})
    return rows


def pin(cloud: ServedCloud) -> bool:
    """The demo cloud on the last CPU, this process (and the children it starts) on the
    others: on the 2-core machine, unpinned rounds of the same listing took 30-50 µs a
    server (the scheduler moving the listing's thread onto the server's core); pinned,
    osnb's rounds vary by 2-4% (coefficient of variation) instead of 6-10%. The floor's
    own rounds still vary by about 14%: whether a full collection falls inside a listing.
    False where there is one CPU or no affinity to set."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else []
    if len(cpus) < 2:
        return False
    os.sched_setaffinity(cloud._proc.pid, {cpus[-1]})
    os.sched_setaffinity(0, set(cpus[:-1]))
    return True


def run_size(size: int, repeat: int, sdk_max: int, latency_ms: float,
             pinned: bool = True) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with ServedCloud(servers=size, projects=max(6, size // 200),
                     latency_ms=latency_ms) as cloud:
        cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        if pinned:
            pin(cloud)
        names = [m for m in METHODS if (m != "openstacksdk" or size <= sdk_max)
                 and (m != "osnb@base" or "osnb_base" in sys.modules or _has_base())]
        methods = {name: make_method(name, cloud.url, cloud.clouds) for name in names}
        methods["osnb"]()  # warm the server's caches
        times: dict[str, list[float]] = {name: [] for name in names}
        counts: dict[str, int] = {}
        for round_ in range(repeat):
            # Interleaved, and rotated so no method always runs after the same other one.
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                seconds, counts[name] = timed(methods[name])
                times[name].append(seconds)
        for name in names:
            assert counts[name] == size, (name, counts[name])
            memory = peak_memory(name, cloud)
            floor_memory = rows[0]["peak MiB"] if rows else memory["peak"]
            ratios = [t / f for t, f in zip(times[name], times["floor"], strict=True)]
            rows.append({
                "servers": size, "latency ms": latency_ms, "method": name,
                "µs/server": statistics.median(times[name]) / size * 1e6,
                "x floor": statistics.median(ratios),
                "x floor min..max": f"{min(ratios):.2f}..{max(ratios):.2f}",
                "peak MiB": memory["peak"], "listing MiB": memory["peak"] - memory["before"],
                "mem x floor": memory["peak"] / floor_memory,
            })
        # Iterating a listing as Resources: built lazily from the records.
        listing = osnb.connect("demo", config=cloud.clouds).compute.servers(
            all_projects=True, limit=1000)
        rows += conversions(listing, size, repeat, latency_ms)
        start = time.perf_counter()
        built = [s.name for s in listing]
        iterate = time.perf_counter() - start
        start = time.perf_counter()
        raw = [r.get("name") for r in listing.records]
        raw_loop = time.perf_counter() - start
        assert built == raw
        rows.append({"servers": size, "latency ms": latency_ms, "method": "iterate Resources",
                     "µs/server": iterate / size * 1e6,
                     "x floor": iterate / max(raw_loop, 1e-9), "x floor min..max": "",
                     "peak MiB": float("nan"), "listing MiB": float("nan"),
                     "mem x floor": float("nan")})
        if cpus is not None:
            os.sched_setaffinity(0, cpus)  # the next size's demo cloud starts unpinned
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="delay the demo cloud adds to every request")
    parser.add_argument("--sdk-max", type=int, default=10000,
                        help="largest size to run openstacksdk on (it needs ~5 ms a server)")
    parser.add_argument("--base", metavar="REF",
                        help="also run osnb as it was at this commit (osnb@base)")
    parser.add_argument("--no-pin", action="store_true",
                        help="leave CPU placement to the scheduler (see pin())")
    parser.add_argument("--child", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--clouds", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.clouds)
        return
    if args.base:
        sys.path.insert(0, base_package(args.base))
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [row for size in sizes
            for row in run_size(size, args.repeat, args.sdk_max, args.latency_ms,
                                not args.no_pin)]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.float_format", "{:.2f}".format):
        print(table.to_string(index=False))
    print("\nmem x floor: peak (VmHWM) of a fresh process running the method once, over the "
          "floor's; osnb@base is osnb at the --base commit, in the same rounds.")
    print("'x floor' is the median of per-round ratios to the stdlib floor; for "
          "'iterate Resources' it is against a plain loop over the raw records, for "
          "'convert: osnb' against the same conversions written by hand "
          "(bench/frames_by_hand.py), for 'flatten=True' against to_pandas().")


if __name__ == "__main__":
    main()
