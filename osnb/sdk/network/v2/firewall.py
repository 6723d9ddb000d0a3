"""FWaaS v2: firewall rules, policies ordering them and groups applying them to
ports (Neutron ``/fwaas/…``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["FirewallGroup", "FirewallPolicy", "FirewallRule"]


class FirewallRule(Resource):
    """A firewall rule (Neutron ``/fwaas/firewall_rules``)."""

    resource_key = "firewall_rule"
    resources_key = "firewall_rules"
    base_path = "/fwaas/firewall_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("action", "description", "destination_ip_address", "name",
                  "destination_port", "enabled", "fields", "ip_version", "project_id",
                  "protocol", "shared", "source_ip_address", "source_port",
                  "firewall_policy_id")

    name: str | None = prop("name")
    action: Any = prop("action")
    description: str | None = prop("description")
    destination_ip_address: Any = prop("destination_ip_address")
    destination_port: Any = prop("destination_port")
    enabled: Any = prop("enabled")
    ip_version: Any = prop("ip_version")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    protocol: Any = prop("protocol")
    shared: Any = prop("shared")
    source_ip_address: Any = prop("source_ip_address")
    source_port: Any = prop("source_port")
    firewall_policy_id: str | None = prop("firewall_policy_id")
    position: int | None = prop("position")


class FirewallPolicy(Resource):
    """A firewall policy (Neutron ``/fwaas/firewall_policies``)."""

    resource_key = "firewall_policy"
    resources_key = "firewall_policies"
    base_path = "/fwaas/firewall_policies"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "fields", "firewall_rules", "name", "project_id", "shared")

    name: str | None = prop("name")
    audited: Any = prop("audited")
    description: str | None = prop("description")
    firewall_rules: list | None = prop("firewall_rules")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    shared: Any = prop("shared")

    def insert_rule(self, session: Any, **body: Any) -> FirewallPolicy:
        """Insert ``firewall_rule_id`` (before ``insert_before`` or after
        ``insert_after``); the policy as Neutron answers it."""
        self._absorb(self._action(session, body, path="insert_rule", method="PUT"), session)
        return self

    def remove_rule(self, session: Any, **body: Any) -> FirewallPolicy:
        """Remove ``firewall_rule_id`` from the policy."""
        self._absorb(self._action(session, body, path="remove_rule", method="PUT"), session)
        return self


class FirewallGroup(Resource):
    """A firewall group (Neutron ``/fwaas/firewall_groups``)."""

    resource_key = "firewall_group"
    resources_key = "firewall_groups"
    base_path = "/fwaas/firewall_groups"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "egress_firewall_policy_id", "fields",
                  "ingress_firewall_policy_id", "name", "shared", "status", "ports",
                  "project_id")

    name: str | None = prop("name")
    admin_state_up: Any = prop("admin_state_up")
    description: str | None = prop("description")
    egress_firewall_policy_id: str | None = prop("egress_firewall_policy_id")
    ingress_firewall_policy_id: str | None = prop("ingress_firewall_policy_id")
    ports: list | None = prop("ports")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    shared: Any = prop("shared")
    status: str | None = prop("status")
