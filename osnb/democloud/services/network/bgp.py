"""BGP dynamic routing: speakers announcing a cloud's routes to its peers, and the
dragents that host them (Neutron ``/bgp-speakers``, ``/bgp-peers`` and the dragent
scheduler; admin only).

A speaker has peers and gateway (external) networks; it advertises, for each gateway
network, the subnets behind the routers whose gateway is on it (next hop: the router's
gateway address) and the floating IPs' host routes (``/32`` via the router that holds
them), each as its flags allow. Deleting a peer removes it from its speakers. A BGP
dragent hosts at most one speaker (409 ``DrAgentAssociationError``: the binding's key is
the agent, neutron-dynamic-routing ``bgp_dragentscheduler_db.py``), a speaker may be
hosted by several (for redundancy); a dragent's ``configurations.bgp_speakers`` counts
what it hosts.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import json_response
from ...store import Record, Store, now
from ._common import RO, admin_ctx, bad, conflict, document, required, strip_json
from ._plugin import NAME, TRUE, PluginCollection, missing
from .misc import AGENTS, ensure_agents

__all__ = ["PEERS", "SPEAKERS", "advertised_routes", "dragents", "routes", "seed"]

DRAGENT_HOSTS = ("network-01", "network-02")


def dragents(store: Store) -> list[Record]:
    """The BGP dragents (one per network node), added to the agents the first time BGP
    scheduling is asked about (the agents are made once compute has seeded)."""
    agents = ensure_agents(store)
    out = []
    for host in DRAGENT_HOSTS:
        aid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bgp-dragent:{host}"))
        if aid not in agents:
            stamp = (now() - _dt.timedelta(days=41)).strftime("%Y-%m-%d %H:%M:%S")
            agents[aid] = {
                "id": aid, "agent_type": "BGP dynamic routing agent",
                "binary": "neutron-bgp-dragent", "host": host, "topic": "bgp_dragent",
                "availability_zone": None, "admin_state_up": True, "alive": True,
                "created_at": stamp, "started_at": stamp,
                "heartbeat_timestamp": now().strftime("%Y-%m-%d %H:%M:%S"),
                "description": None, "resources_synced": None, "resource_versions": {},
                "configurations": {}}
            _configure(store, agents[aid])
        out.append(agents[aid])
    return out


def _configure(store: Store, agent: Record) -> None:
    """A dragent's ``configurations``: the speakers it hosts, their peers and routes (what
    it reports in its heartbeat)."""
    hosted = [s for s in store.table("bgp_speakers").values()
              if agent["id"] in s["_dragents"]]
    agent["configurations"] = {
        "bgp_speakers": len(hosted), "bgp_peers": sum(len(s["peers"]) for s in hosted),
        "advertise_routes": sum(len(advertised_routes(store, s)) for s in hosted)}


class Speakers(PluginCollection):
    """BGP speakers: one AS, one IP version, their peers and gateway networks."""

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        record.setdefault("_dragents", [])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        record["_dragents"] = []
        self.records(ctx.store).pop(record["id"], None)
        _count_hosted(ctx.store)


class Peers(PluginCollection):
    """BGP peers: an address, an AS, an optional MD5 password (never shown)."""

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        password = record.pop("password", None)
        if create:
            record["_password"] = password
            if record["auth_type"] != "none" and not password:
                raise bad("A password must be supplied when using auth_type md5.",
                          type="InvalidBgpPeerMd5Authentication")
            if record["auth_type"] == "none" and password:
                raise bad("A password is given for auth_type none.",
                          type="InvalidBgpPeerMd5Authentication")
            try:
                ipaddress.ip_address(record["peer_ip"])
            except ValueError:
                raise bad(f"Invalid input for peer_ip. Reason: '{record['peer_ip']}' is "
                          "not a valid IP address.") from None

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "password" in changes:
            if record["auth_type"] == "none":
                raise bad("A password is given for auth_type none.",
                          type="InvalidBgpPeerMd5Authentication")
            record["_password"] = changes.pop("password")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        for speaker in SPEAKERS.records(ctx.store).values():
            speaker["peers"] = [p for p in speaker["peers"] if p != record["id"]]


SPEAKERS = Speakers("bgp_speaker", "bgp_speakers", path="bgp-speakers", visibility="admin",
                    write="admin", owner_keys=("tenant_id",), fields={
                        "id": RO, "tenant_id": Field(max_length=255, create_only=True),
                        "name": NAME, "local_as": Field(
                            type="int", lenient=True, minimum=1, maximum=4294967295,
                            required=True, create_only=True),
                        "ip_version": Field(type="int", lenient=True, choices=(4, 6),
                                            required=True, create_only=True),
                        "advertise_floating_ip_host_routes": TRUE,
                        "advertise_tenant_networks": TRUE,
                        "peers": Field(read_only=True, default=list),
                        "networks": Field(read_only=True, default=list)})
PEERS = Peers("bgp_peer", "bgp_peers", path="bgp-peers", visibility="admin", write="admin",
              owner_keys=("tenant_id",), fields={
                  "id": RO, "tenant_id": Field(max_length=255, create_only=True),
                  "name": NAME, "peer_ip": Field(required=True, create_only=True),
                  "remote_as": Field(type="int", lenient=True, minimum=1,
                                     maximum=4294967295, required=True, create_only=True),
                  "auth_type": Field(choices=("none", "md5"), default="none",
                                     create_only=True),
                  "password": Field(max_length=255, nullable=True)})


def _gateway_ip(router: Record, version: int) -> str | None:
    for fixed in (router.get("external_gateway_info") or {}).get("external_fixed_ips") or []:
        if ipaddress.ip_address(fixed["ip_address"]).version == version:
            return str(fixed["ip_address"])
    return None


def advertised_routes(store: Store, speaker: Record) -> list[dict[str, str]]:
    """The routes ``speaker`` announces, as Neutron's ``get_advertised_routes``."""
    version, out = speaker["ip_version"], []
    routers = store.table("routers").values()
    subnets = store.table("subnets")
    for network_id in speaker["networks"]:
        gateways = {r["id"]: ip for r in routers
                    if (r.get("external_gateway_info") or {}).get("network_id") == network_id
                    and (ip := _gateway_ip(r, version))}
        if speaker["advertise_tenant_networks"]:
            for port in store.table("ports").values():
                hop = gateways.get(port["device_id"])
                if hop is None or port["device_owner"] != "network:router_interface":
                    continue
                for fixed in port.get("fixed_ips", []):
                    subnet = subnets.get(fixed.get("subnet_id"))
                    if subnet and subnet["ip_version"] == version:
                        out.append({"cidr": subnet["cidr"], "nexthop": hop})
        if speaker["advertise_floating_ip_host_routes"] and version == 4:
            for fip in store.table("floatingips").values():
                hop = gateways.get(fip.get("router_id") or "")
                if hop and fip.get("port_id") and fip["floating_network_id"] == network_id:
                    out.append({"cidr": f"{fip['floating_ip_address']}/32", "nexthop": hop})
    return sorted(out, key=lambda r: (r["cidr"], r["nexthop"]))


