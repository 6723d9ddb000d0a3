"""An embedded, simulated OpenStack served over real HTTP on loopback.

``start()`` generates a seeded world and serves Keystone, Nova, Neutron, Cinder, Glance and
Placement APIs on one port from a background thread::

    with osnb.democloud.start(servers=200) as cloud:
        conn = osnb.connect(cloud="demo", config=cloud.clouds)

Its dependencies (starlette, uvicorn, orjson) are imported only here, so ``import osnb``
stays light.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from ._serve import Served
from .store import Config, Store

__all__ = ["Config", "DemoCloud", "start"]

T = TypeVar("T")


class DemoCloud:
    """A running demo cloud: its URL, ``clouds.yaml`` content, world, and ``stop()``."""

    def __init__(self, store: Store, served: Served, app: Any) -> None:
        self.store = store
        self._served = served
        self._app = app
        self.host = served.host
        self.port = served.port
        self.url = served.url
        self.auth_url = f"{self.url}/identity/v3"

    @property
    def config(self) -> Config:
        return self.store.config

    @property
    def clouds(self) -> dict[str, Any]:
        """``clouds.yaml`` as a mapping: ``demo`` (admin) and ``demo-member``."""
        meta = self.store.meta
        common = {"region_name": meta.get("region", "RegionOne"), "interface": "public",
                  "identity_api_version": 3}

        def auth(user: str, password: str, project: str) -> dict[str, Any]:
            return {"auth_url": self.auth_url, "username": user, "password": password,
                    "project_name": project, "user_domain_name": "Default",
                    "project_domain_name": "Default"}

        return {"clouds": {
            "demo": {"auth": auth(meta["admin_user"], meta["admin_password"],
                                  meta["admin_project"]), **common},
            "demo-member": {"auth": auth(meta["member_user"], meta["member_password"],
                                         meta["member_project"]), **common},
        }}

    @property
    def clouds_yaml(self) -> str:
        return yaml.safe_dump(self.clouds, sort_keys=False)

    def write_clouds_yaml(self, path: str | Path) -> Path:
        """Write ``clouds.yaml`` (it holds both passwords) readable by its owner only.

        The file is made 0600 from its first byte: written to a new file beside ``path``
        (``O_EXCL|O_NOFOLLOW``, so nothing planted there is followed) and renamed over it.

        Raises:
            IsADirectoryError, FileExistsError: ``path`` is a directory, or a symbolic
                link (which would send the passwords wherever it points).
        """
        target = Path(path)
        if target.is_symlink():
            raise FileExistsError(f"refusing to write credentials to {target}: it is a "
                                  "symbolic link; remove it or choose another path")
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a directory; give the path of the "
                                    "clouds.yaml file to write")
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.clouds_yaml)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return target

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the server's loop, where the world may be changed safely."""
        return self._served.call(fn)

    def set_faults(self, *, latency_ms: float | None = None, error_rate: float | None = None,
                   rate_limit_rate: float | None = None, retry_after: int | None = None,
                   on_auth: bool | None = None) -> None:
        """Change fault injection while serving; ``None`` leaves a setting as it is."""
        cfg = self.store.config
        if latency_ms is not None:
            cfg.latency_ms = latency_ms
        if error_rate is not None:
            cfg.error_rate = error_rate
        if rate_limit_rate is not None:
            cfg.rate_limit_rate = rate_limit_rate
        if retry_after is not None:
            cfg.retry_after = retry_after
        if on_auth is not None:
            self._app.app.faults_on_auth = on_auth  # RequestId -> Fault middleware

    def stop(self) -> None:
        self._served.stop()

    def __enter__(self) -> DemoCloud:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        cfg = self.config
        return (f"<DemoCloud {self.url} seed={cfg.seed} projects={cfg.projects} "
                f"servers={cfg.servers}>")


def build_store(config: Config | None = None, *, base_url: str = "",
                **overrides: Any) -> Store:
    """A generated world, not served (for tests and benchmarks of the generator).

    ``base_url`` is where it will be served, if known: the records' links point there.
    """
    from .app import seed_world

    cfg = config or Config()
    for key, value in overrides.items():
        setattr(cfg, key, value)
    store = Store(cfg)
    store.base_url = base_url
    return seed_world(store)


def start(config: Config | None = None, *, host: str = "127.0.0.1", port: int = 0,
          **overrides: Any) -> DemoCloud:
    """Generate a world and serve it from a background thread until ``stop()``.

    ``overrides`` set :class:`Config` fields (``seed``, ``projects``, ``servers``,
    ``latency_ms``, ``error_rate``, …). ``port=0`` picks a free port.
    """
    from ._serve import bind, serve_app
    from .app import build_app

    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    store = build_store(config, base_url=f"http://{bound_host}:{bound_port}", **overrides)
    app = build_app(store)
    return DemoCloud(store, serve_app(app, sock), app)
