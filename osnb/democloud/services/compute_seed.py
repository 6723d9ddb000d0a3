"""The generated Nova world: flavors, keypairs, server groups and servers (O(servers))."""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from typing import Any

from ..store import DAY_US, SECOND_US, STAMPS, Record, Store, epoch_us, now
from . import compute_glue as glue
from .compute_common import invalidate, servers_of, state
from .compute_flavors import seed_flavors
from .compute_keypairs import ed25519_public_key, new_keypair, new_server_group
from .compute_servers import (
    FAULT_NO_HOST,
    _failed_build_traceback,
    fail,
    new_server,
    nova_time,
    set_state,
)

__all__ = ["rebuild_index", "seed_servers", "set_host_status"]

# (name prefix, weight, flavor ids to pick from, floating IP share, volume share)
ROLES: list[tuple[str, int, tuple[str, ...], float, float]] = [
    ("web", 14, ("2", "3"), 0.5, 0.05), ("api", 10, ("3", "4"), 0.2, 0.05),
    ("k8s-worker", 18, ("4", "c2.large", "5"), 0.0, 0.3),
    ("k8s-master", 3, ("3",), 0.0, 0.1), ("db-primary", 2, ("r2.xlarge", "4"), 0.0, 0.9),
    ("db-replica", 3, ("r2.xlarge", "4"), 0.0, 0.9), ("cache", 4, ("3", "r2.xlarge"), 0.0, 0.0),
    ("redis", 3, ("2", "3"), 0.0, 0.1), ("kafka", 3, ("4", "d1.local"), 0.0, 0.6),
    ("zk", 3, ("2",), 0.0, 0.1), ("worker", 8, ("3", "c2.large"), 0.0, 0.1),
    ("batch", 4, ("c2.xlarge", "c2.large"), 0.0, 0.0), ("ci-runner", 6, ("3", "4"), 0.0, 0.0),
    ("bastion", 2, ("1",), 1.0, 0.0), ("vpn", 1, ("1", "2"), 1.0, 0.0),
    ("haproxy", 2, ("2",), 0.8, 0.0), ("gitlab", 1, ("4",), 0.6, 0.9),
    ("elk", 2, ("r2.xlarge",), 0.0, 0.9), ("prometheus", 2, ("3",), 0.1, 0.8),
    ("minio", 2, ("4",), 0.0, 1.0), ("gpu-train", 1, ("g1.a100",), 0.0, 0.5),
    ("jupyter", 2, ("3", "g1.a100"), 0.3, 0.2),
]
LIFECYCLE = ((0.06, "stopped", "stop", "compute_stop_instance"),
             (0.075, "paused", "pause", "compute_pause_instance"),
             (0.085, "suspended", "suspend", "compute_suspend_instance"))
"""(cumulative share, vm state, instance action, event) of seeded servers not left active."""

HORIZON_US = 240 * DAY_US
"""How far back seeded servers were created."""

LOCK_REASONS = ["legal hold (INC-2291)", "do not touch: quarterly close", "forensics",
                "migration in progress", None]


def rebuild_index(store: Store) -> None:
    """Sort every server into the default listing order at once (after bulk seeding)."""
    st = state(store)
    keyed = sorted((s["created"], s["id"]) for s in store.table("servers").values())
    st.keys = keyed
    st.order = [k[1] for k in keyed]
    st.pos = None
    invalidate(store)


def _projects(store: Store) -> list[str]:
    from . import identity

    fn = getattr(identity, "project_ids", None)
    if fn is not None:
        return list(fn(store))
    return [p["id"] for p in store.table("projects").values()
            if not p.get("is_domain") and not p.get("_system")]


def _admin_user(store: Store) -> str:
    for user in store.table("users").values():
        if user.get("name") == "admin":
            return str(user["id"])
    return str(store.meta.get("admin_user_id", ""))


