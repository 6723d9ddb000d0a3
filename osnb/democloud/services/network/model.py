"""Neutron's world as data: records in the API's shape, plus the indexes that keep it fast.

The factories here are the one way ports, networks, routers and floating IPs come to
exist, whether at seed time, from the network API or from the compute service booting a
server; each keeps the indexes (ports by device, project and network; floating IPs by
port; routers by subnet) and the per-subnet address allocators current, so a listing
filtered by ``device_id`` or a new port on a 100,000-port cloud costs O(1).
"""

from __future__ import annotations

import ipaddress
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from time import time as _time
from typing import Any

from ... import columns
from ...http import ApiError
from ...store import Record, Store, isotime, now
from ...world import SERVER_CHANGED

__all__ = [
    "DEFAULT_QUOTAS", "OVS_VIF_DETAILS", "NetIndex", "ServerPorts", "add_router_interface",
    "admin_project_id",
    "allocate_ips", "associate_floating_ip", "default_security_group", "delete_port",
    "delete_ports_of", "ensure_project", "external_network", "index", "new_floating_ip",
    "new_network", "new_port", "new_router", "new_security_group", "new_sg_rule",
    "new_subnet", "project_network", "release_fixed_ips", "servers_changed",
    "set_router_gateway", "stamp", "timestamp", "vif_details",
]

DEFAULT_QUOTAS: dict[str, int] = {
    "network": 100, "subnet": 100, "port": 500, "router": 10, "floatingip": 50,
    "security_group": 10, "security_group_rule": 100, "rbac_policy": 10, "subnetpool": -1,
    "router_route": 30, "trunk": -1,
}
"""Neutron 29's defaults (``neutron/conf/quota.py``; a trunk's is ``quota_default``)."""
AZ = "nova"
MTU = 1442


@dataclass
class NetIndex:
    """Secondary indexes over the network tables (ordered id sets as dicts)."""

    ports_by_device: dict[str, dict[str, None]] = field(default_factory=dict)
    ports_by_project: dict[str, dict[str, None]] = field(default_factory=dict)
    ports_by_network: dict[str, dict[str, None]] = field(default_factory=dict)
    fips_by_port: dict[str, dict[str, None]] = field(default_factory=dict)
    fips_by_project: dict[str, dict[str, None]] = field(default_factory=dict)
    router_by_subnet: dict[str, str] = field(default_factory=dict)
    private_net: dict[str, str] = field(default_factory=dict)
    default_sg: dict[str, str] = field(default_factory=dict)
    next_private: int = 0
    standard_attrs: int = 0


_INDEXES: weakref.WeakKeyDictionary[Store, NetIndex] = weakref.WeakKeyDictionary()


def index(store: Store) -> NetIndex:
    """The indexes, complete: ports and floating IPs still deferred (see
    :class:`ServerPorts`) are made first, since every index user goes on to read them."""
    if store.deferred and not store.generating:
        store.ready("ports", "floatingips")
    try:
        return _INDEXES[store]
    except KeyError:
        ix = NetIndex()
        _INDEXES[store] = ix
        return ix


def standard_attr_id(store: Store) -> int:
    """The next of Neutron's ``standardattributes`` row ids (what a security group shows
    of each of its rules as ``standard_attr_id``)."""
    ix = _INDEXES.setdefault(store, NetIndex())
    ix.standard_attrs += 1
    return ix.standard_attrs


def _add(bucket: dict[str, dict[str, None]], key: str, item: str) -> None:
    bucket.setdefault(key, {})[item] = None


def _drop(bucket: dict[str, dict[str, None]], key: str, item: str) -> None:
    ids = bucket.get(key)
    if ids is not None:
        ids.pop(item, None)
        if not ids:
            del bucket[key]


_STAMP: tuple[Any, str] = (None, "")


def timestamp() -> str:
    """Now, to the second (the text is kept for the second it names: a world's ports are
    made by the hundred thousand, so the clock is read the cheap way)."""
    global _STAMP
    second = int(_time())
    last = _STAMP
    if second != last[0]:
        last = _STAMP = (second, isotime(now().replace(microsecond=0)))
    return last[1]


def stamp(record: Record) -> Record:
    """Mark ``record`` as changed: new ``updated_at``, next ``revision_number``."""
    record["updated_at"] = timestamp()
    record["revision_number"] = record.get("revision_number", 0) + 1
    return record


def _base(store: Store, project_id: str, name: str, description: str = "") -> Record:
    ts = timestamp()
    return {"id": store.uuid(), "name": name, "tenant_id": project_id,
            "project_id": project_id, "description": description, "tags": [],
            "created_at": ts, "updated_at": ts, "revision_number": 0}


def _project_name(store: Store, project_id: str) -> str:
    project = store.table("projects").get(project_id)
    return str(project["name"]) if project else project_id[:8]


def admin_project_id(store: Store) -> str:
    wanted = store.meta.get("admin_project", "admin")
    for project in store.table("projects").values():
        if project.get("name") == wanted:
            return str(project["id"])
    return ""


# -- addresses -------------------------------------------------------------------------

def _ip_text(version: int, n: int) -> str:
    if version == 4:
        return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
    return str(ipaddress.IPv6Address(n))


def _ip_int(text: str) -> int:
    return int(ipaddress.ip_address(text))


