"""Agent scheduling (which DHCP agents serve a network, which L3 agent hosts a router),
the auto-allocated topology, and the network flavors with their service profiles.

Hosting starts as the world's ports say (a network is served by the DHCP agent on the
host of its DHCP port, a router hosted by the L3 agent where its ports are bound) and an
admin moves it: a router is hosted by one L3 agent at a time (409 when it already is).
``GET /auto-allocated-topology/{project}`` makes the project a network, a subnet from the
default pool and a router on the default external network the first time it is asked.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record, Store
from . import model
from ._common import (
    BOOL,
    RO,
    InUse,
    NeutronCollection,
    admin_ctx,
    bad,
    conflict,
    document,
    required,
    strip_json,
)
from .core import NETWORKS, SUBNETS
from .l3 import ROUTERS
from .misc import AGENTS, ensure_agents

__all__ = ["FLAVORS", "SERVICE_PROFILES", "routes", "seed"]

_NAMESPACE = uuid.UUID("9e8d7c6b-5a4f-4e3d-a2c1-b0f9e8d7c6b5")


# -- agent scheduling --------------------------------------------------------------------

def _hosting(store: Store) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Network id → its DHCP agents' ids, router id → its L3 agent's id (made from the
    world's ports the first time they are read)."""
    meta = store.meta
    if "network.dhcp_hosting" not in meta:
        agents = ensure_agents(store).values()
        dhcp = {a["host"]: a["id"] for a in agents if a["agent_type"] == "DHCP agent"}
        l3 = {a["host"]: a["id"] for a in agents if a["agent_type"] == "L3 agent"}
        first_l3 = next(iter(l3.values()), None)
        nets: dict[str, list[str]] = {}
        routers: dict[str, str] = {}
        router_ids = set(store.table("routers"))
        for port in store.table("ports").values():
            host = port.get("binding:host_id") or ""
            if port["device_owner"] == "network:dhcp" and host in dhcp:
                held = nets.setdefault(port["network_id"], [])
                if dhcp[host] not in held:
                    held.append(dhcp[host])
            elif port["device_id"] in router_ids and port["device_id"] not in routers:
                agent = l3.get(host, first_l3)
                if agent is not None:
                    routers[port["device_id"]] = agent
        meta["network.dhcp_hosting"], meta["network.l3_hosting"] = nets, routers
    return meta["network.dhcp_hosting"], meta["network.l3_hosting"]


def _admin_agent(request: Request, rule: str, kind: str | None = None) -> tuple[Ctx, Record]:
    ctx = admin_ctx(request, rule)
    agent = AGENTS.get(ctx, strip_json(request.path_params["agent_id"]))
    if kind is not None and agent["agent_type"] != kind:
        text = "a valid DHCP Agent" if kind == "DHCP agent" else "a L3 Agent"
        raise ApiError(404, f"Agent {agent['id']} is not {text} or has been disabled.",
                       type="InvalidDHCPAgent" if kind == "DHCP agent" else "InvalidL3Agent")
    return ctx, agent


def _scheduler_view(ctx: Ctx, agent: Record, ha_state: str | None = None) -> Record:
    """An agent as the scheduler's lists show it: with its resource versions."""
    return {**AGENTS.render(ctx, agent),
            "resource_versions": agent.get("_resource_versions", {}), "ha_state": ha_state}


async def dhcp_networks(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "get_dhcp-networks")
    nets = ctx.store.table("networks")
    hosted = [NETWORKS.render(ctx, nets[n]) for n, held in _hosting(ctx.store)[0].items()
              if agent["id"] in held and n in nets]
    return json_response({"networks": hosted})


async def add_dhcp_network(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "create_dhcp-network", "DHCP agent")
    net = NETWORKS.get(ctx, await required(request, "network_id", str))
    held = _hosting(ctx.store)[0].setdefault(net["id"], [])
    if agent["id"] in held:
        raise conflict(f"The network {net['id']} has been already hosted by the DHCP Agent "
                       f"{agent['id']}.", "NetworkHostedByDHCPAgent")
    held.append(agent["id"])
    return json_response(None, 201)