def seed_servers(store: Store) -> None:
    rng = store.rng
    projects = _projects(store)
    seed_flavors(store, projects)
    if not projects:
        return
    users = glue.project_users(store)
    admin_user = _admin_user(store)
    first_user = {p: (users.get(p) or [admin_user])[0] for p in projects}
    created_base = now()

    # Keypairs: one or two per project's first user, and the admin's own.
    for i, pid in enumerate([*projects, None]):
        uid = first_user[pid] if pid else admin_user
        for name in (("deploy", "laptop") if i % 2 == 0 else ("deploy",)):
            new_keypair(store, user_id=uid, name=name if pid else f"admin-{name}",
                        public_key=ed25519_public_key(rng.randbytes(32), f"{name}@ops"),
                        created_at=nova_time(created_base - _dt.timedelta(days=200 - i)))

    # Server groups: anti-affinity for databases and control planes.
    groups: dict[tuple[str, str], Record] = {}
    for pid in projects:
        for group_role, policy in (("db", "anti-affinity"), ("k8s-master", "anti-affinity"),
                             ("kafka", "soft-anti-affinity")):
            if rng.random() < 0.6:
                groups[(pid, group_role)] = new_server_group(
                    store, name=f"{group_role}-{policy}", policy=policy, project_id=pid,
                    user_id=first_user[pid],
                    rules={"max_server_per_host": 1} if group_role == "db" else {})

    images = [i for i in store.table("images").values()
              if i.get("status", "active") == "active" and
              i.get("visibility", "public") in ("public", "shared", "community")]
    n = store.config.servers
    if n <= 0:
        return
    # Skewed ownership: a few projects own most servers; the member's project a fair share.
    order = list(projects)
    rng.shuffle(order)
    weights = [1.0 / (k + 1) ** 1.1 for k in range(len(order))]
    member = store.meta.get("member_project_id")
    if member in order:
        weights[order.index(member)] = max(weights[order.index(member)], weights[0] / 3)
    owners = rng.choices(order, weights=weights, k=n)
    _seed_servers(store, owners, images, users, admin_user, groups, created_base)
    rebuild_index(store)


