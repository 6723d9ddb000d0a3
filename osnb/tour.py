"""``osnb tour``: start the embedded demo cloud, connect, and show what is in it.

In the terminal: the catalog, servers by status, the ERROR servers, flavors, the projects
nearest their quotas and the capacity per availability zone — sizes in GiB, ids whole (to
be copied), names beside them, one line per fault. Then the tour notebook runs against the
same cloud and is saved as an HTML report to open in a browser.
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
             report: str | Path | None = "osnb-tour.html", console: Any = None) -> int:
    """Print rich tables of a fresh demo cloud and write the tour notebook as an HTML
    report at ``report`` (None: no report); returns a process exit code. ``console`` is
    the rich Console to print on (default: a new one on the terminal)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from . import connect, democloud
    from .analysis._render import plural

    console = console or Console()
    started = time.perf_counter()
    with democloud.start(servers=servers, projects=projects) as cloud:
        conn = connect("demo", config=cloud.clouds)
        conn.authorize()
        console.rule(f"[bold]osnb tour[/] — demo cloud at {cloud.url}")
        console.print(Text(repr(conn)))

        catalog = Table(title="Service catalog (public endpoints)")
        catalog.add_column("service", no_wrap=True)
        catalog.add_column("endpoint", overflow="fold")  # wrapped, never cut: copyable
        for name in ("identity", "compute", "network", "block-storage", "image", "placement"):
            url = conn.session.get_endpoint(service_type=name, interface="public",
                                            region_name=conn.config.region_name)
            catalog.add_row(name, _cell(url))
        console.print(catalog)

        listing = conn.compute.servers(all_projects=True)
        by_status: collections.Counter[Any] = collections.Counter(s.status for s in listing)
        status = Table(title=f"{plural(len(listing), 'server')} by status")
        status.add_column("status")
        status.add_column("servers", justify="right")
        for name, count in by_status.most_common():
            status.add_row(_cell(name), f"{count:,}")
        console.print(status)

        _print_errors(console, conn)

        flavors = Table(title="Flavors (RAM and disk in GiB)")
        for column in ("name", "vCPUs", "RAM", "disk", "public"):
            flavors.add_column(column, justify="left" if column == "name" else "right")
        for f in conn.compute.flavors():
            flavors.add_row(_cell(f.name), _cell(f.vcpus), _gib(f.ram, "MiB"),
                            _gib(f.disk, "GiB"), "yes" if f.is_public else "no")
        console.print(flavors)

        _print_analyses(console, conn)
        code = 0
        if report is not None:
            code = _report(console, cloud, Path(report))
        console.print(f"[dim]tour finished in {time.perf_counter() - started:.1f}s[/]")
    return code


def _cell(value: Any) -> Any:
    """A table cell as rich Text: blank-as-dash for missing values, never ``None``."""
    from rich.text import Text

    from .analysis._render import cell_text

    return Text(cell_text(value, 10_000))


def _gib(amount: Any, unit: str) -> Any:
    """An amount in ``unit`` (``"MiB"`` — Nova's RAM —, ``"GiB"`` or ``"count"``) shown in
    GiB (counts as they are)."""
    import pandas as pd
    from rich.text import Text

    from .analysis._common import gib

    if amount is None or pd.isna(amount):
        return Text("—")
    number = int(amount)
    if unit == "MiB":
        return Text(gib(number).removesuffix(" GiB"))
    return Text(f"{number:,}")


