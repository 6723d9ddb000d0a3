"""The generated Nova world: flavors, keypairs, server groups and servers (O(servers))."""

from __future__ import annotations

import datetime as _dt

from ...store import Record, Store, now
from ...world import project_ids
from . import glue
from .common import invalidate, state
from .flavors import seed_flavors
from .keypairs import ed25519_public_key, new_keypair, new_server_group
from .seed_servers import ServerBatch
from .servers import nova_time

__all__ = ["rebuild_index", "seed_servers", "set_host_status"]

def rebuild_index(store: Store) -> None:
    """Sort every server into the default listing order at once (after bulk seeding)."""
    st = state(store)
    keyed = sorted((s["created"], s["id"]) for s in store.table("servers").values())
    st.keys = keyed
    st.order = [k[1] for k in keyed]
    st.pos = st.projects = None
    invalidate(store)


def _admin_user(store: Store) -> str:
    for user in store.table("users").values():
        if user.get("name") == "admin":
            return str(user["id"])
    return str(store.meta.get("admin_user_id", ""))


def seed_servers(store: Store) -> None:
    rng = store.rng
    projects = project_ids(store)
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
    ServerBatch(store, owners, images, users, admin_user, created_base).make(groups)
    rebuild_index(store)


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
