"""FWaaS v2: firewall rules, ordered in policies, applied by firewall groups to router
(or instance) ports (Neutron ``/fwaas/firewall_rules``, ``firewall_policies`` with their
``insert_rule``/``remove_rule`` actions, ``firewall_groups``).

A rule shows the first policy holding it and its 1-based ``position`` there; changing a
rule or a policy clears the policy's ``audited``. A group's ports are router interfaces
or instance ports of its project, each in one group only; its status follows them
(``INACTIVE`` without ports, ``DOWN`` switched off, else ``ACTIVE``). What is in use
cannot be deleted (409 ``FirewallRuleInUse``, ``FirewallPolicyInUse``, an active group
``FirewallGroupInUse``); only an admin shares.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record, Store
from ._common import RO, InUse, bad, conflict, document
from ._plugin import (
    FALSE,
    NAME,
    OWNER,
    TRUE,
    PluginCollection,
    port_range,
)

__all__ = ["GROUPS", "POLICIES", "RULES", "routes", "seed"]

_POLICY_KEYS = ("ingress_firewall_policy_id", "egress_firewall_policy_id")
_PORT_OWNERS = ("network:router_interface", "network:router_interface_distributed",
                "network:ha_router_replicated_interface")


def _policies_of(store: Store, rule_id: str) -> list[Record]:
    return [p for p in store.table("firewall_policies").values()
            if rule_id in p["firewall_rules"]]


def _unaudit(store: Store, rule_id: str) -> None:
    for policy in _policies_of(store, rule_id):
        policy["audited"] = False


class Rules(PluginCollection):
    """Firewall rules: protocol, addresses of the rule's IP version, ports or ranges."""

    admin_attrs = ("shared",)

    def shape(self, ctx: Ctx, record: Record) -> Record:
        held = _policies_of(ctx.store, record["id"])
        first = held[0] if held else None
        return {**record, "firewall_policy_id": first["id"] if first else None,
                "position": first["firewall_rules"].index(record["id"]) + 1
                if first else None}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        version = record["ip_version"]
        for key in ("source_ip_address", "destination_ip_address"):
            value = record.get(key)
            if value is None:
                continue
            try:
                net = ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise bad(f"Invalid input for {key}. Reason: '{value}' is not a valid IP "
                          "address or subnet.") from None
            if net.version != version:
                raise bad("Invalid input for operation: IP addresses do not agree with IP "
                          "Version.", type="FirewallIpAddressConflict")
        protocol = record.get("protocol")
        for key in ("source_port", "destination_port"):
            if record.get(key) is None:
                continue
            if protocol in (None, "any"):
                raise bad("Source/destination port requires a protocol.",
                          type="FirewallRuleWithPortWithoutProtocolInvalid")
            if protocol in ("icmp", "ipv6-icmp"):
                raise bad("Source, destination port are not allowed when protocol is set "
                          "to ICMP.", type="FirewallRuleInvalidICMPParameter")
            port_range(key, record[key])
            record[key] = str(record[key])
        if not create:
            _unaudit(ctx.store, record["id"])
            if not record["shared"]:
                for policy in _policies_of(ctx.store, record["id"]):
                    if policy["shared"] and policy["_project_id"] != record["_project_id"]:
                        raise conflict(f"Operation cannot be performed since Firewall "
                                       f"Rule {record['id']} is used by shared Firewall "
                                       f"Policy {policy['id']}.", "FirewallRuleConflict")


class Policies(PluginCollection):
    """Firewall policies: an ordered list of rules the caller may use."""

    admin_attrs = ("shared",)

    def rules_of(self, ctx: Ctx, policy: Record, ids: Any) -> list[str]:
        out: list[str] = []
        for rid in ids:
            rule = RULES.get(ctx, str(rid))
            if rule["id"] in out:
                raise bad(f"Invalid input for operation: duplicate firewall rule "
                          f"{rule['id']} in the policy.", type="InvalidInput")
            if policy.get("shared") and not rule["shared"] and \
                    rule["_project_id"] != policy.get("_project_id"):
                raise conflict(f"Operation cannot be performed since Firewall Policy "
                               f"{policy['id']} is shared but Firewall Rule {rule['id']} "
                               "is not.", "FirewallRuleConflict")
            out.append(rule["id"])
        return out

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        record["firewall_rules"] = self.rules_of(ctx, record, record["firewall_rules"])

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        merged = {**record, **changes}
        changes["firewall_rules"] = self.rules_of(ctx, merged, merged["firewall_rules"])
        if "audited" not in changes:
            changes["audited"] = False
        if merged["shared"] is False and record["shared"]:
            for group in GROUPS.records(ctx.store).values():
                if record["id"] in (group[key] for key in _POLICY_KEYS) and \
                        group["_project_id"] != record["_project_id"]:
                    raise conflict(f"Firewall policy {record['id']} is being used.",
                                   "FirewallPolicyInUse")


