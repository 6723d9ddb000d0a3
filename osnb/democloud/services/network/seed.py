"""The generated network world: ``public``, each project's topology, shared networks,
orphans for an operator to find, and quotas (some projects near their limits)."""

from __future__ import annotations

import math

from ...store import Record, Store
from . import (
    addresses,
    forwarding,
    model,
    pools,
    qos,
    ranges,
    scheduling,
    statefulness,
    trunk,
)

__all__ = ["NETWORK_NODES", "seed"]

NETWORK_NODES = ["network-01", "network-02"]
_SHARED = [("shared-services", "10.200.0.0/22", "Shared services: DNS, NTP, package mirrors"),
           ("storage-backend", "10.210.0.0/22", "Ceph and NFS storage access"),
           ("provider-vlan-110", "192.168.110.0/24", "Physical VLAN 110 (data centre LAN)")]
_ORPHAN_NAMES = ["old-lb-vip", "test-port", "migration-tmp", "vrrp-keepalived", "debug-port"]


def _ordinary_projects(store: Store) -> list[Record]:
    return [p for p in store.table("projects").values()
            if not p.get("_system") and not p.get("is_domain")]


def seed(store: Store) -> None:
    """Fill the network tables (runs after identity, before compute)."""
    for name in ("networks", "subnets", "ports", "routers", "floatingips",
                 "security_groups", "security_group_rules", "network_quotas",
                 "network_agents"):
        store.table(name)
    rng = store.rng
    admin_pid = model.admin_project_id(store)
    public = model.new_network(store, project_id=admin_pid, name="public", shared=True,
                               external=True, network_type="flat",
                               physical_network="physnet-public", mtu=1500,
                               description="Provider network for floating IPs")
    store.meta["network.external_id"] = public["id"]
    model.new_subnet(store, network=public, cidr="172.24.0.0/16", name="public-subnet",
                     gateway_ip="172.24.0.1",
                     allocation_pools=[{"start": "172.24.4.2", "end": "172.24.255.254"}],
                     enable_dhcp=False)
    for i, (name, cidr, description) in enumerate(_SHARED):
        vlan = name.startswith("provider")
        net = model.new_network(store, project_id=admin_pid, name=name, shared=True,
                                network_type="vlan" if vlan else "vxlan",
                                physical_network="physnet1" if vlan else None,
                                segmentation_id=110 if vlan else 4000 + i,
                                description=description)
        model.new_subnet(store, network=net, cidr=cidr, name=f"{name}-subnet",
                         dhcp_host=NETWORK_NODES[i % len(NETWORK_NODES)],
                         dns_nameservers=["10.200.0.53"])
    if admin_pid:
        model.default_security_group(store, admin_pid)
    qos.seed(store, admin_pid)
    pools.seed(store, admin_pid)

    projects = _ordinary_projects(store)
    for project in projects:
        pid = project["id"]
        net = model.ensure_project(store, pid)
        sg = model.new_security_group(store, pid, "web", "HTTP and HTTPS from anywhere")
        for port in (80, 443):
            model.new_sg_rule(store, sg, direction="ingress", protocol="tcp",
                              port_range_min=port, port_range_max=port,
                              remote_ip_prefix="0.0.0.0/0")
        ssh = model.new_security_group(store, pid, "ssh-bastion", "SSH from the office VPN")
        model.new_sg_rule(store, ssh, direction="ingress", protocol="tcp", port_range_min=22,
                          port_range_max=22, remote_ip_prefix="198.51.100.0/24")
        # Material for an orphan hunt: unattached ports and floating IPs without a port.
        for _ in range(rng.randrange(0, 3)):
            model.new_port(store, project_id=pid, network_id=net["id"],
                           name=rng.choice(_ORPHAN_NAMES), status="DOWN")
        for _ in range(rng.randrange(1, 4)):
            model.new_floating_ip(store, project_id=pid)
    trunk.seed(store)
    for extension in (forwarding, addresses, ranges, scheduling, statefulness):
        extension.seed(store)

    # Quotas: enough ports for the servers the compute service will boot; a couple of
    # projects close to their floating-IP limit.
    quotas = store.table("network_quotas")
    if admin_pid:
        # Each shared network, QoS policy, pool and scope holds an RBAC policy of the
        # admin project: the operator raised that quota, as operators of such clouds do.
        quotas[admin_pid] = {"rbac_policy": 100}
    if projects:
        per_project = store.config.servers / len(projects)
        if per_project * 1.5 > model.DEFAULT_QUOTAS["port"] * 0.8:
            ports = int(math.ceil(per_project * 3 / 100.0) * 100)
            for project in projects:
                quotas[project["id"]] = {"port": ports}
        crowded = projects[rng.randrange(len(projects))]
        used = len(model.index(store).fips_by_project.get(crowded["id"], {}))
        for _ in range(max(0, model.DEFAULT_QUOTAS["floatingip"] - 3 - used)):
            model.new_floating_ip(store, project_id=crowded["id"])
        if len(projects) > 1:
            tight = projects[(projects.index(crowded) + 1) % len(projects)]
            used = len(model.index(store).fips_by_project.get(tight["id"], {}))
            quotas.setdefault(tight["id"], {}).update(floatingip=used + 1, router=2)
