"""Agents: the Neutron workers on each host (``/agents``), admin only."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop

__all__ = ["Agent"]


class Agent(Resource):
    """A DHCP, L3, metadata or L2 agent. Names follow openstacksdk's ``Agent``."""

    resource_key = "agent"
    resources_key = "agents"
    base_path = "/agents"
    service = "network"
    allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query(
        "agent_type", "availability_zone", "binary", "description", "fields", "host",
        "topic", is_admin_state_up="admin_state_up", is_alive="alive",
    )

    agent_type: str | None = prop("agent_type")
    binary: str | None = prop("binary")
    host: str | None = prop("host")
    topic: str | None = prop("topic")
    availability_zone: str | None = prop("availability_zone")
    description: str | None = prop("description")
    is_admin_state_up: bool | None = prop("admin_state_up")
    is_alive: bool | None = prop("alive")
    configuration: dict | None = prop("configurations")
    resources_synced: bool | None = prop("resources_synced")
    resource_versions: dict | None = prop("resource_versions")
    ha_state: str | None = prop("ha_state")
    ha_chassis_priority: int | None = prop("ha_chassis_priority")
    created_at: datetime | None = prop("created_at")
    started_at: datetime | None = prop("started_at")
    last_heartbeat_at: datetime | None = prop("heartbeat_timestamp")
