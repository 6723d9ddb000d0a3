"""Nova's admin side: hypervisors, compute services, aggregates, availability zones.

The package calls the hooks :func:`seed_hosts` (before its servers),
:func:`place` / :func:`release` (per server placed or deleted) and
:func:`degrade_hosts` (after them). The handlers live in :mod:`.hypervisors` (hypervisors,
services, AZs), :mod:`.aggregates`, :mod:`.quota` (quotas, limits, simple
tenant usage) and :mod:`.migrations`.

Tables: ``hypervisors`` (uuid id, the 2.53+ record with usage counters kept by
place/release), ``compute_services``, ``aggregates`` (keyed by the string of the integer
id), ``compute_quotas`` and ``migrations`` (see those modules).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

from ...store import SECOND_US, STAMPS, Record, Store, epoch_us, isotime, now
from ...world import RESERVED_HOST_MEMORY_MB, flavor_resources, host_index, live_servers

__all__ = ["BulkPlacer", "claim", "fits", "flavor_resources", "host_index", "live_servers", "place",
           "reindex", "release", "degrade_hosts", "seed_hosts", "sync_service",
           "usable"]

RESERVED_HOST_DISK_GB = 0

# (name, vcpus, memory_mb, local_gb, cpu ratio, ram ratio, cpu model, weight)
HOST_CLASSES: list[tuple[str, int, int, int, float, float, str, int]] = [
    ("standard", 96, 393216, 1788, 4.0, 1.0, "Cascadelake-Server", 6),
    ("legacy", 48, 262144, 894, 16.0, 1.5, "Broadwell", 2),
    ("highmem", 128, 1048576, 3576, 4.0, 1.0, "Icelake-Server", 1),
    ("gpu", 64, 524288, 1788, 2.0, 1.0, "Icelake-Server", 1),
]
CONTROLLERS = ["ctl-01", "ctl-02", "ctl-03"]
_EPOCH_US = epoch_us(_dt.datetime(2024, 3, 4, 9, 12, 31, tzinfo=_dt.timezone.utc))


def _host_name(i: int) -> str:
    """``cmp-a01-r07``: row letters, slot in rack, rack number; unique for any i."""
    rack, slot = divmod(i, 16)
    row, rack = divmod(rack, 20)
    letters = ""
    row += 1
    while row:
        row, rem = divmod(row - 1, 26)
        letters = chr(97 + rem) + letters
    return f"cmp-{letters}{slot + 1:02d}-r{rack + 1:02d}"


def usable(hyp: Record) -> bool:
    return hyp["status"] == "enabled" and hyp["state"] == "up"


def _ts(offset_s: int) -> str:
    """``offset_s`` seconds after the hosts' epoch (ids made into creation times)."""
    return STAMPS.micro(_EPOCH_US + offset_s * SECOND_US)


def _new_service(store: Store, binary: str, host: str, zone: str,
                 updated_at: str | None = None) -> Record:
    index = host_index(store)
    sid = index["next_svc_id"]
    index["next_svc_id"] = sid + 1
    rec: Record = {
        "id": store.uuid(), "binary": binary, "host": host, "zone": zone,
        "status": "enabled", "state": "up",
        "updated_at": updated_at or isotime(now(), micro=True, zulu=False),
        "disabled_reason": None, "forced_down": False,
        "_int_id": sid, "_created": _ts(sid * 60),
    }
    store.table("compute_services")[rec["id"]] = rec
    return rec


def new_aggregate(store: Store, name: str, az: str | None,
                   metadata: dict[str, str]) -> Record:
    index = host_index(store)
    aid = index["next_agg_id"]
    index["next_agg_id"] = aid + 1
    meta = dict(metadata)
    if az:
        meta["availability_zone"] = az
    rec: Record = {
        "id": aid, "uuid": store.uuid(), "name": name, "availability_zone": az,
        "hosts": [], "metadata": meta, "created_at": _ts(aid * 3600), "updated_at": None,
        "deleted_at": None, "deleted": False,
    }
    store.table("aggregates")[str(aid)] = rec
    return rec