async def _speaker_action(request: Request, key: str) -> tuple[Ctx, Record, str]:
    ctx = admin_ctx(request, request.url.path.rsplit("/", 1)[-1])
    speaker = SPEAKERS.get(ctx, request.path_params["id"])
    return ctx, speaker, await required(request, key, str, type_="BadRequest")


async def add_bgp_peer(request: Request) -> Response:
    ctx, speaker, peer_id = await _speaker_action(request, "bgp_peer_id")
    peer = PEERS.get(ctx, peer_id)
    ips = {PEERS.records(ctx.store)[p]["peer_ip"] for p in speaker["peers"]
           if p in PEERS.records(ctx.store)}
    if peer["id"] in speaker["peers"] or peer["peer_ip"] in ips:
        raise bad(f"Failed to add BGP peer {peer['id']} to BGP speaker {speaker['id']}: "
                  f"a peer with address {peer['peer_ip']} is already associated.",
                  type="DuplicateBgpPeerIpException")
    if ipaddress.ip_address(peer["peer_ip"]).version != speaker["ip_version"]:
        raise bad(f"BGP peer {peer['id']} is IPv"
                  f"{ipaddress.ip_address(peer['peer_ip']).version}, the speaker IPv"
                  f"{speaker['ip_version']}.", type="BgpSpeakerPeerNotAssociated")
    speaker["peers"] = [*speaker["peers"], peer["id"]]
    _count_hosted(ctx.store)
    return json_response({"bgp_peer_id": peer["id"]})


async def remove_bgp_peer(request: Request) -> Response:
    ctx, speaker, peer_id = await _speaker_action(request, "bgp_peer_id")
    if peer_id not in speaker["peers"]:
        raise missing("BgpSpeakerPeerNotAssociated", f"BGP peer {peer_id} is not "
                      f"associated with BGP speaker {speaker['id']}.")
    speaker["peers"] = [p for p in speaker["peers"] if p != peer_id]
    _count_hosted(ctx.store)
    return json_response(None, 200)


async def add_gateway_network(request: Request) -> Response:
    ctx, speaker, network_id = await _speaker_action(request, "network_id")
    network = ctx.store.table("networks").get(network_id)
    if network is None:
        raise missing("NetworkNotFound", f"Network {network_id} could not be found.")
    if not network.get("router:external"):
        raise bad(f"Network {network_id} is not an external network: a BGP speaker's "
                  "gateway network must be.", type="BadRequest")
    if network_id in speaker["networks"]:
        raise conflict(f"BGP speaker {speaker['id']} is already associated with network "
                       f"{network_id}.", "BgpSpeakerNetworkBindingError")
    speaker["networks"] = [*speaker["networks"], network_id]
    return json_response({"network_id": network_id})


async def remove_gateway_network(request: Request) -> Response:
    ctx, speaker, network_id = await _speaker_action(request, "network_id")
    if network_id not in speaker["networks"]:
        raise missing("NetworkNotBoundForIpVersion", f"Network {network_id} is not bound "
                      f"to BGP speaker {speaker['id']}.")
    speaker["networks"] = [n for n in speaker["networks"] if n != network_id]
    return json_response(None, 200)