def _status(record: Record) -> str:
    if not record["ports"]:
        return "INACTIVE"
    return "ACTIVE" if record["admin_state_up"] else "DOWN"


class Groups(PluginCollection):
    """Firewall groups: policies applied to ports; the status follows the ports."""

    admin_attrs = ("shared",)

    def shape(self, ctx: Ctx, record: Record) -> Record:
        return {**record, "status": _status(record)}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        for key in _POLICY_KEYS:
            if record.get(key) is not None:
                record[key] = POLICIES.get(ctx, record[key])["id"]
        ports = []
        for pid in record["ports"]:
            port = ctx.store.table("ports").get(str(pid))
            if port is None:
                raise ApiError(404, f"Port {pid} could not be found.", type="PortNotFound")
            if port["project_id"] != record["_project_id"]:
                raise conflict(f"Operation cannot be performed as port {pid} is in an "
                               f"invalid project {port['project_id']}.",
                               "FirewallGroupPortInvalidProject")
            owner = str(port.get("device_owner", ""))
            if owner not in _PORT_OWNERS and not owner.startswith("compute:"):
                raise conflict(f"Port {pid} of firewall group is invalid.",
                               "FirewallGroupPortInvalid")
            for other in self.records(ctx.store).values():
                if other["id"] != record["id"] and pid in other["ports"]:
                    raise conflict(f"Port(s) {pid} provided already associated with other "
                                   "Firewall Group(s).", "FirewallGroupPortInUse")
            ports.append(port["id"])
        record["ports"] = list(dict.fromkeys(ports))

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        merged = {**record, **changes}
        self.check(ctx, merged, create=False)
        for key in ("ports", *_POLICY_KEYS):
            if key in changes:
                changes[key] = merged[key]

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if _status(record) == "ACTIVE":
            raise conflict(f"Firewall group {record['id']} is still active.",
                           "FirewallGroupInUse")


_NULL_IP = Field(max_length=64, nullable=True, default=None)
_NULL_PORT = Field(type="any", nullable=True, default=None)
RULES = Rules("firewall_rule", "firewall_rules", visibility="shared",
              project_key="project_id", in_use=(InUse(
                  "firewall_policies", ("firewall_rules",), "Firewall rule {id} is being used.",
                  "FirewallRuleInUse"),), fields={
                  "id": RO, **OWNER, "name": NAME, "description": NAME,
                  "action": Field(choices=("allow", "deny", "reject"), default="deny"),
                  "enabled": TRUE, "shared": FALSE,
                  "ip_version": Field(type="int", lenient=True, choices=(4, 6), default=4),
                  "protocol": Field(nullable=True, default=None, choices=(
                      "tcp", "udp", "icmp", "ipv6-icmp", "any", None)),
                  "source_ip_address": _NULL_IP, "destination_ip_address": _NULL_IP,
                  "source_port": _NULL_PORT, "destination_port": _NULL_PORT,
                  "firewall_policy_id": RO, "position": RO})
POLICIES = Policies("firewall_policy", "firewall_policies", visibility="shared",
                    project_key="project_id", in_use=(InUse(
                        "firewall_groups", _POLICY_KEYS, "Firewall policy {id} is being used.",
                        "FirewallPolicyInUse"),), fields={
                        "id": RO, **OWNER, "name": NAME, "description": NAME,
                        "audited": FALSE, "shared": FALSE,
                        "firewall_rules": Field(type="list", items="str", default=list)})
_NULL_POLICY = Field(max_length=36, nullable=True, default=None)
GROUPS = Groups("firewall_group", "firewall_groups", visibility="shared",
                project_key="project_id", fields={
                    "id": RO, **OWNER, "name": NAME, "description": NAME,
                    "admin_state_up": TRUE, "shared": FALSE, "status": RO,
                    "ingress_firewall_policy_id": _NULL_POLICY,
                    "egress_firewall_policy_id": _NULL_POLICY,
                    "ports": Field(type="list", items="str", default=list)})


