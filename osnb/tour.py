"""``osnb tour``: start the embedded demo cloud, connect, and show what is in it.

In the terminal: the catalog, servers by status, the ERROR servers, flavors, the projects
nearest their quotas and the capacity per availability zone. Then the tour notebook runs
against the same cloud and is saved as an HTML report to open in a browser.
"""

from __future__ import annotations

import collections
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["run_tour", "write_report"]

NEAR = 0.8
"""Quota utilisation from which a project is "near" its limit."""


def run_tour(*, servers: int = 120, projects: int = 8,
             report: str | Path | None = "osnb-tour.html") -> int:
    """Print rich tables of a fresh demo cloud and write the tour notebook as an HTML
    report at ``report`` (None: no report); returns a process exit code."""
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

        _print_analyses(console, conn)
        code = 0
        if report is not None:
            code = _report(console, cloud, Path(report))
        console.print(f"[dim]tour finished in {time.perf_counter() - started:.1f}s[/]")
    return code


def _print_analyses(console: Any, conn: Any) -> None:
    """The projects nearest their quotas and the capacity per availability zone."""
    from rich.text import Text

    from . import analysis
    from .analysis._render import frame_rich

    quotas = analysis.quota_report(conn)
    near = quotas[quotas["utilisation"] >= NEAR].sort_values("utilisation", ascending=False)
    shown = near[["project_name", "service", "resource", "in_use", "limit"]].assign(
        used=[f"{u:.0%}" for u in near["utilisation"]])
    shown.columns = ["project", "service", "resource", "in use", "limit", "used"]
    console.print(frame_rich(shown, max_rows=12, title=f"Quotas {NEAR:.0%} used or more "
                             "(over 100 %: the project can create nothing more)"))
    errors = quotas.attrs.get("errors")
    if errors is not None and len(errors):
        console.print(Text(f"{len(errors)} project/service quota look-ups failed; "
                           "see report.attrs['errors'] in a notebook", style="yellow"))

    zones = analysis.capacity(conn, by="availability_zone")
    summary = zones[["availability_zone", "hosts", "servers", "vcpus_used", "vcpus_free"]].assign(
        ram_used=(zones["ram_mb_used"] / 1024).round(), ram_free=(zones["ram_mb_free"] / 1024).round(),
        disk_free=zones["disk_gb_free"])
    summary.columns = ["zone", "hosts", "servers", "vCPUs used", "vCPUs free", "RAM used GiB",
                       "RAM free GiB", "disk free GB"]
    console.print(frame_rich(summary, title="Capacity per availability zone (after "
                             "overcommit ratios)"))


def _report(console: Any, cloud: Any, path: Path) -> int:
    """Run the tour notebook against ``cloud`` and save it as HTML at ``path``."""
    from rich.text import Text

    console.print(Text(f"running notebooks/01-tour.ipynb against this cloud → {path} …",
                       style="dim"))
    try:
        written = write_report(cloud, path)
    except ImportError as err:
        console.print(Text(f"no HTML report: {err}", style="yellow"))
        return 0
    except Exception as err:  # noqa: BLE001 - one line, the tables above still stand
        console.print(Text(f"the tour notebook failed: {type(err).__name__}: {err}",
                           style="bold red"))
        return 1
    console.print(Text.assemble("HTML report: ", (str(written), "bold"),
                                " (open it in a browser)"))
    return 0


def write_report(cloud: Any, path: str | Path) -> Path:
    """Execute the tour notebook in a new kernel against ``cloud`` (a running
    :class:`~osnb.democloud.DemoCloud`) and write it, widget state included, as HTML."""
    from .notebook.execute import execute_notebook, notebook_path, to_html

    target = Path(path).expanduser().resolve()
    with tempfile.TemporaryDirectory(prefix="osnb-tour-") as tmp:
        # The kernel's %os_connect demo finds "demo" in this clouds.yaml: the same cloud.
        clouds_yaml = cloud.write_clouds_yaml(Path(tmp) / "clouds.yaml")
        nb = execute_notebook(notebook_path("01-tour.ipynb"), cwd=tmp,
                              env={"OS_CLIENT_CONFIG_FILE": str(clouds_yaml)})
    target.parent.mkdir(parents=True, exist_ok=True)
    # The widgets manager goes into the page: fetched now (npm, once, cached) if need be,
    # never when the report is viewed; without it the static widget views stand in.
    from .notebook.widget_js import widget_js_dir

    assets = widget_js_dir()
    target.write_text(to_html(nb, widget_js=assets if isinstance(assets, Path) else None),
                      encoding="utf-8")
    return target
