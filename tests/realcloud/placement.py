"""A real Placement (openstack-placement from PyPI) on loopback, to hold the demo cloud's
Placement to it.

It lives in its own venv (``OSNB_PLACEMENT_VENV``, default ``~/.cache/osnb/placement-venv``),
installed on first use. Each run makes a sqlite database (``placement-manage db sync``)
and serves Placement with gunicorn and ``auth_strategy = noauth2``: the token ``admin``
is an admin, no Keystone is needed. Query parameters, microversions and error bodies are
Placement's own, which is what the parity tests compare.

Install ahead of the tests (CI does)::

    python -m tests.realcloud.placement install

Or serve one by hand until Ctrl-C::

    python -m tests.realcloud.placement serve
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .keystone import KeystoneUnavailable, _free_port, _locked, _run, _stop

__all__ = ["Placement", "PlacementUnavailable", "ensure_installed", "required", "running",
           "venv_path"]

PACKAGES = ("openstack-placement", "gunicorn")
INSTALL_TIMEOUT = 1200.0
START_TIMEOUT = 60.0
_READY = "osnb-ready.json"


class PlacementUnavailable(RuntimeError):
    """A real Placement cannot be had here: the install, database or start failed."""


def required() -> bool:
    """Whether a missing Placement is a failure (CI) rather than a reason to skip."""
    return (os.environ.get("CI", "").lower() == "true"
            and os.environ.get("OSNB_REQUIRE_REAL_PLACEMENT") == "1")


def venv_path() -> Path:
    """``OSNB_PLACEMENT_VENV``, else ``$XDG_CACHE_HOME/osnb/placement-venv``."""
    env = os.environ.get("OSNB_PLACEMENT_VENV")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "osnb" / "placement-venv"


def _step(cmd: list[str], *, what: str, timeout: float,
          env: dict[str, str] | None = None) -> str:
    """keystone._run, failing with PlacementUnavailable."""
    try:
        return _run(cmd, what=what, timeout=timeout, env=env)
    except KeystoneUnavailable as err:
        raise PlacementUnavailable(str(err)) from None


def _is_ready(venv: Path) -> bool:
    return ((venv / _READY).is_file() and (venv / "bin" / "placement-manage").is_file()
            and (venv / "bin" / "gunicorn").is_file())


def ensure_installed(venv: Path | None = None, *, log: bool = False) -> Path:
    """The Placement venv, created and filled with its packages if missing."""
    venv = venv or venv_path()
    if _is_ready(venv):
        return venv
    with _locked(venv):
        if _is_ready(venv):
            return venv
        started = time.monotonic()
        if not (venv / "bin" / "python").is_file():
            shutil.rmtree(venv, ignore_errors=True)
            _step([sys.executable, "-m", "venv", str(venv)],
                  what="creating the Placement venv", timeout=120)
        if log:
            print(f"installing {', '.join(PACKAGES)} into {venv}", flush=True)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        env.pop("PIP_REQUIRE_VIRTUALENV", None)
        _step([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
               "--retries", "2", "--timeout", "30", *PACKAGES],
              what="pip install " + " ".join(PACKAGES), timeout=INSTALL_TIMEOUT, env=env)
        version = _step([str(venv / "bin" / "python"), "-c", "from importlib.metadata "
                         "import version; print(version('openstack-placement'))"],
                        what="reading placement's version", timeout=60).strip()
        seconds = round(time.monotonic() - started, 1)
        (venv / _READY).write_text(json.dumps({"placement": version, "seconds": seconds,
                                               "installed_at": time.time()}))
        if log:
            print(f"openstack-placement {version} installed in {seconds} s", flush=True)
    return venv


@dataclass
class Placement:
    """A running Placement: its URL (the token ``admin`` is an admin there)."""

    url: str
    data: Path
    pid: int
    timings: dict[str, float] = field(default_factory=dict)

    def log_tail(self, lines: int = 30) -> str:
        log = self.data / "gunicorn.log"
        text = log.read_text(errors="replace") if log.is_file() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def _configure(data: Path, port: int) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    conf = data / "placement.conf"
    conf.write_text(f"""\
[api]
auth_strategy = noauth2
[placement_database]
connection = sqlite:///{data}/placement.db
""")
    # Like Keystone, Placement hands sys.argv to oslo.config: gunicorn is configured by
    # file only and started with no arguments.
    (data / "gunicorn.conf.py").write_text(f"""\
wsgi_app = "placement.wsgi.api:application"
bind = "127.0.0.1:{port}"
workers = 1
timeout = 120
pidfile = {str(data / "gunicorn.pid")!r}
errorlog = {str(data / "gunicorn.log")!r}
raw_env = ["OS_PLACEMENT_CONFIG_DIR={data}"]
""")
    return conf


@contextlib.contextmanager
def running(data_root: Path, *, venv: Path | None = None) -> Iterator[Placement]:
    """Install if needed, start a Placement on a free loopback port, stop it on exit."""
    t0 = time.monotonic()
    venv = ensure_installed(venv)
    t_installed = time.monotonic()
    port = _free_port()
    data = data_root / "placement"
    conf = _configure(data, port)
    _step([str(venv / "bin" / "placement-manage"), "--config-file", str(conf), "db", "sync"],
          what="placement-manage db sync", timeout=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    with open(data / "gunicorn.out", "wb") as out:
        proc = subprocess.Popen([str(venv / "bin" / "gunicorn")], cwd=data, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    pl = Placement(url=f"http://127.0.0.1:{port}", data=data, pid=proc.pid)
    try:
        t_spawned = time.monotonic()
        last = ""
        while True:
            if proc.poll() is not None:
                raise PlacementUnavailable(f"gunicorn exited with {proc.returncode}:\n"
                                           f"{pl.log_tail()}")
            if time.monotonic() > t_spawned + START_TIMEOUT:
                raise PlacementUnavailable(f"Placement not answering after "
                                           f"{START_TIMEOUT:.0f} s ({last}):\n{pl.log_tail()}")
            try:
                r = requests.get(pl.url + "/resource_providers", timeout=5,
                                 headers={"X-Auth-Token": "admin"})
                if r.status_code == 200:
                    break
                last = f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as err:
                last = str(err)
            time.sleep(0.1)
        t_up = time.monotonic()
        pl.timings = {"install_check_s": t_installed - t0, "start_s": t_up - t_installed,
                      "total_s": t_up - t0}
        yield pl
    finally:
        _stop(proc)


def main(argv: list[str]) -> int:
    """``install``: the venv; ``serve``: run one until Ctrl-C."""
    command = argv[0] if argv else "install"
    try:
        if command == "install":
            started = time.monotonic()
            venv = ensure_installed(log=True)
            ready = json.loads((venv / _READY).read_text())
            print(f"openstack-placement {ready['placement']} ready in {venv} "
                  f"({time.monotonic() - started:.1f} s)", flush=True)
            return 0
        if command == "serve":
            with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as pl:
                print(f"serving at {pl.url} (pid {pl.pid}; token 'admin'); Ctrl-C stops",
                      flush=True)
                with contextlib.suppress(KeyboardInterrupt):
                    while True:
                        time.sleep(3600)
            return 0
    except PlacementUnavailable as err:
        print(f"real Placement unavailable: {err}", file=sys.stderr)
        return 1
    print(f"usage: python -m tests.realcloud.placement [install|serve] (not {command!r})",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
