"""Address groups, local IPs and the default security group rules.

An address group is a named set of CIDRs a security group rule may name as its remote
(``remote_address_group_id``); addresses are added and removed by action, and a group a
rule uses cannot be deleted (409 ``AddressGroupInUse``). A local IP is one address on a
network (held by a ``network:local_ip`` port) that ports reach locally, associated with
them one port at a time. The default security group rules are the template every new
security group's rules are made from (an admin's to change).
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, json_response
from ...store import Record, Store
from . import model
from ._common import RO, InUse, NeutronCollection, bad, common, conflict, required, strip_json
from ._nested import Nested
from .core import NETWORKS, PORTS

__all__ = ["ADDRESS_GROUPS", "DEFAULT_SG_RULES", "LOCAL_IPS", "LOCAL_IP_ASSOCIATIONS",
           "routes", "seed"]

_NAMESPACE = uuid.UUID("3f6e2a1b-7c4d-4e5f-8a9b-0c1d2e3f4a5b")


def _cidrs(values: Any) -> list[str]:
    if not isinstance(values, list):
        raise bad(f"Invalid input for addresses. Reason: '{values}' is not a list.")
    out = []
    for value in values:
        try:
            out.append(str(ipaddress.ip_network(value, strict=False)))
        except (TypeError, ValueError):
            raise bad(f"Invalid input for addresses. Reason: '{value}' is not a valid IP "
                      "subnet.") from None
    return out


class AddressGroups(NeutronCollection):
    """Address groups of a project (standard attributes but tags, as Neutron 29 sends)."""

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        ts = model.timestamp()
        return {"id": self.dialect.new_id(), "name": attrs.get("name", ""),
                "description": attrs.get("description", ""), "project_id": project_id,
                "tenant_id": project_id,
                "addresses": sorted(set(_cidrs(attrs.get("addresses", [])))),
                "created_at": ts, "updated_at": ts, "revision_number": 0}

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "addresses" in changes:
            changes["addresses"] = sorted(set(_cidrs(changes["addresses"])))


ADDRESS_GROUPS = AddressGroups(
    "address_group", "address_groups", path="address-groups", tags=False,
    in_use=(InUse("security_group_rules", ("remote_address_group_id",), "Address group {id} "
                  "is in use by security group rule {user}.", "AddressGroupInUse"),),
    fields=common({
        "addresses": Field(type="list", items="str")},
        drop=("tags",)))


async def _addresses(request: Request, add: bool) -> Response:
    ctx = Ctx.of(request)
    group = ADDRESS_GROUPS.get(ctx, request.path_params["id"])
    ADDRESS_GROUPS.may_change(ctx, group, "update")
    wanted = _cidrs(await required(request, "addresses"))
    have = set(group["addresses"])
    if add:
        clash = sorted(set(wanted) & have)
        if clash:
            raise bad(f"Addresses {clash} already exist in address group {group['id']}.",
                      type="AddressesAlreadyExist")
        group["addresses"] = sorted(have | set(wanted))
    else:
        absent = sorted(set(wanted) - have)
        if absent:
            raise ApiError(404, f"Addresses {absent} not found in the address group "
                           f"{group['id']}.", type="AddressesNotFound")
        group["addresses"] = sorted(have - set(wanted))
    model.stamp(group)
    return json_response({"address_group": ADDRESS_GROUPS.render(ctx, group)})


async def add_addresses(request: Request) -> Response:
    return await _addresses(request, True)


async def remove_addresses(request: Request) -> Response:
    return await _addresses(request, False)


# -- local IPs ---------------------------------------------------------------------------

class LocalIPs(NeutronCollection):
    """Local IPs: the address held by a port of their network."""

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        port_id = attrs.get("local_port_id")
        if port_id:
            port = PORTS.get(ctx, port_id)
            network_id = port["network_id"]
            if attrs.get("network_id") not in (None, network_id):
                raise bad(f"Bad local_ip request: port {port_id} is not on network "
                          f"{attrs['network_id']}.", type="BadRequest")
            ips = [ip["ip_address"] for ip in port["fixed_ips"]]
            address = attrs.get("local_ip_address") or (ips[0] if ips else None)
            if address not in ips:
                raise bad(f"Bad local_ip request: port {port_id} has no IP {address}.",
                          type="BadRequest")
        elif attrs.get("network_id"):
            network_id = NETWORKS.get(ctx, attrs["network_id"])["id"]
            fixed: dict[str, str] = {}
            if attrs.get("local_ip_address"):
                fixed["ip_address"] = attrs["local_ip_address"]
                for sid in ctx.store.table("networks")[network_id]["subnets"]:
                    sub = ctx.store.table("subnets").get(sid)
                    if sub and ipaddress.ip_address(fixed["ip_address"]) in \
                            ipaddress.ip_network(sub["cidr"]):
                        fixed["subnet_id"] = sid
                if "subnet_id" not in fixed:
                    raise bad(f"Bad local_ip request: {fixed['ip_address']} is on no subnet "
                              f"of network {network_id}.", type="BadRequest")
            port = model.new_port(ctx.store, project_id=project_id, network_id=network_id,
                                  device_owner="network:local_ip",
                                  fixed_ips=[fixed] if fixed else None)
            address = port["fixed_ips"][0]["ip_address"] if port["fixed_ips"] else None
            if address is None:
                model.delete_port(ctx.store, port["id"])
                raise bad(f"Bad local_ip request: network {network_id} has no subnet.",
                          type="BadRequest")
        else:
            raise bad("Bad local_ip request: Either local_port_id or network_id must be "
                      "specified.", type="BadRequest")
        ts = model.timestamp()
        local_ip: Record = {
            "id": self.dialect.new_id(), "name": attrs.get("name", ""),
            "description": attrs.get("description", ""), "project_id": project_id,
            "tenant_id": project_id, "local_port_id": port["id"],
            "network_id": network_id, "local_ip_address": address,
            "ip_mode": attrs.get("ip_mode", "translate"), "created_at": ts,
            "updated_at": ts, "revision_number": 0}
        if port["device_owner"] == "network:local_ip":
            old = dict(port)
            port["device_id"] = local_ip["id"]
            model.reindex_port(ctx.store, port, old)
        return local_ip

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if any(a["_parent"] == record["id"]
               for a in ctx.store.table("local_ip_associations").values()):
            raise conflict(f"Local IP {record['id']} is still associated with one or more "
                           "ports.", "LocalIPInUse")
        port = ctx.store.table("ports").get(record["local_port_id"])
        if port is not None and port["device_owner"] == "network:local_ip":
            model.delete_port(ctx.store, port["id"])


LOCAL_IPS = LocalIPs("local_ip", "local_ips", tags=False, project_aliases=(), fields=common({
    "local_port_id": Field(max_length=36, create_only=True),
    "network_id": Field(max_length=36, create_only=True),
    "local_ip_address": Field(type="ip", create_only=True),
    "ip_mode": Field(type="any", choices=("translate", "passthrough"), create_only=True),
    "tenant_id": RO,
}, drop=("tags",)))


class LocalIPAssociations(Nested):
    """A local IP's ports: one association per port."""

    def key_of(self, record: Record) -> str:
        return f"{record['_parent']}:{record['fixed_port_id']}"

    def get(self, ctx: Ctx, ident: str) -> Record:
        parent = self.owner(ctx)
        record = self.records(ctx.store).get(f"{parent['id']}:{strip_json(ident)}")
        if record is None:
            raise ApiError(404, f"Local IP {parent['id']} association with port "
                           f"{strip_json(ident)} could not be found.",
                           type="LocalIPAssociationNotFound")
        return record

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        local_ip = self.owner(ctx)
        port = PORTS.get(ctx, attrs["fixed_port_id"])
        ips = [ip["ip_address"] for ip in port["fixed_ips"] if ":" not in ip["ip_address"]]
        fixed = attrs.get("fixed_ip") or (ips[0] if ips else None)
        if fixed is None or fixed not in ips:
            raise bad(f"Bad local_ip_association request: port {port['id']} has no IPv4 "
                      f"address {fixed or ''}".rstrip() + ".", type="BadRequest")
        if f"{local_ip['id']}:{port['id']}" in self.records(ctx.store):
            raise conflict(f"Local IP {local_ip['id']} is already associated with port "
                           f"{port['id']}.", "LocalIPPortAssociationExists")
        return {"local_ip_id": local_ip["id"], "local_ip_address":
                local_ip["local_ip_address"], "fixed_port_id": port["id"], "fixed_ip": fixed,
                "host": port.get("binding:host_id") or "", "_parent": local_ip["id"]}