def _in_pools(subnet: Record, n: int) -> bool:
    for lo, hi in subnet["_ranges"]:
        if lo <= n <= hi:
            return True
    return False


def _claim(subnet: Record, text: str, n: int) -> str:
    subnet["_used"].add(text)
    if _in_pools(subnet, n):
        subnet["_pool_used"] += 1
    return text


def allocate_ip(subnet: Record, wanted: str | None = None) -> str:
    """Take ``wanted`` (or the next free address of the pools) in ``subnet``.

    Raises the 409s Neutron sends: ``IpAddressAlreadyAllocated`` and
    ``IpAddressGenerationFailure``.
    """
    used: set[str] = subnet["_used"]
    version = subnet["ip_version"]
    if wanted is not None:
        n = _ip_int(wanted)
        text = _ip_text(version, n)
        if text in used:
            raise ApiError(409, f"IP address {text} already allocated in subnet "
                                f"{subnet['id']}", type="IpAddressAlreadyAllocated")
        return _claim(subnet, text, n)
    ranges: list[list[int]] = subnet["_ranges"]
    cursor: list[int] = subnet["_cursor"]
    while cursor[0] < len(ranges):
        lo, hi = ranges[cursor[0]]
        n = max(cursor[1], lo)
        while n <= hi:
            text = _ip_text(version, n)
            n += 1
            if text not in used:
                cursor[1] = n
                used.add(text)  # _claim, for an address known to be in the pools
                subnet["_pool_used"] += 1
                return text
        cursor[0] += 1
        cursor[1] = 0
    free: list[int] = subnet["_free"]
    while free:
        n = free.pop()
        text = _ip_text(version, n)
        if text not in used:
            return _claim(subnet, text, n)
    raise ApiError(409, f"No more IP addresses available on network {subnet['network_id']}.",
                   type="IpAddressGenerationFailure")


def allocate_ips(subnet: Record, count: int) -> list[str]:
    """Up to ``count`` addresses in ``subnet`` (fewer once it is full): what as many calls
    of :func:`allocate_ip` with no address asked for would give, in one pass over the
    pools (world generation)."""
    out: list[str] = []
    if subnet["ip_version"] == 4:
        used: set[str] = subnet["_used"]
        ranges: list[list[int]] = subnet["_ranges"]
        cursor: list[int] = subnet["_cursor"]
        while len(out) < count and cursor[0] < len(ranges):
            lo, hi = ranges[cursor[0]]
            n = max(cursor[1], lo)
            need = count - len(out)
            while n <= hi and need:
                text = f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"  # _ip_text
                n += 1
                if text not in used:
                    used.add(text)
                    out.append(text)
                    need -= 1
            if n > hi:
                cursor[0] += 1
                cursor[1] = 0
            else:
                cursor[1] = n
        subnet["_pool_used"] += len(out)
    try:
        while len(out) < count:  # IPv6, or the pools are spent: the free list
            out.append(allocate_ip(subnet))
    except ApiError:
        pass
    return out


def release_ip(store: Store, subnet_id: str, address: str) -> None:
    subnet = store.table("subnets").get(subnet_id)
    if subnet is None or address not in subnet["_used"]:
        return
    subnet["_used"].discard(address)
    n = _ip_int(address)
    if _in_pools(subnet, n):
        subnet["_pool_used"] -= 1
        subnet["_free"].append(n)


def release_fixed_ips(store: Store, port: Record) -> None:
    for ip in port["fixed_ips"]:
        release_ip(store, ip["subnet_id"], ip["ip_address"])


def _mac(store: Store) -> str:
    tail = store.rng.getrandbits(24)
    return f"fa:16:3e:{tail >> 16:02x}:{(tail >> 8) & 255:02x}:{tail & 255:02x}"


# -- networks and subnets --------------------------------------------------------------

def new_network(store: Store, *, project_id: str, name: str, shared: bool = False,
                external: bool = False, network_type: str = "vxlan",
                physical_network: str | None = None, segmentation_id: int | None = None,
                description: str = "", mtu: int | None = None,
                admin_state_up: bool = True, port_security_enabled: bool = True,
                availability_zone_hints: list[str] | None = None) -> Record:
    if segmentation_id is None and network_type in ("vxlan", "geneve", "vlan"):
        segmentation_id = 1000 + len(store.table("networks")) if network_type != "vlan" \
            else 100 + len(store.table("networks")) % 3900
    net = _base(store, project_id, name, description)
    net.update({
        "admin_state_up": admin_state_up, "status": "ACTIVE", "subnets": [],
        "shared": shared, "router:external": external,
        "mtu": mtu or (1500 if network_type in ("flat", "vlan") else MTU),
        "availability_zone_hints": list(availability_zone_hints or []),
        "availability_zones": [AZ], "ipv4_address_scope": None, "ipv6_address_scope": None,
        "port_security_enabled": port_security_enabled, "qos_policy_id": None,
        "dns_domain": "", "l2_adjacency": True, "is_default": external,
        "provider:network_type": network_type, "provider:physical_network": physical_network,
        "provider:segmentation_id": segmentation_id,
        "qinq": False, "vlan_transparent": False, "pvlan": False,
    })
    store.table("networks")[net["id"]] = net
    return net


