"""A real Keystone (from PyPI) on loopback, so the demo cloud's Keystone can be held to it.

Keystone pins many oslo libraries, so it lives in its own venv (``OSNB_KEYSTONE_VENV``,
default ``~/.cache/osnb/keystone-venv``), installed on first use and reused afterwards.
A bootstrapped data directory (sqlite, fernet and credential keys) is kept in the venv as
a template; each run copies it, points the catalog at a free port and serves Keystone
with gunicorn (one worker: sqlite and the in-memory cache want a single process).

Install ahead of the tests (CI does)::

    python -m tests.realcloud.keystone install

Or serve one by hand, printing a clouds.yaml until Ctrl-C::

    python -m tests.realcloud.keystone serve
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

__all__ = [
    "ADMIN_PROJECT",
    "ADMIN_USER",
    "CLOUD_NAME",
    "Keystone",
    "KeystoneUnavailable",
    "ensure_installed",
    "ensure_template",
    "required",
    "running",
    "venv_path",
]

CLOUD_NAME = "keystone"
ADMIN_USER = "admin"
ADMIN_PROJECT = "admin"
REGION = "RegionOne"
PACKAGES = ("keystone", "gunicorn")
INSTALL_TIMEOUT = 1200.0
START_TIMEOUT = 60.0
_READY = "osnb-ready.json"
_INSTALLING = "osnb-installing"
_TEMPLATE = "osnb-template"
_TEMPLATE_VERSION = "1"  # bump when the template's layout or bootstrap changes
_PLACEHOLDER_URL = "http://127.0.0.1:1/v3"


class KeystoneUnavailable(RuntimeError):
    """A real Keystone cannot be had here: the install, bootstrap or start failed."""


def required() -> bool:
    """Whether a missing Keystone is a failure (CI) rather than a reason to skip."""
    return (os.environ.get("CI", "").lower() == "true"
            and os.environ.get("OSNB_REQUIRE_REAL_KEYSTONE") == "1")


def venv_path() -> Path:
    """``OSNB_KEYSTONE_VENV``, else ``$XDG_CACHE_HOME/osnb/keystone-venv``."""
    env = os.environ.get("OSNB_KEYSTONE_VENV")
    if env:
        return Path(env).expanduser().absolute()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache.expanduser().absolute() / "osnb" / "keystone-venv"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside ``path``, so two processes do not install at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(cmd: list[str], *, what: str, timeout: float, cwd: Path | None = None,
         env: dict[str, str] | None = None) -> str:
    """Run ``cmd``; on failure raise KeystoneUnavailable with the tail of its output."""
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise KeystoneUnavailable(f"{what} failed: {err}") from None
    out = done.stdout + done.stderr
    if done.returncode != 0:
        # pip's extra-index warnings are noise; keep the lines that say what went wrong.
        lines = [ln for ln in out.splitlines() if not ln.startswith("WARNING: Location")]
        tail = "\n".join(lines[-15:])
        raise KeystoneUnavailable(f"{what} failed (exit {done.returncode}):\n{tail}")
    return out


def _is_ready(venv: Path) -> bool:
    return ((venv / _READY).is_file() and (venv / "bin" / "keystone-manage").is_file()
            and (venv / "bin" / "gunicorn").is_file())


def ensure_installed(venv: Path | None = None, *, log: bool = False) -> Path:
    """The Keystone venv, created and filled with ``keystone`` and ``gunicorn`` if missing.

    Raises:
        KeystoneUnavailable: pip could not install them (no network to PyPI, a failure).
    """
    venv = venv or venv_path()
    if _is_ready(venv):
        return venv
    with _locked(venv):
        if _is_ready(venv):
            return venv
        started = time.monotonic()
        created = not (venv / "bin" / "python").is_file()
        if created:
            if venv.exists() and any(venv.iterdir()) and not (venv / _INSTALLING).exists():
                raise KeystoneUnavailable(f"{venv} exists and is not a venv; point "
                                          "OSNB_KEYSTONE_VENV elsewhere or remove it")
            shutil.rmtree(venv, ignore_errors=True)  # a half-made venv of ours
            venv.mkdir(parents=True)
            (venv / _INSTALLING).touch()
            _run([sys.executable, "-m", "venv", str(venv)],
                 what="creating the Keystone venv", timeout=120)
        if log:
            print(f"installing {', '.join(PACKAGES)} into {venv}", flush=True)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        env.pop("PIP_REQUIRE_VIRTUALENV", None)
        try:
            _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                  "--retries", "2", "--timeout", "30", *PACKAGES],
                 what="pip install " + " ".join(PACKAGES), timeout=INSTALL_TIMEOUT, env=env)
        except KeystoneUnavailable:
            if created:
                shutil.rmtree(venv, ignore_errors=True)
            raise
        version = _run([str(venv / "bin" / "python"), "-c",
                        "from importlib.metadata import version; print(version('keystone'))"],
                       what="reading keystone's version", timeout=60).strip()
        (venv / _READY).write_text(json.dumps({
            "keystone": version, "installed_at": time.time(),
            "seconds": round(time.monotonic() - started, 1)}))
        (venv / _INSTALLING).unlink(missing_ok=True)
        if log:
            print(f"keystone {version} installed in {time.monotonic() - started:.1f} s",
                  flush=True)
    return venv


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _write_config(data: Path) -> Path:
    """``keystone.conf`` for a data directory: sqlite, fernet, fast hashing, no token cache."""
    conf = data / "keystone.conf"
    conf.write_text(f"""\
