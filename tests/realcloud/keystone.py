"""A real Keystone (from PyPI) on loopback, so the demo cloud's Keystone can be held to it.

Keystone pins many oslo libraries, so it lives in its own venv (``OSNB_KEYSTONE_VENV``,
default ``~/.cache/osnb/keystone-venv``), installed on first use and reused afterwards;
real Placement and Glance (:mod:`.placement`, :mod:`.glance`) share it.
A bootstrapped data directory (sqlite, fernet and credential keys) is kept in the venv as
a template; each run copies it, points the catalog at a free port and serves Keystone
with gunicorn (one worker: sqlite and the in-memory cache want a single process).

Install ahead of the tests (CI does): the venv with all three, and their data templates::

    python -m tests.realcloud.keystone install

Or serve Keystone, Placement and Glance by hand, printing a clouds.yaml until Ctrl-C::

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

__all__ = [
    "ADMIN_PROJECT",
    "ADMIN_USER",
    "CLOUD_NAME",
    "PACKAGES",
    "REGION",
    "Keystone",
    "KeystoneUnavailable",
    "Service",
    "ServiceUnavailable",
    "ensure_installed",
    "ensure_template",
    "free_port",
    "locked",
    "required",
    "run_tool",
    "running",
    "served",
    "spawn_gunicorn",
    "stop",
    "venv_path",
    "write_gunicorn_conf",
]

CLOUD_NAME = "keystone"
ADMIN_USER = "admin"
ADMIN_PROJECT = "admin"
REGION = "RegionOne"
# Placement and Glance share Keystone's venv (one resolver run keeps their oslo pins
# compatible); each package is paired with the script that shows it is installed.
PACKAGES = ("keystone", "openstack-placement", "glance", "gunicorn")
SCRIPTS = {"keystone": "keystone-manage", "openstack-placement": "placement-manage",
           "glance": "glance-manage", "gunicorn": "gunicorn"}
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
    return cached_venv("OSNB_KEYSTONE_VENV", "keystone-venv")


def cached_venv(variable: str, name: str) -> Path:
    """The venv the environment ``variable`` names, else ``$XDG_CACHE_HOME/osnb/<name>``
    (``~/.cache`` without it): outside the repository, kept between runs."""
    env = os.environ.get(variable)
    if env:
        return Path(env).expanduser().absolute()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache.expanduser().absolute() / "osnb" / name


def serve_until_interrupted() -> None:
    """Block until Ctrl-C or a TERM (even when started in the background, where SIGINT
    is ignored), for a ``serve`` command whose services stop on the way out."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside ``path``, so two processes do not install at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_tool(cmd: list[str], *, what: str, timeout: float, cwd: Path | None = None,
             env: dict[str, str] | None = None,
             error: type[RuntimeError] | None = None) -> str:
    """Run ``cmd``; on failure raise ``error`` (KeystoneUnavailable) with the tail of
    its output."""
    error = error or KeystoneUnavailable
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise error(f"{what} failed: {err}") from None
    out = done.stdout + done.stderr
    if done.returncode != 0:
        # pip's extra-index warnings are noise; keep the lines that say what went wrong.
        lines = [ln for ln in out.splitlines() if not ln.startswith("WARNING: Location")]
        tail = "\n".join(lines[-15:])
        raise error(f"{what} failed (exit {done.returncode}):\n{tail}")
    return out


