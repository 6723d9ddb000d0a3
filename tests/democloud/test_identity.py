"""Keystone (Identity v3) in the demo cloud: tokens, policy, CRUD, and real clients."""

from __future__ import annotations

import datetime as _dt
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.world import project_ids

from .identity_api import TIMEOUT, Api

OPENSTACK = str(Path(sys.executable).with_name("openstack"))


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _password_body(user: str, password: str, project: str | None = None,
                   domain: str = "Default") -> dict[str, Any]:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"name": domain}}}}}}
    if project is not None:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"name": domain}}}
    return body


def _issue(cloud: democloud.DemoCloud, body: dict[str, Any],
           query: str = "") -> requests.Response:
    return requests.post(f"{cloud.auth_url}/auth/tokens{query}", json=body, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _assert_keystone_error(r: requests.Response, status: int) -> None:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == status and err["title"] and err["message"]


# --- discovery and tokens -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/identity", "/identity/"])
def test_versions_document(cloud: democloud.DemoCloud, path: str) -> None:
    r = requests.get(cloud.url + path, allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code == 300
    (v3,) = r.json()["versions"]["values"]
    assert v3["status"] == "stable" and v3["id"].startswith("v3.")
    assert v3["links"][0]["href"] == cloud.url + "/identity/v3/"


@pytest.mark.parametrize("path", ["/identity/v3", "/identity/v3/"])
def test_version_v3(cloud: democloud.DemoCloud, path: str) -> None:
    r = requests.get(cloud.url + path, allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json()["version"]["media-types"][0]["type"].endswith("identity-v3+json")


def test_issue_project_token_has_catalog_and_roles(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    r = _issue(cloud, _password_body(meta["member_user"], meta["member_password"],
                                     meta["member_project"]))
    assert r.status_code == 201
    token = r.json()["token"]
    assert r.headers["X-Subject-Token"]
    assert token["methods"] == ["password"]
    assert token["project"]["id"] == meta["member_project_id"]
    assert token["project"]["domain"] == {"id": "default", "name": "Default"}
    assert token["user"]["name"] == meta["member_user"]
    assert {"member", "reader"} <= {role["name"] for role in token["roles"]}
    assert "admin" not in {role["name"] for role in token["roles"]}
    assert token["audit_ids"] and token["expires_at"].endswith("Z")
    issued = _dt.datetime.fromisoformat(token["issued_at"].replace("Z", "+00:00"))
    expires = _dt.datetime.fromisoformat(token["expires_at"].replace("Z", "+00:00"))
    assert (expires - issued).total_seconds() == pytest.approx(cloud.config.token_ttl)
    types = {entry["type"] for entry in token["catalog"]}
    assert {"identity", "compute", "network", "image", "placement"} <= types
    for entry in token["catalog"]:
        assert {e["interface"] for e in entry["endpoints"]} == {"public", "internal", "admin"}
        for endpoint in entry["endpoints"]:
            assert endpoint["url"].startswith(cloud.url)
            assert "$(" not in endpoint["url"] and "{" not in endpoint["url"]


def test_catalog_ids_match_services_and_endpoints(cloud: democloud.DemoCloud, admin: Api,
                                                  admin_catalog: list[dict[str, Any]]) -> None:
    services = {s["id"]: s for s in admin("GET", "/services").json()["services"]}
    endpoints = {e["id"]: e for e in admin("GET", "/endpoints").json()["endpoints"]}
    project_id = cloud.store.meta["admin_project_id"]
    for entry in admin_catalog:
        assert services[entry["id"]]["type"] == entry["type"]
        for endpoint in entry["endpoints"]:
            stored = endpoints[endpoint["id"]]
            assert stored["service_id"] == entry["id"]
            assert stored["url"].replace("$(project_id)s", project_id) == endpoint["url"]
    templated = [e for e in endpoints.values() if "$(project_id)s" in e["url"]]
    assert templated, "block storage endpoints keep Keystone's url template"
    public = admin("GET", "/endpoints?interface=public").json()["endpoints"]
    assert public and all(e["interface"] == "public" for e in public)


def test_scope_by_ids_and_nocatalog(cloud: democloud.DemoCloud) -> None:
    store = cloud.store
    users = store.table("users")
    admin_user = next(u for u in users.values() if u["name"] == "admin")
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "id": admin_user["id"], "password": store.meta["admin_password"]}}},
        "scope": {"project": {"id": store.meta["admin_project_id"]}}}}
    r = _issue(cloud, body, "?nocatalog")
    assert r.status_code == 201
    assert "catalog" not in r.json()["token"]
    assert r.json()["token"]["project"]["name"] == "admin"


