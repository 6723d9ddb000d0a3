"""Agent scheduling seen from both ends: the networks a DHCP agent serves and the agents
serving a network, the routers an L3 agent hosts and the agent hosting a router (Neutron
``/agents/{id}/dhcp-networks``, ``/networks/{id}/dhcp-agents``, ``/agents/{id}/l3-routers``,
``/routers/{id}/l3-agents``; admin only)."""

from __future__ import annotations

from ...resource import uri
from .agent import Agent
from .network import Network
from .router import Router

__all__ = ["DHCPAgentHostingNetwork", "L3AgentRouter", "NetworkHostingDHCPAgent",
           "RouterL3Agent"]


class DHCPAgentHostingNetwork(Network):
    """A network the DHCP agent ``agent_id`` serves."""

    base_path = "/agents/%(agent_id)s/dhcp-networks"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    agent_id: str | None = uri("agent_id")


class NetworkHostingDHCPAgent(Agent):
    """A DHCP agent serving ``network_id``."""

    base_path = "/networks/%(network_id)s/dhcp-agents"
    allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    network_id: str | None = uri("network_id")


class L3AgentRouter(Router):
    """A router the L3 agent ``agent_id`` hosts."""

    base_path = "/agents/%(agent_id)s/l3-routers"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    agent_id: str | None = uri("agent_id")


class RouterL3Agent(Agent):
    """The L3 agent hosting ``router_id``."""

    base_path = "/routers/%(router_id)s/l3-agents"
    allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    router_id: str | None = uri("router_id")