async def get_advertised_routes(request: Request) -> Response:
    ctx = admin_ctx(request, "get_advertised_routes")
    speaker = SPEAKERS.get(ctx, request.path_params["id"])
    return json_response({"advertised_routes": advertised_routes(ctx.store, speaker)})


def _count_hosted(store: Store) -> None:
    for agent in dragents(store):
        _configure(store, agent)


def _hosting(store: Store, speaker: Record) -> list[Record]:
    return [a for a in dragents(store) if a["id"] in speaker["_dragents"]]


async def speaker_dragents(request: Request) -> Response:
    ctx = admin_ctx(request, "get_bgp_dragents_hosting_speaker")
    speaker = SPEAKERS.get(ctx, request.path_params["id"])
    return json_response({"agents": _hosting(ctx.store, speaker)})


def _dragent(ctx: Ctx, agent_id: str) -> Record:
    AGENTS.get(ctx, agent_id)
    agent = next((a for a in dragents(ctx.store) if a["id"] == agent_id), None)
    if agent is None:
        raise missing("AgentNotFound", f"Agent {agent_id} could not be found")
    return agent


async def dragent_speakers(request: Request) -> Response:
    """The speakers a BGP dragent hosts (``POST``: schedule one to it)."""
    ctx = admin_ctx(request, "get_bgp_drinstances" if request.method == "GET"
                     else "add_bgp_speaker_to_dragent")
    agent_id = strip_json(request.path_params["id"])
    ensure_agents(ctx.store)
    if request.method == "GET":
        if agent_id not in ctx.store.table("network_agents"):
            raise missing("AgentNotFound", f"Agent {agent_id} could not be found")
        return json_response({"bgp_speakers": [
            SPEAKERS.render(ctx, s) for s in SPEAKERS.records(ctx.store).values()
            if agent_id in s["_dragents"]]})
    agent = _dragent(ctx, agent_id)
    body = await document(request)
    speaker = SPEAKERS.get(ctx, str((body or {}).get("bgp_speaker_id")))
    if not agent["admin_state_up"]:
        raise missing("DrAgentInvalid", f"BgpDrAgent {agent['id']} is invalid or has been "
                      "disabled.")
    if any(agent["id"] in s["_dragents"] for s in SPEAKERS.records(ctx.store).values()):
        raise conflict(f"BgpDrAgent {agent['id']} is already associated to a BGP speaker.",
                       "DrAgentAssociationError")
    speaker["_dragents"] = [*speaker["_dragents"], agent["id"]]
    _count_hosted(ctx.store)
    return json_response(None, 201)


async def remove_dragent_speaker(request: Request) -> Response:
    ctx = admin_ctx(request, "remove_bgp_speaker_from_dragent")
    agent = _dragent(ctx, strip_json(request.path_params["id"]))
    speaker = SPEAKERS.get(ctx, request.path_params["speaker_id"])
    if agent["id"] not in speaker["_dragents"]:
        raise missing("DrAgentNotHostingBgpSpeaker", f"BGP speaker {speaker['id']} is not "
                      f"hosted by the BGP dragent {agent['id']}.")
    speaker["_dragents"] = [a for a in speaker["_dragents"] if a != agent["id"]]
    _count_hosted(ctx.store)
    return json_response(None, 204)


def seed(store: Store, project_id: str) -> None:
    """The operator's speaker announcing the public network's routes to the top-of-rack
    router, hosted on the first network node."""
    public = store.meta.get("network.external_id")
    if not project_id or not public:
        return
    peer = PEERS.seeded(store, project_id, "bgp:tor-1", name="tor-1", peer_ip="172.24.0.254",
                        remote_as=64513, _password=None)
    SPEAKERS.seeded(store, project_id, "bgp:public", name="public-speaker", local_as=64512,
                    ip_version=4, peers=[peer["id"]], networks=[public], _dragents=[
                        str(uuid.uuid5(uuid.NAMESPACE_URL, f"bgp-dragent:{DRAGENT_HOSTS[0]}"))])


def routes() -> list[BaseRoute]:
    one = "/v2.0/bgp-speakers/{id}"
    return [*SPEAKERS.routes(), *PEERS.routes(),
            Route(f"{one}/add_bgp_peer", add_bgp_peer, methods=["PUT"]),
            Route(f"{one}/remove_bgp_peer", remove_bgp_peer, methods=["PUT"]),
            Route(f"{one}/add_gateway_network", add_gateway_network, methods=["PUT"]),
            Route(f"{one}/remove_gateway_network", remove_gateway_network,
                  methods=["PUT"]),
            Route(f"{one}/get_advertised_routes", get_advertised_routes, methods=["GET"]),
            Route(f"{one}/bgp-dragents", speaker_dragents, methods=["GET"]),
            Route("/v2.0/agents/{id}/bgp-drinstances", dragent_speakers,
                  methods=["GET", "POST"]),
            Route("/v2.0/agents/{id}/bgp-drinstances/{speaker_id}", remove_dragent_speaker,
                  methods=["DELETE"])]
