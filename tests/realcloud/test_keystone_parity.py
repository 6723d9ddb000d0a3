"""Issue #13's identity questions asked of the demo cloud's Keystone and a real one:
who may validate, check and revoke a token; list paging (``limit``, ``marker``,
``truncated``); project tag filters; system scope. Each test runs ``[demo]`` and ``[real]``
and asserts the same statuses and keys on both."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from .conftest import Identity

TIMEOUT = 10
SYSTEM_TOKEN_KEYS = {"audit_ids", "catalog", "expires_at", "issued_at", "methods", "roles",
                     "system", "user"}


def _issue(identity: Identity, user: str, password: str, scope: Any) -> requests.Response:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"id": "default"}}}}}}
    if scope is not None:
        body["auth"]["scope"] = scope
    return requests.post(identity.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)


def _token(identity: Identity, user: str, password: str, scope: Any) -> str:
    r = _issue(identity, user, password, scope)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


class Api:
    """Plain JSON calls to one identity service with one token."""

    def __init__(self, identity: Identity, token: str) -> None:
        self.base, self.token = identity.auth_url, token

    def __call__(self, method: str, path: str, body: Any = None,
                 **headers: str) -> requests.Response:
        return requests.request(method, self.base + path, json=body, timeout=TIMEOUT,
                                headers={"X-Auth-Token": self.token, **headers})

    def url(self, url: str) -> requests.Response:
        return requests.get(url, headers={"X-Auth-Token": self.token}, timeout=TIMEOUT)


@dataclass
class World:
    """What a module made in one identity service: a project, a member of it, tags."""

    admin: Api
    admin_user_id: str
    member: Api
    member_name: str
    member_password: str
    tagged: dict[str, int]
    mark: str


@pytest.fixture(scope="module")
def world(identity_service: Identity) -> Iterator[World]:
    auth = identity_service.auth
    admin = Api(identity_service, _token(identity_service, auth["username"], auth["password"],
                                         {"project": {"name": auth["project_name"],
                                                      "domain": {"id": "default"}}}))
    mark = uuid.uuid4().hex[:8]
    made: list[tuple[str, str]] = []

    def create(kind: str, body: dict[str, Any]) -> dict[str, Any]:
        r = admin("POST", f"/{kind}s", {kind: body})
        assert r.status_code == 201, r.text
        record: dict[str, Any] = r.json()[kind]
        made.append((kind, record["id"]))
        return record

    tagged = {}
    for i, tags in enumerate((["a", "t0"], ["a", "t1"], ["a", "t2"])):
        project = create("project", {"name": f"osnb-tags-{mark}-{i}", "domain_id": "default",
                                     "tags": [f"{t}-{mark}" for t in tags]})
        tagged[project["id"]] = i
    password = uuid.uuid4().hex
    user = create("user", {"name": f"osnb-member-{mark}", "domain_id": "default",
                           "password": password})
    for i in range(2):
        create("user", {"name": f"osnb-extra-{mark}-{i}", "domain_id": "default"})
    home = next(p for p, i in tagged.items() if i == 0)
    member_role = admin("GET", "/roles?name=member").json()["roles"][0]["id"]
    assert admin("PUT", f"/projects/{home}/users/{user['id']}/roles/{member_role}"
                 ).status_code == 204
    member = Api(identity_service, _token(identity_service, user["name"], password,
                                          {"project": {"id": home}}))
    admin_user_id = admin("GET", "/auth/tokens", **{"X-Subject-Token": admin.token}
                          ).json()["token"]["user"]["id"]
    yield World(admin, admin_user_id, member, user["name"], password, tagged, mark)
    for kind, ident in reversed(made):
        admin("DELETE", f"/{kind}s/{ident}")


# --- whose token a caller may see --------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_member_may_not_touch_the_admins_token(identity: Identity, world: World,
                                                 method: str) -> None:
    r = world.member(method, "/auth/tokens", **{"X-Subject-Token": world.admin.token})
    assert r.status_code == 403, r.text
    if method != "HEAD":
        assert r.json()["error"]["code"] == 403
        assert world.admin.token not in r.text
    assert world.admin("HEAD", "/auth/tokens",
                       **{"X-Subject-Token": world.admin.token}).status_code == 200


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_member_may_touch_its_own_tokens_and_an_admin_anyones(
        identity: Identity, world: World, method: str) -> None:
    expected = 204 if method == "DELETE" else 200
    own = _token(identity, world.member_name, world.member_password, "unscoped")
    assert world.member(method, "/auth/tokens", **{"X-Subject-Token": own}
                        ).status_code == expected
    other = _token(identity, world.member_name, world.member_password, "unscoped")
    assert world.admin(method, "/auth/tokens", **{"X-Subject-Token": other}
                       ).status_code == expected


# --- paging -------------------------------------------------------------------------------

@pytest.mark.parametrize("collection", ["projects", "users"])
def test_limit_pages_by_id_with_truncated_and_next(identity: Identity, world: World,
                                                   collection: str) -> None:
    whole = world.admin("GET", f"/{collection}").json()
    ids = [r["id"] for r in whole[collection]]
    assert ids == sorted(ids) and len(ids) >= 4
    assert "truncated" not in whole and whole["links"]["next"] is None
    seen: list[str] = []
    url: str | None = f"{identity.auth_url}/{collection}?limit=2"
    pages: list[dict[str, Any]] = []
    while url:
        page = world.admin.url(url).json()
        pages.append(page)
        seen += [r["id"] for r in page[collection]]
        url = page["links"]["next"]
        assert len(pages) <= len(ids) + 1
    assert seen == ids
    got = 0
    for page in pages:
        got += len(page[collection])
        # Projects say "truncated" on every full page, users only when something is left.
        full = len(page[collection]) == 2 and (collection == "projects" or got < len(ids))
        assert page.get("truncated", False) is full
        assert (page["links"]["next"] is not None) is full
        if full:
            assert page["links"]["next"] == (f"{identity.auth_url}/{collection}?limit=2"
                                             f"&marker={page[collection][-1]['id']}")


def test_marker_and_limit_edges(identity: Identity, world: World) -> None:
    ids = [p["id"] for p in world.admin("GET", "/projects").json()["projects"]]
    after = world.admin("GET", f"/projects?marker={ids[0]}").json()
    assert [p["id"] for p in after["projects"]] == ids[1:]
    missing = world.admin("GET", "/projects?marker=nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Marker nope could not be found."
    zero = world.admin("GET", "/users?limit=0").json()
    assert (zero["users"], zero["truncated"], zero["links"]["next"]) == ([], True, None)


# --- tags ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("tags=a-{m}", {0, 1, 2}), ("tags=a-{m},t1-{m}", {1}), ("tags-any=t0-{m},t1-{m}", {0, 1}),
    ("not-tags=a-{m},t1-{m}", {0, 2}), ("not-tags-any=t0-{m},t2-{m}", {1}),
])
def test_project_tag_filters(identity: Identity, world: World, query: str,
                             expected: set[int]) -> None:
    r = world.admin("GET", "/projects?" + query.replace("{m}", world.mark))
    assert r.status_code == 200
    found = {world.tagged[p["id"]] for p in r.json()["projects"] if p["id"] in world.tagged}
    assert found == expected


def test_users_have_no_tags_to_filter_by(identity: Identity, world: World) -> None:
    every = {u["id"] for u in world.admin("GET", "/users").json()["users"]}
    r = world.admin("GET", f"/users?tags=a-{world.mark}")
    assert r.status_code == 200 and {u["id"] for u in r.json()["users"]} == every


# --- system scope -------------------------------------------------------------------------

def test_the_admin_has_a_system_scope(identity: Identity, world: World) -> None:
    auth = identity.auth
    r = _issue(identity, auth["username"], auth["password"], {"system": {"all": True}})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    # every enabled service provider rides on a token (render_token.py:105): the demo
    # world has one (edge-cloud), the real Keystone none
    assert ("service_providers" in token) == (identity.kind == "demo")
    token.pop("service_providers", None)
    assert set(token) == SYSTEM_TOKEN_KEYS
    assert token["system"] == {"all": True}
    assert {"admin", "member", "reader"} <= {role["name"] for role in token["roles"]}
    system = Api(identity, r.headers["X-Subject-Token"])
    valid = system("GET", "/auth/tokens", **{"X-Subject-Token": system.token})
    assert valid.status_code == 200
    assert set(valid.json()["token"]) - {"service_providers"} == SYSTEM_TOKEN_KEYS
    assert system("GET", "/projects").status_code == 200
    mine = system("GET", "/auth/system").json()
    assert mine["system"] == [{"all": True}] and mine["links"]["self"].endswith("/auth/system")
    grants = world.admin("GET", "/role_assignments?scope.system=all").json()["role_assignments"]
    ours = [g for g in grants if g["user"]["id"] == world.admin_user_id]
    assert ours and all(g["scope"] == {"system": {"all": True}} for g in grants)
    assert set(ours[0]) == {"links", "role", "scope", "user"}
    assert ours[0]["links"]["assignment"] == (
        f"{identity.auth_url}/system/users/{world.admin_user_id}/roles/{ours[0]['role']['id']}")


def test_a_member_has_none(identity: Identity, world: World) -> None:
    r = _issue(identity, world.member_name, world.member_password, {"system": {"all": True}})
    assert r.status_code == 401 and r.json()["error"]["code"] == 401
    assert world.member("GET", "/auth/system").json()["system"] == []


# --- what an unscoped token reaches in Keystone -------------------------------------------

def test_an_unscoped_token_reaches_only_its_own_user(identity: Identity, world: World) -> None:
    unscoped = Api(identity, _token(identity, world.member_name, world.member_password,
                                    "unscoped"))
    body = unscoped("GET", "/auth/tokens", **{"X-Subject-Token": unscoped.token}).json()
    assert {"project", "domain", "system", "roles", "catalog"}.isdisjoint(body["token"])
    user_id = body["token"]["user"]["id"]
    home = next(iter(world.tagged))
    for path in ("/projects", "/users", "/role_assignments", f"/projects/{home}"):
        r = unscoped("GET", path)
        assert r.status_code == 403, (path, r.status_code)
    assert unscoped("GET", "/auth/catalog").status_code == 403
    mine = unscoped("GET", "/auth/projects")
    assert mine.status_code == 200 and len(mine.json()["projects"]) == 1
    assert unscoped("GET", f"/users/{user_id}").status_code == 200
    assert unscoped("GET", f"/users/{user_id}/projects").status_code == 200


@pytest.mark.parametrize(("expires_at", "status"), [
    ("2099-01-01T00:00:00Z", 201),
    ("2099-01-01T00:00:00", 201),
    ("2099-01-01T00:00:00.000000", 201),
    ("2099-01-01T02:00:00+02:00", 400),
])
def test_application_credential_expiry_formats(world: World, expires_at: str,
                                               status: int) -> None:
    """Keystone takes a naive, ``Z`` or microsecond time and refuses a UTC offset (its
    schema's own format check); the SDK sends ``Z`` (tests/realcloud/test_keystone.py)."""
    body = {"application_credential": {"name": f"osnb-exp-{uuid.uuid4().hex[:6]}",
                                       "expires_at": expires_at}}
    r = world.admin("POST", f"/users/{world.admin_user_id}/application_credentials", body)
    assert r.status_code == status, r.text
    if status == 201:
        made = r.json()["application_credential"]
        assert made["expires_at"].startswith("2099-01-01T00:00:00")
        world.admin("DELETE", f"/users/{world.admin_user_id}/application_credentials/"
                              f"{made['id']}")
    else:
        assert r.json()["error"]["message"].startswith("Timestamp not in expected format.")
