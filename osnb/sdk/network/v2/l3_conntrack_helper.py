"""Conntrack helpers: a router's connection-tracking helper (FTP, TFTP, SIP…) for one
protocol and port (Neutron ``/routers/{id}/conntrack_helpers``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["ConntrackHelper"]


class ConntrackHelper(Resource):
    """The ``helper`` the router runs for ``protocol``/``port``."""

    resource_key = "conntrack_helper"
    resources_key = "conntrack_helpers"
    base_path = "/routers/%(router_id)s/conntrack_helpers"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("fields", "protocol", "port", "helper", "sort_key", "sort_dir")

    router_id: str | None = uri("router_id")
    protocol: str | None = prop("protocol")
    port: int | None = prop("port")
    helper: str | None = prop("helper")
