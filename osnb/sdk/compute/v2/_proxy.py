"""``conn.compute``: the Compute (Nova) v2.1 proxy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...proxy import Proxy as _BaseProxy
from ...proxy import WaitCallback
from ...resource_list import ResourceList
from .flavor import Flavor
from .server import Server

__all__ = ["Proxy"]


class Proxy(_BaseProxy):
    """Compute API: servers, flavors and their neighbours."""

    service_type = "compute"
    api_version = "2"

    # -- servers --------------------------------------------------------------------------
    def servers(self, details: bool = True, all_projects: bool = False,
                **query: Any) -> ResourceList[Server]:
        """List servers (``/servers/detail`` unless ``details=False``); ``all_projects``
        needs the admin role."""
        base = Server.base_path + ("/detail" if details else "")
        return self._list(Server, base_path=base, all_projects=all_projects or None, **query)

    def get_server(self, server: str | Server) -> Server:
        return self._get(Server, server)

    def find_server(self, name_or_id: str, ignore_missing: bool = False, *,
                    details: bool = True, all_projects: bool = False) -> Server | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Server, name_or_id, ignore_missing=ignore_missing,
                          base_path=Server.base_path + ("/detail" if details else ""),
                          all_projects=all_projects or None)

    def create_server(self, **attrs: Any) -> Server:
        """Create a server: ``name``, ``flavor_id``, ``image_id``, ``networks``, …"""
        return self._create(Server, **attrs)

    def update_server(self, server: str | Server, **attrs: Any) -> Server:
        return self._update(Server, server, **attrs)

    def delete_server(self, server: str | Server, ignore_missing: bool = True) -> None:
        self._delete(Server, server, ignore_missing=ignore_missing)

    def wait_for_server(self, server: Server, status: str = "ACTIVE",
                        failures: Iterable[str] = ("ERROR",), interval: float = 2.0,
                        wait: float = 120.0, callback: WaitCallback | None = None) -> Server:
        """Poll until the server reaches ``status``; ResourceFailure on ``failures``."""
        return self.wait_for_status(server, status, failures, interval, wait,
                                    callback=callback)

    # -- flavors --------------------------------------------------------------------------
    def flavors(self, details: bool = True, **query: Any) -> ResourceList[Flavor]:
        base = Flavor.base_path + ("/detail" if details else "")
        return self._list(Flavor, base_path=base, **query)

    def get_flavor(self, flavor: str | Flavor) -> Flavor:
        return self._get(Flavor, flavor)

    def find_flavor(self, name_or_id: str, ignore_missing: bool = False) -> Flavor | None:
        return self._find(Flavor, name_or_id, ignore_missing=ignore_missing)