def test_unscoped_and_domain_scoped(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    body = _password_body(meta["admin_user"], meta["admin_password"])
    body["auth"]["scope"] = "unscoped"
    unscoped = _issue(cloud, body).json()["token"]
    assert "project" not in unscoped and "catalog" not in unscoped
    assert "roles" not in unscoped
    # Without any scope Keystone falls back to the user's default project; the bootstrap
    # admin has none (as after keystone-manage bootstrap), so its token stays unscoped.
    del body["auth"]["scope"]
    assert {"project", "domain", "roles"}.isdisjoint(_issue(cloud, body).json()["token"])
    member = _password_body(meta["member_user"], meta["member_password"])
    assert _issue(cloud, member).json()["token"]["project"]["id"] == \
        meta["member_project_id"]
    body["auth"]["scope"] = "unscoped"
    body["auth"]["scope"] = {"domain": {"name": "Default"}}
    r = _issue(cloud, body)
    assert r.status_code == 201
    token = r.json()["token"]
    assert token["domain"] == {"id": "default", "name": "Default"}
    assert "admin" in {role["name"] for role in token["roles"]}
    # Endpoints needing a project id are left out of a domain-scoped catalog.
    for entry in token["catalog"]:
        for endpoint in entry["endpoints"]:
            assert "$(" not in endpoint["url"]


def test_wrong_credentials_are_401_in_keystone_format(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    for body in (_password_body(meta["member_user"], "wrong", meta["member_project"]),
                 _password_body("nobody-here", "x", meta["member_project"]),
                 _password_body(meta["member_user"], meta["member_password"], "admin")):
        r = _issue(cloud, body)
        _assert_keystone_error(r, 401)
        assert r.json()["error"]["title"] == "Unauthorized"
        assert "X-Subject-Token" not in r.headers


@pytest.mark.parametrize("payload", [b"{not json", b"[]", b'{"auth": {}}',
                                     b'{"auth": {"identity": {"methods": ["password"]}}}'])
def test_malformed_auth_requests_are_400(cloud: democloud.DemoCloud, payload: bytes) -> None:
    r = requests.post(f"{cloud.auth_url}/auth/tokens", data=payload, timeout=TIMEOUT,
                      headers={"Content-Type": "application/json"})
    _assert_keystone_error(r, 400)


def test_validate_check_and_revoke(cloud: democloud.DemoCloud, admin: Api) -> None:
    meta = cloud.store.meta
    r = _issue(cloud, _password_body(meta["member_user"], meta["member_password"],
                                     meta["member_project"]))
    subject = r.headers["X-Subject-Token"]
    got = admin("GET", "/auth/tokens", **{"X-Subject-Token": subject})
    assert got.status_code == 200
    assert got.headers["X-Subject-Token"] == subject
    assert got.json()["token"]["user"]["name"] == meta["member_user"]
    assert admin("HEAD", "/auth/tokens", **{"X-Subject-Token": subject}).status_code == 200
    mine = Api(cloud, subject)
    assert mine("GET", f"/projects/{meta['member_project_id']}").status_code == 200
    assert admin("DELETE", "/auth/tokens", **{"X-Subject-Token": subject}).status_code == 204
    _assert_keystone_error(admin("GET", "/auth/tokens", **{"X-Subject-Token": subject}), 404)
    _assert_keystone_error(mine("GET", f"/projects/{meta['member_project_id']}"), 401)
    _assert_keystone_error(admin("GET", "/auth/tokens", **{"X-Subject-Token": "bogus"}), 404)


def test_no_token_and_bad_token_are_401(cloud: democloud.DemoCloud) -> None:
    challenge = f'Keystone uri="{cloud.auth_url}"'
    r = requests.get(cloud.auth_url + "/projects", timeout=TIMEOUT)
    _assert_keystone_error(r, 401)
    assert r.headers["WWW-Authenticate"] == challenge
    r = Api(cloud, "gAAAAABnope")("GET", "/projects")
    _assert_keystone_error(r, 401)
    assert r.headers["WWW-Authenticate"] == challenge
    r = _issue(cloud, _password_body("nobody-here", "x"))
    _assert_keystone_error(r, 401)
    assert r.headers["WWW-Authenticate"] == challenge


def test_token_errors_never_echo_the_token(cloud: democloud.DemoCloud, admin: Api) -> None:
    meta = cloud.store.meta
    r = _issue(cloud, _password_body(meta["member_user"], meta["member_password"],
                                     meta["member_project"]))
    subject = r.headers["X-Subject-Token"]
    assert admin("DELETE", "/auth/tokens", **{"X-Subject-Token": subject}).status_code == 204
    for token, message in ((subject, "Failed to validate token"),
                           ("gAAAAAB-unknown-" + uuid.uuid4().hex,
                            "Could not recognize Fernet token")):
        for method in ("GET", "DELETE"):
            r = admin(method, "/auth/tokens", **{"X-Subject-Token": token})
            _assert_keystone_error(r, 404)
            assert r.json()["error"]["message"] == message and token not in r.text
    r = admin("GET", "/auth/tokens")
    _assert_keystone_error(r, 404)
    assert r.json()["error"]["message"] == "No token in the request"


def test_errors_never_echo_passwords_or_secrets(cloud: democloud.DemoCloud,
                                                admin: Api) -> None:
    secret = "s3cret-" + uuid.uuid4().hex
    me = next(u for u in cloud.store.table("users").values() if u["name"] == "admin")
    for method, path, body in (
            ("POST", "/users", {"user": {"name": _unique("u"), "password": [secret]}}),
            ("PATCH", f"/users/{me['id']}", {"user": {"password": {"x": secret}}}),
            ("POST", f"/users/{me['id']}/password",
             {"user": {"password": [secret], "original_password": [secret]}}),
            ("POST", f"/users/{me['id']}/application_credentials",
             {"application_credential": {"name": _unique("c"), "secret": [secret]}})):
        r = admin(method, path, body)
        _assert_keystone_error(r, 400)
        assert secret not in r.text, (path, r.text)


def test_expired_token_is_rejected(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    r = _issue(cloud, _password_body(meta["member_user"], meta["member_password"],
                                     meta["member_project"]))
    token_id = r.headers["X-Subject-Token"]

    def expire() -> None:
        token = cloud.store.tokens[token_id]
        token.expires_at = token.issued_at

    cloud.call(expire)
    _assert_keystone_error(Api(cloud, token_id)("GET", "/auth/projects"), 401)
    # Rescoping an expired token fails too.
    rescope = {"auth": {"identity": {"methods": ["token"], "token": {"id": token_id}}}}
    _assert_keystone_error(_issue(cloud, rescope), 401)


def test_token_method_rescopes_and_keeps_expiry(cloud: democloud.DemoCloud) -> None:
    meta = cloud.store.meta
    body = _password_body(meta["admin_user"], meta["admin_password"])
    body["auth"]["scope"] = "unscoped"
    r = _issue(cloud, body)
    first = r.json()["token"]
    rescope = {"auth": {"identity": {"methods": ["token"], "token": {
        "id": r.headers["X-Subject-Token"]}}, "scope": {"project": {
            "id": meta["member_project_id"]}}}}
    # The admin holds no role on the member's project: 401.
    _assert_keystone_error(_issue(cloud, rescope), 401)
    rescope["auth"]["scope"] = {"project": {"name": "service", "domain": {"id": "default"}}}
    # ... nor on the service project.
    _assert_keystone_error(_issue(cloud, rescope), 401)
    rescope["auth"]["scope"] = {"project": {"name": "admin", "domain": {"id": "default"}}}
    r2 = _issue(cloud, rescope)
    assert r2.status_code == 201
    second = r2.json()["token"]
    assert "token" in second["methods"]
    assert second["expires_at"] == first["expires_at"]
    assert second["audit_ids"][1] == first["audit_ids"][0]


def test_auth_catalog_projects_domains(cloud: democloud.DemoCloud, member: Api) -> None:
    meta = cloud.store.meta
    catalog = member("GET", "/auth/catalog").json()["catalog"]
    compute = next(e for e in catalog if e["type"] == "compute")
    assert compute["endpoints"][0]["url"].startswith(cloud.url)
    projects = member("GET", "/auth/projects").json()["projects"]
    assert meta["member_project_id"] in {p["id"] for p in projects}
    assert "admin" not in {p["name"] for p in projects}
    assert member("GET", "/auth/domains").json()["domains"] == []


# --- policy -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/projects", "/users", "/groups", "/roles", "/domains",
                                  "/services", "/endpoints", "/role_assignments"])
def test_member_gets_403_on_admin_lists(member: Api, path: str) -> None:
    r = member("GET", path)
    _assert_keystone_error(r, 403)
    assert "identity:" in r.json()["error"]["message"]


def test_member_reads_itself_and_its_project(cloud: democloud.DemoCloud, member: Api,
                                             admin: Api) -> None:
    meta = cloud.store.meta
    me = next(u for u in cloud.store.table("users").values()
              if u["name"] == meta["member_user"])
    assert member("GET", f"/users/{me['id']}").json()["user"]["name"] == meta["member_user"]
    assert member("GET", f"/projects/{meta['member_project_id']}").status_code == 200
    assert member("GET", f"/projects/{meta['admin_project_id']}").status_code == 403
    projects = member("GET", f"/users/{me['id']}/projects").json()["projects"]
    assert meta["member_project_id"] in {p["id"] for p in projects}
    assert member("GET", f"/role_assignments?user.id={me['id']}").status_code == 200
    admin_user = next(u for u in cloud.store.table("users").values() if u["name"] == "admin")
    assert member("GET", f"/users/{admin_user['id']}").status_code == 403
    assert member("POST", "/projects", {"project": {"name": "nope"}}).status_code == 403
    assert "_password_hash" not in admin("GET", f"/users/{me['id']}").text


# --- CRUD ---------------------------------------------------------------------------------

def test_project_crud_filters_and_conflicts(admin: Api) -> None:
    name = _unique("crud-project")
    r = admin("POST", "/projects", {"project": {"name": name, "description": "test"}})
    assert r.status_code == 201, r.text
    project = r.json()["project"]
    assert project["domain_id"] == "default" and project["parent_id"] == "default"
    assert project["links"]["self"].endswith(f"/v3/projects/{project['id']}")
    _assert_keystone_error(admin("POST", "/projects", {"project": {"name": name}}), 409)
    child = admin("POST", "/projects", {"project": {"name": name + "-child",
                                                    "parent_id": project["id"]}})
    assert child.status_code == 201
    found = admin("GET", f"/projects?name={name}").json()
    assert [p["id"] for p in found["projects"]] == [project["id"]]
    assert found["links"]["next"] is None and found["links"]["previous"] is None
    children = admin("GET", f"/projects?parent_id={project['id']}").json()["projects"]
    assert [p["name"] for p in children] == [name + "-child"]
    domains = admin("GET", "/projects?is_domain=true").json()["projects"]
    assert {"Default", "Partners"} <= {d["name"] for d in domains}
    _assert_keystone_error(admin("DELETE", f"/projects/{project['id']}"), 403)
    patched = admin("PATCH", f"/projects/{project['id']}", {"project": {"enabled": False}})
    assert patched.json()["project"]["enabled"] is False
    assert project["id"] in {p["id"] for p in
                             admin("GET", "/projects?enabled=false").json()["projects"]}
    _assert_keystone_error(admin("PATCH", f"/projects/{project['id']}",
                                 {"project": {"name": 5}}), 400)
    assert admin("DELETE", f"/projects/{child.json()['project']['id']}").status_code == 204
    assert admin("DELETE", f"/projects/{project['id']}").status_code == 204
    _assert_keystone_error(admin("GET", f"/projects/{project['id']}"), 404)
    assert admin("GET", f"/projects/{project['id']}").json()["error"]["message"] == \
        f"Could not find project: {project['id']}."


def test_user_group_role_grant_round_trip(cloud: democloud.DemoCloud, admin: Api) -> None:
    meta = cloud.store.meta
    project_id = meta["member_project_id"]
    uname, gname, rname = _unique("user"), _unique("group"), _unique("role")
    user = admin("POST", "/users", {"user": {"name": uname, "password": "s3cret!",
                                             "email": f"{uname}@example.org"}})
    assert user.status_code == 201 and "password" not in user.json()["user"]
    uid = user.json()["user"]["id"]
    _assert_keystone_error(admin("POST", "/users", {"user": {"name": uname}}), 409)
    gid = admin("POST", "/groups", {"group": {"name": gname}}).json()["group"]["id"]
    rid = admin("POST", "/roles", {"role": {"name": rname}}).json()["role"]["id"]
    _assert_keystone_error(admin("POST", "/roles", {"role": {"name": rname}}), 409)

    assert admin("PUT", f"/groups/{gid}/users/{uid}").status_code == 204
    assert admin("HEAD", f"/groups/{gid}/users/{uid}").status_code == 204
    assert [u["id"] for u in admin("GET", f"/groups/{gid}/users").json()["users"]] == [uid]
    mine = admin("GET", f"/users/{uid}/groups").json()["groups"]
    assert gid in {g["id"] for g in mine}
    # Keystone's list_groups_for_user adds it (null but for a federated membership)
    assert all(g["membership_expires_at"] is None for g in mine)

    grant = f"/projects/{project_id}/groups/{gid}/roles/{rid}"
    assert admin("HEAD", grant).status_code == 404
    assert admin("PUT", grant).status_code == 204
    assert admin("HEAD", grant).status_code == 204
    assert admin("GET", grant).status_code == 204
    listed = admin("GET", f"/projects/{project_id}/groups/{gid}/roles").json()["roles"]
    assert [r["id"] for r in listed] == [rid]
    member_role = meta["role_ids"]["member"]
    assert admin("PUT", f"/projects/{project_id}/users/{uid}/roles/{member_role}"
                 ).status_code == 204

    # The new user can log in, gets both roles (one through the group).
    r = _issue(cloud, _password_body(uname, "s3cret!", meta["member_project"]))
    assert r.status_code == 201
    assert {rname, "member", "reader"} <= {x["name"] for x in r.json()["token"]["roles"]}

    ra = admin("GET", f"/role_assignments?group.id={gid}").json()["role_assignments"]
    assert len(ra) == 1 and ra[0]["group"]["id"] == gid
    assert ra[0]["links"]["assignment"].endswith(grant)
    eff = admin("GET", f"/role_assignments?user.id={uid}&effective&include_names"
                ).json()["role_assignments"]
    via_group = [a for a in eff if "membership" in a["links"]]
    assert via_group and via_group[0]["role"]["name"] == rname
    assert via_group[0]["user"]["name"] == uname
    assert via_group[0]["scope"]["project"]["domain"]["name"] == "Default"
    implied = [a for a in eff if "prior_role" in a["links"]]
    assert {a["role"]["name"] for a in implied} == {"reader"}
    _assert_keystone_error(admin("GET", f"/role_assignments?group.id={gid}&effective"), 400)

    assert admin("DELETE", grant).status_code == 204
    _assert_keystone_error(admin("DELETE", grant), 404)
    assert admin("DELETE", f"/groups/{gid}/users/{uid}").status_code == 204
    assert admin("HEAD", f"/groups/{gid}/users/{uid}").status_code == 404
    _assert_keystone_error(admin("GET", f"/groups/{gid}/users/{uid}"), 404)
    for path in (f"/users/{uid}", f"/groups/{gid}", f"/roles/{rid}"):
        assert admin("DELETE", path).status_code == 204
        _assert_keystone_error(admin("GET", path), 404)
    _assert_keystone_error(_issue(cloud, _password_body(uname, "s3cret!")), 401)


def test_role_assignments_refuse_two_targets_or_two_actors(admin: Api) -> None:
    for query, message in (
            ("scope.project.id=p&scope.domain.id=default",
             "Specify a domain or project, not both"),
            ("user.id=u&group.id=g", "Specify a user or group, not both"),
            ("scope.system=all&scope.domain.id=default", "Specify system or domain, not both")):
        r = admin("GET", f"/role_assignments?{query}")
        _assert_keystone_error(r, 400)
        assert r.json()["error"]["message"] == message


def test_bootstrap_roles_chain_admin_manager_member_reader(cloud: democloud.DemoCloud,
                                                           admin: Api) -> None:
    answer = admin("GET", "/role_inferences").json()
    assert set(answer) == {"role_inferences"}  # Keystone 30 sends no ``links`` here
    rules = answer["role_inferences"]
    implies = {r["prior_role"]["name"]: {i["name"] for i in r["implies"]} for r in rules}
    assert implies == {"admin": {"manager"}, "manager": {"member"}, "member": {"reader"}}
    meta = cloud.store.meta
    body = _password_body(meta["admin_user"], meta["admin_password"], meta["admin_project"])
    roles = {r["name"] for r in _issue(cloud, body).json()["token"]["roles"]}
    assert roles == {"admin", "manager", "member", "reader"}


def test_patch_responses_carry_extra(cloud: democloud.DemoCloud, admin: Api) -> None:
    p = admin("POST", "/projects", {"project": {"name": _unique("p"),
                                                "flavour": "vanilla"}}).json()["project"]
    u = admin("POST", "/users", {"user": {"name": _unique("u"), "description": "d"}}).json()
    try:
        r = admin("PATCH", f"/projects/{p['id']}", {"project": {"description": "x"}})
        assert r.json()["project"]["extra"] == {"flavour": "vanilla"}
        assert "extra" not in admin("GET", f"/projects/{p['id']}").json()["project"]
        r = admin("PATCH", f"/users/{u['user']['id']}", {"user": {"email": "e@example.org"}})
        assert r.json()["user"]["extra"] == {"description": "d", "email": "e@example.org"}
    finally:
        admin("DELETE", f"/projects/{p['id']}")
        admin("DELETE", f"/users/{u['user']['id']}")


def test_role_assignment_filters(cloud: democloud.DemoCloud, admin: Api) -> None:
    meta = cloud.store.meta
    role_ids = meta["role_ids"]
    by_role = admin("GET", f"/role_assignments?role.id={role_ids['reader']}"
                    ).json()["role_assignments"]
    assert by_role and all(a["role"]["id"] == role_ids["reader"] for a in by_role)
    pid = meta["member_project_id"]
    scoped = admin("GET", f"/role_assignments?scope.project.id={pid}"
                   ).json()["role_assignments"]
    assert scoped and all(a["scope"]["project"]["id"] == pid for a in scoped)
    on_domain = admin("GET", "/role_assignments?scope.domain.id=default"
                      ).json()["role_assignments"]
    assert on_domain and all(a["scope"]["domain"]["id"] == "default" for a in on_domain)
    # include_subtree takes in a child project's assignments.
    child = admin("POST", "/projects", {"project": {"name": _unique("sub"),
                                                    "parent_id": pid}}).json()["project"]
    me = next(u for u in cloud.store.table("users").values()
              if u["name"] == meta["member_user"])
    admin("PUT", f"/projects/{child['id']}/users/{me['id']}/roles/{role_ids['reader']}")
    tree = admin("GET", f"/role_assignments?scope.project.id={pid}&include_subtree=true"
                 ).json()["role_assignments"]
    ids = {a["scope"]["project"]["id"] for a in tree}
    assert {pid, child["id"]} <= ids
    projects = cloud.store.table("projects")

    def under(project_id: str) -> bool:
        while project_id in projects:
            if project_id == pid:
                return True
            project_id = projects[project_id]["parent_id"]
        return False

    assert all(under(i) for i in ids)
    _assert_keystone_error(admin("GET", "/role_assignments?include_subtree=true"), 400)
    assert admin("DELETE", f"/projects/{child['id']}").status_code == 204


def test_domain_lifecycle(admin: Api) -> None:
    name = _unique("domain")
    domain = admin("POST", "/domains", {"domain": {"name": name}}).json()["domain"]
    _assert_keystone_error(admin("POST", "/domains", {"domain": {"name": name}}), 409)
    admin("POST", "/projects", {"project": {"name": "inside", "domain_id": domain["id"]}})
    _assert_keystone_error(admin("DELETE", f"/domains/{domain['id']}"), 403)
    admin("PATCH", f"/domains/{domain['id']}", {"domain": {"enabled": False}})
    assert admin("DELETE", f"/domains/{domain['id']}").status_code == 204
    assert admin("GET", f"/projects?domain_id={domain['id']}").json()["projects"] == []


def test_services_endpoints_regions(admin: Api) -> None:
    region = admin("POST", "/regions", {"region": {"id": _unique("Region"),
                                                   "description": "test"}})
    assert region.status_code == 201
    rid = region.json()["region"]["id"]
    svc = admin("POST", "/services", {"service": {"type": "dns", "name": "designate"}})
    sid = svc.json()["service"]["id"]
    bad = admin("POST", "/endpoints", {"endpoint": {"interface": "sideways",
                                                    "url": "http://x", "service_id": sid}})
    _assert_keystone_error(bad, 400)
    ep = admin("POST", "/endpoints", {"endpoint": {"interface": "public", "region_id": rid,
                                                   "url": "http://dns.example:9001",
                                                   "service_id": sid}})
    assert ep.status_code == 201, ep.text
    listed = admin("GET", f"/endpoints?service_id={sid}&region_id={rid}").json()["endpoints"]
    assert [e["url"] for e in listed] == ["http://dns.example:9001"]
    assert admin("DELETE", f"/services/{sid}").status_code == 204
    assert admin("GET", f"/endpoints?service_id={sid}").json()["endpoints"] == []
    assert admin("DELETE", f"/regions/{rid}").status_code == 204


def test_bad_bodies_are_400_not_500(admin: Api) -> None:
    for path, body in (("/projects", {"project": "x"}), ("/projects", {"nope": {}}),
                       ("/users", {"user": {"name": ""}}), ("/users", {"user": {"name": 3}}),
                       ("/roles", {"role": {}}), ("/groups", []),
                       ("/users", {"user": {"name": "x", "enabled": "yes"}})):
        _assert_keystone_error(admin("POST", path, body), 400)


# --- application credentials ------------------------------------------------------------

def test_application_credential_lifecycle(cloud: democloud.DemoCloud, member: Api,
                                          admin: Api) -> None:
    meta = cloud.store.meta
    me = next(u for u in cloud.store.table("users").values()
              if u["name"] == meta["member_user"])
    base = f"/users/{me['id']}/application_credentials"
    name = _unique("ci-deploy")
    r = member("POST", base, {"application_credential": {"name": name,
                                                          "roles": [{"name": "reader"}]}})
    assert r.status_code == 201, r.text
    cred = r.json()["application_credential"]
    secret = cred["secret"]
    assert cred["project_id"] == meta["member_project_id"]
    assert [x["name"] for x in cred["roles"]] == ["reader"]
    assert cred["unrestricted"] is None  # Keystone: null unless asked for
    assert "access_rules" not in cred
    assert cred["links"]["self"] == f"{cloud.auth_url}/application_credentials/{cred['id']}"
    assert [set(x) for x in cred["roles"]] == [{"id", "name", "domain_id", "description",
                                                "options"}]
    _assert_keystone_error(member("POST", base, {"application_credential": {"name": name}}),
                           409)
    shown = member("GET", f"{base}/{cred['id']}").json()["application_credential"]
    assert "secret" not in shown
    assert "secret" not in json.dumps(member("GET", base).json())
    admin_user = next(u for u in cloud.store.table("users").values() if u["name"] == "admin")
    forbidden = admin("POST", f"/users/{me['id']}/application_credentials",
                      {"application_credential": {"name": "x"}})
    _assert_keystone_error(forbidden, 403)
    _assert_keystone_error(member("GET", f"/users/{admin_user['id']}/application_credentials"),
                           403)

    by_id = {"auth": {"identity": {"methods": ["application_credential"],
                                   "application_credential": {"id": cred["id"],
                                                              "secret": secret}}}}
    r = _issue(cloud, by_id)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token["methods"] == ["application_credential"]
    assert token["project"]["id"] == meta["member_project_id"]
    assert [x["name"] for x in token["roles"]] == ["reader"]
    assert token["application_credential"] == {"id": cred["id"], "name": name,
                                               "restricted": True}
    by_name = {"auth": {"identity": {"methods": ["application_credential"],
                                     "application_credential": {
                                         "name": name, "secret": secret, "user": {
                                             "name": meta["member_user"],
                                             "domain": {"id": "default"}}}}}}
    assert _issue(cloud, by_name).status_code == 201
    by_id["auth"]["identity"]["application_credential"]["secret"] = "wrong"
    _assert_keystone_error(_issue(cloud, by_id), 401)

    cred_token = r.headers["X-Subject-Token"]
    assert member("DELETE", f"{base}/{cred['id']}").status_code == 204
    _assert_keystone_error(Api(cloud, cred_token)("GET", "/auth/projects"), 401)
    by_id["auth"]["identity"]["application_credential"]["secret"] = secret
    gone = _issue(cloud, by_id)
    _assert_keystone_error(gone, 404)
    assert gone.json()["error"]["message"] == (f"Could not find Application Credential: "
                                               f"{cred['id']}.")


# --- seed -------------------------------------------------------------------------------

def test_seed_is_deterministic_and_sized() -> None:
    one = democloud.build_store(seed=7, projects=12, servers=0)
    two = democloud.build_store(seed=7, projects=12, servers=0)
    assert project_ids(one) == project_ids(two)
    assert len(project_ids(one)) == 12
    assert one.meta["admin_password"] == two.meta["admin_password"]
    names = [p["name"] for p in one.table("projects").values()]
    assert "admin" in names and "service" in names and len(set(names)) == len(names)
    assert one.table("endpoints").keys() == two.table("endpoints").keys()


def test_two_regions() -> None:
    store = democloud.build_store(seed=3, projects=2, servers=0, regions=2)
    regions = {e["region_id"] for e in store.table("endpoints").values()}
    assert regions == {"RegionOne", "RegionTwo"}


# --- real clients -------------------------------------------------------------------------

def test_keystoneauth_discovers_from_both_auth_urls(cloud: democloud.DemoCloud) -> None:
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    meta = cloud.store.meta
    for url in (cloud.url + "/identity", cloud.auth_url):
        plugin = v3.Password(auth_url=url, username=meta["admin_user"],
                             password=meta["admin_password"], project_name="admin",
                             user_domain_name="Default", project_domain_name="Default")
        sess = session.Session(auth=plugin)
        assert sess.get_token()
        assert sess.get_endpoint(service_type="compute", interface="public") == \
            cloud.url + "/compute/v2.1"
        assert sess.get_project_id() == meta["admin_project_id"]


def test_openstacksdk_identity(cloud: democloud.DemoCloud, os_config: Path) -> None:
    import openstack

    conn = openstack.connect(cloud="demo")
    try:
        names = {p.name for p in conn.identity.projects()}
        assert {"admin", "service", cloud.store.meta["member_project"]} <= names
        assert "admin" in {u.name for u in conn.identity.users()}
        mine = list(conn.identity.role_assignments(user_id=conn.current_user_id))
        assert mine and all(a.user["id"] == conn.current_user_id for a in mine)
        name = _unique("sdk-project")
        project = conn.identity.create_project(name=name, domain_id="default")
        assert conn.identity.find_project(name).id == project.id
        conn.identity.delete_project(project)
        assert conn.identity.find_project(name) is None
    finally:
        conn.close()


def test_openstack_cli(cloud: democloud.DemoCloud, os_config: Path) -> None:
    def cli(*args: str) -> Any:
        done = subprocess.run([OPENSTACK, "--os-cloud", "demo", *args, "-f", "json"],
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    token = cli("token", "issue")
    assert token["project_id"] == cloud.store.meta["admin_project_id"] and token["id"]
    names = {p["Name"] for p in cli("project", "list")}
    assert {"admin", cloud.store.meta["member_project"]} <= names


def test_a_users_federated_identities_show_on_the_user_not_in_lists(admin: Api) -> None:
    """Keystone keeps them as the user's shadow objects: ``get_user`` adds them, a list
    does not (``identity/core.py:1189``)."""
    mark = _unique("fed")
    idp, mapping = f"idp-{mark}", f"mapping-{mark}"
    assert admin("PUT", f"/OS-FEDERATION/identity_providers/{idp}",
                 {"identity_provider": {"enabled": True}}).status_code == 201
    assert admin("PUT", f"/OS-FEDERATION/mappings/{mapping}", {"mapping": {"rules": [{
        "local": [{"user": {"name": "{0}"}}], "remote": [{"type": "REMOTE_USER"}]}]}}
    ).status_code == 201
    assert admin("PUT", f"/OS-FEDERATION/identity_providers/{idp}/protocols/mapped",
                 {"protocol": {"mapping_id": mapping}}).status_code == 201
    federated = [{"idp_id": idp, "protocols": [{"protocol_id": "mapped",
                                                 "unique_id": f"{mark}@example.org"}]}]
    made = admin("POST", "/users", {"user": {"name": mark, "federated": federated}})
    assert made.status_code == 201 and made.json()["user"]["federated"] == federated
    uid = made.json()["user"]["id"]
    try:
        assert admin("GET", f"/users/{uid}").json()["user"]["federated"] == federated
        listed = admin("GET", f"/users?name={mark}").json()["users"]
        assert [u["id"] for u in listed] == [uid] and "federated" not in listed[0]
        plain = admin("POST", "/users", {"user": {"name": f"{mark}-plain"}}).json()["user"]
        assert "federated" not in plain
        assert "federated" not in admin("GET", f"/users/{plain['id']}").json()["user"]
        assert admin("DELETE", f"/users/{plain['id']}").status_code == 204
    finally:
        admin("DELETE", f"/users/{uid}")
        admin("DELETE", f"/OS-FEDERATION/identity_providers/{idp}")
        admin("DELETE", f"/OS-FEDERATION/mappings/{mapping}")
