"""How fast the embedded demo cloud generates a world and serves a big listing.

The demo cloud must never be the bottleneck of a benchmark. This measures, in one process:

- **generation**: a ``--servers`` world (default 100,000), seconds per service module as
  :func:`osnb.democloud.app.seed_world` runs them, so a regression shows where it is;
  then, apart, what the world defers to the first read of a table (the ports, detached
  volumes and migration history most sessions never list: ``Store.ready()``);
- **listing**: a full ``/compute/v2.1/servers/detail?all_tenants=1&limit=1000`` walk of a
  ``--list-servers`` world (default 50,000). *Server time* is measured inside the server,
  by an ASGI middleware around the whole app, summed over the pages, up to the moment
  the page is handed to uvicorn (and, shown too, until that hand-over returns, which
  includes waiting for the client to drain a 2 MB page); the *first* walk follows a
  change to every server (caches dropped), the *repeat* walk follows the first (an
  admin's newest-microversion page is encoded whole each time, with no cache; older
  and member shapes are cached per server). Client wall time (``requests``, ``.json()``, in a child process so that it
  does not take the GIL from the server) is shown too;
- **memory**: the growth of peak RSS while the world is generated, and while its deferred
  tables are made;
- **baselines**, to give ratios against: ``orjson.dumps`` of the same 50,000 records (as
  the client received them) in one call, and building 100,000 plain dicts of a server
  record's size with a dict literal (collector paused, as in generation; its time and
  memory, in a fresh process like each generation run).

Times are the best of ``--repeat`` runs, on whatever load the machine has (each
generation run, and each baseline of it, in a fresh process: a new demo cloud starts from
untouched memory, and on some virtual machines touching new memory is much of the cost);
compare the ratios across machines, not the seconds.

    python -m bench.bench_democloud [--servers 100000] [--list-servers 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import orjson
import requests

from osnb.democloud import Config
from osnb.democloud._serve import bind, serve_app
from osnb.democloud.app import build_app, seed_world
from osnb.democloud.services import compute
from osnb.democloud.store import Store

LISTING = "/compute/v2.1/servers/detail?all_tenants=1&limit=1000"
MICROVERSION = "2.100"


def projects_for(servers: int) -> int:
    """The project count ``bench_frames`` uses for a world of this size."""
    return max(6, servers // 200)


class ServerTime:
    """ASGI middleware: seconds spent inside the app, per request.

    ``samples`` end when the app hands the last body chunk to the server (its own work);
    ``sent`` end when that hand-over returns, which for a big page includes waiting for
    the client to read it (uvicorn's flow control), so it is paced by the client too.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.samples: list[float] = []
        self.sent: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        handed: list[float] = []

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                handed.append(time.perf_counter())
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            end = time.perf_counter()
            self.samples.append((handed[0] if handed else end) - start)
            self.sent.append(end - start)

    def take(self) -> tuple[float, float]:
        """(own work, including the hand-over) summed since the last call."""
        totals = sum(self.samples), sum(self.sent)
        self.samples.clear()
        self.sent.clear()
        return totals


def generate(servers: int, base_url: str = "") -> tuple[Store, dict[str, float], float]:
    """A world of ``servers`` servers: (store, seconds per module, total seconds)."""
    store = Store(Config(servers=servers, projects=projects_for(servers)))
    store.base_url = base_url
    timings: dict[str, float] = {}
    start = time.perf_counter()
    seed_world(store, timings)
    return store, timings, time.perf_counter() - start


def token_for(url: str, store: Store) -> str:
    meta = store.meta
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": meta["admin_user"], "password": meta["admin_password"],
        "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": meta["admin_project"], "domain": {"name": "Default"}}}}}
    resp = requests.post(f"{url}/identity/v3/auth/tokens", json=body, timeout=60)
    resp.raise_for_status()
    return resp.headers["X-Subject-Token"]


