"""``%os_connect --choose``: menus of clouds, their regions and the user's projects.

Nothing authenticates until a cloud is picked. Then the cloud is tried in a background
thread, so the kernel stays free and a progress bar counts the seconds; the region menu
starts on the cloud's region and the project menu on the token's project. A cloud that
does not answer within its ``api_timeout`` (30 s when unset) is given up with one line
saying why.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .registry import hint
from .render import escape_html

if TYPE_CHECKING:
    from ..sdk.connection import Connection

__all__ = ["DEFAULT_TIMEOUT", "Chooser", "chooser"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a cloud without ``api_timeout`` gets to answer the chooser."""
_PICK = "— pick a cloud —"


@dataclass
class Probe:
    """What the chooser learnt from a cloud: its regions and the user's projects."""

    regions: list[str]
    region: str | None
    projects: list[str]
    project: str | None


def _probe(conn: Connection) -> Probe:
    """Authenticate ``conn``, then list the regions in its catalog and the projects the
    user can scope to (Keystone ``GET /v3/auth/projects``)."""
    session = conn.session
    access = session.auth.get_access(session)
    regions = {str(e.get("region_id") or e.get("region"))
               for service in access.service_catalog.catalog or []
               for e in service.get("endpoints", []) if e.get("region_id") or e.get("region")}
    configured = conn.config.config.get("regions") or []
    regions |= {r["name"] if isinstance(r, dict) else str(r) for r in configured}
    if conn.config.region_name:
        regions.add(conn.config.region_name)
    identity = conn.identity.get_endpoint()  # osnb's exceptions, not keystoneauth's
    base = identity.rstrip("/")
    reply = session.get(base + ("/auth/projects" if base.endswith("/v3") else
                                "/v3/auth/projects"))
    projects = sorted({p["name"] for p in reply.json().get("projects", [])} |
                      ({access.project_name} if access.project_name else set()))
    return Probe(regions=sorted(regions), region=conn.config.region_name or
                 (sorted(regions)[0] if regions else None), projects=projects,
                 project=access.project_name)


def _reason(cloud: str, err: BaseException) -> str:
    try:
        return hint(cloud, err)
    except BaseException:  # noqa: BLE001 - anything else still gets one line
        return f"cloud {cloud!r}: {type(err).__name__}: {err}"