async def remove_dhcp_network(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "delete_dhcp-network")
    net_id = strip_json(request.path_params["network_id"])
    held = _hosting(ctx.store)[0].get(net_id, [])
    if agent["id"] not in held:
        raise conflict(f"The network {net_id} is not hosted by the DHCP agent "
                       f"{agent['id']}.", "NetworkNotHostedByDhcpAgent")
    held.remove(agent["id"])
    return json_response(None, 204)


async def dhcp_agents(request: Request) -> Response:
    ctx = admin_ctx(request, "get_dhcp-agents")
    net = NETWORKS.get(ctx, request.path_params["network_id"])
    agents = ensure_agents(ctx.store)
    return json_response({"agents": [_scheduler_view(ctx, agents[a])
                                      for a in _hosting(ctx.store)[0].get(net["id"], [])
                                      if a in agents]})


async def l3_routers(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "get_l3-routers")
    routers = ctx.store.table("routers")
    return json_response({"routers": [ROUTERS.render(ctx, routers[r]) for r, a in
                                      _hosting(ctx.store)[1].items()
                                      if a == agent["id"] and r in routers]})


async def add_l3_router(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "create_l3-router", "L3 agent")
    router = ROUTERS.get(ctx, await required(request, "router_id", str))
    hosts = _hosting(ctx.store)[1]
    if router["id"] in hosts and hosts[router["id"]] != agent["id"]:
        # a legacy router lives on one agent; bound to this one already, nothing to do
        raise conflict(f"The router {router['id']} has been already hosted by the L3 Agent "
                       f"{hosts[router['id']]}.", "RouterHostedByL3Agent")
    hosts[router["id"]] = agent["id"]
    return json_response(None, 201)


async def remove_l3_router(request: Request) -> Response:
    ctx, agent = _admin_agent(request, "delete_l3-router")
    router_id = strip_json(request.path_params["router_id"])
    hosts = _hosting(ctx.store)[1]
    if hosts.get(router_id) != agent["id"]:
        raise conflict(f"The router {router_id} is not hosted by L3 agent {agent['id']}.",
                       "RouterNotHostedByL3Agent")
    del hosts[router_id]
    return json_response(None, 204)


async def l3_agents(request: Request) -> Response:
    ctx = admin_ctx(request, "get_l3-agents")
    router = ROUTERS.get(ctx, request.path_params["router_id"])
    agents = ensure_agents(ctx.store)
    agent_id = _hosting(ctx.store)[1].get(router["id"])
    state = "active" if router.get("ha") else None
    return json_response({"agents": [_scheduler_view(ctx, agents[agent_id], state)]
                          if agent_id in agents else []})


# -- auto-allocated topology --------------------------------------------------------------

def _failure(reason: str) -> ApiError:
    return ApiError(409, f"Deployment error: {reason}.", type="AutoAllocationFailure")


def _topology(ctx: Ctx, project_id: str, dry_run: bool) -> str | None:
    """The project's auto-allocated network id, made now unless it exists."""
    store = ctx.store
    held = store.table("auto_allocated_topologies").get(project_id)
    if held is not None and held["network_id"] in store.table("networks"):
        return str(held["network_id"])
    external = next((n for n in store.table("networks").values()
                     if n.get("router:external") and n.get("is_default")), None)
    if external is None:
        raise _failure("No default router:external network")
    if not any(p.get("is_default") and p["ip_version"] == 4
               for p in store.table("subnetpools").values()):
        raise _failure("No default subnetpools defined")
    if dry_run:
        return None
    net = NETWORKS.make(ctx, project_id, {"name": "auto_allocated_network"})
    subnet = SUBNETS.make(ctx, project_id, {"network_id": net["id"], "ip_version": 4,
                                            "use_default_subnetpool": True,
                                            "name": "auto_allocated_subnet_v4"})
    router = ROUTERS.make(ctx, project_id, {"name": "auto_allocated_router",
                                            "external_gateway_info": {
                                                "network_id": external["id"]}})
    model.add_router_interface(store, router, subnet)
    store.table("auto_allocated_topologies")[project_id] = {
        "network_id": net["id"], "router_id": router["id"]}
    return str(net["id"])