def walk(session: requests.Session, url: str) -> list[dict[str, Any]]:
    """Every server of the listing, following ``servers_links``."""
    next_url: str | None = url + LISTING
    records: list[dict[str, Any]] = []
    while next_url:
        body = session.get(next_url, timeout=120).json()
        records.extend(body["servers"])
        next_url = next((link["href"] for link in body.get("servers_links", [])
                         if link.get("rel") == "next"), None)
    return records


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def plain_dicts(n: int) -> list[dict[str, Any]]:
    """``n`` dicts of a server record's size (40 keys, a few nested), from a literal."""
    return [{"id": str(i), "name": "web-01", "status": "ACTIVE", "tenant_id": "p",
             "user_id": "u", "metadata": {}, "hostId": "h", "image": {"id": "i"},
             "flavor": {"vcpus": 2, "ram": 4096, "disk": 40}, "created": "c", "updated": "u",
             "addresses": {"net": [{"addr": "10.0.0.1", "version": 4}]}, "accessIPv4": "",
             "accessIPv6": "", "OS-DCF:diskConfig": "MANUAL", "progress": 0,
             "OS-EXT-AZ:availability_zone": "nova", "config_drive": "", "key_name": "k",
             "OS-SRV-USG:launched_at": "l", "OS-SRV-USG:terminated_at": None,
             "OS-EXT-SRV-ATTR:host": "h", "OS-EXT-SRV-ATTR:instance_name": "i",
             "OS-EXT-SRV-ATTR:hypervisor_hostname": "h", "OS-EXT-SRV-ATTR:reservation_id": "r",
             "OS-EXT-SRV-ATTR:launch_index": 0, "OS-EXT-SRV-ATTR:hostname": "h",
             "OS-EXT-SRV-ATTR:kernel_id": "", "OS-EXT-SRV-ATTR:ramdisk_id": "",
             "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda", "OS-EXT-SRV-ATTR:user_data": None,
             "OS-EXT-STS:task_state": None, "OS-EXT-STS:vm_state": "active",
             "OS-EXT-STS:power_state": 1, "os-extended-volumes:volumes_attached": [],
             "locked": False, "locked_reason": None, "description": None, "tags": [],
             "trusted_image_certificates": None, "host_status": "UP",
             "security_groups": [{"name": "default"}]} for i in range(n)]


def client(url: str, token: str) -> None:
    """The walking client, in its own process so it never competes with the server for
    the GIL: one walk per ``walk PATH`` line on stdin, answering ``seconds count``; the
    records of a walk are written to PATH when it is not ``-``."""
    import sys

    session = requests.Session()
    session.headers.update({"X-Auth-Token": token,
                            "OpenStack-API-Version": f"compute {MICROVERSION}"})
    for line in sys.stdin:
        _, path = line.split()
        start = time.perf_counter()
        records = walk(session, url)
        seconds = time.perf_counter() - start
        if path != "-":
            with open(path, "wb") as f:
                f.write(orjson.dumps(records))
        print(f"{seconds} {len(records)}", flush=True)


