"""The fuzz tier over HTTP: a cloud whose names are hostile, and every analysis over it.

A project named with mathtext, markup, a terminal control sequence and a right-to-left
override (Keystone takes any name), a server in it named with markup and an override,
and its metadata: the quota report and heatmap, capacity and its plot, usage, lookup, the
finders, the server story and the tour's tables must all run, and show the names escaped.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest

import osnb
from osnb import analysis, democloud

pytestmark = pytest.mark.filterwarnings("error::UserWarning:matplotlib")  # a missing glyph

PROJECT = "$x^2$ <script>alert(1)</script> \x1b[2J evil\u202etxt"
SERVER = "<img src=x onerror=alert(1)> [bold]srv[/] evil\u202egpj.exe"


@pytest.fixture(scope="module")
def hostile() -> Iterator[dict[str, Any]]:
    with democloud.start(seed=11, projects=3, servers=10, build_seconds=0.1) as cloud:
        admin = osnb.connect("demo", config=cloud.clouds)
        project = admin.identity.create_project(name=PROJECT, domain_id="default")
        role = admin.identity.find_role("member")
        admin.identity.assign_project_role_to_user(project, admin.current_user_id, role)
        auth = {**cloud.clouds["clouds"]["demo"]["auth"], "project_name": PROJECT}
        inside = osnb.connect("demo", config=cloud.clouds, auth=auth)
        image = min((i for i in inside.image.images() if i.status == "active"),
                    key=lambda i: i.min_disk or 0)
        flavor = min(inside.compute.flavors(), key=lambda f: (f.disk < (image.min_disk or 0),
                                                              f.vcpus or 0))
        server = inside.compute.create_server(
            name=SERVER, flavor_id=flavor.id, image_id=image.id, networks="auto",
            metadata={"note": "\x1b]0;pwned\x07 $\\frac{1}{0}$"})
        server = inside.compute.wait_for_server(server, interval=0.1, wait=30)
        yield {"admin": admin, "server": server, "project": project}


def _clean_text(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text[:400]


def _clean_html(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html
    _clean_text(html)


def _shown(obj: Any) -> None:
    """Every way a notebook or terminal shows ``obj``: HTML, rich, plain."""
    from IPython.lib.pretty import pretty
    from rich.console import Console

    if hasattr(obj, "_repr_html_"):
        _clean_html(obj._repr_html_() or "")
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(obj)
    _clean_text(console.file.getvalue())  # type: ignore[attr-defined]
    _clean_text(pretty(obj))


def test_quota_report_and_heatmap(hostile: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    report = analysis.quota_report(hostile["admin"])
    assert PROJECT in set(report["project_name"])
    _shown(report)
    ax = analysis.quota_heatmap(report)
    ax.figure.canvas.draw()  # mathtext would raise on "$x^2$ <script>…" if it parsed it
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("evil" in label for label in labels)
    for label in labels:
        _clean_text(label)


def test_capacity_usage_and_finders(hostile: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    admin = hostile["admin"]
    for frame in (analysis.capacity(admin), analysis.capacity(admin, by="availability_zone"),
                  analysis.servers_per_host(admin), analysis.servers_in_error(admin),
                  analysis.usage(admin, dt.datetime.now(dt.timezone.utc) - dt.timedelta(1),
                                 dt.datetime.now(dt.timezone.utc))):
        _shown(frame)
    analysis.capacity_plot(analysis.capacity(admin)).figure.canvas.draw()


def test_lookup_and_story(hostile: dict[str, Any]) -> None:
    admin, server = hostile["admin"], hostile["server"]
    found = analysis.lookup(admin, SERVER)
    assert server.id in set(found["id"])
    assert set(found.loc[found["kind"] == "server", "project_name"]) == {PROJECT}
    _shown(found)
    story = analysis.server_story(admin, server)
    _shown(story)


def test_server_frames_and_views(hostile: dict[str, Any]) -> None:
    admin = hostile["admin"]
    servers = admin.compute.servers(all_projects=True)
    frame = servers.to_pandas(names=True)
    assert PROJECT in set(frame["project_name"])
    _shown(servers)
    _shown(servers.widget())  # the widget's own text view (repr) too
    _shown(admin.compute.get_server(hostile["server"].id))