def _missing(venv: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Those of ``packages`` whose script is not in the venv (all of them when there is
    no venv; Placement and Glance when it was made by an older version of this module,
    for Keystone alone)."""
    return [pkg for pkg in packages if not (venv / "bin" / SCRIPTS[pkg]).is_file()]


def _is_ready(venv: Path, need: tuple[str, ...] = PACKAGES) -> bool:
    return (venv / _READY).is_file() and not _missing(venv, need)


def _versions(venv: Path) -> dict[str, str]:
    code = ("import json; from importlib.metadata import version; "
            f"print(json.dumps({{p: version(p) for p in {list(PACKAGES)!r}}}))")
    out = run_tool([str(venv / "bin" / "python"), "-c", code],
                   what="reading the installed versions", timeout=60)
    versions: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    return versions


def ensure_installed(venv: Path | None = None, *, need: tuple[str, ...] = PACKAGES,
                     log: bool = False) -> Path:
    """The venv with the packages of ``need``: created if missing; when one is missing,
    every missing package of :data:`PACKAGES` is installed in one pip run (a venv made
    for Keystone alone gets Placement and Glance when they are first needed).

    Raises:
        KeystoneUnavailable: pip could not install them (no network to PyPI, a failure).
    """
    venv = venv or venv_path()
    if _is_ready(venv, need):
        return venv
    with locked(venv):
        if _is_ready(venv, need):
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
            run_tool([sys.executable, "-m", "venv", str(venv)],
                     what="creating the Keystone venv", timeout=120)
        missing = _missing(venv) or list(PACKAGES)
        if log:
            print(f"installing {', '.join(missing)} into {venv}", flush=True)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        env.pop("PIP_REQUIRE_VIRTUALENV", None)
        try:
            # Every package named, so the resolver keeps the installed ones compatible.
            run_tool([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                      "--retries", "2", "--timeout", "30", *PACKAGES],
                     what="pip install " + " ".join(missing), timeout=INSTALL_TIMEOUT,
                     env=env)
        except KeystoneUnavailable:
            if created:
                shutil.rmtree(venv, ignore_errors=True)
            raise
        if _missing(venv):
            raise KeystoneUnavailable(f"pip installed {', '.join(missing)} into {venv} "
                                      f"but {', '.join(_missing(venv))} has no script")
        versions = _versions(venv)
        (venv / _READY).write_text(json.dumps({
            **versions, "installed_at": time.time(), "installed": missing,
            "seconds": round(time.monotonic() - started, 1)}))
        (venv / _INSTALLING).unlink(missing_ok=True)
        if log:
            print(", ".join(f"{p} {versions[p]}" for p in missing)
                  + f" installed in {time.monotonic() - started:.1f} s", flush=True)
    return venv


def free_port() -> int:
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
    run_tool([str(venv / "bin" / "keystone-manage"), "--config-file", str(conf), *args],
             what="keystone-manage " + args[0], timeout=300)


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A bootstrapped data directory kept in the venv and copied for each run.

    Its catalog points at a placeholder URL that :func:`running` rewrites.
    """
    template = venv / f"{_TEMPLATE}-{_TEMPLATE_VERSION}"
    if (template / "admin-password").is_file():
        return template
    with locked(template):
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

    def admin_token(self) -> str:
        """A project-scoped token for the admin (a fresh one each call)."""
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": ADMIN_USER, "password": self.admin_password,
            "domain": {"id": "default"}}}},
            "scope": {"project": {"name": ADMIN_PROJECT, "domain": {"id": "default"}}}}}
        r = requests.post(self.auth_url + "/auth/tokens", json=body, timeout=10)
        if r.status_code != 201:
            raise KeystoneUnavailable(f"admin token: {r.status_code} {r.text[:300]}")
        return r.headers["X-Subject-Token"]

    def register_service(self, user: str, service_type: str, url: str) -> str:
        """A service user (admin on project ``service``), the service and its three
        endpoints at ``url``, as a deployment tool sets them up; returns the user's
        password for the service's ``[keystone_authtoken]``."""
        headers = {"X-Auth-Token": self.admin_token()}

        def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
            r = requests.request(method, self.auth_url + path, json=body, headers=headers,
                                 timeout=10)
            if r.status_code >= 300:
                raise KeystoneUnavailable(f"registering {service_type}: {method} {path} "
                                          f"answered {r.status_code} {r.text[:300]}")
            return r.json() if r.content else {}

        found = call("GET", "/projects?name=service")["projects"]
        project = found[0] if found else call("POST", "/projects", {"project": {
            "name": "service", "domain_id": "default",
            "description": "service users"}})["project"]
        role = call("GET", "/roles?name=admin")["roles"][0]
        password = secrets.token_urlsafe(18)
        created = call("POST", "/users", {"user": {
            "name": user, "password": password, "domain_id": "default",
            "default_project_id": project["id"]}})["user"]
        call("PUT", f"/projects/{project['id']}/users/{created['id']}/roles/{role['id']}")
        service = call("POST", "/services", {"service": {
            "name": user, "type": service_type, "enabled": True}})["service"]
        for interface in ("public", "internal", "admin"):
            call("POST", "/endpoints", {"endpoint": {
                "service_id": service["id"], "interface": interface, "url": url,
                "region_id": REGION, "enabled": True}})
        return password


class ServiceUnavailable(KeystoneUnavailable):
    """A real service beside Keystone (Placement, Glance) cannot be had here."""


def authtoken_section(user: str, auth_url: str, password: str) -> str:
    """keystonemiddleware's ``[keystone_authtoken]`` for a service user on project
    ``service`` (what Placement and Glance validate tokens with)."""
    return f"""\
[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {auth_url}
auth_type = password
username = {user}
password = {password}
project_name = service
user_domain_name = Default
project_domain_name = Default
"""


