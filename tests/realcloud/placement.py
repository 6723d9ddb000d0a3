"""A real Placement (``openstack-placement`` from PyPI) on loopback, behind the real Keystone.

It lives in Keystone's venv (see :mod:`tests.realcloud.keystone`). A migrated sqlite
database is kept in the venv as a template; each run copies it, registers a ``placement``
service user, the service and its endpoints in the running Keystone, and serves
``placement.wsgi.api:application`` with gunicorn (one worker).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from . import keystone

__all__ = ["SERVICE_TYPE", "ensure_template", "running"]

SERVICE_TYPE = "placement"
_TEMPLATE = "osnb-placement-template-1"  # bump when the template changes


def _write_config(data: Path, *, auth_url: str = "", password: str = "") -> Path:
    """``placement.conf``: sqlite in ``data``, keystonemiddleware with the service user."""
    conf = data / "placement.conf"
    auth = "noauth2" if not auth_url else "keystone"
    conf.write_text(f"""\
[DEFAULT]
log_file = {data}/placement.log
[api]
auth_strategy = {auth}
[placement_database]
connection = sqlite:///{data}/placement.db
[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {auth_url}
auth_type = password
username = placement
password = {password}
project_name = service
user_domain_name = Default
project_domain_name = Default
""")
    return conf


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A directory in the venv holding ``placement.db`` after ``placement-manage db sync``."""
    template = venv / _TEMPLATE
    if (template / "placement.db").is_file():
        return template
    with keystone.locked(template):
        if (template / "placement.db").is_file():
            return template
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"{_TEMPLATE}.", dir=venv))
        try:
            conf = _write_config(work)
            keystone.run_tool([str(venv / "bin" / "placement-manage"), "--config-file",
                               str(conf), "db", "sync"], what="placement-manage db sync",
                              timeout=300, error=keystone.ServiceUnavailable)
            for name in ("placement.conf", "placement.log"):
                (work / name).unlink(missing_ok=True)
            work.rename(template)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if log:
            print(f"placement database template made in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
    return template


@contextlib.contextmanager
def running(ks: keystone.Keystone, data_root: Path, *, venv: Path | None = None
            ) -> Iterator[keystone.Service]:
    """Start Placement on a free loopback port, registered in ``ks``; stop it on exit.

    Raises:
        keystone.ServiceUnavailable: with the reason (install, db sync, gunicorn output).
    """
    t0 = time.monotonic()
    venv = keystone.ensure_installed(venv, need=("openstack-placement", "gunicorn"))
    template = ensure_template(venv)
    port = keystone.free_port()
    url = f"http://127.0.0.1:{port}"
    data = data_root / "placement"
    shutil.copytree(template, data)
    password = ks.register_service("placement", SERVICE_TYPE, url)
    _write_config(data, auth_url=ks.auth_url, password=password)
    with keystone.served("Placement", venv, data, port,
                         app="placement.wsgi.api:application",
                         config_env="OS_PLACEMENT_CONFIG_DIR", health="/", t0=t0) as svc:
        yield svc
