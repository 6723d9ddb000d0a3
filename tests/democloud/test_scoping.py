"""A member token can never read or change another project's objects, through any route.

Every route of every service is called as a member of one project with its path filled
with the ids of another project's private objects (its servers, volumes, ports, private
images, keypairs, quotas, users…), with every method the route serves. Then:
- no answer is a 5xx;
- no successful GET shows an id of the other project's private objects;
- no object that existed before was changed or deleted, and nothing the member created
  belongs to the other project or grants the member a role.
The route list is read from the app, so a new route is swept without anyone adding it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from starlette.routing import Route

from osnb import democloud
from osnb.democloud.app import SERVICES
from osnb.democloud.store import public

OWNER_KEYS = ("tenant_id", "project_id", "owner", "os-vol-tenant-attr:tenant_id",
              "os-extended-snapshot-attributes:project_id")
PUBLIC_FLAGS = (("visibility", ("public", "community", "shared")), ("shared", (True,)),
                ("router:external", (True,)))


@pytest.fixture(scope="module")
def world() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=11, projects=5, servers=30, build_seconds=0.1) as cloud:
        yield cloud


def _victim(store: Any) -> str:
    member = store.meta["member_project_id"]
    skip = {member, store.meta["admin_project_id"], store.meta["service_project_id"]}
    counts: dict[str, int] = {}
    for server in store.table("servers").values():
        if server["tenant_id"] not in skip:
            counts[server["tenant_id"]] = counts.get(server["tenant_id"], 0) + 1
    return max(counts, key=lambda p: counts[p])


def _owned(record: dict[str, Any], project: str) -> bool:
    if any(record.get(flag) in values for flag, values in PUBLIC_FLAGS):
        return False
    return any(record.get(key) == project for key in OWNER_KEYS)


def _private_objects(store: Any, project: str) -> dict[str, dict[str, str]]:
    """table -> {id: id} of the project's private objects (and its users' keypairs)."""
    store.ready()  # every deferred table made, so that store.tables is the whole world
    users = {a["user"]["id"] for a in store.table("role_assignments").values()
             if a.get("scope", {}).get("project", {}).get("id") == project and "user" in a}
    out: dict[str, dict[str, str]] = {}
    for name, table in store.tables.items():
        if name.startswith("_"):
            continue
        for key, record in table.items():
            if not isinstance(record, dict):
                continue
            if _owned(record, project) or (name == "keypairs" and record.get("user_id") in users):
                out.setdefault(name, {})[key] = str(record.get("id", key))
    out["_users"] = {u: u for u in users}
    return out


def _fill(path: str, victim: str, objs: dict[str, dict[str, str]], store: Any) -> str:
    """Replace each ``{param}`` with a victim-owned id chosen by the segment before it."""

    def first(table: str, default: str = "00000000-0000-4000-8000-000000000000") -> str:
        return next(iter(objs.get(table, {}).values()), default)

    keypair = next((k["name"] for k in store.table("keypairs").values()
                    if k["id"] in objs.get("keypairs", {}).values() or
                    str(k.get("id")) in objs.get("keypairs", {})), "nokey")
    server = first("servers")
    from osnb.democloud.services.compute.servers import actions_of

    action = next(iter(actions_of(store, server)), "req-x") \
        if server in store.table("servers") else "req-x"
    by_segment = {
        "servers": server, "os-keypairs": keypair, "os-server-groups": first("server_groups"),
        "os-quota-sets": victim, "os-simple-tenant-usage": victim, "quotas": victim,
        "networks": first("networks"), "subnets": first("subnets"), "ports": first("ports"),
        "routers": first("routers"), "floatingips": first("floatingips"),
        "security-groups": first("security_groups"),
        "security-group-rules": first("security_group_rules"),
        "network-ip-availabilities": first("networks"), "volumes": first("volumes"),
        "snapshots": first("snapshots"), "backups": first("backups"),
        "images": first("images"), "projects": victim, "users": first("_users"),
        "os-instance-actions": action, "os-interface": first("ports"),
        "os-volume_attachments": first("volumes"), "allocations": server,
        "v3": victim,
    }
    segments = path.split("/")
    for i, segment in enumerate(segments):
        match = re.fullmatch(r"\{(\w+)(?::\w+)?\}", segment)
        if not match:
            continue
        before = segments[i - 1] if i else ""
        if match.group(1) == "resource":
            value = "networks"
        elif match.group(1) == "target":
            value = victim
        else:
            value = by_segment.get(before, "x-" + match.group(1))
        segments[i] = value
    return "/".join(segments)


def _routes() -> list[tuple[str, str]]:
    out = []
    for module in SERVICES:
        for route in module.routes():
            if isinstance(route, Route):
                for method in sorted(route.methods or []):
                    if method != "HEAD":
                        out.append((method, module.PREFIX + route.path))
    return out


def test_a_member_cannot_reach_another_projects_objects(world) -> None:
    store = world.store
    victim = world.call(lambda: _victim(store))
    objs = world.call(lambda: _private_objects(store, victim))
    assert len(objs.get("servers", {})) >= 2 and objs.get("ports") and objs.get("volumes")
    secret_ids = {i for table, ids in objs.items() if table != "_users"
                  for i in ids.values() if len(i) >= 16}  # uuids; not "1"-style ids
    before = world.call(lambda: {name: {k: copy.deepcopy(public(v)) for k, v in t.items()
                                        if isinstance(v, dict)}
                                 for name, t in store.tables.items()
                                 if not name.startswith("_")})
    auth = world.clouds["clouds"]["demo-member"]["auth"]
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "password": auth["password"],
        "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": auth["project_name"], "domain": {"name": "Default"}}}}}
    token = requests.post(world.auth_url + "/auth/tokens", json=body,
                          timeout=10).headers["X-Subject-Token"]
    session = requests.Session()
    session.headers["X-Auth-Token"] = token
    routes = _routes()
    assert len(routes) > 250
    problems: list[str] = []
    for method, template in routes:
        if template.endswith("/auth/tokens") and method == "DELETE":
            continue  # revoking its own token would end the sweep
        url = world.url + _fill(template, victim, objs, store)
        payload: Any = {"name": "pwned", "server": {"name": "pwned"}, "volume": {"name": "p"},
                        "os-stop": None, "quota_set": {"instances": 1000},
                        "quota": {"port": 1}, "project": {"name": "pwned"},
                        "user": {"name": "pwned"}}
        reply = session.request(method, url, json=payload if method != "GET" else None,
                                timeout=10)
        where = f"{method} {template} -> {reply.status_code}"
        if reply.status_code >= 500:
            problems.append(f"{where}: server error {reply.text[:120]}")
        if method == "GET" and reply.ok:
            leaked = [i for i in secret_ids if i in reply.text]
            if leaked:
                problems.append(f"{where}: shows {len(leaked)} of the other project's ids")
    after = world.call(lambda: {name: {k: public(v) for k, v in t.items()
                                       if isinstance(v, dict)}
                                for name, t in store.tables.items()
                                if not name.startswith("_")})
    volatile = {"updated_at", "updated", "status", "OS-EXT-STS:task_state",
                "OS-EXT-STS:vm_state", "OS-EXT-STS:power_state", "OS-SRV-USG:launched_at",
                "progress", "heartbeat_timestamp", "revision_number", "last_used"}
    for name, records in before.items():
        for key, record in records.items():
            now = after.get(name, {}).get(key)
            if now is None:
                problems.append(f"{name} {key} was deleted")
                continue
            changed = {k for k in set(record) | set(now)
                       if record.get(k) != now.get(k) and k not in volatile}
            if changed:
                problems.append(f"{name} {key} changed: {sorted(changed)}")
        for key, record in after.get(name, {}).items():
            if key not in records and _owned(record, victim):
                problems.append(f"{name} {key} was created in the other project")
    member_user = next(u["id"] for u in store.table("users").values()
                       if u["name"] == auth["username"])
    grants = [a for a in after["role_assignments"].values()
              if a.get("user", {}).get("id") == member_user]
    assert len(grants) == len([a for a in before["role_assignments"].values()
                               if a.get("user", {}).get("id") == member_user])
    assert problems == [], "\n".join(problems)
