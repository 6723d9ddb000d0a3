"""A real Placement (``openstack-placement`` from PyPI) on loopback, behind the real Keystone.

It lives in Keystone's venv (see :mod:`tests.realcloud.keystone`). A migrated sqlite
database is kept in the venv as a template; each run copies it, registers a ``placement``
service user, the service and its endpoints in the running Keystone, and serves
``placement.wsgi.api:application`` with gunicorn (one worker).
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from . import keystone

__all__ = ["SERVICE_TYPE", "ensure_template", "running"]

SERVICE_TYPE = "placement"
_TEMPLATE = "osnb-placement-template-2"  # bump when the template changes


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
"""
                    + keystone.authtoken_section("placement", auth_url, password))
    return conf


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A directory in the venv holding ``placement.db`` after ``placement-manage db sync``."""
    return keystone.db_template(venv, _TEMPLATE, "placement.db", _write_config, ['placement-manage', 'db', 'sync'],
                                log=log)


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
