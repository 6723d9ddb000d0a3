"""A generated world's servers, made a column at a time (O(servers), the bulk of a world).

Every random choice of every server is drawn first, as columns (:mod:`..columns`); then
the hosts are chosen in order (each server takes capacity from the next), the ports
drawn, the records made, and last the floating IPs and data volumes of the servers whose
role has them. Neutron's and Cinder's records for them are made when first read.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np

from ... import columns
from ...store import DAY_US, SECOND_US, Record, Store, epoch_us
from ...world import PORTS_BULK, BulkPorts
from . import glue
from .admin import BulkPlacer, flavor_resources
from .common import Server, servers_of, state
from .servers import (
    FAULT_NO_HOST,
    SERVER_TEMPLATE,
    _failed_build_traceback,
    fail,
    failed_reboot,
    flavor_doc,
    host_id,
    image_doc,
    server_record,
    set_state,
)

__all__ = ["FAILED_REBOOT", "HORIZON_US", "LIFECYCLE", "LOCK_REASONS", "ROLES", "ServerBatch"]

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
FAILED_REBOOT = 0.09
"""Cumulative share (after :data:`LIFECYCLE`) of running servers left in ERROR on their
host by a hard reboot that failed (the other ERROR servers never found a host)."""

HORIZON_US = 240 * DAY_US
"""How far back seeded servers were created."""

LOCK_REASONS = ["legal hold (INC-2291)", "do not touch: quarterly close", "forensics",
                "migration in progress", None]
_VOLUME_SIZES = (20, 50, 100, 200, 500)
_DRAWS = 22
"""Random columns a server draws: the 19 names in :meth:`ServerBatch.__init__`, and three
candidate hosts."""


class ServerBatch:
    """One server per owner (a project id), the world's servers: :meth:`make` them."""

    def __init__(self, store: Store, owners: list[str], images: list[Record],
                 users: dict[str, list[str]], admin_user: str,
                 created_base: _dt.datetime) -> None:
        self.store = store
        self.owners = owners
        self.images = images
        n = self.n = len(owners)
        (role_u, flavor_u, image_u, created_u, self.host_u, user_u, tag_u, env_u, meta_u,
         desc_u, updated_u, self.fip_u, self.vol_u, self.size_u, life_u, later_u, lock_u,
         reason_u, took_u, *self.pick_u) = \
            columns.uniforms(store.rng, _DRAWS * n).reshape(_DRAWS, n)

        # Roles, and flavors as indexes into the roles' flavor lists laid end to end.
        weights = np.cumsum([r[1] for r in ROLES])
        self.role = np.searchsorted(weights, role_u * weights[-1], side="right")
        per_role = np.array([len(r[2]) for r in ROLES])
        first = np.cumsum(per_role) - per_role
        self.flavor = (first[self.role] + (flavor_u * per_role[self.role]).astype(np.int64)
                       ).tolist()
        # One embedded flavor document per flavor, shared by its servers (see server_record).
        docs = {fid: flavor_doc(store.table("flavors")[fid]) for r in ROLES for fid in r[2]}
        self.flavors = [(fid, docs[fid]) for r in ROLES for fid in r[2]]
        self.image = (image_u * len(images)).astype(np.int64).tolist()
        self.pool = {pid: users.get(pid) or [admin_user] for pid in dict.fromkeys(owners)}
        self.user = (user_u * np.array([len(self.pool[pid]) for pid in owners])
                     ).astype(np.int64).tolist()
        self.with_meta, self.with_desc = (meta_u < 0.5).tolist(), (desc_u < 0.3).tolist()
        self.tag = np.where(tag_u < 0.3, np.where(env_u < 0.5, 1, 2), 0).tolist()
        self.lock = np.where(lock_u < 0.03,
                             1 + (reason_u * len(LOCK_REASONS)).astype(np.int64), 0).tolist()
        self.took = (8 + 30 * took_u).tolist()

        # Created up to 240 days ago, most of them lately, in the order of their instance
        # numbers; running 40 s to 4 min later; maybe stopped, paused or suspended one to
        # 21 days after that.
        self.created_us = epoch_us(created_base) - 600 * SECOND_US \
            - np.sort(created_u ** 1.6 * HORIZON_US)[::-1].astype(np.int64)
        self.updated_us = self.created_us + 40 * SECOND_US \
            + (200 * SECOND_US * updated_u).astype(np.int64)
        self.later_us = self.updated_us + DAY_US + (20 * DAY_US * later_u).astype(np.int64)
        self.life = np.searchsorted([*(b[0] for b in LIFECYCLE), FAILED_REBOOT], life_u,
                                    side="right")
        self.sids: list[str] = []
        self.host: list[int] = [-1] * n
        """Index of each server's hypervisor in :attr:`hyps`, -1 where none took it."""
        self.hyps: list[Record] = []
        self.where: list[tuple[str, str, str, str]] = []
        """(host, node, zone, port owner) of each hypervisor."""
        self.hosted: list[int] = []
        """The servers that have a host, in order."""
        self.ports: list[Any] = [None] * n
        """(port id, MAC, fixed address) of each server that has a host."""

    def make(self, groups: dict[tuple[str, str], Record]) -> None:
        """Place, plug and record every server, then give some a floating IP and a volume;
        the ``servers`` table gets them last, so that Neutron's and Cinder's calls on the
        way do not re-derive them. ``groups``: server groups by (project, role)."""
        self.place()
        self.sids = columns.uuid_texts(self.store.rng, self.n)
        server_ports: BulkPorts = self.store.ask(PORTS_BULK)
        self.plug(server_ports)
        records = self.records(groups, server_ports)
        self.extras(records, server_ports)
        server_ports.finish()
        servers_of(self.store).update(zip(self.sids, records, strict=True))

    def place(self) -> None:
        """Choose the hosts, in order: each server takes capacity from the next."""
        placer = BulkPlacer(self.store)
        self.hyps = placer.hyps
        wanted = (self.host_u >= 0.02).nonzero()[0]
        picks = zip(*((u[wanted] * len(self.hyps)).astype(np.int64).tolist()
                      for u in self.pick_u), strict=True)
        sizes = [flavor_resources({"flavor": doc}) for _, doc in self.flavors]
        wanted_k = wanted.tolist()
        chosen = placer.place_many([sizes[self.flavor[k]] for k in wanted_k], picks)
        for k, h in zip(wanted_k, chosen, strict=True):
            self.host[k] = h
        placer.finish()
        self.where = [(h["service"]["host"], h["hypervisor_hostname"], h.get("_az") or "nova",
                       f"compute:{h.get('_az') or 'nova'}") for h in self.hyps]
        self.hosted = [k for k in range(self.n) if self.host[k] >= 0]

    def plug(self, server_ports: BulkPorts) -> None:
        """A port on its project's network for each server that has a host."""
        hosted, where, host = self.hosted, self.where, self.host
        drawn = server_ports.plug_many(
            [self.owners[k] for k in hosted], [self.sids[k] for k in hosted],
            [where[host[k]][3] for k in hosted], [where[host[k]][0] for k in hosted])
        for k, port in zip(hosted, drawn, strict=True):
            self.ports[k] = port

    def records(self, groups: dict[tuple[str, str], Record],
                server_ports: BulkPorts) -> list[Server]:
        """The server records, and the instance actions of their lives so far (as
        ``seeded_actions``: made into records when first asked for)."""
        store, rng = self.store, self.store.rng
        created = columns.zulu_texts(self.created_us)
        updated = columns.zulu_texts(self.updated_us)
        launched = columns.micro_texts(self.updated_us)
        changed = self.life <= len(LIFECYCLE)
        later = dict(zip(changed.nonzero()[0].tolist(), zip(
            columns.zulu_texts(self.later_us[changed]), self.later_us[changed].tolist(),
            strict=True), strict=True))
        created_at = self.created_us.tolist()
        reservations = ["r-" + sid[:8] for sid in self.sids]
        sids, owners, role_of, host_of, life_of = \
            self.sids, self.owners, self.role.tolist(), self.host, self.life.tolist()
        user_of, pool, ports, where = self.user, self.pool, self.ports, self.where
        flavor_of, image_of, took, lock_of = self.flavor, self.image, self.took, self.lock
        with_meta, with_desc, tag_of = self.with_meta, self.with_desc, self.tag
        getrandbits = rng.getrandbits
        seeded = state(store).seeded_actions
        base = state(store).links_base = store.base_url
        trace = _failed_build_traceback(FAULT_NO_HOST)
        images = [image_doc(i, base) for i in self.images] or [image_doc(None)]
        flavors = self.flavors
        security_groups = [{"name": "default"}]
        # What every seeded server has, and what those that found a host and run have.
        unplaced = dict(SERVER_TEMPLATE, key_name="deploy")
        running = dict(unplaced, host_status="UP")
        running["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda"
        set_state(running, "active")
        # Per role and project: [servers so far, its server group]; names by role, count;
        # hostIds per host and project.
        slots: list[dict[str, list[Any]]] = [{} for _ in ROLES]
        names: list[list[str]] = [[] for _ in ROLES]
        host_ids: list[dict[str, str]] = [{} for _ in where]
        net_names: dict[str, str] = {}
        records: list[Server] = []
        for k, pid in enumerate(owners):
            role = role_of[k]
            prefix = ROLES[role][0]
            slot = slots[role].get(pid)
            if slot is None:
                slot = slots[role][pid] = [0, groups.get(
                    (pid, "db" if prefix.startswith("db") else prefix))]
            count = slot[0] = slot[0] + 1
            if count > len(names[role]):
                names[role].append(f"{prefix}-{count:02d}")
            sid = sids[k]
            uid = pool[pid][user_of[k]]
            h = host_of[k]
            flavor_id, flavor = flavors[flavor_of[k]]
            rec = server_record(sid, base, names[role][count - 1], pid, uid,
                                images[image_of[k]], flavor, flavor_id, created[k], k + 1,
                                security_groups, template=running if h >= 0 else unplaced)
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
                seeded[sid] = ((pid, "", "", "create", getrandbits(128), uid,
                                created_at[k], "compute__do_build_and_run_instance", "Error",
                                "Error", trace, 3.1),)
                continue
            host, node, zone, _ = where[h]
            hid = host_ids[h].get(pid)
            if hid is None:
                hid = host_ids[h][pid] = host_id(pid, host)
            rec["hostId"] = hid
            rec["OS-EXT-SRV-ATTR:host"] = host
            rec["OS-EXT-SRV-ATTR:hypervisor_hostname"] = node
            rec["OS-EXT-AZ:availability_zone"] = zone
            rec["OS-SRV-USG:launched_at"] = launched[k]
            if slot[1] is not None:
                slot[1]["members"].append(sid)
                rec.server_groups = [slot[1]["id"]]
            port_id, mac, address = ports[k]
            rec.port_ids = [port_id]
            net_name = net_names.get(pid)
            if net_name is None:
                net_name = net_names[pid] = server_ports.network_name(pid)
            rec["addresses"] = {net_name: [
                {"version": 6 if ":" in address else 4, "addr": address,
                 "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": mac}]
                if address else []}
            create = (pid, host, hid, "create", getrandbits(128), uid, created_at[k],
                      "compute__do_build_and_run_instance", "Success", None, None, took[k])
            life = life_of[k]
            if life < len(LIFECYCLE):
                _, vm_state, action, event = LIFECYCLE[life]
                set_state(rec, vm_state)
                rec["updated"], at = later[k]
                seeded[sid] = (create, (pid, host, hid, action, getrandbits(128), uid, at,
                                        event, "Success", None, None, 2.0))
            elif life == len(LIFECYCLE):
                rec["updated"], at = later[k]
                message, details = failed_reboot(sid)
                fail(rec, message, when=rec["updated"], details=details)
                rec["OS-EXT-STS:power_state"] = 4  # shut down: QEMU never started
                seeded[sid] = (create, (pid, host, hid, "reboot", getrandbits(128), uid, at,
                                        "compute_reboot_instance", "Error", "Error", details,
                                        4.2))
            else:
                seeded[sid] = (create,)
            if lock_of[k]:
                rec["locked"] = True
                rec["locked_reason"] = LOCK_REASONS[lock_of[k] - 1]
                rec.locked_by = "owner"
        return records

    def extras(self, records: list[Server], server_ports: BulkPorts) -> None:
        """Floating IPs and data volumes, for the placed servers whose role has them."""
        fip_share = np.array([r[3] for r in ROLES])[self.role]
        vol_share = np.array([r[4] for r in ROLES])[self.role]
        host_of, ports = self.host, self.ports
        with_fip = [k for k in (self.fip_u < fip_share).nonzero()[0].tolist()
                    if host_of[k] >= 0]
        addresses = server_ports.floating_ips(
            [self.owners[k] for k in with_fip], [ports[k][0] for k in with_fip],
            [ports[k][1] for k in with_fip], [ports[k][2] for k in with_fip],
            [self.sids[k] for k in with_fip], [self.where[host_of[k]][3] for k in with_fip])
        for k, address in zip(with_fip, addresses, strict=True):
            if address:
                next(iter(records[k]["addresses"].values())).append(
                    {"version": 4, "addr": address, "OS-EXT-IPS:type": "floating",
                     "OS-EXT-IPS-MAC:mac_addr": ports[k][1]})
        with_volume = [k for k in (self.vol_u < vol_share).nonzero()[0].tolist()
                       if host_of[k] >= 0]
        # Made with their servers, a few seconds after them.
        glue.attach_volumes(
            self.store, [records[k] for k in with_volume],
            sizes=[_VOLUME_SIZES[int(self.size_u[k] * 5)] for k in with_volume],
            names=[f"{records[k]['name']}-data" for k in with_volume],
            created=columns.micro_texts(self.created_us[with_volume] + 12 * SECOND_US))