def new_subnet(store: Store, *, network: Record, cidr: str, name: str,
               project_id: str | None = None, ip_version: int | None = None,
               gateway_ip: str | None | bool = True,
               allocation_pools: list[dict[str, str]] | None = None,
               enable_dhcp: bool = True, dns_nameservers: list[str] | None = None,
               host_routes: list[dict[str, str]] | None = None,
               description: str = "", dhcp_host: str | None = None) -> Record:
    """A subnet of ``network``; ``gateway_ip=True`` means the first host address.

    With ``enable_dhcp`` it also gets its DHCP port, as the DHCP agent would create.
    """
    net = ipaddress.ip_network(cidr, strict=False)
    version = ip_version or net.version
    hosts_lo = int(net.network_address) + (1 if version == 4 or net.prefixlen < 128 else 0)
    hosts_hi = int(net.broadcast_address) - (1 if version == 4 and net.prefixlen < 31 else 0)
    gw: str | None
    if gateway_ip is True:
        gw = _ip_text(version, hosts_lo)
    elif gateway_ip is False or gateway_ip is None:
        gw = None
    else:
        gw = str(gateway_ip)
    if allocation_pools:
        ranges = [[_ip_int(p["start"]), _ip_int(p["end"])] for p in allocation_pools]
    else:
        ranges = [[hosts_lo, hosts_hi]]
        if gw is not None:
            g = _ip_int(gw)
            ranges = [r for r in ([hosts_lo, g - 1], [g + 1, hosts_hi]) if r[0] <= r[1]] \
                if hosts_lo <= g <= hosts_hi else ranges
    owner = network["project_id"] if project_id is None else project_id
    sub = _base(store, owner, name, description)
    sub.update({
        "network_id": network["id"], "ip_version": version, "cidr": str(net),
        "gateway_ip": gw, "enable_dhcp": enable_dhcp,
        "allocation_pools": [{"start": _ip_text(version, lo), "end": _ip_text(version, hi)}
                             for lo, hi in ranges],
        "host_routes": list(host_routes or []), "dns_nameservers": list(dns_nameservers or []),
        "ipv6_ra_mode": None, "ipv6_address_mode": None, "subnetpool_id": None,
        "service_types": [], "segment_id": None, "dns_publish_fixed_ip": False,
        "_ranges": ranges, "_cursor": [0, 0], "_free": [], "_used": set(), "_pool_used": 0,
    })
    store.table("subnets")[sub["id"]] = sub
    network["subnets"].append(sub["id"])
    if enable_dhcp and not network.get("router:external"):
        new_port(store, project_id=network["project_id"], network_id=network["id"],
                 device_id=f"dhcp{sub['id'][:8]}-{network['id']}", device_owner="network:dhcp",
                 host=dhcp_host or "network-01", fixed_ips=[{"subnet_id": sub["id"]}])
    return sub


def external_network(store: Store) -> Record | None:
    """The external network floating IPs and router gateways come from (``public``)."""
    ext_id = store.meta.get("network.external_id")
    nets = store.table("networks")
    if ext_id in nets:
        return nets[ext_id]
    for net in nets.values():
        if net.get("router:external"):
            store.meta["network.external_id"] = net["id"]
            return net
    return None


# -- ports -------------------------------------------------------------------------------

def _index_port(ix: NetIndex, port: Record) -> None:
    _add(ix.ports_by_project, port["project_id"], port["id"])
    _add(ix.ports_by_network, port["network_id"], port["id"])
    if port["device_id"]:
        _add(ix.ports_by_device, port["device_id"], port["id"])


def _unindex_port(ix: NetIndex, port: Record) -> None:
    _drop(ix.ports_by_project, port["project_id"], port["id"])
    _drop(ix.ports_by_network, port["network_id"], port["id"])
    if port["device_id"]:
        _drop(ix.ports_by_device, port["device_id"], port["id"])


def reindex_port(store: Store, port: Record, old: Record) -> None:
    """After an update changed ``device_id`` (or the owner): move the port's index keys."""
    ix = index(store)
    _unindex_port(ix, old)
    _index_port(ix, port)
    servers_changed(store, old, port)


def servers_changed(store: Store, *ports: Record | None) -> None:
    """Tell Nova that these ports (or their floating IPs) changed, so the servers they
    belong to show new ``addresses``."""
    done: set[str] = set()
    for port in ports:
        if port is None or not str(port.get("device_owner") or "").startswith("compute:"):
            continue
        device = port.get("device_id")
        if device and device not in done:
            done.add(device)
            store.publish(SERVER_CHANGED, server_id=device)