def _project(request: Request) -> tuple[Ctx, str]:
    ctx = Ctx.of(request)
    project_id = strip_json(request.path_params["project_id"])
    if not ctx.admin and project_id != ctx.token.project_id:
        raise NETWORKS.dialect.forbidden("get_auto_allocated_topology")
    return ctx, project_id


async def get_topology(request: Request) -> Response:
    ctx, project_id = _project(request)
    fields = request.query_params.getlist("fields")
    network_id = _topology(ctx, project_id, dry_run="dry-run" in fields)
    if network_id is None:  # Neutron's _check_requirements: the answer names the check
        return json_response({"auto_allocated_topology": {
            "id": "dry-run=pass", "tenant_id": project_id, "project_id": project_id}})
    return json_response({"auto_allocated_topology": {
        "id": network_id, "tenant_id": project_id, "project_id": project_id}})


async def delete_topology(request: Request) -> Response:
    ctx, project_id = _project(request)
    store = ctx.store
    held = store.table("auto_allocated_topologies").pop(project_id, None)
    if held is None:
        raise ApiError(404, f"Auto allocated topology for project {project_id} could not "
                       "be found.", type="NotFound")
    router = store.table("routers").get(held["router_id"])
    if router is not None:
        for port in model.ports_of_device(store, router["id"]):
            if port["device_owner"] == "network:router_interface":
                for ip in port["fixed_ips"]:
                    model.index(store).router_by_subnet.pop(ip["subnet_id"], None)
                model.delete_port(store, port["id"])
        ROUTERS.on_delete(ctx, router)
        store.table("routers").pop(router["id"], None)
    net = store.table("networks").get(held["network_id"])
    if net is not None:
        NETWORKS.on_delete(ctx, net)
        store.table("networks").pop(net["id"], None)
    return json_response(None, 204)


# -- flavors and service profiles ---------------------------------------------------------

SERVICE_TYPES = ("L3_ROUTER_NAT", "QOS", "FIREWALL", "VPN", "METERING", "LOADBALANCERV2")
"""The service types a flavor may be for (those of the service plugins a cloud runs)."""


class ServiceProfiles(NeutronCollection):
    """Service profiles: a driver and its settings, an admin's."""

    stamped = False

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        if not attrs.get("driver") and not attrs.get("metainfo"):
            raise bad("Service Profile needs either a driver or metainfo.",
                      type="ServiceProfileEmpty")
        return {"id": self.dialect.new_id(), "description": attrs.get("description", ""),
                "driver": attrs.get("driver", ""), "metainfo": attrs.get("metainfo", ""),
                "enabled": attrs.get("enabled", True)}


SERVICE_PROFILES = ServiceProfiles(
    "service_profile", "service_profiles", table="network_service_profiles",
    project_key=None, project_aliases=(), visibility="admin", write="admin", tags=False,
    in_use=(InUse("network_flavors", ("service_profiles",), "Service Profile {id} is used by "
                  "some service instance.", "ServiceProfileInUse"),),
    fields={"id": RO, "description": Field(max_length=1024), "driver": Field(max_length=1024),
            "metainfo": Field(max_length=4096), "enabled": BOOL})


class Flavors(NeutronCollection):
    """Network flavors: what a router (or another service's instance) is made with."""

    stamped = False

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        return {"id": self.dialect.new_id(), "name": attrs.get("name", ""),
                "description": attrs.get("description", ""),
                "service_type": attrs["service_type"], "enabled": attrs.get("enabled", True),
                "service_profiles": []}


FLAVORS = Flavors(
    "flavor", "flavors", table="network_flavors", project_key=None, project_aliases=(),
    visibility="public", write="admin", tags=False,
    in_use=(InUse("routers", ("flavor_id",), "Flavor {id} is used by some service instance.",
                  "FlavorInUse"),),
    fields={"id": RO, "name": Field(max_length=255), "description": Field(max_length=1024),
            "service_type": Field(type="any", choices=SERVICE_TYPES, required=True,
                                  create_only=True),
            "enabled": BOOL, "service_profiles": RO})


