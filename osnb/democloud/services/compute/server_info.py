"""What Nova tells of a running server beyond its document: diagnostics (admin), the
encrypted password the guest posted (``os-server-password``, cleared by its owner), its
NUMA topology (2.78) and its security groups (the Neutron groups of its ports)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError
from ...store import Record, now
from ._dialect import NOVA
from .common import Server, check_lock
from .quota import server_time
from .servers import SERVERS

__all__ = ["routes"]


def _numbers(server: Server) -> list[int]:
    """Steady pseudo-measurements of one server (its counters do not jump around)."""
    digest = hashlib.sha256(server["id"].encode()).digest()
    return list(digest)


def _ready(server: Server, verb: str) -> None:
    if not server.get("OS-EXT-SRV-ATTR:host") or server["OS-EXT-STS:vm_state"] in (
            "building", "shelved_offloaded"):
        raise ApiError(409, f"Cannot '{verb}' instance {server['id']} while it is in "
                            f"vm_state {server['OS-EXT-STS:vm_state']}")


def _uptime(server: Server) -> int:
    launched = server.get("OS-SRV-USG:launched_at") or server.get("created") or ""
    start = server_time(launched)
    return max(0, int((now() - start).total_seconds())) if start else 0


async def diagnostics(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    ctx.require_admin("os_compute_api:os-server-diagnostics")
    _ready(server, "get_diagnostics")
    n = _numbers(server)
    flavor = server["flavor"]
    running = server["OS-EXT-STS:power_state"] == 1
    uptime = _uptime(server) if running else 0
    ports = [ctx.store.table("ports").get(p) for p in server.port_ids]
    macs = [p["mac_address"] for p in ports if p]
    volumes = server.get("os-extended-volumes:volumes_attached") or []
    disks = 1 + len(volumes)
    if not ctx.at_least(2, 48):
        out: dict[str, Any] = {f"cpu{i}_time": uptime * (10 ** 7) * (n[i % 32] + 1)
                               for i in range(flavor["vcpus"])}
        out["memory"] = flavor["ram"] * 1024
        for i, mac in enumerate(macs):
            out[f"tap{mac.replace(':', '')[-8:]}_rx"] = uptime * (n[(i + 5) % 32] + 1) * 97
            out[f"tap{mac.replace(':', '')[-8:]}_tx"] = uptime * (n[(i + 7) % 32] + 1) * 41
        out["vda_read"] = uptime * 4096 * (n[3] + 1)
        out["vda_write"] = uptime * 8192 * (n[4] + 1)
        return ctx.reply(out)
    return ctx.reply({
        "config_drive": bool(server.get("config_drive")),
        "cpu_details": [{"id": i, "time": uptime * (10 ** 7) * (n[i % 32] + 1),
                         "utilisation": n[(i + 1) % 32] % 100 if running else None}
                        for i in range(flavor["vcpus"])],
        "disk_details": [{"errors_count": 0, "read_bytes": uptime * 4096 * (n[i % 32] + 1),
                          "read_requests": uptime * (n[(i + 2) % 32] + 1),
                          "write_bytes": uptime * 8192 * (n[(i + 3) % 32] + 1),
                          "write_requests": uptime * (n[(i + 4) % 32] + 1)}
                         for i in range(disks)],
        "driver": "libvirt", "hypervisor": "kvm", "hypervisor_os": "linux",
        "memory_details": {"maximum": flavor["ram"] * 1024,
                           "used": flavor["ram"] * 1024 * (40 + n[9] % 50) // 100
                           if running else 0},
        "nic_details": [{"mac_address": mac, "rx_drop": 0, "rx_errors": 0,
                         "rx_octets": uptime * 97 * (n[(i + 5) % 32] + 1),
                         "rx_packets": uptime * (n[(i + 6) % 32] + 1),
                         "rx_rate": None, "tx_drop": 0, "tx_errors": 0,
                         "tx_octets": uptime * 41 * (n[(i + 7) % 32] + 1),
                         "tx_packets": uptime * (n[(i + 8) % 32] + 1), "tx_rate": None}
                        for i, mac in enumerate(macs)],
        "num_cpus": flavor["vcpus"], "num_disks": disks, "num_nics": len(macs),
        "state": "running" if running else "shutdown", "uptime": uptime,
    })


def _posted(server: Server) -> str:
    """What a Windows guest's cloudbase-init posted to the metadata service: its
    administrator password encrypted with the server's SSH key (RSA-2048: 256 bytes,
    base64). Other guests post none."""
    image = server.get("image")
    props = image.get("properties") or {} if isinstance(image, dict) else {}
    if props.get("os_type") != "windows":
        return ""
    blocks = [hashlib.sha256(f"{server['id']}:{i}".encode()).digest() for i in range(8)]
    return base64.b64encode(b"".join(blocks)).decode()


async def server_password(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    passwords = ctx.store.table("server_passwords")
    if server["id"] not in passwords:
        passwords[server["id"]] = {"password": _posted(server)}
    if request.method == "GET":
        return ctx.reply(passwords[server["id"]])
    check_lock(ctx, server)
    passwords[server["id"]] = {"password": ""}
    return ctx.reply(None, 204)


def _topology(server: Server, admin: bool) -> dict[str, Any]:
    """Nova's NUMA view: nodes for a flavor with ``hw:numa_nodes`` or dedicated CPUs;
    none (and no page size) otherwise."""
    flavor = server["flavor"]
    specs = flavor.get("extra_specs") or {}
    dedicated = specs.get("hw:cpu_policy") == "dedicated"
    count = int(specs.get("hw:numa_nodes") or (1 if dedicated else 0))
    if not count:
        return {"nodes": [], "pagesize_kb": None}
    vcpus, ram = flavor["vcpus"], flavor["ram"]
    n = _numbers(server)
    nodes = []
    for node in range(count):
        cpus = list(range(node * vcpus // count, (node + 1) * vcpus // count))
        row: dict[str, Any] = {"memory_mb": ram // count, "siblings": [
            cpus[i:i + 2] for i in range(0, len(cpus), 2)], "vcpu_set": cpus}
        if admin:
            row["host_node"] = node
            row["cpu_pinning"] = {str(c): (n[c % 32] % 24) + 24 * node for c in cpus} \
                if dedicated else {}
        nodes.append(row)
    page = str(specs.get("hw:mem_page_size", "")).upper().removesuffix("KB")
    return {"nodes": nodes, "pagesize_kb": int(page) if page.isdigit() else 4}


async def topology(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    NOVA.gate(ctx.request, (2, 78))
    return ctx.reply(_topology(server, ctx.admin))


def _rule(rule: Record) -> dict[str, Any]:
    return {"id": rule["id"], "parent_group_id": rule["security_group_id"],
            "ip_protocol": rule.get("protocol"), "from_port": rule.get("port_range_min"),
            "to_port": rule.get("port_range_max"),
            "ip_range": {"cidr": rule["remote_ip_prefix"]} if rule.get("remote_ip_prefix")
            else {},
            "group": {"name": rule["remote_group_id"], "tenant_id": rule["project_id"]}
            if rule.get("remote_group_id") else {}}


async def security_groups(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    store = ctx.store
    groups = store.table("security_groups")
    seen: dict[str, Record] = {}
    for pid in server.port_ids:
        port = store.table("ports").get(pid)
        for sg_id in (port or {}).get("security_groups") or ():
            if sg_id in groups:
                seen.setdefault(sg_id, groups[sg_id])
    rows = [{"description": sg.get("description") or "", "id": sg["id"], "name": sg["name"],
             "rules": [_rule(r) for r in sg.get("security_group_rules") or ()
                       if r.get("direction") == "ingress"],
             "tenant_id": sg["project_id"]} for sg in seen.values()]
    return ctx.reply({"security_groups": rows})


def routes() -> list[BaseRoute]:
    s = "/v2.1/servers/{server_id}"
    return [
        Route(f"{s}/diagnostics", diagnostics, methods=["GET"]),
        Route(f"{s}/os-server-password", server_password, methods=["GET", "DELETE"]),
        Route(f"{s}/topology", topology, methods=["GET"]),
        Route(f"{s}/os-security-groups", security_groups, methods=["GET"]),
    ]

