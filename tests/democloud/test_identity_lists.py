"""Keystone's list paging, project tag filters and system scope in the demo cloud
(issue #13, item 9), as Keystone 2025.x answers them (tests/realcloud/test_keystone_parity.py
asks a real one the same questions)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from osnb import democloud

TIMEOUT = 10


def _token(cloud: democloud.DemoCloud, user: str, password: str, scope: Any) -> requests.Response:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"name": "Default"}}}},
        "scope": scope}}
    return requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud) -> dict[str, str]:
    meta = cloud.store.meta
    r = _token(cloud, meta["admin_user"], meta["admin_password"],
               {"project": {"name": meta["admin_project"], "domain": {"name": "Default"}}})
    return {"X-Auth-Token": r.headers["X-Subject-Token"]}


def _get(cloud: democloud.DemoCloud, headers: dict[str, str], path: str) -> requests.Response:
    return requests.get(cloud.auth_url + path, headers=headers, timeout=TIMEOUT)


@pytest.mark.parametrize("collection", ["projects", "users"])
def test_limit_truncates_and_next_pages_through_in_id_order(
        cloud: democloud.DemoCloud, admin: dict[str, str], collection: str) -> None:
    whole = _get(cloud, admin, f"/{collection}").json()
    ids = [r["id"] for r in whole[collection]]
    assert ids == sorted(ids) and len(ids) >= 5
    assert "truncated" not in whole and whole["links"]["next"] is None
    first = _get(cloud, admin, f"/{collection}?limit=2").json()
    assert [r["id"] for r in first[collection]] == ids[:2]
    assert first["truncated"] is True
    assert first["links"]["next"].startswith(f"{cloud.auth_url}/{collection}?")
    seen: list[str] = []
    url: str | None = f"{cloud.auth_url}/{collection}?limit=2"
    pages = 0
    while url:
        page = requests.get(url, headers=admin, timeout=TIMEOUT).json()
        seen += [r["id"] for r in page[collection]]
        left = len(ids) - len(seen)
        # Keystone's projects say "truncated" on every full page, its users only when
        # something is left.
        cut = len(page[collection]) == 2 and (collection == "projects" or left > 0)
        assert page.get("truncated", False) == cut
        assert (page["links"]["next"] is not None) == cut
        url = page["links"]["next"]
        pages += 1
        assert pages <= len(ids)  # a repeated marker would loop forever
    assert seen == ids


def test_marker_starts_after_that_id_and_an_unknown_one_is_404(
        cloud: democloud.DemoCloud, admin: dict[str, str]) -> None:
    ids = [p["id"] for p in _get(cloud, admin, "/projects").json()["projects"]]
    after = _get(cloud, admin, f"/projects?marker={ids[1]}").json()
    assert [p["id"] for p in after["projects"]] == ids[2:]
    r = _get(cloud, admin, "/projects?marker=nope")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Marker nope could not be found."
    zero = _get(cloud, admin, "/users?limit=0").json()
    assert zero["users"] == [] and zero["truncated"] is True and zero["links"]["next"] is None
    for bad in ("many", "-1"):
        r = _get(cloud, admin, f"/users?limit={bad}")
        assert r.status_code == 400 and "limit" in r.json()["error"]["message"]


def test_project_tag_filters(cloud: democloud.DemoCloud, admin: dict[str, str]) -> None:
    mark = uuid.uuid4().hex[:8]
    made = {}
    for i, tags in enumerate((["a", "t0"], ["a", "t1"], ["a", "t2"])):
        body = {"project": {"name": f"tagged-{mark}-{i}", "domain_id": "default",
                            "tags": [f"{t}-{mark}" for t in tags]}}
        r = requests.post(cloud.auth_url + "/projects", json=body, headers=admin,
                          timeout=TIMEOUT)
        assert r.status_code == 201, r.text
        made[r.json()["project"]["id"]] = i
    everyone = {p["id"] for p in _get(cloud, admin, "/projects").json()["projects"]}

    def which(query: str) -> set[int] | set[str]:
        query = query.replace("{m}", mark)
        found = {p["id"] for p in _get(cloud, admin, f"/projects?{query}").json()["projects"]}
        return {made[p] for p in found if p in made}

    assert which("tags=a-{m}") == {0, 1, 2}
    assert which("tags=a-{m},t1-{m}") == {1}
    assert which("tags-any=t0-{m},t1-{m}") == {0, 1}
    assert which("not-tags=a-{m},t1-{m}") == {0, 2}
    assert which("not-tags-any=t0-{m},t2-{m}") == {1}
    untagged = {p["id"] for p in _get(cloud, admin, f"/projects?not-tags=a-{mark}")
                .json()["projects"]}
    assert untagged == everyone - set(made)


def test_the_admin_gets_a_system_scoped_token(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    r = _token(cloud, meta["admin_user"], meta["admin_password"], {"system": {"all": True}})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token["system"] == {"all": True}
    assert set(token) == {"audit_ids", "catalog", "expires_at", "issued_at", "methods",
                          "roles", "service_providers", "system", "user"}  # edge-cloud
    assert {"admin", "member", "reader"} <= {role["name"] for role in token["roles"]}
    system = {"X-Auth-Token": r.headers["X-Subject-Token"]}
    # Validating it shows the same scope; it reaches Keystone's admin APIs.
    valid = requests.get(cloud.auth_url + "/auth/tokens", timeout=TIMEOUT,
                         headers={**system, "X-Subject-Token": system["X-Auth-Token"]})
    assert valid.status_code == 200 and valid.json()["token"]["system"] == {"all": True}
    assert _get(cloud, system, "/projects").status_code == 200
    assert _get(cloud, system, "/auth/system").json()["system"] == [{"all": True}]
    listed = _get(cloud, system, "/role_assignments?scope.system=all").json()
    assert [a["scope"] for a in listed["role_assignments"]] == [{"system": {"all": True}}]
    assert listed["role_assignments"][0]["links"]["assignment"].startswith(
        f"{cloud.auth_url}/system/users/")
    # And admin reach in the other services: every project's servers.
    servers = requests.get(cloud.url + "/compute/v2.1/servers/detail?all_tenants=1",
                           headers=system, timeout=TIMEOUT)
    assert len(servers.json()["servers"]) == len(cloud.store.table("servers"))


def test_a_member_gets_no_system_scope(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    r = _token(cloud, meta["member_user"], meta["member_password"], {"system": {"all": True}})
    assert r.status_code == 401 and r.json()["error"]["code"] == 401
    own = _token(cloud, meta["member_user"], meta["member_password"],
                 {"project": {"id": meta["member_project_id"]}})
    mine = {"X-Auth-Token": own.headers["X-Subject-Token"]}
    assert _get(cloud, mine, "/auth/system").json()["system"] == []
    bad = _token(cloud, meta["admin_user"], meta["admin_password"], {"system": {"all": 1}})
    assert bad.status_code == 400


def test_the_seed_gives_the_admin_one_system_grant() -> None:
    from osnb.democloud import build_store

    store = build_store(seed=5, projects=3, servers=10)
    grants = [a for a in store.table("role_assignments").values() if "system" in a["scope"]]
    admin = next(u["id"] for u in store.table("users").values() if u["name"] == "admin")
    role = next(r["id"] for r in store.table("roles").values() if r["name"] == "admin")
    assert grants == [{"role": {"id": role}, "scope": {"system": {"all": True}},
                       "user": {"id": admin}}]