def db_template(venv: Path, name: str, db_file: str, write_config: Callable[[Path], Path],
                manage: list[str], *, log: bool = False) -> Path:
    """A directory ``name`` in the venv holding ``db_file`` migrated by ``manage`` (a
    command run with ``--config-file`` of what ``write_config`` writes), made once under a
    lock; each run of a service copies it instead of migrating again."""
    template = venv / name
    if (template / db_file).is_file():
        return template
    with locked(template):
        if (template / db_file).is_file():
            return template
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"{name}.", dir=venv))
        try:
            conf = write_config(work)
            tool = str(venv / "bin" / manage[0])
            run_tool([tool, "--config-file", str(conf), *manage[1:]],
                     what=" ".join(manage), timeout=300, error=ServiceUnavailable)
            for leftover in work.iterdir():
                if leftover.name != db_file and leftover.is_file():
                    leftover.unlink()
            work.rename(template)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if log:
            print(f"{manage[0].split('-')[0]} database template made in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
    return template


@dataclass
class Service:
    """A running service behind the real Keystone: where it answers, its data, its pid."""

    name: str
    url: str
    data: Path
    pid: int
    timings: dict[str, float] = field(default_factory=dict)

    def log_tail(self, lines: int = 30) -> str:
        text = "\n".join(path.read_text(errors="replace") for path in sorted(
            self.data.glob("*.log")) if path.is_file())
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def served(name: str, venv: Path, data: Path, port: int, *, app: str, config_env: str,
           health: str, t0: float) -> Iterator[Service]:
    """Serve ``app`` from ``data`` with gunicorn until ``GET health`` answers below 400;
    stop it by its pid on exit. ``timings`` count from ``t0`` (install check included).

    Raises:
        ServiceUnavailable: gunicorn exited or the service did not answer in time.
    """
    url = f"http://127.0.0.1:{port}"
    write_gunicorn_conf(data, port, app=app, config_env=config_env)
    t_spawned = time.monotonic()
    proc = spawn_gunicorn(venv, data)
    svc = Service(name=name, url=url, data=data, pid=proc.pid)
    try:
        last = ""
        deadline = t_spawned + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise ServiceUnavailable(f"gunicorn exited with {proc.returncode} before "
                                         f"{name} answered:\n{svc.log_tail()}")
            try:
                r = requests.get(url + health, timeout=5)
                if r.status_code < 400:
                    break
                last = f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as err:
                last = str(err)
            if time.monotonic() > deadline:
                raise ServiceUnavailable(f"{name} not healthy after {START_TIMEOUT:.0f} s "
                                         f"(GET {health}: {last}):\n{svc.log_tail()}")
            time.sleep(0.1)
        t_healthy = time.monotonic()
        svc.timings = {"prepare_s": t_spawned - t0, "start_s": t_healthy - t_spawned,
                       "total_s": t_healthy - t0}
        yield svc
    finally:
        stop(proc)


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


def write_gunicorn_conf(data: Path, port: int, *,
                        app: str = "keystone.wsgi.api:application",
                        config_env: str = "OS_KEYSTONE_CONFIG_DIR") -> None:
    """``gunicorn.conf.py`` in ``data`` serving ``app`` on ``port`` (one worker, threads),
    with ``config_env`` pointing the service at ``data``."""
    # Keystone (as Placement and Glance) hands sys.argv to oslo.config, which rejects
    # gunicorn's flags: configure gunicorn by file only and start it with no arguments.
    (data / "gunicorn.conf.py").write_text(f"""\
wsgi_app = {app!r}
bind = "127.0.0.1:{port}"
workers = 1
threads = 4
worker_class = "gthread"
timeout = 120
pidfile = {str(data / "gunicorn.pid")!r}
errorlog = {str(data / "gunicorn.log")!r}
raw_env = ["{config_env}={data}"]
""")


def spawn_gunicorn(venv: Path, data: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn in ``data`` (its own session, no ``OS_*`` variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    with open(data / "gunicorn.out", "wb") as out:
        return subprocess.Popen([str(venv / "bin" / "gunicorn")], cwd=data, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


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


def stop(proc: subprocess.Popen[bytes]) -> None:
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
    venv = ensure_installed(venv, need=("keystone", "gunicorn"))
    t_installed = time.monotonic()
    template = ensure_template(venv)
    t_template = time.monotonic()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = data_root / "keystone"
    _prepare_data(template, data, url)
    write_gunicorn_conf(data, port)
    proc = spawn_gunicorn(venv, data)
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
        stop(proc)


def main(argv: list[str]) -> int:
    """``install``: the venv and the data templates (Keystone, Placement, Glance);
    ``serve``: run the three until Ctrl-C."""
    from . import glance, placement

    command = argv[0] if argv else "install"
    try:
        if command == "install":
            started = time.monotonic()
            venv = ensure_installed(log=True)
            ensure_template(venv, log=True)
            placement.ensure_template(venv, log=True)
            glance.ensure_template(venv, log=True)
            ready = json.loads((venv / _READY).read_text())
            print(", ".join(f"{p} {ready[p]}" for p in PACKAGES if p in ready)
                  + f" ready in {venv} ({time.monotonic() - started:.1f} s)", flush=True)
            return 0
        if command == "serve":
            with contextlib.ExitStack() as stack:
                tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                ks = stack.enter_context(running(tmp))
                services = [stack.enter_context(module.running(ks, tmp))
                            for module in (placement, glance)]
                import yaml

                print(yaml.safe_dump(ks.clouds, sort_keys=False), flush=True)
                print(f"serving Keystone at {ks.url} (pid {ks.pid}), "
                      + ", ".join(f"{s.name} at {s.url} (pid {s.pid})" for s in services)
                      + "; Ctrl-C stops", flush=True)
                serve_until_interrupted()  # the three stop by their pids on the way out
            return 0
    except KeystoneUnavailable as err:
        what = "service" if isinstance(err, ServiceUnavailable) else "Keystone"
        print(f"real {what} unavailable: {err}", file=sys.stderr)
        return 1
    print(f"usage: python -m tests.realcloud.keystone [install|serve] (not {command!r})",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