async def _policy_action(request: Request) -> tuple[Ctx, Record, Record, dict[str, Any]]:
    ctx = Ctx.of(request)
    policy = POLICIES.get(ctx, request.path_params["id"])
    POLICIES.may_change(ctx, policy, "update")
    body = await document(request)
    if not isinstance(body, dict) or not body.get("firewall_rule_id"):
        raise bad("Invalid input for operation: firewall_rule_id is required.",
                  type="FirewallRuleNotFound")
    rule = RULES.get(ctx, str(body["firewall_rule_id"]))
    return ctx, policy, rule, body


def _answer(ctx: Ctx, policy: Record) -> Response:
    policy["audited"] = False
    return json_response(POLICIES.render(ctx, policy))


def _not_in(policy: Record, rule_id: str) -> ApiError:
    return bad(f"Firewall rule {rule_id} is not associated with firewall policy "
               f"{policy['id']}.", type="FirewallRuleNotAssociatedWithPolicy")


async def insert_rule(request: Request) -> Response:
    """Put a rule before ``insert_before`` or after ``insert_after`` (else first)."""
    ctx, policy, rule, body = await _policy_action(request)
    rules: list[str] = list(policy["firewall_rules"])
    if rule["id"] in rules:
        raise bad(f"Operation cannot be performed since Firewall Rule {rule['id']} is "
                  f"already associated with FW Policy {policy['id']}.",
                  type="FirewallRuleAlreadyAssociated")
    POLICIES.rules_of(ctx, policy, [rule["id"]])
    before, after = body.get("insert_before") or "", body.get("insert_after") or ""
    at = 0
    if before:
        if before not in rules:
            raise _not_in(policy, before)
        at = rules.index(before)
    elif after:
        if after not in rules:
            raise _not_in(policy, after)
        at = rules.index(after) + 1
    rules.insert(at, rule["id"])
    policy["firewall_rules"] = rules
    return _answer(ctx, policy)


async def remove_rule(request: Request) -> Response:
    ctx, policy, rule, _ = await _policy_action(request)
    if rule["id"] not in policy["firewall_rules"]:
        raise _not_in(policy, rule["id"])
    policy["firewall_rules"] = [r for r in policy["firewall_rules"] if r != rule["id"]]
    return _answer(ctx, policy)


def seed(store: Store, project_id: str) -> None:
    """A project's edge firewall: web and SSH allowed in, everything out, applied to its
    router's interface."""
    router = next((r for r in store.table("routers").values()
                   if r["project_id"] == project_id), None)
    if router is None:
        return
    iface = next((p for p in store.table("ports").values()
                  if p["device_id"] == router["id"] and
                  p["device_owner"] == "network:router_interface"), None)
    def rule(key: str, **attrs: Any) -> str:
        return RULES.seeded(store, project_id, f"fw:{project_id}:{key}", action="allow",
                            **attrs)["id"]

    made = [rule(name, name=name, protocol=proto, destination_port=port)
            for name, port, proto in (("allow-http", "80", "tcp"), ("allow-https", "443", "tcp"),
                                      ("allow-ssh", "22", "tcp"), ("allow-icmp", None, "icmp"))]
    out = rule("allow-out", name="allow-egress")
    ingress = POLICIES.seeded(store, project_id, f"fw:{project_id}:ingress", name="web-ingress",
                              firewall_rules=made, audited=True)
    egress = POLICIES.seeded(store, project_id, f"fw:{project_id}:egress", name="open-egress",
                             firewall_rules=[out], audited=True)
    GROUPS.seeded(store, project_id, f"fw:{project_id}:group", name="edge",
                  description="Edge firewall on the project router",
                  ingress_firewall_policy_id=ingress["id"],
                  egress_firewall_policy_id=egress["id"], ports=[iface["id"]] if iface else [])

def routes() -> list[BaseRoute]:
    base = "/v2.0/fwaas"
    return [*RULES.routes(base), *POLICIES.routes(base), *GROUPS.routes(base),
            Route(f"{base}/firewall_policies/{{id}}/insert_rule", insert_rule,
                  methods=["PUT"]),
            Route(f"{base}/firewall_policies/{{id}}/remove_rule", remove_rule,
                  methods=["PUT"])]