LOCAL_IP_ASSOCIATIONS = LocalIPAssociations(
    "port_association", "port_associations", table="local_ip_associations",
    path="local_ips/{local_ip_id}/port_associations", parent=LOCAL_IPS,
    param="local_ip_id", allow_update=False, allow_show=False, tie_break=None,
    default_sort_keys=(("fixed_port_id", "asc"),),
    rules={"create": "create_local_ip_port_association",
           "delete": "delete_local_ip_port_association"},
    fields={"local_ip_id": RO, "local_ip_address": RO, "host": RO,
            "fixed_port_id": Field(max_length=36, required=True),
            "fixed_ip": Field(type="ip")})


# -- default security group rules --------------------------------------------------------

DEFAULT_SG_RULES_TEMPLATE: list[dict[str, Any]] = [
    {"direction": "egress", "ethertype": "IPv4", "remote_group_id": None,
     "used_in_default_sg": True, "used_in_non_default_sg": True},
    {"direction": "ingress", "ethertype": "IPv4", "remote_group_id": "PARENT",
     "used_in_default_sg": True, "used_in_non_default_sg": False},
    {"direction": "egress", "ethertype": "IPv6", "remote_group_id": None,
     "used_in_default_sg": True, "used_in_non_default_sg": True},
    {"direction": "ingress", "ethertype": "IPv6", "remote_group_id": "PARENT",
     "used_in_default_sg": True, "used_in_non_default_sg": False}]
