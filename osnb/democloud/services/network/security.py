"""Security groups and their rules (each project has a ``default`` group)."""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...http import auth, json_response, store_of
from ...store import Record, Store, Token
from . import model
from ._common import (
    COMMON,
    Kind,
    bad,
    body_of,
    check_attrs,
    conflict,
    get_visible,
    ident,
    show,
    v_bool,
    v_list,
    v_str,
    v_values,
)
from .core import crud_routes, owner_of, require_owner
from .quotas import check_quota

__all__ = ["SECURITY_GROUP", "SECURITY_GROUP_RULE", "routes"]

SECURITY_GROUP = Kind(
    "security_group", "security_groups", "security_groups", "SecurityGroupNotFound",
    "Security group {id} does not exist",
    frozenset(COMMON + ("security_group_rules", "stateful", "shared")),
    path="security-groups")

_RULE_FIELDS = ("security_group_id", "direction", "ethertype", "protocol", "port_range_min",
                "port_range_max", "remote_ip_prefix", "remote_group_id",
                "remote_address_group_id", "normalized_cidr", "belongs_to_default_sg")
SECURITY_GROUP_RULE = Kind(
    "security_group_rule", "security_group_rules", "security_group_rules",
    "SecurityGroupRuleNotFound", "Security group rule {id} does not exist",
    frozenset(c for c in COMMON if c not in ("name", "tags")) | frozenset(_RULE_FIELDS),
    path="security-group-rules")

_SG_ATTRS = {"name": v_str(), "description": v_str(), "stateful": v_bool,
             "tenant_id": v_str(), "project_id": v_str(), "tags": v_list(v_str(60))}
_SG_UPDATE = {k: _SG_ATTRS[k] for k in ("name", "description", "stateful", "tags")}

_PROTOCOLS = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
              "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132, "vrrp": 112, "any": None}


def _port_bound(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not an integer.")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not an integer.") from None
    if not 0 <= number <= 65535:
        raise bad(f"Invalid value for port {number}.", type="InvalidInput")
    return number


def _protocol(value: Any, name: str) -> str | None:
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


def _prefix(value: Any, name: str) -> str | None:
    if value is None:
        return None
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid IP prefix.") \
            from None


_RULE_ATTRS = {
    "security_group_id": v_str(36), "direction": v_values("ingress", "egress"),
    "ethertype": v_values("IPv4", "IPv6"), "protocol": _protocol,
    "port_range_min": _port_bound, "port_range_max": _port_bound,
    "remote_ip_prefix": _prefix, "remote_group_id": v_str(36, nullable=True),
    "remote_address_group_id": v_str(36, nullable=True), "description": v_str(),
    "tenant_id": v_str(), "project_id": v_str(),
}


async def create_sg(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "security_group"), _SG_ATTRS)
    project_id = owner_of(token, attrs)
    model.default_security_group(store, project_id)
    if attrs.get("name") == "default":
        raise conflict("Default security group already exists.",
                       "SecurityGroupDefaultAlreadyExists")
    check_quota(store, project_id, "security_group")
    sg = model.new_security_group(store, project_id, attrs.get("name", ""),
                                  attrs.get("description", ""),
                                  stateful=attrs.get("stateful", True))
    if attrs.get("tags"):
        sg["tags"] = list(dict.fromkeys(attrs["tags"]))
    return show(store, token, SECURITY_GROUP, sg, status=201)


