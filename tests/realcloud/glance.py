"""A real Glance (``glance`` from PyPI) on loopback, behind the real Keystone.

It lives in Keystone's venv (see :mod:`tests.realcloud.keystone`) and stores image data
with glance_store's file backend in its data directory. A migrated sqlite database is kept
in the venv as a template; each run copies it, registers a ``glance`` service user, the
``image`` service and its endpoints in the running Keystone, and serves
``glance.wsgi.api:application`` with gunicorn (one worker).
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from . import keystone

__all__ = ["SERVICE_TYPE", "ensure_template", "running"]

SERVICE_TYPE = "image"
_TEMPLATE = "osnb-glance-template-2"  # bump when the template changes
_STORES = ("images", "staging", "tasks", "locks")


def _write_config(data: Path, *, url: str = "", auth_url: str = "",
                  password: str = "") -> Path:
    """``glance-api.conf``: sqlite and file stores in ``data``, keystonemiddleware with
    the service user."""
    conf = data / "glance-api.conf"
    conf.write_text(f"""\
[DEFAULT]
log_file = {data}/glance-api.log
enabled_backends = fs:file
# Interoperable image import calls the API it runs in.
worker_self_reference_url = {url}
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = {data}/images
[os_glance_staging_store]
filesystem_store_datadir = {data}/staging
[os_glance_tasks_store]
filesystem_store_datadir = {data}/tasks
[database]
connection = sqlite:///{data}/glance.db
[oslo_concurrency]
lock_path = {data}/locks
[paste_deploy]
flavor = keystone
"""
                    + keystone.authtoken_section("glance", auth_url, password))
    return conf


def _paste_ini(venv: Path) -> Path:
    """Glance's paste pipeline, installed by pip under the venv's ``etc/glance``."""
    path = venv / "etc" / "glance" / "glance-api-paste.ini"
    if not path.is_file():
        raise keystone.ServiceUnavailable(f"{path} is missing: is glance installed in {venv}?")
    return path


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A directory in the venv holding ``glance.db`` after ``glance-manage db_sync``."""
    return keystone.db_template(venv, _TEMPLATE, "glance.db", _write_config, ['glance-manage', 'db_sync'],
                                log=log)


@contextlib.contextmanager
def running(ks: keystone.Keystone, data_root: Path, *, venv: Path | None = None
            ) -> Iterator[keystone.Service]:
    """Start Glance on a free loopback port, registered in ``ks``; stop it on exit.

    Raises:
        keystone.ServiceUnavailable: with the reason (install, db_sync, gunicorn output).
    """
    t0 = time.monotonic()
    venv = keystone.ensure_installed(venv, need=("glance", "gunicorn"))
    template = ensure_template(venv)
    port = keystone.free_port()
    url = f"http://127.0.0.1:{port}"
    data = data_root / "glance"
    shutil.copytree(template, data)
    for store in _STORES:
        (data / store).mkdir()
    shutil.copy(_paste_ini(venv), data / "glance-api-paste.ini")
    password = ks.register_service("glance", SERVICE_TYPE, url)
    _write_config(data, url=url, auth_url=ks.auth_url, password=password)
    with keystone.served("Glance", venv, data, port, app="glance.wsgi.api:application",
                         config_env="OS_GLANCE_CONFIG_DIR", health="/healthcheck",
                         t0=t0) as svc:
        yield svc
