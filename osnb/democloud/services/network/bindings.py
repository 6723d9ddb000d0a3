"""Port bindings (an admin's): the host a port is bound to, and the inactive binding a
live migration prepares on its destination before it activates it (Neutron
``/ports/{port_id}/bindings``).

The active binding is the port's own ``binding:host_id``; activating another host's
moves the port there and leaves the old one inactive.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, check_body
from ...http import ApiError, json_response
from ...store import Record
from . import model
from ._common import body_of, conflict, matching, strip_json
from .core import PORTS

__all__ = ["routes"]

_FIELDS = {"host": Field(max_length=255, required=True),
           "vnic_type": PORTS.fields["binding:vnic_type"],
           "profile": Field(type="dict", nullable=True)}


def _binding(host: str, port: Record, status: str, profile: Any = None,
             vnic_type: str | None = None) -> Record:
    return {"host": host, "vif_type": "ovs", "vnic_type": vnic_type or
            port.get("binding:vnic_type") or "normal", "status": status,
            "profile": dict(profile or {}), "vif_details": dict(model.OVS_VIF_DETAILS)}


def _port(request: Request) -> tuple[Ctx, Record, dict[str, Record]]:
    """The caller (an admin), the port and its inactive bindings by host."""
    ctx = Ctx.of(request)
    if not ctx.admin:
        action = {"GET": "get", "POST": "create", "PUT": "activate",
                  "DELETE": "delete"}[request.method]
        raise PORTS.dialect.forbidden(f"{action}_port_binding")
    port = PORTS.get(ctx, request.path_params["port_id"])
    return ctx, port, ctx.store.table("port_bindings").setdefault(port["id"], {})


def _all(port: Record, inactive: dict[str, Record]) -> list[Record]:
    host = port.get("binding:host_id")
    active = [_binding(host, port, "ACTIVE", port.get("binding:profile"))] if host else []
    return active + list(inactive.values())


def _missing(port: Record, host: str) -> ApiError:
    return ApiError(404, f"Binding for port {port['id']} for host {host} could not be found.",
                    type="PortBindingNotFound")


async def list_bindings(request: Request) -> Response:
    _, port, inactive = _port(request)
    return json_response({"bindings": matching(request, _all(port, inactive),
                                                ("host", "vif_type", "vnic_type", "status"))})


async def create_binding(request: Request) -> Response:
    ctx, port, inactive = _port(request)
    attrs = check_body(PORTS.dialect, _FIELDS, await body_of(request, "binding"), create=True)
    host = attrs["host"]
    if host == port.get("binding:host_id") or host in inactive:
        raise conflict(f"Binding for port {port['id']} on host {host} already exists.",
                       "PortBindingAlreadyExists")
    if port.get("binding:host_id"):
        made = inactive[host] = _binding(host, port, "INACTIVE", attrs.get("profile"),
                                         attrs.get("vnic_type"))
    else:
        port["binding:host_id"], port["binding:vif_type"] = host, "ovs"
        port["binding:vif_details"] = model.vif_details(host)
        port["binding:profile"] = dict(attrs.get("profile") or {})
        model.stamp(port)
        made = _binding(host, port, "ACTIVE", attrs.get("profile"), attrs.get("vnic_type"))
    return json_response({"binding": made}, 201)


async def activate(request: Request) -> Response:
    ctx, port, inactive = _port(request)
    host = strip_json(request.path_params["host"])
    if host == port.get("binding:host_id"):
        raise conflict(f"Binding for port {port['id']} for host {host} is already active.",
                       "PortBindingAlreadyActive")
    if host not in inactive:
        raise _missing(port, host)
    old = port.get("binding:host_id")
    if old:
        inactive[old] = _binding(old, port, "INACTIVE", port.get("binding:profile"))
    chosen = inactive.pop(host)
    port.update({"binding:host_id": host, "binding:profile": chosen["profile"],
                 "binding:vif_type": "ovs", "binding:vnic_type": chosen["vnic_type"],
                 "binding:vif_details": model.vif_details(host)})
    model.stamp(port)
    model.servers_changed(ctx.store, port)
    return json_response({"binding": {**chosen, "status": "ACTIVE"}})


async def delete_binding(request: Request) -> Response:
    ctx, port, inactive = _port(request)
    host = strip_json(request.path_params["host"])
    if host in inactive:
        del inactive[host]
    elif host and host == port.get("binding:host_id"):
        port.update({"binding:host_id": "", "binding:vif_type": "unbound",
                     "binding:profile": {}, "binding:vif_details": {}})
        model.stamp(port)
    else:
        raise _missing(port, host)
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    base = "/v2.0/ports/{port_id}/bindings"
    return [Route(base, list_bindings, methods=["GET"]),
            Route(base, create_binding, methods=["POST"]),
            Route(base + "/", create_binding, methods=["POST"]),
            Route(base + "/{host}/activate", activate, methods=["PUT"]),
            Route(base + "/{host}", delete_binding, methods=["DELETE"])]
