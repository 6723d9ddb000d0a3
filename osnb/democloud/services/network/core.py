"""Networks, subnets and ports: the L2/L3 core of Neutron's API, as declarations plus
what each does on create, update and delete."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any

from ...engine import Ctx, Field, Filter, Query
from ...http import ApiError
from ...store import Record
from . import model, pools, segments
from ._common import (
    BOOL,
    DICTS,
    NULLABLE,
    RO,
    STR,
    STRS,
    NeutronCollection,
    bad,
    common,
    require_owner,
)
from .qos import check_policy, refresh_network, refresh_port
from .quotas import check_quota
from .rbac import reaches, shared_with
from .security import SECURITY_GROUPS

__all__ = ["NETWORKS", "PORTS", "SUBNETS"]

# -- networks --------------------------------------------------------------------------

def _net_visible(ctx: Ctx, net: Record) -> bool:
    return bool(net["project_id"] == ctx.token.project_id or net["shared"]
                or net["router:external"]
                or reaches(ctx.store, "network", net["id"], ctx.token.project_id))


class Networks(NeutronCollection):
    """Networks: an admin's provider attributes; deleting one takes its DHCP ports and
    subnets along, unless other ports still use it."""

    admin_attrs = ("shared", "router:external", "is_default", "provider:network_type",
                   "provider:physical_network", "provider:segmentation_id")

    def render(self, ctx: Ctx, record: Record, fields: Iterable[str] = ()) -> Record:
        """As stored, but ``shared`` as the caller sees it (Neutron's
        ``_is_network_shared``: a ``*`` policy, which the flag stands for, or an
        ``access_as_shared`` policy naming the caller's project), and, for a network with
        more than one segment, ``segments`` (multiprovider, an admin's) in place of the
        ``provider:*`` keys."""
        store = ctx.store
        shared = bool(record["shared"]) or shared_with(store, "network", record["id"],
                                                       ctx.token.project_id)
        extra = segments.extra_segments(store, record["id"])
        if shared == record["shared"] and not extra:
            return super().render(ctx, record, fields)
        out = {**record, "shared": shared}
        if extra:
            first = {key: record[f"provider:{key}"] for key in _PROVIDER}
            for key in _PROVIDER:
                out.pop(f"provider:{key}")
            if ctx.admin:
                out["segments"] = [{f"provider:{key}": seg[key] for key in _PROVIDER}
                                   for seg in (first, *extra)]
        return super().render(ctx, out, fields)

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        check_policy(ctx, attrs.get("qos_policy_id"))
        check_quota(ctx.store, project_id, "network")
        net = model.new_network(
            ctx.store, project_id=project_id, name=attrs.get("name", ""),
            shared=attrs.get("shared", False), external=attrs.get("router:external", False),
            network_type=attrs.get("provider:network_type", "vxlan"),
            physical_network=attrs.get("provider:physical_network"),
            segmentation_id=attrs.get("provider:segmentation_id"),
            description=attrs.get("description", ""), mtu=attrs.get("mtu"),
            admin_state_up=attrs.get("admin_state_up", True),
            port_security_enabled=attrs.get("port_security_enabled", True),
            availability_zone_hints=attrs.get("availability_zone_hints"))
        net["is_default"] = attrs.get("is_default", False)
        net.update({k: attrs[k] for k in ("dns_domain", "qos_policy_id", "qinq",
                                          "vlan_transparent", "pvlan") if k in attrs})
        return net

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if changes.get("qos_policy_id", record["qos_policy_id"]) != record["qos_policy_id"]:
            check_policy(ctx, changes["qos_policy_id"])
            record["qos_policy_id"] = changes["qos_policy_id"]
            refresh_network(ctx.store, record)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        store = ctx.store
        ports = store.table("ports")
        on_net = [ports[i] for i in list(model.index(store).ports_by_network.get(
            record["id"], {})) if i in ports]
        if any(p["device_owner"] != "network:dhcp" for p in on_net):
            raise ApiError(409, f"Unable to complete operation on network {record['id']}. "
                           "There are one or more ports still in use on the network.",
                           type="NetworkInUse")
        for port in on_net:
            model.delete_port(store, port["id"])
        for sid in record["subnets"]:
            store.table("subnets").pop(sid, None)


_PROVIDER = ("network_type", "physical_network", "segmentation_id")
_ONCE_BOOL = Field(type="bool", lenient=True, create_only=True)
NETWORKS = Networks("network", "networks", fields=common({
    "admin_state_up": BOOL, "status": RO, "subnets": RO, "shared": BOOL,
    "router:external": BOOL, "mtu": Field(type="int", lenient=True, minimum=68, maximum=9216),
    "availability_zone_hints": Field(type="list", items="str", item_max_length=255,
                                     create_only=True),
    "availability_zones": RO, "ipv4_address_scope": RO, "ipv6_address_scope": RO,
    "port_security_enabled": BOOL, "qos_policy_id": NULLABLE, "dns_domain": STR,
    "l2_adjacency": RO, "is_default": BOOL, "qinq": _ONCE_BOOL, "vlan_transparent": _ONCE_BOOL,
    "pvlan": BOOL,
    "provider:network_type": Field(type="any", admin_only=True, choices=(
        "flat", "vlan", "vxlan", "geneve", "gre", "local")),
    "provider:physical_network": Field(max_length=64, nullable=True, admin_only=True),
    "provider:segmentation_id": Field(type="int", lenient=True, minimum=1,
                                      maximum=16777215, nullable=True, admin_only=True),
}), visibility=_net_visible)


# -- subnets ---------------------------------------------------------------------------

def _subnet_visible(ctx: Ctx, subnet: Record) -> bool:
    if subnet["project_id"] == ctx.token.project_id:
        return True
    net = ctx.store.table("networks").get(subnet["network_id"])
    return bool(net and _net_visible(ctx, net))


def _cidr(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    reason = None
    try:
        net = ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        reason = f"'{value}' is not a valid IP subnet."
    else:
        if str(net) != str(value) and f"{net.network_address}/{net.prefixlen}" != value:
            reason = f"'{value}' isn't a recommended CIDR, '{net}' should be specified instead."
    if reason:
        raise bad(f"Invalid input for cidr. Reason: {reason}")
    return net


def _in_subnet(gateway: str, cidr: Any) -> None:
    if ipaddress.ip_address(gateway) not in ipaddress.ip_network(cidr):
        raise bad(f"Invalid input for operation: Gateway IP {gateway} is not in "
                  f"subnet {cidr}.", type="InvalidInput")


class Subnets(NeutronCollection):
    """Subnets: a CIDR checked against its network's others, a gateway and pools inside it."""

    private = True

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """With its network's ``router:external`` (the subnet-external extension)."""
        net = ctx.store.table("networks").get(record["network_id"]) or {}
        return {**record, "router:external": bool(net.get("router:external"))}

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        store = ctx.store
        cidr = _cidr(attrs["cidr"]) if attrs.get("cidr") is not None else None
        pool = None
        if attrs.get("subnetpool_id") or attrs.get("use_default_subnetpool"):
            pool, cidr = pools.allocate(ctx, attrs.get("subnetpool_id"), attrs["ip_version"],
                                        cidr, attrs.get("prefixlen"))
        if cidr is None:
            raise bad("Bad subnets request: a subnetpool must be specified in the "
                      "absence of a cidr.", type="BadRequest")
        net = NETWORKS.get(ctx, attrs["network_id"])
        require_owner(ctx, net, "create_subnet")
        segments.check_segment(ctx, net["id"], attrs.get("segment_id"))
        if cidr.version != attrs["ip_version"]:
            raise bad(f"Invalid input for operation: Cidr {cidr} is not a valid IPv"
                      f"{attrs['ip_version']} subnet.", type="InvalidInput")
        subnets = store.table("subnets")
        for sid in net["subnets"]:
            other = subnets.get(sid)
            if other and ipaddress.ip_network(other["cidr"]).overlaps(cidr):
                raise bad(f"Invalid input for operation: Requested subnet with cidr:"
                          f" {cidr} for network: {net['id']} overlaps with another "
                          "subnet.", type="InvalidInput")
        gateway = attrs.get("gateway_ip", True)
        if isinstance(gateway, str):
            _in_subnet(gateway, cidr)
        for pool in attrs.get("allocation_pools") or ():
            try:
                start, end = (ipaddress.ip_address(pool[k]) for k in ("start", "end"))
            except (KeyError, TypeError, ValueError):
                raise bad(f"Invalid input for allocation_pools. Reason: '{pool}' is "
                          "not a valid allocation pool.") from None
            if start not in cidr or end not in cidr or int(start) > int(end):
                raise bad(f"The allocation pool {pool['start']}-{pool['end']} spans "
                          f"beyond the subnet cidr {cidr}.",
                          type="OutOfBoundsAllocationPool")
        check_quota(store, project_id, "subnet")
        subnet = model.new_subnet(
            store, network=net, cidr=str(cidr), name=attrs.get("name", ""),
            project_id=project_id, ip_version=attrs["ip_version"], gateway_ip=gateway,
            allocation_pools=attrs.get("allocation_pools") or None,
            enable_dhcp=attrs.get("enable_dhcp", True),
            dns_nameservers=attrs.get("dns_nameservers"), host_routes=attrs.get("host_routes"),
            description=attrs.get("description", ""))
        subnet.update({k: attrs[k] for k in ("ipv6_ra_mode", "ipv6_address_mode", "segment_id",
                                             "service_types", "dns_publish_fixed_ip")
                       if k in attrs})
        if pool is not None:
            subnet["subnetpool_id"] = pool["id"]
            if pool["address_scope_id"]:
                net[f"ipv{pool['ip_version']}_address_scope"] = pool["address_scope_id"]
        return subnet

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if changes.get("gateway_ip") is not None:
            _in_subnet(changes["gateway_ip"], record["cidr"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        store = ctx.store
        ports = store.table("ports")
        users = [ports[i] for i in list(model.index(store).ports_by_network.get(
            record["network_id"], {})) if i in ports
            and any(ip["subnet_id"] == record["id"] for ip in ports[i]["fixed_ips"])]
        if any(p["device_owner"] != "network:dhcp" for p in users):
            raise ApiError(409, f"Unable to complete operation on subnet {record['id']}: One "
                           "or more ports have an IP allocation from this subnet.",
                           type="SubnetInUse")
        for port in users:
            model.delete_port(store, port["id"])
        net = store.table("networks").get(record["network_id"])
        if net and record["id"] in net["subnets"]:
            net["subnets"].remove(record["id"])


_V6_MODE = Field(type="any", nullable=True, create_only=True,
                 choices=("slaac", "dhcpv6-stateful", "dhcpv6-stateless"))
SUBNETS = Subnets("subnet", "subnets", fields=common({
    "network_id": Field(max_length=36, required=True, create_only=True),
    "ip_version": Field(type="any", choices=(4, 6), required=True, create_only=True),
    "cidr": Field(type="any", create_only=True, nullable=True),
    "gateway_ip": Field(type="ip", nullable=True),
    "enable_dhcp": BOOL, "allocation_pools": Field(type="list", items="dict",
                                                   create_only=True),
    "host_routes": DICTS, "dns_nameservers": Field(type="list", items="ip"),
    "ipv6_ra_mode": _V6_MODE, "ipv6_address_mode": _V6_MODE,
    "subnetpool_id": Field(max_length=255, nullable=True, create_only=True),
    "use_default_subnetpool": Field(type="bool", lenient=True, create_only=True),
    "prefixlen": Field(type="int", lenient=True, minimum=0, maximum=128, create_only=True),
    "service_types": STRS, "segment_id": NULLABLE, "dns_publish_fixed_ip": BOOL,
}), visibility=_subnet_visible)


# -- ports -----------------------------------------------------------------------------

_MAC = re.compile(r"^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")
_PORT_SECURITY = ("Port has security group associated. Cannot disable port security or ip "
                  "address until security group is removed")


def _mac(value: Any) -> str:
    if not isinstance(value, str) or not _MAC.match(value):
        raise bad(f"Invalid input for mac_address. Reason: '{value}' is not a valid "
                  "MAC address.")
    return value.lower()


def _fixed_ips_match(values: list[str]) -> Any:
    """The ``fixed_ips=ip_address=…|subnet_id=…|ip_address_substr=…`` filter."""
    want: dict[str, set[str]] = {}
    for value in values:
        key, _, val = value.partition("=")
        if key not in ("ip_address", "subnet_id", "ip_address_substr"):
            raise bad(f"Invalid input for fixed_ips. Reason: '{value}' is not a valid "
                      "filter.", type="InvalidInput")
        want.setdefault(key, set()).add(val)

    def match(ips: Any) -> bool:
        return any(
            ("ip_address" not in want or ip["ip_address"] in want["ip_address"])
            and ("subnet_id" not in want or ip["subnet_id"] in want["subnet_id"])
            and ("ip_address_substr" not in want or any(
                s in ip["ip_address"] for s in want["ip_address_substr"]))
            for ip in ips or ())
    return match


class Ports(NeutronCollection):
    """Ports, listed through the indexes by device, network or project."""

    admin_attrs = ("binding:host_id", "binding:profile", "data_plane_status", "trusted")

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        ix = model.index(ctx.store)
        ports = ctx.store.table("ports")
        f = query.filters
        if "device_id" in f:
            buckets = [ix.ports_by_device.get(d, {}) for d in f["device_id"]]
        elif "network_id" in f:
            buckets = [ix.ports_by_network.get(n, {}) for n in f["network_id"]]
        elif "project_id" in f or "tenant_id" in f:
            buckets = [ix.ports_by_project.get(p, {})
                       for p in f.get("project_id", []) + f.get("tenant_id", [])]
        elif not ctx.admin:
            buckets = [ix.ports_by_project.get(ctx.token.project_id or "", {})]
        else:
            return None
        seen: dict[str, None] = {}
        for bucket in buckets:
            seen.update(bucket)
        return [ports[i] for i in seen if i in ports]

    def _check(self, ctx: Ctx, attrs: dict[str, Any], groups: list[str]) -> None:
        for entry in attrs.get("fixed_ips", ()):
            if not entry or set(entry) - {"subnet_id", "ip_address"}:
                raise bad(f"Invalid input for fixed_ips. Reason: '{entry}' is not a valid "
                          "fixed IP request.")
            if "ip_address" in entry:
                try:
                    ipaddress.ip_address(entry["ip_address"])
                except (TypeError, ValueError):
                    raise bad(f"Invalid input for fixed_ips. Reason: "
                              f"'{entry['ip_address']}' is not a valid IP address.") from None
        if "security_groups" in attrs:
            for sg_id in attrs["security_groups"]:
                SECURITY_GROUPS.get(ctx, sg_id)  # the caller's own, or Neutron's 404
            attrs["security_groups"] = groups = list(dict.fromkeys(attrs["security_groups"]))
        if "qos_policy_id" in attrs:
            check_policy(ctx, attrs["qos_policy_id"])
        if attrs.get("port_security_enabled") is False and groups:
            raise bad(_PORT_SECURITY, type="PortSecurityAndIPRequiredForSecurityGroups")

    @staticmethod
    def _mac_free(ctx: Ctx, network_id: str, mac: str) -> None:
        ports = ctx.store.table("ports")
        for pid in model.index(ctx.store).ports_by_network.get(network_id, {}):
            if pid in ports and ports[pid]["mac_address"] == mac:
                raise ApiError(409, f"Unable to complete operation for network {network_id}. "
                               f"The mac address {mac} is in use.", type="MacAddressInUse")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        store = ctx.store
        if "mac_address" in attrs:
            attrs["mac_address"] = _mac(attrs["mac_address"])
        net = NETWORKS.get(ctx, attrs["network_id"])
        if net["router:external"] and not net["shared"] and not ctx.admin \
                and net["project_id"] != ctx.token.project_id:
            raise self.dialect.forbidden("create_port")
        self._check(ctx, attrs, [])
        if "mac_address" in attrs:
            self._mac_free(ctx, net["id"], attrs["mac_address"])
        check_quota(store, project_id, "port")
        owner = attrs.get("device_owner", "")
        host = attrs.get("binding:host_id") or None
        port = model.new_port(
            store, project_id=project_id, network_id=net["id"],
            device_id=attrs.get("device_id", ""), device_owner=owner,
            name=attrs.get("name", ""), host=host,
            status="ACTIVE" if host and owner.startswith(("compute:", "network:")) else "DOWN",
            mac_address=attrs.get("mac_address"), fixed_ips=attrs.get("fixed_ips"),
            security_groups=attrs.get("security_groups"),
            admin_state_up=attrs.get("admin_state_up", True),
            port_security_enabled=attrs.get("port_security_enabled"),
            description=attrs.get("description", ""))
        port.update({k: attrs[k] for k in (
            "allowed_address_pairs", "binding:vnic_type", "binding:profile", "extra_dhcp_opts",
            "dns_name", "dns_domain", "qos_policy_id", "propagate_uplink_status",
            "data_plane_status", "hardware_offload_type", "trusted", "pvlan_type",
            "pvlan_community") if k in attrs})
        refresh_port(store, port)
        return port

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if "mac_address" in changes:
            changes["mac_address"] = _mac(changes["mac_address"])
        if not ctx.admin and changes.get("mac_address"):
            raise self.dialect.forbidden("update_port:mac_address")
        self._check(ctx, changes, record["security_groups"])
        if changes.get("mac_address", record["mac_address"]) != record["mac_address"]:
            self._mac_free(ctx, record["network_id"], changes["mac_address"])
        if "fixed_ips" in changes:
            _replace_fixed_ips(ctx, record, changes.pop("fixed_ips"))
        old = dict(record)
        record.update(changes)
        if "binding:host_id" in changes:
            record["binding:vif_type"] = "ovs" if record["binding:host_id"] else "unbound"
            record["binding:vif_details"] = model.vif_details(record["binding:host_id"])
        if "qos_policy_id" in changes or "binding:vnic_type" in changes:
            refresh_port(ctx.store, record)
        model.reindex_port(ctx.store, record, old)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        for trunk in ctx.store.table("trunks").values():
            if trunk["port_id"] == record["id"]:
                raise ApiError(409, f"Port {record['id']} is currently in use and is not "
                               "eligible for deletion.", type="PortInUseAsTrunkParent")
            if any(s["port_id"] == record["id"] for s in trunk["sub_ports"]):
                raise ApiError(409, f"Port {record['id']} is currently a subport for trunk "
                               f"{trunk['id']}.", type="PortInUseAsSubPort")
        if record["device_owner"] in ("network:router_interface", "network:router_gateway",
                                      "network:floatingip",
                                      "network:router_interface_distributed"):
            raise ApiError(409, f"Port {record['id']} cannot be deleted directly via the "
                           f"port API: has device owner {record['device_owner']}.",
                           type="L3PortInUse")
        model.delete_port(ctx.store, record["id"])


def _replace_fixed_ips(ctx: Ctx, port: Record, wanted: list[dict[str, Any]]) -> None:
    store = ctx.store
    network = store.table("networks")[port["network_id"]]
    held = {(ip["subnet_id"], ip["ip_address"]) for ip in port["fixed_ips"]}
    keep = [e for e in wanted if (e.get("subnet_id"), e.get("ip_address")) in held
            or any(e.get("ip_address") == a and "subnet_id" not in e for _, a in held)]
    kept = {e["ip_address"] for e in keep}
    new = [e for e in wanted if e not in keep]
    for sid, address in held:
        if address not in kept:
            model.release_ip(store, sid, address)
    try:
        added = model.allocate_fixed_ips(store, network, new) if new else []
    except ApiError:
        for sid, address in held:
            if address not in kept:
                model.allocate_ip(store.table("subnets")[sid], address)
        raise
    port["fixed_ips"] = [ip for ip in port["fixed_ips"] if ip["ip_address"] in kept] + added


_BINDING_RO = Field(read_only=True, admin_only=True)
PORTS = Ports("port", "ports", fields=common({
    "network_id": Field(max_length=36, required=True, create_only=True),
    "admin_state_up": BOOL, "mac_address": Field(type="any", nullable=True), "fixed_ips": DICTS,
    "device_id": STR, "device_owner": STR, "status": RO, "allowed_address_pairs": DICTS,
    "extra_dhcp_opts": DICTS,
    "security_groups": Field(type="list", items="str", item_max_length=36),
    "port_security_enabled": BOOL, "binding:host_id": Field(max_length=255, admin_only=True),
    "binding:vnic_type": Field(type="any", choices=(
        "normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder",
        "smart-nic", "remote-managed", "vdpa")),
    "binding:profile": Field(type="dict", admin_only=True), "binding:vif_type": _BINDING_RO,
    "binding:vif_details": _BINDING_RO, "qos_policy_id": NULLABLE,
    "qos_network_policy_id": RO, "dns_name": STR, "dns_domain": STR, "dns_assignment": RO,
    "propagate_uplink_status": BOOL, "numa_affinity_policy": Field(type="any", nullable=True),
    "ip_allocation": RO, "resource_request": RO,
    "data_plane_status": Field(type="any", nullable=True, choices=("ACTIVE", "DOWN")),
    "hardware_offload_type": Field(type="any", nullable=True, create_only=True,
                                   choices=("", "switchdev")),
    "trusted": Field(type="bool", lenient=True, nullable=True),
    "pvlan_type": Field(type="any", nullable=True,
                        choices=("", "isolated", "promiscuous", "community")),
    "pvlan_community": Field(max_length=232, nullable=True),
    "device_profile": Field(max_length=255, nullable=True, create_only=True),
}), filters={"fixed_ips": Filter(match=_fixed_ips_match)})
