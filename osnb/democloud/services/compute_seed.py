"""The generated Nova world: flavors, keypairs, server groups and servers (O(servers))."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..store import DAY_US, SECOND_US, Record, Store, epoch_us, now
from . import compute_glue as glue
from .compute_common import Server, invalidate, servers_of, state
from .compute_flavors import seed_flavors
from .compute_keypairs import ed25519_public_key, new_keypair, new_server_group
from .compute_servers import (
    FAULT_NO_HOST,
    SERVER_TEMPLATE,
    _failed_build_traceback,
    fail,
    flavor_doc,
    host_id,
    image_doc,
    nova_time,
    server_record,
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


_DRAWS = 22
"""Random columns a seeded server draws (see :func:`_seed_servers`)."""


def _seed_servers(store: Store, owners: list[str], images: list[Record],
                  users: dict[str, list[str]], admin_user: str,
                  groups: dict[tuple[str, str], Record], created_base: _dt.datetime) -> None:
    """One server per owner, with its port, maybe a floating IP and a volume, and the
    instance actions of its life so far: the bulk of a world (O(servers)).

    Built a column at a time: every random choice is drawn first (:mod:`..columns`), then
    the hosts are chosen in order (each server takes capacity from the next), then the
    ports, the records, and last the floating IPs and volumes of the servers that have one.
    """
    import numpy as np

    from .. import columns
    from .compute_admin import BulkPlacer
    from .network.model import ServerPorts

    rng = store.rng
    n = len(owners)
    (role_u, flavor_u, image_u, created_u, host_u, user_u, tag_u, env_u, meta_u, desc_u,
     updated_u, fip_u, vol_u, size_u, life_u, later_u, lock_u, reason_u, took_u,
     *pick_u) = columns.uniforms(rng, _DRAWS * n).reshape(_DRAWS, n)

    # Roles, and flavors as indexes into the roles' flavor lists laid end to end.
    role_weights = np.cumsum([r[1] for r in ROLES])
    role_of = np.searchsorted(role_weights, role_u * role_weights[-1], side="right")
    per_role = np.array([len(r[2]) for r in ROLES])
    first = np.cumsum(per_role) - per_role
    flavor_of = (first[role_of] + (flavor_u * per_role[role_of]).astype(np.int64)).tolist()
    flat = [store.table("flavors")[fid] for r in ROLES for fid in r[2]]
    sizes = [(f["vcpus"], f["ram"], f["disk"] + f["OS-FLV-EXT-DATA:ephemeral"]
              + -(-int(f["swap"] or 0) // 1024)) for f in flat]
    image_of = (image_u * len(images)).astype(np.int64).tolist()
    pool = {pid: users.get(pid) or [admin_user] for pid in dict.fromkeys(owners)}
    user_of = (user_u * np.array([len(pool[pid]) for pid in owners])).astype(np.int64)

    # Created up to 240 days ago, most of them lately, in the order of their instance
    # numbers; running 40 s to 4 min later; maybe stopped, paused or suspended one to 21
    # days after that.
    created_us = epoch_us(created_base) - 600 * SECOND_US \
        - np.sort(created_u ** 1.6 * HORIZON_US)[::-1].astype(np.int64)
    updated_us = created_us + 40 * SECOND_US + (200 * SECOND_US * updated_u).astype(np.int64)
    later_us = updated_us + DAY_US + (20 * DAY_US * later_u).astype(np.int64)
    life_of = np.searchsorted([b[0] for b in LIFECYCLE], life_u, side="right").tolist()

    # Hosts, in order: each server takes capacity from the next.
    placer = BulkPlacer(store)
    hyps = placer.hyps
    wanted = (host_u >= 0.02).nonzero()[0]
    picks = zip(*((u[wanted] * len(hyps)).astype(np.int64).tolist() for u in pick_u),
                strict=True)
    host_of = [-1] * n
    for k, h in zip(wanted.tolist(), placer.place_many(
            [sizes[flavor_of[k]] for k in wanted.tolist()], picks), strict=True):
        host_of[k] = h
    placer.finish()
    # (host, node, zone, port owner) of each hypervisor
    where = [(h["service"]["host"], h["hypervisor_hostname"], h.get("_az") or "nova",
              f"compute:{h.get('_az') or 'nova'}") for h in hyps]

    sids = columns.uuid_texts(rng, n)
    hosted = [k for k in range(n) if host_of[k] >= 0]
    server_ports = ServerPorts(store)
    plugged: list[Any] = [None] * n
    for k, port in zip(hosted, server_ports.plug_many(
            [owners[k] for k in hosted], [sids[k] for k in hosted],
            [where[host_of[k]][3] for k in hosted], [where[host_of[k]][0] for k in hosted]),
            strict=True):
        plugged[k] = port
    created, updated = columns.zulu_texts(created_us), columns.zulu_texts(updated_us)
    launched = columns.micro_texts(updated_us)
    changed = np.array(life_of) < len(LIFECYCLE)
    later = dict(zip(changed.nonzero()[0].tolist(), zip(
        columns.zulu_texts(later_us[changed]), later_us[changed].tolist(), strict=True),
        strict=True))
    created_at = created_us.tolist()
    reservations = ["r-" + sid[:8] for sid in sids]
    role_of_array = role_of
    role_of, user_of = role_of.tolist(), user_of.tolist()
    with_meta, with_desc = (meta_u < 0.5).tolist(), (desc_u < 0.3).tolist()
    tag_of = np.where(tag_u < 0.3, np.where(env_u < 0.5, 1, 2), 0).tolist()
    reason_of = np.where(lock_u < 0.03, 1 + (reason_u * len(LOCK_REASONS)).astype(np.int64),
                         0).tolist()
    took = (8 + 30 * took_u).tolist()
    seeded = state(store).seeded_actions
    base = state(store).links_base = store.base_url
    trace = _failed_build_traceback(FAULT_NO_HOST)
    images_of = [image_doc(i) for i in images] or [image_doc(None)]
    docs = {f["id"]: flavor_doc(f) for f in flat}
    flavor_docs = [docs[f["id"]] for f in flat]
    security_groups = [{"name": "default"}]
    # What every seeded server has, and what those that found a host and run have.
    unplaced = dict(SERVER_TEMPLATE, key_name="deploy")
    running = dict(unplaced, host_status="UP")
    running["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda"
    set_state(running, "active")
    # Per (project, role): [servers so far, its server group]; names per role and count.
    slots: dict[tuple[str, int], list[Any]] = {}
    names: list[list[str]] = [[] for _ in ROLES]
    host_ids: dict[str, str] = {}
    net_names: dict[str, str] = {}
    records: list[Server] = []
    for k, pid in enumerate(owners):
        role = role_of[k]
        prefix = ROLES[role][0]
        slot = slots.get((pid, role))
        if slot is None:
            slot = slots[(pid, role)] = [0, groups.get(
                (pid, "db" if prefix.startswith("db") else prefix))]
        count = slot[0] = slot[0] + 1
        if count > len(names[role]):
            names[role].append(f"{prefix}-{count:02d}")
        sid = sids[k]
        uid = pool[pid][user_of[k]]
        h = host_of[k]
        rec = server_record(sid, base, names[role][count - 1], pid, uid,
                            images_of[image_of[k]], flavor_docs[flavor_of[k]],
                            flat[flavor_of[k]]["id"], created[k], k + 1, security_groups,
                            template=running if h >= 0 else unplaced)
        records.append(rec)
        rec["updated"] = updated[k]
        rec["OS-EXT-SRV-ATTR:reservation_id"] = reservations[k]
        if with_meta[k]:
            rec["metadata"] = {"role": prefix}
        if with_desc[k]:
            rec["description"] = f"{prefix} node {count}"
        if tag_of[k]:
            rec["tags"] = [("", "prod", "staging")[tag_of[k]], prefix.split("-")[0]]
        if h < 0:
            fail(rec, FAULT_NO_HOST, when=rec["updated"], details=trace)
            seeded[sid] = ((pid, "", "", "create", rng.getrandbits(128), uid, created_at[k],
                            "compute__do_build_and_run_instance", "Error", "Error", trace,
                            3.1),)
            continue
        host, node, zone, _ = where[h]
        hid = host_ids.get(pid + host)
        if hid is None:
            hid = host_ids[pid + host] = host_id(pid, host)
        rec["hostId"] = hid
        rec["OS-EXT-SRV-ATTR:host"] = host
        rec["OS-EXT-SRV-ATTR:hypervisor_hostname"] = node
        rec["OS-EXT-AZ:availability_zone"] = zone
        rec["OS-SRV-USG:launched_at"] = launched[k]
        if slot[1] is not None:
            slot[1]["members"].append(sid)
            rec.server_groups = [slot[1]["id"]]
        port_id, mac, address = plugged[k]
        rec.port_ids.append(port_id)
        net_name = net_names.get(pid)
        if net_name is None:
            net_name = net_names[pid] = server_ports.network_name(pid)
        rec["addresses"] = {net_name: [
            {"version": 6 if ":" in address else 4, "addr": address,
             "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": mac}] if address else []}
        create = (pid, host, hid, "create", rng.getrandbits(128), uid, created_at[k],
                  "compute__do_build_and_run_instance", "Success", None, None, took[k])
        life = life_of[k]
        if life < len(LIFECYCLE):
            _, vm_state, action, event = LIFECYCLE[life]
            set_state(rec, vm_state)
            rec["updated"], at = later[k]
            seeded[sid] = (create, (pid, host, hid, action, rng.getrandbits(128), uid, at,
                                    event, "Success", None, None, 2.0))
        else:
            seeded[sid] = (create,)
        if reason_of[k]:
            rec["locked"] = True
            rec["locked_reason"] = LOCK_REASONS[reason_of[k] - 1]
            rec.locked_by = "owner"

    # Floating IPs and data volumes, for the servers whose role has them.
    fip_share = np.array([r[3] for r in ROLES])[role_of_array]
    vol_share = np.array([r[4] for r in ROLES])[role_of_array]
    with_fip = [k for k in (fip_u < fip_share).nonzero()[0].tolist() if host_of[k] >= 0]
    fips = server_ports.floating_ips(
        [owners[k] for k in with_fip], [plugged[k][0] for k in with_fip],
        [plugged[k][1] for k in with_fip], [plugged[k][2] for k in with_fip],
        [sids[k] for k in with_fip], [where[host_of[k]][3] for k in with_fip])
    for k, address in zip(with_fip, fips, strict=True):
        if address:
            next(iter(records[k]["addresses"].values())).append(
                {"version": 4, "addr": address, "OS-EXT-IPS:type": "floating",
                 "OS-EXT-IPS-MAC:mac_addr": plugged[k][1]})
    with_volume = [k for k in (vol_u < vol_share).nonzero()[0].tolist() if host_of[k] >= 0]
    # Made with their servers, a few seconds after them.
    glue.attach_volumes(
        store, [records[k] for k in with_volume],
        sizes=[(20, 50, 100, 200, 500)[int(size_u[k] * 5)] for k in with_volume],
        names=[f"{records[k]['name']}-data" for k in with_volume],
        created=columns.micro_texts(created_us[with_volume] + 12 * SECOND_US))
    server_ports.finish()
    # Added last, so that Neutron's and Cinder's calls above do not re-derive them.
    servers_of(store).update(zip(sids, records, strict=True))


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
