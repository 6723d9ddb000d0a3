"""Security groups and their rules (each project has a ``default`` group)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record
from . import model
from ._common import BOOL, RO, NeutronCollection, bad, common, conflict, require_owner
from .quotas import check_quota
from .rbac import reaches
from .statefulness import default_stateful

__all__ = ["SECURITY_GROUPS", "SECURITY_GROUP_RULES", "routes"]


class SecurityGroups(NeutronCollection):
    """Security groups: the ``default`` one is made on first use and kept."""

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """Its rules as Neutron 29 shows them inside a group: with ``tags`` (empty: a rule
        takes none) and ``standard_attr_id``, which ``/security-group-rules`` lacks."""
        shown = super().render(ctx, record, fields)
        if "security_group_rules" not in shown:
            return shown
        return {**shown, "security_group_rules": [
            {**{k: v for k, v in rule.items() if k[:1] != "_"}, "tags": [],
             "standard_attr_id": rule["_standard_attr_id"]}
            for rule in shown["security_group_rules"]]}

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        model.default_security_group(ctx.store, project_id)
        if attrs.get("name") == "default":
            raise conflict("Default security group already exists.",
                            "SecurityGroupDefaultAlreadyExists")
        check_quota(ctx.store, project_id, "security_group")
        return model.new_security_group(ctx.store, project_id, attrs.get("name", ""),
                                        attrs.get("description", ""),
                                        stateful=attrs.get("stateful", default_stateful(
                                            ctx.store, project_id)))

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if record["name"] == "default" and changes.get("name", "default") != "default":
            raise conflict("Updating default security group not allowed.",
                            "SecurityGroupCannotUpdateDefault")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        store = ctx.store
        if record["name"] == "default" and not ctx.admin:
            raise conflict("Removing default security group not allowed.",
                            "SecurityGroupCannotRemoveDefault")
        ports = store.table("ports")
        ix = model.index(store)
        if any(i in ports and record["id"] in ports[i]["security_groups"]
               for i in ix.ports_by_project.get(record["project_id"], {})):
            raise conflict(f"Security Group {record['id']} in use.", "SecurityGroupInUse")
        rules = store.table("security_group_rules")
        for rule in record["security_group_rules"]:
            rules.pop(rule["id"], None)
        if ix.default_sg.get(record["project_id"]) == record["id"]:
            del ix.default_sg[record["project_id"]]


def _sg_visible(ctx: Ctx, sg: Record) -> bool:
    """Its project's, or shared with the caller's by an RBAC policy (or with everyone)."""
    return bool(sg["project_id"] == ctx.token.project_id or sg.get("shared")
                or reaches(ctx.store, "security_group", sg["id"], ctx.token.project_id))


SECURITY_GROUPS = SecurityGroups("security_group", "security_groups", path="security-groups",
                                 visibility=_sg_visible,
                                 fields=common({"security_group_rules": RO, "stateful": BOOL,
                                                "shared": RO}))

_PROTOCOLS = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
              "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132, "vrrp": 112, "any": None}
_RULE_KEY = ("direction", "ethertype", "protocol", "port_range_min", "port_range_max",
             "remote_ip_prefix", "remote_group_id", "remote_address_group_id")


def _port_bound(value: Any, name: str) -> int | None:
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = int(value)
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not an integer.") from None
    if not 0 <= number <= 65535:
        raise bad(f"Invalid value for port {number}.", type="InvalidInput")
    return number


def _protocol(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).lower()
    if text in _PROTOCOLS:
        return None if text == "any" else text
    if text.isdigit() and 0 <= int(text) <= 255:
        return text
    raise bad(f"Security group rule protocol {value} not supported. Only protocol values "
              f"{sorted(_PROTOCOLS)} and integer representations [0 to 255] are supported.",
              type="SecurityGroupRuleInvalidProtocol")


def _prefix(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except (TypeError, ValueError):
        raise bad(f"Invalid input for remote_ip_prefix. Reason: '{value}' is not a valid IP "
                  "prefix.") from None


class SecurityGroupRules(NeutronCollection):
    """Rules: checked as Neutron does, never two alike in one group; not updatable."""

    private = True  # _standard_attr_id, shown by SecurityGroups only

    def _valid(self, ctx: Ctx, attrs: dict[str, Any]) -> Record:
        """The rule's group, once the rule is known to be valid and new."""
        if "protocol" in attrs:
            attrs["protocol"] = _protocol(attrs["protocol"])
        for key in ("port_range_min", "port_range_max"):
            if key in attrs:
                attrs[key] = _port_bound(attrs[key], key)
        if "remote_ip_prefix" in attrs:
            attrs["remote_ip_prefix"] = _prefix(attrs["remote_ip_prefix"])
        sg = SECURITY_GROUPS.get(ctx, attrs["security_group_id"])
        if sum(bool(attrs.get(k)) for k in ("remote_ip_prefix", "remote_group_id",
                                            "remote_address_group_id")) > 1:
            # Neutron's _validate_multiple_remote_entites: one remote, of one kind
            raise bad("Only remote_ip_prefix or remote_group_id or remote_address_group_id "
                      "may be provided.", type="SecurityGroupMultipleRemoteEntites")
        if attrs.get("remote_group_id"):
            SECURITY_GROUPS.get(ctx, attrs["remote_group_id"])
        ethertype = attrs.setdefault("ethertype", "IPv4")
        prefix = attrs.get("remote_ip_prefix")
        if prefix and ipaddress.ip_network(prefix).version != int(ethertype[-1]):
            raise bad(f"Conflicting value ethertype {ethertype} for CIDR {prefix}",
                      type="SecurityGroupRuleParameterConflict")
        lo, hi = attrs.get("port_range_min"), attrs.get("port_range_max")
        proto = attrs.get("protocol")
        if (lo is not None or hi is not None) and proto is None:
            raise bad("Must also specify protocol if port range is given.",
                      type="SecurityGroupProtocolRequiredWithPorts")
        if proto in ("tcp", "udp", "sctp", "6", "17", "132"):
            if lo is not None and hi is not None and lo > hi:
                raise bad("For TCP/UDP protocols, port_range_min must be <= port_range_max",
                          type="SecurityGroupInvalidPortRange")
            if lo == 0 or hi == 0:
                raise bad("Invalid value for port 0.", type="SecurityGroupInvalidPortValue")
        elif proto in ("icmp", "ipv6-icmp", "icmpv6", "1", "58"):
            for name, key, value in (("type", "port_range_min", lo),
                                     ("code", "port_range_max", hi)):
                if value is not None and value > 255:
                    raise bad(f"Invalid value for ICMP {name} ({key}) {value}. It must be 0 "
                              "to 255.", type="SecurityGroupInvalidIcmpValue")
        wanted = tuple(attrs.get(k) for k in _RULE_KEY)
        for rule in sg["security_group_rules"]:
            if tuple(rule.get(k) for k in _RULE_KEY) == wanted:
                raise conflict(f"Security group rule already exists. Rule id is "
                                f"{rule['id']}.", "SecurityGroupRuleExists")
        return sg

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        sg = self._valid(ctx, attrs)
        require_owner(ctx, sg, "create_security_group_rule")
        check_quota(ctx.store, sg["project_id"], "security_group_rule")
        group = attrs.pop("remote_address_group_id", None)
        if group is not None:
            found = ctx.store.table("address_groups").get(str(group))
            if found is None or not (ctx.admin or found["project_id"] == sg["project_id"]):
                raise ApiError(404, f"Address group {group} could not be found.",
                               type="AddressGroupNotFound")
        del attrs["security_group_id"]
        rule = model.new_sg_rule(ctx.store, sg, **attrs)
        rule.update(remote_address_group_id=group)
        model.stamp(sg)
        return rule

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        sg = ctx.store.table("security_groups").get(record["security_group_id"])
        if sg is not None:
            sg["security_group_rules"] = [r for r in sg["security_group_rules"]
                                          if r["id"] != record["id"]]
            model.stamp(sg)


_ANY = Field(type="any", create_only=True, nullable=True)
SECURITY_GROUP_RULES = SecurityGroupRules(
    "security_group_rule", "security_group_rules", path="security-group-rules",
    allow_update=False, fields=common({
        "security_group_id": Field(max_length=36, required=True, create_only=True),
        "direction": Field(type="any", choices=("ingress", "egress"), required=True,
                           create_only=True),
        "ethertype": Field(type="any", choices=("IPv4", "IPv6"), create_only=True),
        "protocol": _ANY, "port_range_min": _ANY, "port_range_max": _ANY,
        "remote_ip_prefix": _ANY,
        "remote_group_id": Field(max_length=36, nullable=True, create_only=True),
        "remote_address_group_id": Field(max_length=36, nullable=True, create_only=True),
        "normalized_cidr": RO, "belongs_to_default_sg": RO,
    }, drop=("name", "tags")))


def routes() -> list[BaseRoute]:
    return [*SECURITY_GROUPS.routes(), *SECURITY_GROUP_RULES.routes()]