def bench_listing(servers: int, repeat: int) -> dict[str, Any]:
    import os
    import subprocess
    import sys
    import tempfile

    sock = bind()
    host, port = sock.getsockname()[:2]
    store, _, _ = generate(servers, f"http://{host}:{port}")
    timer = ServerTime(build_app(store))
    served = serve_app(timer, sock)
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_democloud", "--client", served.url,
         token_for(served.url, store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True)
    assert proc.stdin is not None and proc.stdout is not None

    def walk_there(save: bool) -> float:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"walk {path if save else '-'}\n")
        proc.stdin.flush()
        seconds, count = proc.stdout.readline().split()
        assert int(count) == servers, (count, servers)
        return float(seconds)

    out: dict[str, Any] = {key: [] for key in ("first_server", "first_sent", "first_wall",
                                               "again_server", "again_sent", "again_wall")}
    out["pages"] = -(-servers // 1000)
    try:
        for i in range(repeat):
            served.call(lambda: compute.invalidate(store))
            timer.take()
            out["first_wall"].append(walk_there(save=i == 0))
            own, sent = timer.take()
            out["first_server"].append(own)
            out["first_sent"].append(sent)
            out["again_wall"].append(walk_there(save=False))
            own, sent = timer.take()
            out["again_server"].append(own)
            out["again_sent"].append(sent)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        served.stop()
    with open(path, "rb") as f:
        out["records"] = orjson.loads(f.read())
    os.unlink(path)
    return out


def child_generation(what: str, servers: int) -> None:
    """One measurement in a fresh process, printed as JSON: ``dicts`` (the baseline) or
    ``world`` (seconds per module, total, then the deferred tables made)."""
    import json
    import resource

    def rss_mb() -> float:
        """Peak resident memory of this process so far."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    before = rss_mb()
    if what == "dicts":
        gc.disable()  # as seed_world runs: the same conditions as generation
        start = time.perf_counter()
        plain_dicts(servers)
        print(json.dumps({"dicts": time.perf_counter() - start,
                          "dicts_mb": rss_mb() - before}))
        return
    world, timings, total = generate(servers)
    world_mb = rss_mb() - before
    start = time.perf_counter()
    world.ready()
    print(json.dumps({"modules": timings, "total": total, "world_mb": world_mb,
                      "deferred": time.perf_counter() - start,
                      "deferred_mb": rss_mb() - before - world_mb}))


def bench_generation(servers: int, repeat: int) -> list[dict[str, Any]]:
    """``repeat`` rounds of (baseline, world), each in a fresh process, so that every run
    starts from untouched memory as a new demo cloud does."""
    import json
    import subprocess
    import sys

    runs: list[dict[str, Any]] = []
    for _ in range(repeat):
        run: dict[str, Any] = {}
        for what in ("dicts", "world"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.bench_democloud", "--generation-child", what,
                 str(servers)], check=True, capture_output=True, text=True).stdout
            run.update(json.loads(out.splitlines()[-1]))
        runs.append(run)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000,
                        help="servers in the generated world (default 100,000)")
    parser.add_argument("--list-servers", type=int, default=50_000,
                        help="servers in the listed world (default 50,000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--client", nargs=2, metavar=("URL", "TOKEN"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--generation-child", nargs=2, metavar=("WHAT", "SERVERS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(*args.client)
        return
    if args.generation_child:
        child_generation(args.generation_child[0], int(args.generation_child[1]))
        return

    runs = bench_generation(args.servers, args.repeat)
    dicts = min(r["dicts"] for r in runs)
    listing = bench_listing(args.list_servers, args.repeat)
    records = listing.pop("records")
    dumps = best(lambda: orjson.dumps(records), args.repeat)
    records.clear()

    rows: list[tuple[str, float, str]] = []
    n = f"{args.servers:,}"
    for module in runs[0]["modules"]:
        seconds = min(r["modules"][module] for r in runs)
        rows.append((f"generate {n}: {module}", seconds,
                     f"{seconds / dicts:6.1f} x dicts"))
    for label, key in (("total", "total"), ("deferred tables, at first read", "deferred")):
        seconds = min(r[key] for r in runs)
        rows.append((f"generate {n}: {label}", seconds, f"{seconds / dicts:6.1f} x dicts"))
    dicts_mb = min(r["dicts_mb"] for r in runs)
    memory = [(f"memory {n}: the world (MB of peak RSS)", "world_mb"),
              (f"memory {n}: + deferred tables made (MB)", "deferred_mb")]
    m = f"{args.list_servers:,}"
    for label, key in (("first walk, server time", "first_server"),
                       ("first walk, server time + send", "first_sent"),
                       ("first walk, client wall", "first_wall"),
                       ("repeat walk, server time", "again_server"),
                       ("repeat walk, server time + send", "again_sent"),
                       ("repeat walk, client wall", "again_wall")):
        seconds = min(listing[key])
        rows.append((f"list {m}: {label}", seconds, f"{seconds / dumps:6.1f} x dumps"))
    for label, key in memory:
        mb = min(r[key] for r in runs)
        rows.append((label, mb, f"{mb / dicts_mb:6.1f} x dicts"))
    rows.append((f"baseline: {n} plain dicts", dicts, ""))
    rows.append((f"baseline: {n} plain dicts (MB of peak RSS)", dicts_mb, ""))
    rows.append((f"baseline: orjson.dumps of {m} records", dumps, ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'what (seconds, or MB where it says so)':<{width}}  {'value':>8}  ratio")
    for label, value, ratio in rows:
        print(f"{label:<{width}}  {value:8.3f}  {ratio}")
    spread = {k: statistics.median(listing[k]) for k in
              ("first_server", "again_server")}
    totals = ", ".join(f"{r['total']:.2f}" for r in runs)
    print(f"\nValues are the best of {args.repeat}. Generation: each run and its baseline in "
          f"a fresh process (totals {totals} s). Listing: {listing['pages']} pages of "
          f"1,000 at compute {MICROVERSION} (medians: first {spread['first_server']:.3f} s, "
          f"repeat {spread['again_server']:.3f} s of server time).")


if __name__ == "__main__":
    main()