def allocate_fixed_ips(store: Store, network: Record,
                       requested: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """Fixed IPs for a port: as requested, else one from the network's first subnet."""
    subnets = store.table("subnets")
    if requested is None:
        if not network["subnets"]:
            return []
        requested = [{"subnet_id": network["subnets"][0]}]
    out: list[dict[str, str]] = []
    if len(requested) == 1 and requested[0].keys() == {"subnet_id"}:
        # The common case (every booted server's port): the next free address, no checks
        # beyond the subnet being this network's.
        subnet = subnets.get(requested[0]["subnet_id"])
        if subnet is not None and subnet["network_id"] == network["id"]:
            return [{"subnet_id": subnet["id"], "ip_address": allocate_ip(subnet)}]
    try:
        for want in requested:
            subnet = subnets.get(want.get("subnet_id", ""))
            address = want.get("ip_address")
            if subnet is None and address:
                subnet = next((subnets[s] for s in network["subnets"] if s in subnets and
                               ipaddress.ip_address(address) in
                               ipaddress.ip_network(subnets[s]["cidr"])), None)
            if subnet is None or subnet["network_id"] != network["id"]:
                raise ApiError(400, f"Invalid input for operation: IP allocation requires "
                                    f"subnet_id or ip_address on network {network['id']}.",
                               type="InvalidInput")
            if address and ipaddress.ip_address(address) not in \
                    ipaddress.ip_network(subnet["cidr"]):
                raise ApiError(400, f"IP address {address} is not a valid IP for the "
                                    f"specified subnet.", type="InvalidIpForSubnet")
            out.append({"subnet_id": subnet["id"], "ip_address": allocate_ip(subnet, address)})
    except ApiError:
        for ip in out:
            release_ip(store, ip["subnet_id"], ip["ip_address"])
        raise
    return out


def new_port(store: Store, *, project_id: str, network_id: str, device_id: str = "",
             device_owner: str = "", name: str = "", host: str | None = None,
             status: str = "ACTIVE", mac_address: str | None = None,
             fixed_ips: list[dict[str, Any]] | None = None,
             security_groups: list[str] | None = None, admin_state_up: bool = True,
             port_security_enabled: bool | None = None, description: str = "") -> Record:
    """A port on ``network_id`` with a fixed IP from the network's first subnet.

    Compute ports (``device_owner`` ``compute:*``) get the project's ``default`` security
    group unless ``security_groups`` is given.
    """
    network = store.table("networks").get(network_id)
    if network is None:
        raise ApiError(404, f"Network {network_id} could not be found.", type="NetworkNotFound")
    ips = allocate_fixed_ips(store, network, fixed_ips)
    if port_security_enabled is None:
        port_security_enabled = bool(network.get("port_security_enabled", True))
    if security_groups is None:
        security_groups = []
        if port_security_enabled and not device_owner.startswith("network:") and project_id:
            security_groups = [default_security_group(store, project_id)["id"]]
    port = _port(store, project_id, network_id, ips, device_id, device_owner, host,
                 list(security_groups), port_security_enabled, name=name, status=status,
                 mac_address=mac_address, admin_state_up=admin_state_up,
                 description=description)
    if network.get("qos_policy_id"):
        port["qos_network_policy_id"] = network["qos_policy_id"]
    store.table("ports")[port["id"]] = port
    _index_port(index(store), port)
    return port


def _port(store: Store, project_id: str, network_id: str, ips: list[dict[str, str]],
          device_id: str, device_owner: str, host: str | None, security_groups: list[str],
          port_security_enabled: bool, *, name: str = "", status: str = "ACTIVE",
          mac_address: str | None = None, admin_state_up: bool = True,
          description: str = "") -> Record:
    """A new port record: its id and (unless given) MAC drawn from ``store.rng``."""
    port_id = store.uuid()
    return _port_record(port_id, timestamp(), project_id, network_id, ips, device_id,
                        device_owner, host, security_groups, port_security_enabled,
                        name=name, status=status, mac_address=mac_address or _mac(store),
                        admin_state_up=admin_state_up, description=description)


OVS_VIF_DETAILS: dict[str, Any] = {
    "bridge_name": "br-int", "connectivity": "l2", "datapath_type": "system",
    "ovs_create_tap": False, "ovs_hybrid_plug": False, "port_filter": True}
"""What Neutron 29's openvswitch mechanism driver binds a port with (an agent on the
``system`` datapath, its firewall not hybrid): a binding's ``vif_details``."""


def vif_details(host: str | None) -> dict[str, Any]:
    """A port's ``binding:vif_details`` when bound on ``host`` (ML2 adds the driver that
    bound it, ``bound_drivers``, by level); none when unbound."""
    if not host:
        return {}
    return {**OVS_VIF_DETAILS, "bound_drivers": {"0": "openvswitch"}}


# A port's keys in Neutron's order (the _base keys first) with the values every port
# starts from; _port_record copies it and fills in the rest.
_PORT: Record = {
    "id": "", "name": "", "tenant_id": "", "project_id": "", "description": "",
    "tags": None, "created_at": "", "updated_at": "", "revision_number": 0,
    "network_id": "", "admin_state_up": True, "mac_address": "", "fixed_ips": None,
    "device_id": "", "device_owner": "", "status": "ACTIVE",
    "allowed_address_pairs": None, "extra_dhcp_opts": None, "security_groups": None,
    "port_security_enabled": True, "binding:host_id": "", "binding:vnic_type": "normal",
    "binding:profile": None, "binding:vif_type": "unbound", "binding:vif_details": None,
    "qos_policy_id": None, "qos_network_policy_id": None, "dns_name": "",
    "dns_assignment": None, "propagate_uplink_status": False, "ip_allocation": "immediate",
    "resource_request": None, "dns_domain": "", "data_plane_status": None,
    "hardware_offload_type": None, "trusted": None, "pvlan_type": None,
    "pvlan_community": None, "numa_affinity_policy": None, "device_profile": None,
}


def _port_record(port_id: str, ts: str, project_id: str, network_id: str,
                 ips: list[dict[str, str]], device_id: str, device_owner: str,
                 host: str | None, security_groups: list[str], port_security_enabled: bool,
                 *, name: str = "", status: str = "ACTIVE", mac_address: str = "",
                 admin_state_up: bool = True, description: str = "") -> Record:
    port = dict(_PORT)
    port["id"] = port_id
    port["name"] = name
    port["tenant_id"] = port["project_id"] = project_id
    port["description"] = description
    port["tags"] = []
    port["created_at"] = port["updated_at"] = ts
    port["network_id"] = network_id
    port["admin_state_up"] = admin_state_up
    port["mac_address"] = mac_address
    port["fixed_ips"] = ips
    port["device_id"] = device_id
    port["device_owner"] = device_owner
    port["status"] = status
    port["allowed_address_pairs"] = []
    port["extra_dhcp_opts"] = []
    port["security_groups"] = security_groups
    port["port_security_enabled"] = port_security_enabled
    port["binding:profile"] = {}
    port["dns_assignment"] = []
    if host:
        port["binding:host_id"] = host
        port["binding:vif_type"] = "ovs"
        port["binding:vif_details"] = vif_details(host)
    else:
        port["binding:vif_details"] = {}
    return port


class ServerPorts:
    """Ports and floating IPs for servers booted in bulk (world generation): the records
    and indexes :func:`new_port` makes on the project's network with no fixed IP asked
    for, and :func:`new_floating_ip` bound to such a port, a batch at a time, with the
    per-project lookups (network, subnet, ``default`` security group, router) done once.

    Ids, MACs and addresses are drawn as columns while the servers are made (their
    ``addresses`` show them); the records are deferred (:meth:`Store.defer`) until the
    ``ports`` or ``floatingips`` table, or the network indexes, are first asked for.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ix = index(store)
        self.ts = timestamp()
        self.ports: list[tuple[Iterable[Any], ...]] = []
        """Column batches of ports to make (see :meth:`_make_ports`)."""
        self.fips: list[tuple[list[Any], ...]] = []
        """Column batches of floating IPs to make (see :meth:`_make_fips`)."""
        self._projects: dict[str, tuple[Record, Record | None, list[str], bool]] = {}
        self._routers: dict[str, str | None] = {}

    def finish(self) -> None:
        """Generation is over: what was drawn so far is made when first needed."""
        if self.ports:
            self.store.defer(self._make_ports, "ports")
        if self.fips:
            self.store.defer(self._make_fips, "floatingips")

    def _project(self, project_id: str) -> tuple[Record, Record | None, list[str], bool]:
        found = self._projects.get(project_id)
        if found is None:
            store = self.store
            network = ensure_project(store, project_id)
            subnets = store.table("subnets")
            subnet = subnets.get(network["subnets"][0]) if network["subnets"] else None
            port_security = bool(network.get("port_security_enabled", True))
            groups = [default_security_group(store, project_id)["id"]] \
                if port_security and project_id else []
            found = (network, subnet, groups, port_security)
            self._projects[project_id] = found
        return found

    def network_name(self, project_id: str) -> str:
        network = self._project(project_id)[0]
        return str(network.get("name") or network["id"])

    def plug_many(self, project_ids: list[str], device_ids: list[str],
                  device_owners: list[str], hosts: list[str | None],
                  ) -> list[tuple[str, str, str | None]]:
        """A port for each ``device_ids[k]`` (a ``compute:*`` owner) on its project's
        network: the (id, MAC, fixed IP address or None) of each, in order. Each
        project's addresses are taken in one pass over its subnet's pools."""
        n = len(project_ids)
        rng = self.store.rng
        port_ids, macs = columns.uuid_texts(rng, n), columns.mac_texts(rng, n)
        by_project: dict[str, list[int]] = {}
        for k, pid in enumerate(project_ids):
            by_project.setdefault(pid, []).append(k)
        addresses: list[str | None] = [None] * n
        subnet_ids: list[str | None] = [None] * n
        for pid, rows in by_project.items():
            subnet = self._project(pid)[1]
            while subnet is not None and rows:
                taken = allocate_ips(subnet, len(rows))
                for k, address in zip(rows, taken, strict=False):
                    addresses[k] = address
                    subnet_ids[k] = subnet["id"]
                rows = rows[len(taken):]
                if rows:  # the subnet is full: the project's network gets another
                    subnet = self._grow(pid, subnet)
        rows_of = [self._projects[pid] for pid in project_ids]
        self.ports.append((port_ids, project_ids, [r[0]["id"] for r in rows_of], subnet_ids,
                           addresses, device_ids, device_owners, hosts,
                           [r[2] for r in rows_of], [r[3] for r in rows_of],
                           repeat("ACTIVE"), macs))
        return list(zip(port_ids, macs, addresses, strict=True))

    def floating_ips(self, project_ids: list[str], port_ids: list[str], macs: list[str],
                     fixed_ips: list[str | None], device_ids: list[str],
                     device_owners: list[str]) -> list[str | None]:
        """A floating IP bound to each port of :meth:`plug_many` (whose servers are not
        in the ``servers`` table yet): the address of each, in order; ``None`` for those
        the external network has no address left for (or where there is none)."""
        store = self.store
        n = len(project_ids)
        ext = external_network(store)
        subnet = store.table("subnets").get(ext["subnets"][0]) \
            if ext is not None and ext["subnets"] else None
        if ext is None or subnet is None:
            return [None] * n
        addresses = allocate_ips(subnet, n)
        m = len(addresses)
        rng = store.rng
        fip_ids = columns.uuid_texts(rng, m)
        self.ports.append((
            columns.uuid_texts(rng, m), repeat(""), repeat(ext["id"]), repeat(subnet["id"]),
            addresses, fip_ids, repeat("network:floatingip"), repeat(None), repeat([]),
            repeat(bool(ext.get("port_security_enabled", True))), repeat("N/A"),
            columns.mac_texts(rng, m)))
        routers = [self._router(pid) for pid in project_ids[:m]]
        networks = [self._projects[pid][0]["id"] for pid in project_ids[:m]]
        self.fips.append((fip_ids, project_ids[:m], addresses, fixed_ips[:m], port_ids[:m],
                          routers, networks, macs[:m], device_ids[:m], device_owners[:m],
                          [ext["id"]] * m))
        return [*addresses, *[None] * (n - m)]

    def _grow(self, project_id: str, full: Record) -> Record:
        """Another subnet on the project's network, on its router, for when ``full`` has
        no address left (a project with tens of thousands of servers): what an operator
        does when a network fills up."""
        store = self.store
        network, _, groups, port_security = self._projects[project_id]
        subnet = new_subnet(store, network=network, cidr=_private_cidr(index(store)),
                            name=f"{full['name']}-{len(network['subnets'])}",
                            dns_nameservers=list(full["dns_nameservers"]))
        router = router_of_subnet(store, full["id"])
        if router is not None:
            add_router_interface(store, router, subnet)
        self._projects[project_id] = (network, subnet, groups, port_security)
        return subnet

    def _router(self, project_id: str) -> str | None:
        """The router of the project's subnet, as it is now (records are made later)."""
        if project_id not in self._routers:
            subnet = self._project(project_id)[1]
            router = router_of_subnet(self.store, subnet["id"]) if subnet else None
            self._routers[project_id] = router["id"] if router else None
        return self._routers[project_id]

    def _make_ports(self) -> None:
        """The deferred port records, and their index entries (the same as new_port's)."""
        ports = self.store.tables.setdefault("ports", {})
        ix = self.ix
        by_project, by_network, by_device = \
            ix.ports_by_project, ix.ports_by_network, ix.ports_by_device
        ts = self.ts
        for batch in self.ports:
            for (port_id, project_id, network_id, subnet_id, address, device_id,
                 device_owner, host, groups, port_security, status, mac) in zip(
                    *batch, strict=False):  # repeat()s for what a batch shares
                fixed = [{"subnet_id": subnet_id, "ip_address": address}] if address else []
                ports[port_id] = _port_record(
                    port_id, ts, project_id, network_id, fixed, device_id, device_owner, host,
                    list(groups), port_security, status=status, mac_address=mac)
                for bucket, key in ((by_project, project_id), (by_network, network_id),
                                    (by_device, device_id)):
                    ids = bucket.get(key)
                    if ids is None:
                        bucket[key] = {port_id: None}
                    else:
                        ids[port_id] = None
        self.ports = []

    def _make_fips(self) -> None:
        """The deferred floating IP records, and their index entries."""
        table = self.store.tables.setdefault("floatingips", {})
        by_project, by_port = self.ix.fips_by_project, self.ix.fips_by_port
        ts = self.ts
        for batch in self.fips:
            for (fip_id, project_id, address, fixed_ip, port_id, router_id, network_id, mac,
                 device_id, device_owner, ext_id) in zip(*batch, strict=True):
                v4 = fixed_ip if fixed_ip and ":" not in fixed_ip else None
                table[fip_id] = {
                    "id": fip_id, "tenant_id": project_id, "project_id": project_id,
                    "description": "", "tags": [], "created_at": ts, "updated_at": ts,
                    "revision_number": 0, "floating_network_id": ext_id,
                    "floating_ip_address": address,
                    "fixed_ip_address": v4, "port_id": port_id,
                    "router_id": router_id if v4 else None, "status": "ACTIVE",
                    "port_details": {"name": "", "network_id": network_id, "mac_address": mac,
                                     "admin_state_up": True, "status": "ACTIVE",
                                     "device_id": device_id, "device_owner": device_owner},
                    "dns_domain": "", "dns_name": "", "qos_policy_id": None,
                    "qos_network_policy_id": None, "port_forwardings": []}
                _add(by_project, project_id, fip_id)
                _add(by_port, port_id, fip_id)
        self.fips = []


def ports_of_device(store: Store, device_id: str) -> list[Record]:
    ports = store.table("ports")
    ids = index(store).ports_by_device.get(device_id, {})
    return [ports[i] for i in list(ids) if i in ports and ports[i]["device_id"] == device_id]


def delete_port(store: Store, port_id: str) -> None:
    """Remove a port: its addresses return to the pools, its floating IPs are unbound."""
    port = store.table("ports").pop(port_id, None)
    if port is None:
        return
    ix = index(store)
    _unindex_port(ix, port)
    release_fixed_ips(store, port)
    fips = store.table("floatingips")
    for fip_id in list(ix.fips_by_port.get(port_id, {})):
        if fip_id in fips:
            associate_floating_ip(store, fips[fip_id], None)
    ix.fips_by_port.pop(port_id, None)
    servers_changed(store, port)


def delete_ports_of(store: Store, device_id: str) -> None:
    """Delete a deleted server's ports; floating IPs on them become unbound."""
    for port in ports_of_device(store, device_id):
        delete_port(store, port["id"])


# -- security groups ---------------------------------------------------------------------

def new_sg_rule(store: Store, sg: Record, *, direction: str, ethertype: str = "IPv4",
                protocol: str | None = None, port_range_min: int | None = None,
                port_range_max: int | None = None, remote_ip_prefix: str | None = None,
                remote_group_id: str | None = None, description: str = "") -> Record:
    rule = _base(store, sg["project_id"], "", description)
    del rule["name"], rule["tags"]  # a rule has neither (Neutron 29 refuses ``tags``)
    rule.update({"security_group_id": sg["id"], "direction": direction,
                 "ethertype": ethertype, "protocol": protocol,
                 "port_range_min": port_range_min, "port_range_max": port_range_max,
                 "remote_ip_prefix": remote_ip_prefix, "remote_group_id": remote_group_id,
                 "remote_address_group_id": None, "normalized_cidr": remote_ip_prefix,
                 "belongs_to_default_sg": sg["name"] == "default",
                 "_standard_attr_id": standard_attr_id(store)})
    store.table("security_group_rules")[rule["id"]] = rule
    sg["security_group_rules"].append(rule)
    return rule


def new_security_group(store: Store, project_id: str, name: str, description: str = "",
                       *, stateful: bool = True) -> Record:
    """A security group with Neutron's two egress rules (the ``default`` one: also ingress
    from its own members)."""
    sg = _base(store, project_id, name, description)
    sg.update({"security_group_rules": [], "stateful": stateful, "shared": False})
    store.table("security_groups")[sg["id"]] = sg
    templates = store.table("default_security_group_rules").values()
    if templates:  # the default security group rules an admin keeps
        for t in list(templates):
            if not t["used_in_default_sg" if name == "default" else "used_in_non_default_sg"]:
                continue
            remote = sg["id"] if t["remote_group_id"] == "PARENT" else t["remote_group_id"]
            rule = new_sg_rule(store, sg, direction=t["direction"], ethertype=t["ethertype"],
                               protocol=t["protocol"], port_range_min=t["port_range_min"],
                               port_range_max=t["port_range_max"],
                               remote_ip_prefix=t["remote_ip_prefix"],
                               remote_group_id=remote, description=t["description"])
            rule["remote_address_group_id"] = t["remote_address_group_id"]
        return sg
    for ethertype in ("IPv4", "IPv6"):
        new_sg_rule(store, sg, direction="egress", ethertype=ethertype)
        if name == "default":
            new_sg_rule(store, sg, direction="ingress", ethertype=ethertype,
                        remote_group_id=sg["id"])
    return sg


def default_security_group(store: Store, project_id: str) -> Record:
    """The project's ``default`` security group, created on first use as Neutron does."""
    ix = index(store)
    groups = store.table("security_groups")
    sg_id = ix.default_sg.get(project_id)
    if sg_id in groups:
        return groups[sg_id]
    sg = new_security_group(store, project_id, "default", "Default security group")
    ix.default_sg[project_id] = sg["id"]
    return sg


# -- routers -----------------------------------------------------------------------------

def set_router_gateway(store: Store, router: Record, network_id: str | None, *,
                       enable_snat: bool = True,
                       fixed_ips: list[dict[str, Any]] | None = None) -> None:
    """Set (or with ``None`` clear) the router's gateway port on an external network."""
    for port in ports_of_device(store, router["id"]):
        if port["device_owner"] == "network:router_gateway":
            delete_port(store, port["id"])
    if network_id is None:
        router["external_gateway_info"] = None
        return
    port = new_port(store, project_id="", network_id=network_id, device_id=router["id"],
                    device_owner="network:router_gateway", host="network-01",
                    fixed_ips=fixed_ips)
    router["external_gateway_info"] = {
        "network_id": network_id, "enable_snat": enable_snat,
        "external_fixed_ips": [dict(ip) for ip in port["fixed_ips"]]}


def new_router(store: Store, *, project_id: str, name: str,
               external_network_id: str | None = None, description: str = "",
               admin_state_up: bool = True, distributed: bool = False,
               ha: bool = False) -> Record:
    router = _base(store, project_id, name, description)
    router.update({"admin_state_up": admin_state_up, "status": "ACTIVE",
                   "external_gateway_info": None, "routes": [], "distributed": distributed,
                   "ha": ha, "availability_zone_hints": [], "availability_zones": [AZ],
                   "flavor_id": None, "enable_ndp_proxy": None})
    store.table("routers")[router["id"]] = router
    if external_network_id:
        set_router_gateway(store, router, external_network_id)
    return router


def add_router_interface(store: Store, router: Record, subnet: Record,
                         port: Record | None = None) -> Record:
    """Attach ``subnet`` (through ``port``, or a new port on its gateway IP)."""
    if port is None:
        port = new_port(store, project_id=router["project_id"],
                        network_id=subnet["network_id"], device_id=router["id"],
                        device_owner="network:router_interface", host="network-01",
                        fixed_ips=[{"subnet_id": subnet["id"],
                                    "ip_address": subnet["gateway_ip"]}])
    else:
        old = dict(port)
        port.update(device_id=router["id"], device_owner="network:router_interface",
                    status="ACTIVE")
        reindex_port(store, port, old)
    for ip in port["fixed_ips"]:
        index(store).router_by_subnet[ip["subnet_id"]] = router["id"]
    return port


def router_of_subnet(store: Store, subnet_id: str) -> Record | None:
    router_id = index(store).router_by_subnet.get(subnet_id)
    router = store.table("routers").get(router_id or "")
    return router


# -- floating IPs ------------------------------------------------------------------------

def associate_floating_ip(store: Store, fip: Record, port: Record | None,
                          fixed_ip: str | None = None) -> None:
    """Bind ``fip`` to ``port`` (its first IPv4 fixed IP unless given), or unbind it."""
    ix = index(store)
    previous = store.table("ports").get(fip["port_id"] or "")
    if fip["port_id"]:
        _drop(ix.fips_by_port, fip["port_id"], fip["id"])
    if port is None:
        fip.update(port_id=None, fixed_ip_address=None, router_id=None, status="DOWN",
                   port_details=None)
        servers_changed(store, previous)
        return
    if fixed_ip is None:
        fixed_ip = next((ip["ip_address"] for ip in port["fixed_ips"]
                         if ":" not in ip["ip_address"]), None)
    subnet_id = next((ip["subnet_id"] for ip in port["fixed_ips"]
                      if ip["ip_address"] == fixed_ip), "")
    router = router_of_subnet(store, subnet_id)
    fip.update(port_id=port["id"], fixed_ip_address=fixed_ip,
               router_id=router["id"] if router else None, status="ACTIVE",
               port_details={k: port[k] for k in ("name", "network_id", "mac_address",
                                                  "admin_state_up", "status", "device_id",
                                                  "device_owner")})
    _add(ix.fips_by_port, port["id"], fip["id"])
    servers_changed(store, previous, port)


def new_floating_ip(store: Store, *, project_id: str, port: Record | None = None,
                    floating_network_id: str | None = None,
                    floating_ip_address: str | None = None, fixed_ip_address: str | None = None,
                    description: str = "") -> Record:
    """A floating IP from the external network, bound to ``port`` or orphaned."""
    ext = store.table("networks").get(floating_network_id or "") or external_network(store)
    if ext is None:
        raise ApiError(404, "External network could not be found.",
                       type="ExternalNetworkNotFound")
    fip = _base(store, project_id, "", description)
    del fip["name"]
    fip_port = new_port(store, project_id="", network_id=ext["id"], device_id=fip["id"],
                        device_owner="network:floatingip", status="N/A",
                        fixed_ips=[{"subnet_id": ext["subnets"][0],
                                    "ip_address": floating_ip_address}]
                        if floating_ip_address and ext["subnets"] else None)
    address = fip_port["fixed_ips"][0]["ip_address"] if fip_port["fixed_ips"] else None
    fip.update({"floating_network_id": ext["id"], "floating_ip_address": address,
                "fixed_ip_address": None, "port_id": None, "router_id": None,
                "status": "DOWN", "port_details": None, "dns_domain": "", "dns_name": "",
                "qos_policy_id": None, "qos_network_policy_id": None,
                "port_forwardings": []})
    store.table("floatingips")[fip["id"]] = fip
    _add(index(store).fips_by_project, project_id, fip["id"])
    if port is not None:
        associate_floating_ip(store, fip, port, fixed_ip_address)
    return fip


def delete_floating_ip(store: Store, fip_id: str) -> None:
    fip = store.table("floatingips").pop(fip_id, None)
    if fip is None:
        return
    ix = index(store)
    if fip["port_id"]:
        _drop(ix.fips_by_port, fip["port_id"], fip_id)
        servers_changed(store, store.table("ports").get(fip["port_id"]))
    _drop(ix.fips_by_project, fip["project_id"], fip_id)
    for port in ports_of_device(store, fip_id):
        delete_port(store, port["id"])


# -- a project's own topology ------------------------------------------------------------

def _private_cidr(ix: NetIndex) -> str:
    k = ix.next_private
    ix.next_private += 1
    return f"10.{k % 254 + 1}.0.0/16"


def ensure_project(store: Store, project_id: str) -> Record:
    """Give ``project_id`` its network, subnet, router and ``default`` security group
    (once); return the network."""
    ix = index(store)
    nets = store.table("networks")
    net_id = ix.private_net.get(project_id)
    if net_id in nets:
        return nets[net_id]
    pname = _project_name(store, project_id)
    net = new_network(store, project_id=project_id, name=f"{pname}-net")
    ix.private_net[project_id] = net["id"]
    subnet = new_subnet(store, network=net, cidr=_private_cidr(ix), name=f"{pname}-subnet",
                        dns_nameservers=["8.8.8.8", "1.1.1.1"])
    ext = external_network(store)
    router = new_router(store, project_id=project_id, name=f"{pname}-router",
                        external_network_id=ext["id"] if ext else None)
    add_router_interface(store, router, subnet)
    default_security_group(store, project_id)
    return net


def project_network(store: Store, project_id: str) -> Record:
    """The project's private network, its topology created on first use."""
    return ensure_project(store, project_id)
