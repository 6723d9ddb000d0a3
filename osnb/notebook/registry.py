"""The kernel's connections: one registry instance, shared by the magics and callers.

Connections are keyed by (cloud, region, project), so ``%os_connect prod`` twice returns
the cached connection at once — unless the cloud's settings changed since (it moved:
clouds.yaml now names another auth URL, user or endpoint) — and ``--refresh`` replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc

if TYPE_CHECKING:
    from ..sdk.connection import Connection

__all__ = ["REGISTRY", "Registry", "hint"]

Key = tuple[str, str | None, str | None]
_PROJECT_ID = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f-]{36}$")


@dataclass
class Registry:
    """Connections by (cloud, region, project), and which names they are bound to."""

    connections: dict[Key, Connection] = field(default_factory=dict)
    bound: dict[str, Key] = field(default_factory=dict)

    def connect(self, cloud: str, *, region: str | None = None, project: str | None = None,
                refresh: bool = False, **overrides: Any) -> tuple[Connection, bool]:
        """The connection for ``cloud``/``region``/``project`` and whether it was cached."""
        from ..face import connect

        key: Key = (cloud, region, project)
        if project:
            scope = ({"project_id": project, "project_name": None}
                     if _PROJECT_ID.match(project) else
                     {"project_name": project, "project_id": None})
            overrides["auth"] = {**overrides.get("auth", {}), **scope}
        cached = self.connections.get(key)
        if not refresh and cached is not None and not _moved(cached, cloud, region, overrides):
            return cached, True
        conn = connect(cloud, region_name=region, **overrides)
        conn.authorize()
        old = self.connections.get(key)
        if old is not None:
            old.close()
        self.connections[key] = conn
        return conn, False

    def bind(self, name: str, conn: Connection) -> None:
        for key, value in self.connections.items():
            if value is conn:
                self.bound[name] = key

    def disconnect(self, name: str | None = None) -> list[str]:
        """Forget the connection bound to ``name`` (all when None); returns names unbound."""
        names = [name] if name else list(self.bound)
        gone = []
        for bound_name in names:
            key = self.bound.pop(bound_name, None)
            if key is None:
                continue
            gone.append(bound_name)
            if key not in self.bound.values():
                conn = self.connections.pop(key, None)
                if conn is not None:
                    conn.close()
        return gone


REGISTRY = Registry()


def _moved(conn: Connection, cloud: str, region: str | None, overrides: dict[str, Any]
           ) -> bool:
    """Whether ``cloud``'s settings now differ from those ``conn`` was made with (its
    clouds.yaml or secure.yaml was edited: another auth URL, user, endpoint…), so the
    cached connection must not be reused. A cloud that no longer resolves (the embedded
    demo cloud, which is in no file) counts as unmoved."""
    from ..sdk.config import get_cloud_region

    try:
        fresh = get_cloud_region(cloud, region_name=region, **overrides)
    except Exception:  # noqa: BLE001 - not resolvable from the files: keep what works
        return False
    try:
        return bool(fresh.config != conn.config.config or fresh.region_name !=
                    conn.config.region_name)
    finally:
        fresh.session.session.close()


def hint(cloud: str, err: BaseException, project: str | None = None) -> str:
    """One line that says why connecting to ``cloud`` failed and what to do next: osnb's
    exceptions name the user, project, URL and request id and carry the hint themselves.
    Anything else is re-raised (a bug, not a user error)."""
    if isinstance(err, exc.ConfigError):
        return str(err)
    if isinstance(err, exc.Unauthorized):
        scope = f", or the user has no role on project {project!r}" if project else ""
        return (f"cloud {cloud!r}: the credentials were refused (401){scope}. "
                f"{err.message or err}")
    if isinstance(err, exc.SDKException):
        return f"cloud {cloud!r}: {type(err).__name__}: {err}"
    raise err