[DEFAULT]
log_file = {data}/keystone.log
[database]
connection = sqlite:///{data}/keystone.db
[token]
provider = fernet
expiration = 3600
# With the token cache on, a revoked token is still accepted for about a second.
caching = false
[fernet_tokens]
key_repository = {data}/fernet-keys
[credential]
key_repository = {data}/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory
[identity]
# bcrypt's minimum: fine for tests, never for a real cloud.
password_hash_rounds = 4
""")
    return conf


def _manage(venv: Path, conf: Path, *args: str) -> None:
    _run([str(venv / "bin" / "keystone-manage"), "--config-file", str(conf), *args],
         what="keystone-manage " + args[0], timeout=300)


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A bootstrapped data directory kept in the venv and copied for each run.

    Its catalog points at a placeholder URL that :func:`running` rewrites.
    """
    template = venv / f"{_TEMPLATE}-{_TEMPLATE_VERSION}"
    if (template / "admin-password").is_file():
        return template
    with _locked(template):
        if (template / "admin-password").is_file():
            return template
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"{_TEMPLATE}.", dir=venv))
        try:
            for keys in ("fernet-keys", "credential-keys"):
                (work / keys).mkdir(mode=0o700)
            conf = _write_config(work)
            owner = ["--keystone-user", _user_name(), "--keystone-group", _group_name()]
            _manage(venv, conf, "fernet_setup", *owner)
            _manage(venv, conf, "credential_setup", *owner)
            _manage(venv, conf, "db_sync")
            password = secrets.token_urlsafe(18)
            _manage(venv, conf, "bootstrap", "--bootstrap-password", password,
                    "--bootstrap-username", ADMIN_USER,
                    "--bootstrap-project-name", ADMIN_PROJECT,
                    "--bootstrap-role-name", "admin",
                    "--bootstrap-service-name", "keystone",
                    "--bootstrap-region-id", REGION,
                    "--bootstrap-admin-url", _PLACEHOLDER_URL,
                    "--bootstrap-internal-url", _PLACEHOLDER_URL,
                    "--bootstrap-public-url", _PLACEHOLDER_URL)
            for name in ("keystone.conf", "keystone.log"):
                (work / name).unlink(missing_ok=True)
            pw = work / "admin-password"
            pw.write_text(password)
            pw.chmod(0o600)
            if template.exists():
                shutil.rmtree(template)
            work.rename(template)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if log:
            print(f"keystone data template bootstrapped in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
    return template


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def _group_name() -> str:
    import grp

    return grp.getgrgid(os.getgid()).gr_name


@dataclass
class Keystone:
    """A running Keystone: its URL, the admin's credentials and a ``clouds.yaml`` mapping."""

    url: str
    admin_password: str
    data: Path
    pid: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def auth_url(self) -> str:
        return f"{self.url}/v3"

    @property
    def clouds(self) -> dict[str, Any]:
        """``{"clouds": {"keystone": …}}`` for ``osnb.connect("keystone", config=…)``."""
        return {"clouds": {CLOUD_NAME: {
            "auth": {"auth_url": self.auth_url, "username": ADMIN_USER,
                     "password": self.admin_password, "project_name": ADMIN_PROJECT,
                     "user_domain_name": "Default", "project_domain_name": "Default"},
            "region_name": REGION, "interface": "public", "identity_api_version": 3,
        }}}

    def log_tail(self, lines: int = 30) -> str:
        path = self.data / "gunicorn.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _prepare_data(template: Path, data: Path, url: str) -> None:
    shutil.copytree(template, data, dirs_exist_ok=True)
    for keys in ("fernet-keys", "credential-keys"):
        (data / keys).chmod(0o700)
    _write_config(data)
    db = sqlite3.connect(data / "keystone.db")
    try:
        with db:
            changed = db.execute("UPDATE endpoint SET url = ? WHERE url = ?",
                                 (f"{url}/v3", _PLACEHOLDER_URL)).rowcount
    finally:
        db.close()
    if changed != 3:
        raise KeystoneUnavailable(f"expected 3 identity endpoints in the template, "
                                  f"rewrote {changed}")


def _write_gunicorn_conf(data: Path, port: int) -> None:
    # Keystone hands sys.argv to oslo.config, which rejects gunicorn's flags: configure
    # gunicorn by file only and start it with no arguments.
    (data / "gunicorn.conf.py").write_text(f"""\
wsgi_app = "keystone.wsgi.api:application"
bind = "127.0.0.1:{port}"
workers = 1
threads = 4
worker_class = "gthread"
timeout = 120
pidfile = {str(data / "gunicorn.pid")!r}
errorlog = {str(data / "gunicorn.log")!r}
raw_env = ["OS_KEYSTONE_CONFIG_DIR={data}"]
""")


def _wait_healthy(ks: Keystone, proc: subprocess.Popen[bytes], deadline: float) -> None:
    """``GET /v3`` answers, then the admin gets a token (201 with ``X-Subject-Token``)."""
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": ADMIN_USER, "password": ks.admin_password, "domain": {"id": "default"}}}},
        "scope": {"project": {"name": ADMIN_PROJECT, "domain": {"id": "default"}}}}}
    stage, last = "GET /v3", ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise KeystoneUnavailable(f"gunicorn exited with {proc.returncode} before "
                                      f"Keystone answered:\n{ks.log_tail()}")
        try:
            if stage == "GET /v3":
                r = requests.get(ks.auth_url, timeout=5)
                if r.status_code == 200:
                    ks.timings["v3_answers"] = time.monotonic()
                    stage = "admin token"
                    continue
            else:
                r = requests.post(ks.auth_url + "/auth/tokens", json=body, timeout=10)
                if r.status_code == 201 and r.headers.get("X-Subject-Token"):
                    return
            last = f"{r.status_code} {r.text[:200]}"
        except requests.RequestException as err:
            last = str(err)
        time.sleep(0.1)
    raise KeystoneUnavailable(f"Keystone not healthy after {START_TIMEOUT:.0f} s "
                              f"({stage}: {last}):\n{ks.log_tail()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn by its pid: TERM, then KILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@contextlib.contextmanager
def running(data_root: Path, *, venv: Path | None = None) -> Iterator[Keystone]:
    """Install if needed, start a Keystone on a free loopback port, stop it on exit.

    Raises:
        KeystoneUnavailable: with the reason (pip, keystone-manage or gunicorn output).
    """
    t0 = time.monotonic()
    venv = ensure_installed(venv)
    t_installed = time.monotonic()
    template = ensure_template(venv)
    t_template = time.monotonic()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    data = data_root / "keystone"
    _prepare_data(template, data, url)
    _write_gunicorn_conf(data, port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    with open(data / "gunicorn.out", "wb") as out:
        proc = subprocess.Popen([str(venv / "bin" / "gunicorn")], cwd=data, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    ks = Keystone(url=url, admin_password=(template / "admin-password").read_text().strip(),
                  data=data, pid=proc.pid)
    try:
        t_spawned = time.monotonic()
        _wait_healthy(ks, proc, t_spawned + START_TIMEOUT)
        t_healthy = time.monotonic()
        ks.timings = {"install_check_s": t_installed - t0,
                      "template_s": t_template - t_installed,
                      "start_s": t_healthy - t_spawned,
                      "v3_answers_s": ks.timings.get("v3_answers", t_healthy) - t_spawned,
                      "total_s": t_healthy - t0}
        yield ks
    finally:
        _stop(proc)


def main(argv: list[str]) -> int:
    """``install``: the venv and the data template; ``serve``: run one until Ctrl-C."""
    command = argv[0] if argv else "install"
    try:
        if command == "install":
            started = time.monotonic()
            venv = ensure_installed(log=True)
            ensure_template(venv, log=True)
            ready = json.loads((venv / _READY).read_text())
            print(f"keystone {ready['keystone']} ready in {venv} "
                  f"({time.monotonic() - started:.1f} s)", flush=True)
            return 0
        if command == "serve":
            with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as ks:
                import yaml

                print(yaml.safe_dump(ks.clouds, sort_keys=False), flush=True)
                print(f"serving at {ks.url} (pid {ks.pid}); Ctrl-C stops", flush=True)
                with contextlib.suppress(KeyboardInterrupt):
                    while True:
                        time.sleep(3600)
            return 0
    except KeystoneUnavailable as err:
        print(f"real Keystone unavailable: {err}", file=sys.stderr)
        return 1
    print(f"usage: python -m tests.realcloud.keystone [install|serve] (not {command!r})",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
