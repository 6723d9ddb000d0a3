"""What a per-project fan-out over Nova's servers costs the demo cloud.

An operator's report asks ``/servers/detail?project_id=P`` for every project, one after
another (or a member's own listing does the same per project). The demo cloud should
spend on each what that project holds, so the whole fan-out costs about what one walk of
the world's listing costs. This measures, in one process, on a ``--servers`` world
(default 50,000 servers, 250 projects):

- **world walk** (the baseline): ``/servers/detail?all_tenants=1&limit=1000`` to the end;
- **fan-out**: every project's ``/servers/detail?project_id=P&limit=1000`` to the end;

both as *server time* (inside the app, :class:`bench.bench_democloud.ServerTime`), after
the listing caches are dropped (a change to every server), methods interleaved per round,
with the paired per-round ratio fan-out / world walk and the median per-project request.

    python -m bench.bench_fanout [--servers 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

import requests

from osnb.democloud._serve import bind, serve_app
from osnb.democloud.app import build_app
from osnb.democloud.services import compute

from .bench_democloud import ServerTime, generate, token_for, walk


def _walk_project(session: requests.Session, url: str, project: str) -> int:
    next_url: str | None = (f"{url}/compute/v2.1/servers/detail?project_id={project}"
                            "&limit=1000")
    count = 0
    while next_url:
        body = session.get(next_url, timeout=120).json()
        count += len(body["servers"])
        next_url = next((link["href"] for link in body.get("servers_links", [])
                         if link.get("rel") == "next"), None)
    return count


def bench_fanout(servers: int, repeat: int) -> dict[str, Any]:
    sock = bind()
    host, port = sock.getsockname()[:2]
    store, _, _ = generate(servers, f"http://{host}:{port}")
    timer = ServerTime(build_app(store))
    served = serve_app(timer, sock)
    session = requests.Session()
    session.headers.update({"X-Auth-Token": token_for(served.url, store),
                            "OpenStack-API-Version": "compute 2.79"})
    projects = sorted({s["tenant_id"] for s in store.table("servers").values()})
    out: dict[str, list[float]] = {"world": [], "fanout": [], "ratio": [], "per_project": []}
    try:
        for _ in range(repeat):
            served.call(lambda: compute.invalidate(store))
            timer.take()
            assert len(walk(session, served.url)) == servers
            world = timer.take()[0]
            served.call(lambda: compute.invalidate(store))
            timer.take()
            counted = 0
            each: list[float] = []
            for project in projects:
                counted += _walk_project(session, served.url, project)
                each.append(timer.take()[0])
            assert counted == servers, (counted, servers)
            out["world"].append(world)
            out["fanout"].append(sum(each))
            out["ratio"].append(sum(each) / world)
            out["per_project"].append(statistics.median(each))
    finally:
        served.stop()
    out["projects"] = [float(len(projects))]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    got = bench_fanout(args.servers, args.repeat)
    print(f"{args.servers} servers, {int(got['projects'][0])} projects, server time, "
          f"{args.repeat} rounds")
    print(f"  world walk (baseline) s : {', '.join(f'{t:.3f}' for t in got['world'])}")
    print(f"  fan-out s               : {', '.join(f'{t:.3f}' for t in got['fanout'])}")
    print(f"  fan-out / world walk    : {', '.join(f'{r:.2f}' for r in got['ratio'])}"
          f" (median {statistics.median(got['ratio']):.2f})")
    print(f"  median per project ms   : "
          f"{', '.join(f'{t * 1000:.1f}' for t in got['per_project'])}")


if __name__ == "__main__":
    main()