async def update_sg(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    sg = get_visible(store, token, SECURITY_GROUP, ident(request))
    attrs = check_attrs(await body_of(request, "security_group"), _SG_UPDATE)
    require_owner(token, sg, "update_security_group")
    if sg["name"] == "default" and attrs.get("name", "default") != "default":
        raise conflict("Updating default security group not allowed.",
                       "SecurityGroupCannotUpdateDefault")
    if "tags" in attrs:
        sg["tags"] = list(dict.fromkeys(attrs.pop("tags")))
    sg.update(attrs)
    model.stamp(sg)
    return show(store, token, SECURITY_GROUP, sg)


def _in_use(store: Store, sg: Record) -> bool:
    ports = store.table("ports")
    ids = model.index(store).ports_by_project.get(sg["project_id"], {})
    return any(i in ports and sg["id"] in ports[i]["security_groups"] for i in ids)


async def delete_sg(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    sg = get_visible(store, token, SECURITY_GROUP, ident(request))
    require_owner(token, sg, "delete_security_group")
    if sg["name"] == "default" and not token.is_admin:
        raise conflict("Removing default security group not allowed.",
                       "SecurityGroupCannotRemoveDefault")
    if _in_use(store, sg):
        raise conflict(f"Security Group {sg['id']} in use.", "SecurityGroupInUse")
    rules = store.table("security_group_rules")
    for rule in sg["security_group_rules"]:
        rules.pop(rule["id"], None)
    del store.table("security_groups")[sg["id"]]
    ix = model.index(store)
    if ix.default_sg.get(sg["project_id"]) == sg["id"]:
        del ix.default_sg[sg["project_id"]]
    return json_response(None, 204)


def _validate_rule(store: Store, token: Token, attrs: dict[str, Any]) -> Record:
    for required in ("security_group_id", "direction"):
        if required not in attrs:
            raise bad(f"Failed to parse request. Required attribute '{required}' not "
                      "specified")
    sg = get_visible(store, token, SECURITY_GROUP, attrs["security_group_id"])
    if attrs.get("remote_ip_prefix") and attrs.get("remote_group_id"):
        raise bad("Only remote_ip_prefix or remote_group_id may be provided.",
                  type="SecurityGroupRemoteGroupAndRemoteIpPrefix")
    if attrs.get("remote_group_id"):
        get_visible(store, token, SECURITY_GROUP, attrs["remote_group_id"])
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
        for name, value in (("type", lo), ("code", hi)):
            if value is not None and value > 255:
                raise bad(f"Invalid value for ICMP {name} ({'port_range_min' if name == 'type' else 'port_range_max'}) {value}. It must be 0 to 255.",
                          type="SecurityGroupInvalidIcmpValue")
    key = tuple(attrs.get(k) for k in ("direction", "ethertype", "protocol",
                                       "port_range_min", "port_range_max",
                                       "remote_ip_prefix", "remote_group_id"))
    for rule in sg["security_group_rules"]:
        if tuple(rule.get(k) for k in ("direction", "ethertype", "protocol",
                                       "port_range_min", "port_range_max",
                                       "remote_ip_prefix", "remote_group_id")) == key:
            raise conflict(f"Security group rule already exists. Rule id is {rule['id']}.",
                           "SecurityGroupRuleExists")
    return sg


async def create_rule(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    attrs = check_attrs(await body_of(request, "security_group_rule"), _RULE_ATTRS)
    sg = _validate_rule(store, token, attrs)
    require_owner(token, sg, "create_security_group_rule")
    owner_of(token, attrs)
    check_quota(store, sg["project_id"], "security_group_rule")
    attrs.pop("remote_address_group_id", None)
    sg_id = attrs.pop("security_group_id")
    assert sg_id == sg["id"]
    rule = model.new_sg_rule(store, sg, **attrs)
    model.stamp(sg)
    return show(store, token, SECURITY_GROUP_RULE, rule, status=201)


async def delete_rule(request: Request) -> Response:
    store, token = store_of(request), auth(request)
    rule = get_visible(store, token, SECURITY_GROUP_RULE, ident(request))
    require_owner(token, rule, "delete_security_group_rule")
    del store.table("security_group_rules")[rule["id"]]
    sg = store.table("security_groups").get(rule["security_group_id"])
    if sg is not None:
        sg["security_group_rules"] = [r for r in sg["security_group_rules"]
                                      if r["id"] != rule["id"]]
        model.stamp(sg)
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    return [*crud_routes(SECURITY_GROUP, create_sg, update_sg, delete_sg),
            *crud_routes(SECURITY_GROUP_RULE, create_rule, None, delete_rule)]