def seed_hosts(store: Store) -> None:
    """Create hypervisors, compute services, aggregates and AZs sized to the servers."""
    rng = store.rng
    index = host_index(store)
    n_hosts = max(6, -(-store.config.servers // 20))
    for ctl in CONTROLLERS:
        for binary in ("nova-scheduler", "nova-conductor"):
            _new_service(store, binary, ctl, "internal")
    east = new_aggregate(store, "az-east-hosts", "az-east", {})
    gpu = new_aggregate(store, "gpu-a100", None,
                         {"gpu": "true", "gpu_model": "nvidia-a100", "pci_passthrough": "true"})
    highmem = new_aggregate(store, "highmem", None, {"highmem": "true"})
    legacy = new_aggregate(store, "legacy-broadwell", None,
                            {"cpu_generation": "broadwell", "decommission": "2026-Q2"})
    classes = [c for c in HOST_CLASSES for _ in range(c[7])]
    hypervisors = store.table("hypervisors")
    updated_at = isotime(now(), micro=True, zulu=False)
    for i in range(n_hosts):
        host = _host_name(i)
        # Deterministic mix: every 3rd rack is in az-east.
        az = "az-east" if (i // 16) % 3 == 2 or (n_hosts <= 16 and i % 3 == 2) else "nova"
        cls = classes[rng.randrange(len(classes))] if i >= 4 else HOST_CLASSES[i]
        name, vcpus, mem, disk, cpu_ratio, ram_ratio, model, _ = cls
        svc = _new_service(store, "nova-compute", host, az, updated_at)
        hid = index["next_hyp_id"]
        index["next_hyp_id"] = hid + 1
        rec: Record = {
            "id": store.uuid(), "hypervisor_hostname": host, "hypervisor_type": "QEMU",
            "hypervisor_version": 8002002, "host_ip": f"10.{20 + i // 60000}."
                                                      f"{i % 60000 // 250}.{i % 250 + 5}",
            "state": "up", "status": "enabled",
            "service": {"host": host, "id": svc["id"], "disabled_reason": None},
            "vcpus": vcpus, "memory_mb": mem, "local_gb": disk,
            "vcpus_used": 0, "memory_mb_used": RESERVED_HOST_MEMORY_MB, "local_gb_used": 0,
            "free_ram_mb": mem - RESERVED_HOST_MEMORY_MB, "free_disk_gb": disk,
            "current_workload": 0, "running_vms": 0, "disk_available_least": disk,
            "cpu_info": {"arch": "x86_64", "model": model,
                         "vendor": "Intel", "features": ["avx2", "aes", "sse4.2", "vmx"],
                         "topology": {"cores": vcpus // 4, "threads": 2, "sockets": 2}},
            "uptime": None,
            "_int_id": hid, "_az": az, "_class": name, "_cpu_ratio": cpu_ratio,
            "_ram_ratio": ram_ratio, "_disk_ratio": 1.0, "_svc_int_id": svc["_int_id"],
            "_booted": rng.randrange(3 * 86400, 200 * 86400),
        }
        hypervisors[rec["id"]] = rec
        index["by_name"][host] = rec["id"]
        index["by_az"].setdefault(az, []).append(rec["id"])
        index["all"].append(rec["id"])
        if az == "az-east":
            east["hosts"].append(host)
        if name == "gpu":
            gpu["hosts"].append(host)
        elif name == "highmem":
            highmem["hosts"].append(host)
        elif name == "legacy":
            legacy["hosts"].append(host)


def _free(hyp: Record) -> tuple[float, float, float]:
    cpu = hyp["vcpus"] * hyp["_cpu_ratio"] - hyp["vcpus_used"]
    ram = ((hyp["memory_mb"] - RESERVED_HOST_MEMORY_MB) * hyp["_ram_ratio"]
           - (hyp["memory_mb_used"] - RESERVED_HOST_MEMORY_MB))
    disk = hyp["local_gb"] * hyp["_disk_ratio"] - hyp["local_gb_used"]
    return cpu, ram, disk


def fits(hyp: Record, vcpus: int, ram_mb: int, disk_gb: int) -> bool:
    cpu, ram, disk = _free(hyp)
    return vcpus <= cpu and ram_mb <= ram and disk_gb <= disk


def _count(hyp: Record, vcpus: int, ram_mb: int, disk_gb: int, sign: int) -> None:
    hyp["vcpus_used"] = max(0, hyp["vcpus_used"] + sign * vcpus)
    hyp["memory_mb_used"] = max(RESERVED_HOST_MEMORY_MB,
                                hyp["memory_mb_used"] + sign * ram_mb)
    hyp["local_gb_used"] = max(0, hyp["local_gb_used"] + sign * disk_gb)
    hyp["running_vms"] = max(0, hyp["running_vms"] + sign)
    hyp["free_ram_mb"] = hyp["memory_mb"] - hyp["memory_mb_used"]
    hyp["free_disk_gb"] = hyp["local_gb"] - hyp["local_gb_used"]
    hyp["disk_available_least"] = hyp["free_disk_gb"]
    hyp["_generation"] = hyp.get("_generation", 1) + 1


def place(store: Store, *, vcpus: int, ram_mb: int, disk_gb: int,
          availability_zone: str | None = None) -> Record | None:
    """Pick a hypervisor with room, count the usage on it, and return it (None: no room).

    Like Nova's scheduler with the RAM weigher: of a few random usable hosts in the zone
    that fit, take the one with the most free RAM; fall back to a full scan.
    """
    index = host_index(store)
    hypervisors = store.table("hypervisors")
    if availability_zone:
        ids: list[str] = index["by_az"].get(availability_zone, [])
    else:
        ids = index["all"]
    if not ids:
        return None
    rand = store.rng.random
    n = len(ids)
    best: Record | None = None
    best_ram = -1.0
    for _ in range(3 if n > 3 else n):
        hyp = hypervisors[ids[int(rand() * n)]]
        if hyp["status"] == "enabled" and hyp["state"] == "up":
            # _free, inlined: this runs three times per seeded server.
            ram = ((hyp["memory_mb"] - RESERVED_HOST_MEMORY_MB) * hyp["_ram_ratio"]
                   - (hyp["memory_mb_used"] - RESERVED_HOST_MEMORY_MB))
            if ram_mb <= ram and ram > best_ram \
                    and vcpus <= hyp["vcpus"] * hyp["_cpu_ratio"] - hyp["vcpus_used"] \
                    and disk_gb <= hyp["local_gb"] * hyp["_disk_ratio"] - hyp["local_gb_used"]:
                best, best_ram = hyp, ram
    if best is None:
        start = store.rng.randrange(n)
        for k in range(len(ids)):
            cand = hypervisors.get(ids[(start + k) % len(ids)])
            if cand and usable(cand) and fits(cand, vcpus, ram_mb, disk_gb):
                best = cand
                break
    if best is None:
        return None
    _count(best, vcpus, ram_mb, disk_gb, +1)
    return best


class BulkPlacer:
    """:func:`place` for a world's worth of servers at once (seeding): the same rule over
    free capacity kept in lists, the candidate hosts drawn by the caller in bulk; the
    hosts' counters are written once by :meth:`finish`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        hypervisors = store.table("hypervisors")
        self.hyps = [hypervisors[i] for i in host_index(store)["all"]]
        self.ok = [h["status"] == "enabled" and h["state"] == "up" for h in self.hyps]
        self.cpu = [h["vcpus"] * h["_cpu_ratio"] - h["vcpus_used"] for h in self.hyps]
        self.ram = [(h["memory_mb"] - RESERVED_HOST_MEMORY_MB) * h["_ram_ratio"]
                    - (h["memory_mb_used"] - RESERVED_HOST_MEMORY_MB) for h in self.hyps]
        self.disk = [h["local_gb"] * h["_disk_ratio"] - h["local_gb_used"]
                     for h in self.hyps]
        self.placed = [[0, 0, 0, 0] for _ in self.hyps]

    def place_many(self, sizes: Iterable[tuple[int, int, int]],
                   picks: Iterable[Sequence[int]]) -> list[int]:
        """For each server of (vcpus, RAM MB, disk GB) ``sizes``, in order, the index in
        :attr:`hyps` of the host chosen and counted (-1 for none): of its candidates in
        ``picks`` (indexes drawn at random) the one that fits with the most free RAM,
        else the first that fits from a random start."""
        n = len(self.hyps)
        ok, cpu, ram, disk, placed = self.ok, self.cpu, self.ram, self.disk, self.placed
        chosen: list[int] = []
        for (vcpus, ram_mb, disk_gb), candidates in zip(sizes, picks, strict=True):
            best = -1
            best_ram = -1.0
            for i in candidates:
                free_ram = ram[i]
                if ok[i] and ram_mb <= free_ram and free_ram > best_ram and vcpus <= cpu[i] \
                        and disk_gb <= disk[i]:
                    best, best_ram = i, free_ram
            if best < 0 and n:
                start = self.store.rng.randrange(n)
                for k in range(n):
                    i = (start + k) % n
                    if ok[i] and vcpus <= cpu[i] and ram_mb <= ram[i] and disk_gb <= disk[i]:
                        best = i
                        break
            if best >= 0:
                cpu[best] -= vcpus
                ram[best] -= ram_mb
                disk[best] -= disk_gb
                row = placed[best]
                row[0] += vcpus
                row[1] += ram_mb
                row[2] += disk_gb
                row[3] += 1
            chosen.append(best)
        return chosen

    def finish(self) -> None:
        """Count what was placed on the hosts, as one :func:`_count` per server would."""
        for hyp, (vcpus, ram_mb, disk_gb, count) in zip(self.hyps, self.placed, strict=True):
            if count:
                _count(hyp, vcpus, ram_mb, disk_gb, +1)
                hyp["running_vms"] += count - 1
                hyp["_generation"] += count - 1


def release(store: Store, hypervisor_hostname: str, *, vcpus: int, ram_mb: int,
            disk_gb: int) -> None:
    """Give back what :func:`place` counted (server deleted)."""
    hid = host_index(store)["by_name"].get(hypervisor_hostname)
    hyp = store.table("hypervisors").get(hid) if hid else None
    if hyp is not None:
        _count(hyp, vcpus, ram_mb, disk_gb, -1)


def claim(store: Store, hyp: Record, *, vcpus: int, ram_mb: int, disk_gb: int) -> None:
    """Count a server's usage on the chosen hypervisor ``hyp`` (a move's destination)."""
    _count(hyp, vcpus, ram_mb, disk_gb, +1)


def degrade_hosts(store: Store) -> None:
    """Disable a few hosts for maintenance and take one down, after servers landed."""
    hypervisors = list(store.table("hypervisors").values())
    services = store.table("compute_services")
    rng = store.rng
    n_disabled = max(1, len(hypervisors) // 25)
    picks = rng.sample(range(len(hypervisors)), min(len(hypervisors), n_disabled + 1))
    reasons = ["maintenance: DIMM replacement (OPS-4821)", "draining for kernel upgrade",
               "BMC unreachable, investigating", "decommission scheduled"]
    for k, i in enumerate(picks):
        hyp = hypervisors[i]
        svc = services[hyp["service"]["id"]]
        if k == 0:
            svc["state"] = "down"
            svc["updated_at"] = isotime(now() - _dt.timedelta(hours=3, minutes=17),
                                        micro=True, zulu=False)
        else:
            svc["status"] = "disabled"
            svc["disabled_reason"] = reasons[rng.randrange(len(reasons))]
        sync_service(store, svc)


def sync_service(store: Store, svc: Record) -> None:
    """Mirror a nova-compute service's status and state onto its hypervisor."""
    if svc["binary"] != "nova-compute":
        return
    hid = host_index(store)["by_name"].get(svc["host"])
    hyp = store.table("hypervisors").get(hid) if hid else None
    if hyp is None:
        return
    hyp["status"] = svc["status"]
    hyp["state"] = "down" if svc["forced_down"] else svc["state"]
    hyp["service"]["disabled_reason"] = svc["disabled_reason"]


def reindex(store: Store) -> None:
    """Rebuild the host lookups after hosts were removed or changed zone."""
    index = host_index(store)
    index["by_name"] = {}
    index["by_az"] = {}
    index["all"] = []
    for hyp in store.table("hypervisors").values():
        index["by_name"][hyp["hypervisor_hostname"]] = hyp["id"]
        index["by_az"].setdefault(hyp["_az"], []).append(hyp["id"])
        index["all"].append(hyp["id"])

