"""``osnb tour``: start the embedded demo cloud, connect, and show what is in it."""

from __future__ import annotations

import collections
import time
from typing import Any

__all__ = ["run_tour"]


def run_tour(*, servers: int = 120, projects: int = 8) -> int:
    """Print rich tables of a fresh demo cloud; returns a process exit code."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from . import connect, democloud

    console = Console()
    started = time.perf_counter()
    with democloud.start(servers=servers, projects=projects) as cloud:
        conn = connect("demo", config=cloud.clouds)
        conn.authorize()
        console.rule(f"[bold]osnb tour[/] — demo cloud at {cloud.url}")
        console.print(Text(repr(conn)))

        catalog = Table(title="Service catalog (public endpoints)")
        catalog.add_column("service")
        catalog.add_column("endpoint")
        for name in ("identity", "compute", "network", "block-storage", "image", "placement"):
            url = conn.session.get_endpoint(service_type=name, interface="public",
                                            region_name=conn.config.region_name)
            catalog.add_row(name, Text(str(url)))
        console.print(catalog)

        listing = conn.compute.servers(all_projects=True)
        by_status: collections.Counter[Any] = collections.Counter(s.status for s in listing)
        status = Table(title=f"{len(listing)} servers by status")
        status.add_column("status")
        status.add_column("servers", justify="right")
        for name, count in by_status.most_common():
            status.add_row(Text(str(name)), str(count))
        console.print(status)

        errors = Table(title="Servers in ERROR")
        for column in ("name", "id", "project", "host", "fault"):
            errors.add_column(column)
        for s in listing:
            if s.status == "ERROR":
                fault = (s.fault or {}).get("message", "") if isinstance(s.fault, dict) else ""
                errors.add_row(*(Text(str(v)) for v in (s.name, s.id, s.project_id,
                                                        s.compute_host, fault)))
        console.print(errors)

        flavors = Table(title="Flavors")
        for column in ("name", "vcpus", "ram (MiB)", "disk (GiB)", "public"):
            flavors.add_column(column)
        for f in conn.compute.flavors():
            flavors.add_row(*(Text(str(v)) for v in (f.name, f.vcpus, f.ram, f.disk,
                                                     f.is_public)))
        console.print(flavors)
        console.print(f"[dim]tour finished in {time.perf_counter() - started:.1f}s[/]")
    return 0
