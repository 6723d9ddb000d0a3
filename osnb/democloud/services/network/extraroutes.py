"""Extra routes edited atomically (Neutron's ``extraroute-atomic``): ``add_extraroutes``
and ``remove_extraroutes`` change a router's ``routes`` by the set sent, not the whole
list. A new route's next hop must be on a subnet the router is connected to."""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import json_response
from ...store import Record, Store
from . import model
from ._common import bad, body_of
from .l3 import ROUTERS

__all__ = ["routes"]


def _route(value: Any) -> Record:
    """``{"destination", "nexthop"}`` checked and normalised, or Neutron's 400."""
    if not isinstance(value, dict) or set(value) != {"destination", "nexthop"}:
        raise bad(f"Invalid input for routes. Reason: '{value}' is not a valid route: "
                  "destination and nexthop are required.")
    try:
        destination = str(ipaddress.ip_network(value["destination"], strict=False))
        nexthop = str(ipaddress.ip_address(value["nexthop"]))
    except (TypeError, ValueError):
        raise bad(f"Invalid input for routes. Reason: '{value}' is not a valid route.") \
            from None
    return {"destination": destination, "nexthop": nexthop}


def _connected(store: Store, router: Record) -> list[ipaddress.IPv4Network |
                                                      ipaddress.IPv6Network]:
    """The CIDRs of the subnets the router has an interface or its gateway on."""
    subnets = store.table("subnets")
    ids = [sid for sid, rid in model.index(store).router_by_subnet.items()
           if rid == router["id"]]
    ids += [ip["subnet_id"] for ip in
            (router.get("external_gateway_info") or {}).get("external_fixed_ips", [])]
    return [ipaddress.ip_network(subnets[s]["cidr"]) for s in ids if s in subnets]


async def _edit(request: Request, add: bool) -> Response:
    ctx = Ctx.of(request)
    router = ROUTERS.get(ctx, request.path_params["id"])
    ROUTERS.may_change(ctx, router, "update")
    body = await body_of(request, "router")
    wanted = body.get("routes")
    if not isinstance(wanted, list):
        raise bad(f"Invalid input for routes. Reason: '{wanted}' is not a list.")
    routes = [_route(r) for r in wanted]
    if add:
        nets = _connected(ctx.store, router)
        for r in routes:
            hop = ipaddress.ip_address(r["nexthop"])
            if not any(hop in net for net in nets):
                raise bad(f"Invalid format for routes: {r}, the nexthop is not connected "
                          "with router", type="InvalidRoutes")
        router["routes"] = router["routes"] + [r for r in routes
                                               if r not in router["routes"]]
    else:
        router["routes"] = [r for r in router["routes"] if r not in routes]
    model.stamp(router)
    return json_response({"router": ROUTERS.render(ctx, router)})


async def add_extraroutes(request: Request) -> Response:
    return await _edit(request, True)


async def remove_extraroutes(request: Request) -> Response:
    return await _edit(request, False)


def routes() -> list[BaseRoute]:
    return [Route("/v2.0/routers/{id}/add_extraroutes", add_extraroutes, methods=["PUT"]),
            Route("/v2.0/routers/{id}/remove_extraroutes", remove_extraroutes,
                  methods=["PUT"])]