class Chooser:
    """The menus and the background probe behind ``%os_connect --choose``."""

    def __init__(self, magics: Any, name: str = "conn") -> None:
        import ipywidgets as w

        from ..face import DEMO_CLOUDS
        from ..sdk.config import known_clouds, load_config

        self.magics = magics
        self.name = name
        self.settings, _ = load_config()
        names = sorted(set(known_clouds()) | set(DEMO_CLOUDS))
        self.cloud = w.Dropdown(options=[(_PICK, None), *((n, n) for n in names)],
                                index=0, description="cloud")  # shows _PICK, value None
        self.region = w.Dropdown(options=[], description="region", disabled=True)
        self.project = w.Dropdown(options=[], description="project", disabled=True)
        self.go = w.Button(description="Connect", button_style="primary", disabled=True)
        self.progress = w.FloatProgress(value=0, min=0, max=1, description="",
                                        layout=w.Layout(width="200px", visibility="hidden"))
        self.status = w.HTML("<span class='osnb-none'>pick a cloud: nothing is sent until "
                             "then</span>")
        self.out = w.Output()
        self._generation = 0
        self._thread: threading.Thread | None = None
        self.cloud.observe(lambda _: self.pick(), names="value")
        self.go.on_click(lambda _: self.connect())
        self.box = w.VBox([w.HBox([self.cloud, self.region, self.project, self.go]),
                           w.HBox([self.progress, self.status]), self.out])
        self.box.add_class("osnb-chooser")

    def timeout(self, cloud: str) -> float:
        """The cloud's ``api_timeout`` (or ``timeout``), else :data:`DEFAULT_TIMEOUT`."""
        cfg = self.settings.get(cloud) or {}
        value = cfg.get("api_timeout", cfg.get("timeout"))
        try:
            return float(value) if value else DEFAULT_TIMEOUT
        except (TypeError, ValueError):
            return DEFAULT_TIMEOUT

    def _overrides(self, cloud: str) -> dict[str, Any]:
        cfg = self.settings.get(cloud) or {}
        if cfg.get("api_timeout") or cfg.get("timeout"):
            return {}
        return {"api_timeout": DEFAULT_TIMEOUT}

    def pick(self) -> None:
        """Try the chosen cloud in the background; the menus fill in when it answers."""
        self._generation += 1
        generation = self._generation
        for menu in (self.region, self.project):
            menu.options, menu.disabled = [], True
        self.go.disabled = True
        cloud = self.cloud.value
        if cloud is None:
            self.progress.layout.visibility = "hidden"
            self.status.value = "<span class='osnb-none'>pick a cloud</span>"
            return
        limit = self.timeout(cloud)
        future: Future[Probe] = Future()
        done = threading.Event()

        def work() -> None:
            try:
                conn, _ = self.magics.registry.connect(cloud, **self._overrides(cloud))
                future.set_result(_probe(conn))
            except BaseException as err:  # noqa: BLE001 - reported in the status line
                future.set_exception(err)
            finally:
                done.set()

        def watch() -> None:
            start = time.monotonic()
            self.progress.value, self.progress.layout.visibility = 0, "visible"
            while generation == self._generation:
                elapsed = time.monotonic() - start
                if future.done() or elapsed >= limit:
                    break
                self.progress.value = elapsed / limit
                self.status.value = (f"connecting to {escape_html(cloud)}… {elapsed:.0f} s "
                                     f"(gives up after {limit:g} s)")
                done.wait(min(0.5, max(limit - elapsed, 0.01)))
            if generation != self._generation:
                return
            self.progress.layout.visibility = "hidden"
            if not future.done():
                url = (self.settings.get(cloud) or {}).get("auth", {}).get("auth_url", "")
                self.status.value = (f"<span class='osnb-warning'>cloud {escape_html(cloud)}: no "
                                     f"answer from {escape_html(url) or 'its auth URL'} within "
                                     f"{limit:g} s (api_timeout); is the URL right, is a "
                                     f"VPN needed?</span>")
                return
            err = future.exception()
            if err is not None:
                self.status.value = f"<span class='osnb-warning'>{escape_html(_reason(cloud, err))}</span>"
                return
            self.fill(future.result())

        threading.Thread(target=work, name=f"osnb-choose-{cloud}", daemon=True).start()
        self._thread = threading.Thread(target=watch, name="osnb-choose-watch", daemon=True)
        self._thread.start()

    def fill(self, probe: Probe) -> None:
        """Menus from what the cloud said, on its region and the token's project."""
        self.region.options = probe.regions or ["(default)"]
        self.region.value = probe.region if probe.region in probe.regions else \
            self.region.options[0]
        self.project.options = probe.projects or ["(default)"]
        if probe.project in probe.projects:
            self.project.value = probe.project
        self.region.disabled = self.project.disabled = self.go.disabled = False
        self.status.value = (f"{escape_html(self.cloud.value)}: {len(probe.projects)} project(s) "
                             f"reachable; Connect binds <code>{escape_html(self.name)}</code>")

    def join(self, timeout: float | None = None) -> None:
        """Wait for the probe of the current cloud to finish (tests, scripts)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def connect(self) -> None:
        """Connect to the chosen cloud, region and project, and bind the name."""
        cloud = self.cloud.value
        if cloud is None:
            return
        region = None if self.region.value in (None, "(default)") else self.region.value
        project = None if self.project.value in (None, "(default)") else self.project.value
        self.out.clear_output()
        with self.out:
            self.magics.connect_and_bind(cloud, region=region, project=project,
                                         name=self.name, **self._overrides(cloud))


def chooser(magics: Any, name: str = "conn") -> Any:
    """The chooser's widget (``Chooser(magics, name).box``)."""
    controller = Chooser(magics, name)
    controller.box._osnb = controller  # keep the controller alive with its view
    return controller.box