"""Neutron's built-in template, in the order the rules of a new group are made."""

_RULE_KEYS = ("direction", "ethertype", "protocol", "port_range_min", "port_range_max",
              "remote_ip_prefix", "remote_group_id", "remote_address_group_id")


class DefaultSecurityGroupRules(NeutronCollection):
    """The template of every new security group's rules."""

    stamped = False

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        for key in ("port_range_min", "port_range_max"):
            if attrs.get(key) is not None:
                attrs[key] = int(attrs[key])
        rule = {"id": self.dialect.new_id(), "description": attrs.get("description", ""),
                **{k: attrs.get(k) for k in _RULE_KEYS},
                "used_in_default_sg": attrs.get("used_in_default_sg", False),
                "used_in_non_default_sg": attrs.get("used_in_non_default_sg", True)}
        rule["ethertype"] = rule["ethertype"] or "IPv4"
        if rule["remote_ip_prefix"] and rule["remote_group_id"]:
            raise bad("Only remote_ip_prefix or remote_group_id may be provided.",
                      type="SecurityGroupRemoteGroupAndRemoteIpPrefix")
        for other in self.records(ctx.store).values():
            if all(other.get(k) == rule[k] for k in _RULE_KEYS):
                raise conflict(f"Default Security group rule already exists. Rule id is "
                               f"{other['id']}.", "DefaultSecurityGroupRuleExists")
        return rule


_OPT = Field(type="any", nullable=True, create_only=True)
DEFAULT_SG_RULES = DefaultSecurityGroupRules(
    "default_security_group_rule", "default_security_group_rules",
    path="default-security-group-rules", table="default_security_group_rules",
    project_key=None, project_aliases=(), visibility="public", write="admin", tags=False,
    allow_update=False, fields={
        "id": RO, "description": Field(max_length=255, create_only=True),
        "direction": Field(type="any", choices=("ingress", "egress"), required=True,
                           create_only=True),
        "ethertype": Field(type="any", choices=("IPv4", "IPv6"), create_only=True),
        "protocol": _OPT, "port_range_min": _OPT, "port_range_max": _OPT,
        "remote_ip_prefix": Field(type="cidr", nullable=True, create_only=True),
        "remote_group_id": _OPT, "remote_address_group_id": _OPT,
        "used_in_default_sg": Field(type="bool", lenient=True, create_only=True),
        "used_in_non_default_sg": Field(type="bool", lenient=True, create_only=True)})


def seed(store: Store) -> None:
    """Neutron's default rule template, a local IP on the world's first unattached port,
    and an address group of the office networks for the first project with a
    ``ssh-bastion`` group (ids derived: no random draw)."""
    table = store.table("default_security_group_rules")
    ts = model.timestamp()
    for i, template in enumerate(DEFAULT_SG_RULES_TEMPLATE):
        rid = str(uuid.uuid5(_NAMESPACE, f"default-rule:{i}"))
        table[rid] = {"id": rid, "description": "", "protocol": None,
                      "port_range_min": None, "port_range_max": None,
                      "remote_ip_prefix": None, "remote_address_group_id": None,
                      **template}
    for port in store.table("ports").values():
        if not port["device_owner"] and port["project_id"] and port["fixed_ips"]:
            lid = str(uuid.uuid5(_NAMESPACE, f"local-ip:{port['id']}"))
            store.table("local_ips")[lid] = {
                "id": lid, "name": "local-dns", "description": "Node-local DNS cache",
                "project_id": port["project_id"], "tenant_id": port["project_id"],
                "local_port_id": port["id"], "network_id": port["network_id"],
                "local_ip_address": port["fixed_ips"][0]["ip_address"],
                "ip_mode": "translate", "created_at": ts, "updated_at": ts,
                "revision_number": 0}
            break
    for sg in store.table("security_groups").values():
        if sg["name"] == "ssh-bastion":
            gid = str(uuid.uuid5(_NAMESPACE, f"address-group:{sg['project_id']}"))
            store.table("address_groups")[gid] = {
                "id": gid, "name": "office-networks",
                "description": "The office VPN and the NOC", "project_id": sg["project_id"],
                "tenant_id": sg["project_id"],
                "addresses": ["198.51.100.0/24", "203.0.113.16/28"],
                "created_at": ts, "updated_at": ts, "revision_number": 0}
            return


def routes() -> list[BaseRoute]:
    return [*ADDRESS_GROUPS.routes(),
            Route("/v2.0/address-groups/{id}/add_addresses", add_addresses, methods=["PUT"]),
            Route("/v2.0/address-groups/{id}/remove_addresses", remove_addresses,
                  methods=["PUT"]),
            *LOCAL_IPS.routes(), *LOCAL_IP_ASSOCIATIONS.routes(),
            *DEFAULT_SG_RULES.routes()]