def _print_errors(console: Any, conn: Any) -> None:
    """The servers in ERROR: full ids (copyable), project names, one line per fault.

    The fault is a column when the console is wide enough; otherwise each fault is a line
    under the table (with the host, when that column does not fit either), cut with "…".
    """
    from rich.table import Table
    from rich.text import Text

    from . import analysis
    from .analysis._render import plural

    failed = analysis.servers_in_error(conn)
    rows, faults = [], []
    for row in failed.itertuples(index=False):
        project = row.project_name if isinstance(row.project_name, str) else row.project_id
        rows.append({"name": _cell(row.name), "id": _cell(row.id), "project": _cell(project),
                     "host": _cell(row.host)})
        code = _cell(row.fault_code).plain
        faults.append(("" if code == "—" else code + " ") + _cell(row.fault_message).plain)

    def width(*headers: str) -> int:
        """The table's width with these columns: contents, 3 per column and 1 of border."""
        return sum(max([len(h)] + [len(r[h]) for r in rows]) for h in headers) + \
            3 * len(headers) + 1

    headers = ["name", "id", "project", "host"]
    fault_width = console.width - width(*headers) - 3
    inline = fault_width >= 30
    if not inline and width(*headers) > console.width:
        headers.remove("host")  # said on each fault's line instead
    table = Table(title=f"Servers in ERROR: {plural(len(failed), 'server')}",
                  caption="whole faults: analysis.servers_in_error(conn)")
    for header in headers:
        if header == "id":  # never cut: ids are copied from here
            table.add_column(header, no_wrap=True, min_width=width("id") - 4)
        else:
            table.add_column(header, overflow="fold")
    if inline:
        table.add_column("fault", no_wrap=True, overflow="ellipsis", max_width=fault_width)
    for cells, fault in zip(rows, faults, strict=True):
        table.add_row(*(cells[h] for h in headers), *([Text(fault)] if inline else []))
    console.print(table)
    if not inline:  # too narrow for a fault column: one line per server under the table
        for cells, fault in zip(rows, faults, strict=True):
            host = cells["host"].plain
            where = "" if "host" in headers else " (no host)" if host == "—" else f" on {host}"
            console.print(Text.assemble((cells["name"].plain, "bold"), where, ": ", fault),
                          no_wrap=True, overflow="ellipsis", crop=True)


def _print_analyses(console: Any, conn: Any) -> None:
    """The projects nearest their quotas and the capacity per availability zone."""
    from rich.table import Table
    from rich.text import Text

    from . import analysis
    from .analysis._render import frame_rich, plural

    quotas = analysis.quota_report(conn)
    near = quotas[quotas["utilisation"] >= NEAR].sort_values("utilisation", ascending=False)
    table = Table(title=f"Quotas {NEAR:.0%} used or more (over 100 %: the project can "
                        "create nothing more)",
                  caption=f"{plural(len(near), 'quota')}; RAM and gigabytes in GiB")
    for column in ("project", "service", "resource", "in use", "limit", "used"):
        table.add_column(column, justify="right" if column in ("in use", "limit", "used")
                         else "left", overflow="fold")
    for row in near.head(12).itertuples(index=False):
        project = row.project_name if isinstance(row.project_name, str) else row.project_id
        table.add_row(_cell(project), _cell(row.service),
                      _cell(row.resource), _gib(row.in_use, row.unit),
                      _gib(row.limit, row.unit), f"{row.utilisation:.0%}")
    console.print(table)
    errors = quotas.attrs.get("errors")
    if errors is not None and len(errors):
        console.print(Text(f"{plural(len(errors), 'project/service quota look-up')} failed; "
                           "see report.attrs['errors'] in a notebook", style="yellow"))

    zones = analysis.capacity(conn, by="availability_zone")
    summary = zones[["availability_zone", "hosts", "servers", "vcpus_used", "vcpus_free",
                     "ram_gib_used", "ram_gib_free", "disk_gib_free"]].copy()
    for column in ("ram_gib_used", "ram_gib_free"):
        summary[column] = summary[column].round().astype("Int64")
    summary.columns = ["zone", "hosts", "servers", "vCPUs used", "vCPUs free", "RAM used",
                       "RAM free", "disk free"]
    console.print(frame_rich(summary, title="Capacity per availability zone (after "
                             "overcommit ratios; RAM and disk in GiB)"))


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
