"""Agent scheduling through conn.network (admin), against the demo cloud over HTTP: the
networks a DHCP agent serves and the agents serving a network, the routers an L3 agent
hosts and the agent hosting a router."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.hosting import (
    DHCPAgentHostingNetwork,
    L3AgentRouter,
    NetworkHostingDHCPAgent,
    RouterL3Agent,
)


def test_declarations() -> None:
    assert DHCPAgentHostingNetwork.base_path == "/agents/%(agent_id)s/dhcp-networks"
    assert NetworkHostingDHCPAgent.base_path == "/networks/%(network_id)s/dhcp-agents"
    assert L3AgentRouter.base_path == "/agents/%(agent_id)s/l3-routers"
    assert RouterL3Agent.base_path == "/routers/%(router_id)s/l3-agents"
    assert DHCPAgentHostingNetwork._props["agent_id"].in_uri
    assert RouterL3Agent._props["is_alive"].server_key == "alive"
    assert not L3AgentRouter.allow_create and L3AgentRouter.allow_list


def test_member_is_refused(member) -> None:
    router = member.network.routers()[0]
    with pytest.raises(exc.Forbidden):
        member.network.routers_hosting_l3_agents(router)


def test_agent_scheduling(conn) -> None:
    router = conn.network.routers()[0]
    hosting = conn.network.routers_hosting_l3_agents(router)
    assert len(hosting) == 1 and hosting[0].agent_type == "L3 agent"
    l3 = [a for a in conn.network.agents(agent_type="L3 agent") if a.id != hosting[0].id]
    with pytest.raises(exc.Conflict):
        conn.network.add_router_to_agent(l3[0], router)
    conn.network.remove_router_from_agent(hosting[0], router)
    conn.network.add_router_to_agent(l3[0], router)
    assert router.id in {r.id for r in conn.network.agent_hosted_routers(l3[0])}
    net = next(n for n in conn.network.networks() if n.subnet_ids
               and not n.is_router_external)
    dhcp = conn.network.network_hosting_dhcp_agents(net)
    assert dhcp and dhcp[0].resource_versions == {}
    assert net.id in {n.id for n in conn.network.dhcp_agent_hosting_networks(dhcp[0])}
    spare = next(a for a in conn.network.agents(agent_type="DHCP agent")
                 if a.id not in {d.id for d in dhcp})
    conn.network.add_dhcp_agent_to_network(spare, net)
    assert len(conn.network.network_hosting_dhcp_agents(net)) == len(dhcp) + 1
    conn.network.remove_dhcp_agent_from_network(spare, net)
