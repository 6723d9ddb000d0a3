"""The ``osnb`` command: ``osnb demo-cloud`` serves the embedded cloud; ``osnb tour`` shows it."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

__all__ = ["main"]


def _demo_cloud(args: argparse.Namespace) -> int:
    from . import democloud

    cloud = democloud.start(host=args.host, port=args.port, seed=args.seed,
                            projects=args.projects, servers=args.servers,
                            latency_ms=args.latency_ms, error_rate=args.error_rate)
    print(f"osnb demo cloud serving at {cloud.url} (Keystone at {cloud.auth_url})", flush=True)
    if args.write_clouds_yaml:
        try:
            path = cloud.write_clouds_yaml(args.write_clouds_yaml)
        except OSError as err:
            cloud.stop()
            print(f"osnb demo-cloud: cannot write clouds.yaml: {err}", file=sys.stderr,
                  flush=True)
            return 2
        print(f"wrote {path}: clouds 'demo' (admin) and 'demo-member'", flush=True)
    else:
        print("pass --write-clouds-yaml PATH to get a clouds.yaml for it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        cloud.stop()
    return 0


def _tour(args: argparse.Namespace) -> int:
    from .tour import run_tour

    return run_tour(servers=args.servers, projects=args.projects,
                    report=None if args.no_report else args.report)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="osnb", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo-cloud", help="serve the embedded demo cloud until interrupted")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=0, help="0 picks a free port")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--projects", type=int, default=6)
    demo.add_argument("--servers", type=int, default=40)
    demo.add_argument("--latency-ms", type=float, default=0.0)
    demo.add_argument("--error-rate", type=float, default=0.0)
    demo.add_argument("--write-clouds-yaml", metavar="PATH")
    demo.set_defaults(run=_demo_cloud)

    tour = sub.add_parser("tour", help="a tour of the demo cloud in the terminal, and the "
                          "tour notebook run against it as an HTML report")
    tour.add_argument("--servers", type=int, default=120)
    tour.add_argument("--projects", type=int, default=8)
    tour.add_argument("--report", default="osnb-tour.html", metavar="PATH",
                      help="where to write the HTML report (default: ./osnb-tour.html)")
    tour.add_argument("--no-report", action="store_true",
                      help="only the terminal tables; no notebook, no report")
    tour.set_defaults(run=_tour)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
