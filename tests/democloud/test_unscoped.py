"""A token without a project reaches nothing in any project, and a token is only
validated, checked or revoked by its own user or an admin (issue #13, item 1).

An unscoped token carries no roles; Nova, Neutron, Cinder, Glance and Placement answer it
with 403, as their project policies do. The sweep calls every route of every service but
Keystone, with every method, as two callers that hold such tokens: the demo member asking
for ``"scope": "unscoped"``, and a user with no role anywhere.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.services import identity
from osnb.democloud.store import public

from .test_scoping import _fill, _private_objects, _routes, _victim

TIMEOUT = 10


@pytest.fixture(scope="module")
def world() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=11, projects=5, servers=30, build_seconds=0.1) as cloud:
        yield cloud


def _token(cloud: democloud.DemoCloud, user: str, password: str,
           scope: Any = "unscoped") -> str:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"name": "Default"}}}}}}
    if scope is not None:
        body["auth"]["scope"] = scope
    r = requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def _admin(cloud: democloud.DemoCloud) -> str:
    meta = cloud.store.meta
    return _token(cloud, meta["admin_user"], meta["admin_password"],
                  {"project": {"name": meta["admin_project"], "domain": {"name": "Default"}}})


def _roleless_user(cloud: democloud.DemoCloud) -> tuple[str, str]:
    name, password = f"nobody-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    r = requests.post(cloud.auth_url + "/users", timeout=TIMEOUT,
                      headers={"X-Auth-Token": _admin(cloud)},
                      json={"user": {"name": name, "password": password,
                                     "domain_id": "default"}})
    assert r.status_code == 201, r.text
    return name, password


def _snapshot(store: Any) -> dict[str, dict[str, Any]]:
    return {name: {k: copy.deepcopy(public(v)) for k, v in t.items() if isinstance(v, dict)}
            for name, t in store.tables.items() if not name.startswith("_")}


@pytest.mark.parametrize("caller", ["member-unscoped", "user-without-roles"])
def test_an_unscoped_token_reaches_no_service_route(world: democloud.DemoCloud,
                                                    caller: str) -> None:
    store, meta = world.store, world.store.meta
    if caller == "member-unscoped":
        token = _token(world, meta["member_user"], meta["member_password"])
    else:
        token = _token(world, *_roleless_user(world), scope=None)
    victim = world.call(lambda: _victim(store))
    objs = world.call(lambda: _private_objects(store, victim))
    secret_ids = {i for table, ids in objs.items() if table != "_users"
                  for i in ids.values() if len(i) >= 16}
    calls = [(method, template, world.url + _fill(template, victim, objs, store))
             for method, template in _routes()
             if not template.startswith(identity.PREFIX + "/")]
    before = world.call(lambda: _snapshot(store))
    session = requests.Session()
    session.headers["X-Auth-Token"] = token
    problems: list[str] = []
    swept = 0
    for method, template, url in calls:
        payload = None if method == "GET" else {
            "server": {"name": "pwned", "imageRef": "x", "flavorRef": "1"},
            "volume": {"size": 1}, "network": {"name": "pwned"}, "name": "pwned"}
        reply = session.request(method, url, json=payload, timeout=TIMEOUT)
        swept += 1
        if reply.ok and requests.request(method, url, json=payload,
                                         timeout=TIMEOUT).ok:
            continue  # a version document: served to anyone, token or not
        if reply.status_code not in (403, 404, 405):
            problems.append(f"{method} {template} -> {reply.status_code} "
                            f"{reply.text[:100]}")
        if method == "GET" and reply.ok and any(i in reply.text for i in secret_ids):
            problems.append(f"{method} {template} shows another project's ids")
    assert swept > 200
    after = world.call(lambda: _snapshot(store))
    for name, records in after.items():
        created = set(records) - set(before.get(name, {}))
        if created and name not in ("users",):
            problems.append(f"{name}: {len(created)} created")
    assert problems == [], "\n".join(problems)


def test_the_unscoped_server_list_is_refused_in_novas_format(world: democloud.DemoCloud,
                                                             ) -> None:
    meta = world.store.meta
    token = _token(world, meta["member_user"], meta["member_password"])
    r = requests.get(world.url + "/compute/v2.1/servers/detail", timeout=TIMEOUT,
                     headers={"X-Auth-Token": token})
    assert r.status_code == 403, r.text[:200]
    assert r.json()["forbidden"]["code"] == 403
    # The same member, scoped to its project, sees its own servers only.
    scoped = _token(world, meta["member_user"], meta["member_password"],
                    {"project": {"id": meta["member_project_id"]}})
    servers = requests.get(world.url + "/compute/v2.1/servers/detail", timeout=TIMEOUT,
                           headers={"X-Auth-Token": scoped}).json()["servers"]
    assert servers and {s["tenant_id"] for s in servers} == {meta["member_project_id"]}


def test_a_domain_scoped_admin_without_all_tenants_lists_no_servers(
        world: democloud.DemoCloud) -> None:
    meta = world.store.meta
    token = _token(world, meta["admin_user"], meta["admin_password"],
                   {"domain": {"id": "default"}})
    headers = {"X-Auth-Token": token}
    mine = requests.get(world.url + "/compute/v2.1/servers/detail", headers=headers,
                        timeout=TIMEOUT)
    assert mine.status_code == 200 and mine.json()["servers"] == []
    every = requests.get(world.url + "/compute/v2.1/servers/detail?all_tenants=1",
                         headers=headers, timeout=TIMEOUT)
    assert len(every.json()["servers"]) == len(world.store.table("servers"))


# --- /v3/auth/tokens: whose tokens a caller may see and revoke ---------------------------

def _subject_call(cloud: democloud.DemoCloud, method: str, caller: str,
                  subject: str) -> requests.Response:
    return requests.request(method, cloud.auth_url + "/auth/tokens", timeout=TIMEOUT,
                            headers={"X-Auth-Token": caller, "X-Subject-Token": subject})


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_member_cannot_validate_check_or_revoke_the_admins_token(
        world: democloud.DemoCloud, method: str) -> None:
    meta = world.store.meta
    admin = _admin(world)
    member = _token(world, meta["member_user"], meta["member_password"],
                    {"project": {"id": meta["member_project_id"]}})
    r = _subject_call(world, method, member, admin)
    assert r.status_code == 403
    if method != "HEAD":
        assert r.json()["error"]["message"].endswith(
            {"GET": "identity:validate_token.", "DELETE": "identity:revoke_token."}[method])
        assert admin not in r.text
    # The admin's token still works.
    assert _subject_call(world, "HEAD", admin, admin).status_code == 200


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_user_may_validate_check_and_revoke_its_own_tokens(
        world: democloud.DemoCloud, method: str) -> None:
    meta = world.store.meta
    member = _token(world, meta["member_user"], meta["member_password"],
                    {"project": {"id": meta["member_project_id"]}})
    other = _token(world, meta["member_user"], meta["member_password"])  # unscoped
    r = _subject_call(world, method, member, other)
    assert r.status_code == (204 if method == "DELETE" else 200)
    # And an admin may do the same to anyone's token.
    another = _token(world, meta["member_user"], meta["member_password"])
    r = _subject_call(world, method, _admin(world), another)
    assert r.status_code == (204 if method == "DELETE" else 200)