async def associate_profile(request: Request) -> Response:
    ctx = admin_ctx(request, "create_flavor_service_profile")
    flavor = FLAVORS.get(ctx, request.path_params["flavor_id"])
    body = await document(request)
    wanted = body.get("service_profile") if isinstance(body, dict) else None
    if not isinstance(wanted, dict) or not isinstance(wanted.get("id"), str):
        raise bad("Invalid input for operation: service_profile id is required.",
                  type="InvalidInput")
    profile = ctx.store.table("network_service_profiles").get(wanted["id"])
    if profile is None:
        raise ApiError(404, f"Service Profile {wanted['id']} could not be found.",
                       type="ServiceProfileNotFound")
    if profile["id"] in flavor["service_profiles"]:
        raise conflict(f"Service Profile {profile['id']} is already associated with flavor "
                       f"{flavor['id']}.", "FlavorServiceProfileBindingExists")
    flavor["service_profiles"].append(profile["id"])
    return json_response({"service_profile": {"id": profile["id"]}}, 201)


async def disassociate_profile(request: Request) -> Response:
    ctx = admin_ctx(request, "delete_flavor_service_profile")
    flavor = FLAVORS.get(ctx, request.path_params["flavor_id"])
    profile_id = strip_json(request.path_params["profile_id"])
    if profile_id not in flavor["service_profiles"]:
        raise ApiError(404, f"Service Profile {profile_id} is not associated with flavor "
                       f"{flavor['id']}.", type="FlavorServiceProfileBindingNotFound")
    flavor["service_profiles"].remove(profile_id)
    return json_response(None, 204)


def seed(store: Store) -> None:
    """An HA router flavor with its profile (ids derived from names: no random draw)."""
    pid = str(uuid.uuid5(_NAMESPACE, "profile:l3-ha"))
    fid = str(uuid.uuid5(_NAMESPACE, "flavor:ha-router"))
    store.table("network_service_profiles")[pid] = {
        "id": pid, "description": "Highly available routers (keepalived)",
        "driver": "neutron.services.l3_router.service_providers.l3_ha.HaDriver",
        "metainfo": "{}", "enabled": True}
    store.table("network_flavors")[fid] = {
        "id": fid, "name": "ha-router", "description": "Router with a standby",
        "service_type": "L3_ROUTER_NAT", "enabled": True, "service_profiles": [pid]}


def routes() -> list[BaseRoute]:
    agent = "/v2.0/agents/{agent_id}"
    return [
        Route(f"{agent}/dhcp-networks", dhcp_networks, methods=["GET"]),
        Route(f"{agent}/dhcp-networks", add_dhcp_network, methods=["POST"]),
        Route(f"{agent}/dhcp-networks/{{network_id}}", remove_dhcp_network,
              methods=["DELETE"]),
        Route("/v2.0/networks/{network_id}/dhcp-agents", dhcp_agents, methods=["GET"]),
        Route(f"{agent}/l3-routers", l3_routers, methods=["GET"]),
        Route(f"{agent}/l3-routers", add_l3_router, methods=["POST"]),
        Route(f"{agent}/l3-routers/{{router_id}}", remove_l3_router, methods=["DELETE"]),
        Route("/v2.0/routers/{router_id}/l3-agents", l3_agents, methods=["GET"]),
        Route("/v2.0/auto-allocated-topology/{project_id}", get_topology, methods=["GET"]),
        Route("/v2.0/auto-allocated-topology/{project_id}", delete_topology,
              methods=["DELETE"]),
        *FLAVORS.routes(), *SERVICE_PROFILES.routes(),
        Route("/v2.0/flavors/{flavor_id}/service_profiles", associate_profile,
              methods=["POST"]),
        Route("/v2.0/flavors/{flavor_id}/service_profiles/{profile_id}",
              disassociate_profile, methods=["DELETE"]),
    ]
