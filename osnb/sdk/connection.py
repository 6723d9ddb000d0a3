"""Connection: a CloudRegion plus one lazily created proxy per service.

``conn.compute``, ``conn.network``, ``conn.block_storage``, ``conn.image``,
``conn.identity`` and ``conn.placement`` are created on first access; the endpoint comes
from the token's catalog (interface and region from the cloud's settings) and version
discovery, unless the cloud sets ``<service>_endpoint_override``.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

from . import hooks
from .config import CloudRegion, get_cloud_region, mask

if TYPE_CHECKING:
    from .block_storage.v3._proxy import Proxy as BlockStorageProxy
    from .compute.v2._proxy import Proxy as ComputeProxy
    from .identity.v3._proxy import Proxy as IdentityProxy
    from .image.v2._proxy import Proxy as ImageProxy
    from .names import NameCache
    from .network.v2._proxy import Proxy as NetworkProxy
    from .placement.v1._proxy import Proxy as PlacementProxy
    from .proxy import Proxy

__all__ = ["Connection", "SERVICES"]

SERVICES: dict[str, tuple[str, str]] = {
    "compute": ("compute", "osnb.sdk.compute.v2._proxy"),
    "network": ("network", "osnb.sdk.network.v2._proxy"),
    "block_storage": ("block-storage", "osnb.sdk.block_storage.v3._proxy"),
    "image": ("image", "osnb.sdk.image.v2._proxy"),
    "identity": ("identity", "osnb.sdk.identity.v3._proxy"),
    "placement": ("placement", "osnb.sdk.placement.v1._proxy"),
}
"""Attribute name → (service type, module holding its ``Proxy``)."""


def _auth_type_of(session: Any) -> str | None:
    from .proxy import _AUTH_TYPES

    return _AUTH_TYPES.get(type(getattr(session, "auth", None)).__name__)


class Connection:
    """The entry point to one cloud region: ``conn.compute.servers()``."""

    if TYPE_CHECKING:
        compute: ComputeProxy
        network: NetworkProxy
        block_storage: BlockStorageProxy
        image: ImageProxy
        identity: IdentityProxy
        placement: PlacementProxy

    def __init__(self, cloud_region: CloudRegion | None = None, *, cloud: str | None = None,
                 **kwargs: Any) -> None:
        self.config = cloud_region or get_cloud_region(cloud, **kwargs)
        self.session = self.config.session
        self._proxies: dict[str, Proxy] = {}
        self._lock = threading.Lock()
        self._names: NameCache | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in SERVICES:
            raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")
        with self._lock:
            if name not in self._proxies:
                self._proxies[name] = self._make_proxy(name)
        return self._proxies[name]

    def __dir__(self) -> list[str]:
        """The service proxies too, so ``dir(conn)`` and ``conn.<TAB>`` offer them."""
        return sorted(set(super().__dir__()) | set(SERVICES))

    def _make_proxy(self, name: str) -> Proxy:
        service_type, module_name = SERVICES[name]
        module = importlib.import_module(module_name)
        proxy_class = module.Proxy
        cfg = self.config
        kwargs: dict[str, Any] = {
            "service_type": service_type,
            "interface": cfg.service_setting(service_type, "interface") or cfg.interface,
            "region_name": cfg.region_name,
        }
        override = cfg.service_setting(service_type, "endpoint_override")
        if override:
            kwargs["endpoint_override"] = override
        version = cfg.service_setting(service_type, "api_version")
        if version and not override:
            kwargs["version"] = str(version)
        from .retry import RetryPolicy

        proxy: Proxy = proxy_class(self.session, connection=self,
                                   retry_policy=RetryPolicy.from_config(cfg.config), **kwargs)
        return proxy

    # -- who am I -----------------------------------------------------------------------
    @property
    def current_user_id(self) -> str | None:
        return self._auth_call(self.session.get_user_id)

    @property
    def current_project_id(self) -> str | None:
        return self._auth_call(self.session.get_project_id)

    @property
    def names(self) -> NameCache:
        """``id → name`` per kind, listed once for this connection: what
        ``to_pandas(names=True)`` and the analyses put beside ids."""
        with self._lock:
            if self._names is None:
                from .names import NameCache

                self._names = NameCache(self)
        return self._names

    def authorize(self) -> str:
        """Authenticate now (``osnb.connect`` does, unless ``authenticate=False``);
        returns the token. A refusal raises :class:`~osnb.sdk.exceptions.AuthenticationFailed`
        naming the cloud, user, project and auth URL.

        The token is a credential: do not print it.
        """
        token: str = self._auth_call(self.session.get_token)
        return token

    def _auth_call(self, call: Any) -> Any:
        from keystoneauth1 import exceptions as ks

        from .exceptions import SDKException, from_keystoneauth

        cfg = self.config
        context = {"cloud": cfg.name, "region": cfg.region_name, "service": "identity"}
        try:
            return call()
        except SDKException as err:
            err.annotate(**context)
            raise
        except ks.ClientException as err:
            auth = cfg.config.get("auth") if isinstance(cfg.config.get("auth"), dict) else {}
            translated = from_keystoneauth(err, auth=auth, auth_type=cfg.config.get(
                "auth_type") or _auth_type_of(self.session), **context)
        raise translated  # outside the except block: no __context__ with credentials

    # -- analyses: osnb.analysis registers them in the door (osnb.sdk.hooks); the SDK
    #    imports no analysis, and pandas is imported when one runs ----------------------
    def quota_report(self, projects: Any = None, services: Any = ("compute", "network",
                     "block_storage"), **kwargs: Any) -> Any:
        """Every project's quotas with use and headroom: :func:`osnb.analysis.quota_report`."""
        return hooks.require("quota_report", "conn.quota_report()")(self, projects, services, **kwargs)

    def lookup(self, name_or_id: str, **kwargs: Any) -> Any:
        """What an id, name or address is, across services: :func:`osnb.analysis.lookup`."""
        return hooks.require("lookup", "conn.lookup()")(self, name_or_id, **kwargs)

    def server_story(self, server: Any, **kwargs: Any) -> Any:
        """A server with host, ports, volumes, actions, fault: :func:`osnb.analysis.server_story`."""
        return hooks.require("server_story", "conn.server_story()")(self, server, **kwargs)

    def capacity(self, by: str = "host", **kwargs: Any) -> Any:
        """Capacity and headroom per host, aggregate or zone: :func:`osnb.analysis.capacity`."""
        return hooks.require("capacity", "conn.capacity()")(self, by, **kwargs)

    def usage(self, start: Any, end: Any) -> Any:
        """Server hours per project over a period: :func:`osnb.analysis.usage`."""
        return hooks.require("usage", "conn.usage()")(self, start, end)

    def for_projects(self, projects: Any) -> Any:
        """``(name, Connection)`` per project, same credentials, for :func:`osnb.analysis.fan_out`."""
        return hooks.require("connections_for_projects", "conn.for_projects()")(self, projects)

    def close(self) -> None:
        self.session.session.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        auth = mask(self.config.config.get("auth") or {})
        return (f"<Connection cloud={self.config.name!r} region={self.config.region_name!r} "
                f"auth_url={auth.get('auth_url')!r} user={auth.get('username')!r} "
                f"project={auth.get('project_name') or auth.get('project_id')!r}>")