def _seed_servers(store: Store, owners: list[str], images: list[Record],
                  users: dict[str, list[str]], admin_user: str,
                  groups: dict[tuple[str, str], Record], created_base: _dt.datetime) -> None:
    """One server per owner, with its port, maybe a floating IP and a volume, and the
    instance actions of its life so far: the hot loop of a world (O(servers))."""
    from . import compute_admin

    rng = store.rng
    flavors = store.table("flavors")
    role_weights = list(itertools.accumulate(r[1] for r in ROLES))
    total_w = role_weights[-1]
    counters: dict[tuple[str, str], int] = {}
    servers = servers_of(store)
    # What the loop needs of each flavor, looked up once: (record, vcpus, ram, disk GB).
    sizes = {fid: (f, f["vcpus"], f["ram"], f["disk"] + f["OS-FLV-EXT-DATA:ephemeral"]
                   + -(-int(f["swap"] or 0) // 1024)) for fid, f in flavors.items()}
    net = glue._network()
    server_ports = net.ServerPorts(store) if net is not None and \
        hasattr(net, "ServerPorts") else None
    placer = compute_admin.BulkPlacer(store)
    hosts = placer.hyps
    shared: dict[Any, Any] = {}
    new_uuid = store.uuid
    rand = rng.random
    # Times as integer microseconds since the epoch (created_base minus or plus a span),
    # made into text by STAMPS: no datetime arithmetic per server.
    clock, zulu_, micro = STAMPS.clock, STAMPS.zulu, STAMPS.micro
    base_us = epoch_us(created_base)
    getrandbits = rng.getrandbits
    seeded = state(store).seeded_actions
    base_url = state(store).links_base = store.base_url
    net_names: dict[str, str] = {}
    pick = bisect.bisect_right
    trace = _failed_build_traceback(FAULT_NO_HOST)
    for k, pid in enumerate(owners):
        role = ROLES[pick(role_weights, rand() * total_w)]
        prefix, _, flavor_ids, fip_share, vol_share = role
        key = (pid, prefix)
        count = counters.get(key, 0) + 1
        counters[key] = count
        name = f"{prefix}-{count:02d}"
        flavor, vcpus, ram_mb, disk_gb = sizes[flavor_ids[int(rand() * len(flavor_ids))]]
        image = images[int(rand() * len(images))] if images else None
        # Created up to 240 days ago, most of them lately; running 40 s to 4 min later.
        created_us = base_us - int(rand() ** 1.6 * HORIZON_US) - 600 * SECOND_US
        hyp = None
        if rand() >= 0.02:
            placed = placer.place(vcpus, ram_mb, disk_gb)
            if placed >= 0:
                hyp = hosts[placed]
        uid_pool = users.get(pid) or [admin_user]
        uid = uid_pool[int(rand() * len(uid_pool))]
        sid = new_uuid()
        tags = None
        if rand() < 0.3:
            tags = ["prod" if rand() < 0.5 else "staging", prefix.split("-")[0]]
        rec = new_server(store, sid=sid, name=name, project_id=pid, user_id=uid,
                         flavor=flavor, image=image, created=zulu_(created_us), az=None,
                         key_name="deploy", metadata={"role": prefix} if rand() < 0.5 else None,
                         description=f"{prefix} node {count}" if rand() < 0.3 else None,
                         tags=tags, hypervisor=hyp,
                         reservation_id=f"r-{sid[:8]}", instance_number=k + 1,
                         shared=shared, base=base_url)
        updated_us = created_us + 40 * SECOND_US + int(200 * SECOND_US * rand())
        updated = clock(updated_us)
        rec["updated"] = updated + "Z"
        rid = getrandbits(128)  # the create's request id, made into text with its action
        group = groups.get((pid, "db" if prefix.startswith("db") else prefix))
        if group is not None and hyp is not None:
            group["members"].append(sid)
            rec.server_groups = [group["id"]]
        if hyp is None:
            fail(rec, FAULT_NO_HOST, when=rec["updated"], details=trace)
            rec["OS-EXT-SRV-ATTR:root_device_name"] = None
            seeded[sid] = ((pid, "", "", "create", rid, uid, created_us,
                            "compute__do_build_and_run_instance", "Error", "Error", trace,
                            3.1),)
            servers[sid] = rec
            continue
        rec["OS-SRV-USG:launched_at"] = f"{updated}.{updated_us % SECOND_US:06d}"
        host = rec["OS-EXT-SRV-ATTR:host"] or ""
        hid = rec["hostId"]
        seeded[sid] = ((pid, host, hid, "create", rid, uid, created_us,
                        "compute__do_build_and_run_instance", "Success", None, None,
                        8 + 30 * rand()),)
        if server_ports is None:
            port = glue.plug(store, rec)
            if port is not None and rand() < fip_share:
                glue.floating_ip(store, rec, port)
        else:
            # glue.plug and glue.addresses, for the one port a seeded server has.
            owner = f"compute:{rec['OS-EXT-AZ:availability_zone']}"
            port_id, mac, fixed_ips = server_ports.plug(pid, sid, owner,
                                                        rec["OS-EXT-SRV-ATTR:host"])
            rec.port_ids.append(port_id)
            entries = [{"version": 6 if ":" in ip["ip_address"] else 4,
                        "addr": ip["ip_address"], "OS-EXT-IPS:type": "fixed",
                        "OS-EXT-IPS-MAC:mac_addr": mac} for ip in fixed_ips]
            if rand() < fip_share:
                fip = server_ports.floating_ip(pid, port_id, mac, fixed_ips, sid, owner)
                if fip is not None and fip.get("floating_ip_address"):
                    entries.append({"version": 4, "addr": fip["floating_ip_address"],
                                    "OS-EXT-IPS:type": "floating",
                                    "OS-EXT-IPS-MAC:mac_addr": mac})
        if rand() < vol_share:
            # Made with its server, a few seconds after it.
            glue.attach_volume(store, rec, size=(20, 50, 100, 200, 500)[int(rand() * 5)],
                               name=f"{name}-data",
                               created_at=micro(created_us + 12 * SECOND_US))
        if server_ports is None:
            rec["addresses"] = glue.addresses(store, rec)
        else:
            net_name = net_names.get(pid)
            if net_name is None:
                net_name = net_names[pid] = server_ports.network_name(pid)
            rec["addresses"] = {net_name: entries}
        roll = rand()
        later_us = updated_us + DAY_US + int(20 * DAY_US * rand())
        for bound, vm_state, action, event in LIFECYCLE:
            if roll < bound:
                set_state(rec, vm_state)
                seeded[sid] = (*seeded[sid], (pid, host, hid, action, getrandbits(128),
                                              uid, later_us, event, "Success", None, None,
                                              2.0))
                rec["updated"] = zulu_(later_us)
                break
        else:
            set_state(rec, "active")
        if rand() < 0.03:
            rec["locked"] = True
            rec["locked_reason"] = LOCK_REASONS[int(rand() * len(LOCK_REASONS))]
            rec.locked_by = "owner"
        # Added last, so that Neutron's and Cinder's calls above do not re-derive it.
        servers[sid] = rec
    placer.finish()
    if server_ports is not None:
        server_ports.finish()


def set_host_status(store: Store) -> None:
    """``host_status`` from the hypervisors' state once hosts were degraded (O(servers))."""
    status: dict[str, str] = {}
    for hyp in store.table("hypervisors").values():
        if hyp.get("state") == "down":
            status[hyp["hypervisor_hostname"]] = "DOWN"
        elif hyp.get("status") == "disabled":
            status[hyp["hypervisor_hostname"]] = "MAINTENANCE"
    if not status:
        return
    for rec in store.table("servers").values():
        node = rec.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
        if node in status:
            rec["host_status"] = status[node]
    invalidate(store)
