"""Agent, AvailabilityZone and NetworkIPAvailability through conn.network (admin)."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.agent import Agent


def test_declaration() -> None:
    assert (Agent.base_path, Agent.resource_key, Agent.resources_key) == \
        ("/agents", "agent", "agents")
    assert Agent.allow_retrieve and Agent.allow_update and Agent.allow_delete
    assert Agent.allow_list and not Agent.allow_create
    assert Agent._props["last_heartbeat_at"].server_key == "heartbeat_timestamp"
    assert Agent.query.mapping["is_alive"] == "alive"


def test_list_filter_get_update(conn) -> None:
    agents = conn.network.agents()
    assert agents and all(isinstance(a.last_heartbeat_at, dt.datetime) for a in agents)
    dhcp = conn.network.agents(agent_type="DHCP agent")
    assert dhcp and all(a.agent_type == "DHCP agent" for a in dhcp)
    host = agents[0].host
    assert all(a.host == host for a in conn.network.agents(host=host))
    assert all(a.is_alive for a in conn.network.agents(is_alive=True))
    agent = conn.network.get_agent(dhcp[0].id)
    assert isinstance(agent.configuration, dict)
    updated = conn.network.update_agent(agent, description="osnb")
    assert updated.description == "osnb"
    conn.network.update_agent(agent, description=None)


def test_member_cannot_list_agents(member) -> None:
    with pytest.raises(exc.Forbidden):
        member.network.agents()
