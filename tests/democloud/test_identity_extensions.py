"""Keystone's OS-EP-FILTER, OS-ENDPOINT-POLICY, OS-INHERIT, OS-REVOKE, domain
configuration and access rules in the demo cloud, over HTTP: what each changes elsewhere
(a project's token catalog, effective role assignments and tokens, revocation events),
with the 400/403/404 paths, member against admin."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud

from .identity_api import TIMEOUT, Api, message


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _login(cloud: democloud.DemoCloud, user: str, password: str,
           project_id: str) -> requests.Response:
    return requests.post(cloud.auth_url + "/auth/tokens", timeout=TIMEOUT, json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password, "domain": {"id": "default"}}}},
        "scope": {"project": {"id": project_id}}}})


@pytest.fixture
def person(admin: Api) -> Iterator[dict[str, str]]:
    """A new user and a new project in the default domain, removed after."""
    mark = uuid.uuid4().hex[:8]
    password = uuid.uuid4().hex
    user = admin("POST", "/users", {"user": {"name": f"u-{mark}", "password": password,
                                             "domain_id": "default"}}).json()["user"]
    project = admin("POST", "/projects", {"project": {"name": f"p-{mark}",
                                                      "domain_id": "default"}}).json()["project"]
    child = admin("POST", "/projects", {"project": {
        "name": f"c-{mark}", "parent_id": project["id"]}}).json()["project"]
    yield {"user": user["name"], "user_id": user["id"], "password": password,
           "project_id": project["id"], "child_id": child["id"]}
    for path in (f"/projects/{child['id']}", f"/projects/{project['id']}",
                 f"/users/{user['id']}"):
        admin("DELETE", path)


def _role(admin: Api, name: str) -> str:
    return str(admin("GET", f"/roles?name={name}").json()["roles"][0]["id"])


# --- OS-EP-FILTER -------------------------------------------------------------------------

def test_endpoint_group_narrows_the_projects_catalog(admin: Api, cloud: democloud.DemoCloud,
                                                     person: dict[str, str]) -> None:
    pid, member_role = person["project_id"], _role(admin, "member")
    assert admin("PUT", f"/projects/{pid}/users/{person['user_id']}/roles/{member_role}"
                 ).status_code == 204
    before = _login(cloud, person["user"], person["password"], pid).json()["token"]
    interfaces = {e["interface"] for s in before["catalog"] for e in s["endpoints"]}
    assert interfaces == {"public", "internal", "admin"}

    bad = admin("POST", "/OS-EP-FILTER/endpoint_groups", {"endpoint_group": {
        "name": "x", "filters": {"colour": "blue"}}})
    assert bad.status_code == 400 and message(bad).startswith(
        "Expecting to find service_id or region_id or interface in endpoint_group.")
    r = admin("POST", "/OS-EP-FILTER/endpoint_groups", {"endpoint_group": {
        "name": "public only", "filters": {"interface": "public"}}})
    assert r.status_code == 201
    group = r.json()["endpoint_group"]
    gid = group["id"]
    try:
        assert set(group) == {"id", "name", "description", "filters", "links"}
        matched = admin("GET", f"/OS-EP-FILTER/endpoint_groups/{gid}/endpoints").json()
        assert matched["endpoints"] and {e["interface"] for e in matched["endpoints"]} == \
            {"public"}
        assert admin("GET", f"/OS-EP-FILTER/endpoint_groups/{gid}/projects/{pid}"
                     ).status_code == 404
        assert admin("PUT", f"/OS-EP-FILTER/endpoint_groups/{gid}/projects/{pid}"
                     ).status_code == 204
        link = admin("GET", f"/OS-EP-FILTER/endpoint_groups/{gid}/projects/{pid}").json()
        assert link["project_endpoint_group"]["endpoint_group_id"] == gid
        assert [p["id"] for p in admin(
            "GET", f"/OS-EP-FILTER/endpoint_groups/{gid}/projects").json()["projects"]] == [pid]
        assert [g["id"] for g in admin(
            "GET", f"/OS-EP-FILTER/projects/{pid}/endpoint_groups").json()[
            "endpoint_groups"]] == [gid]
        after = _login(cloud, person["user"], person["password"], pid).json()["token"]
        assert {e["interface"] for s in after["catalog"] for e in s["endpoints"]} == \
            {"public"}
        # One admin endpoint associated directly joins the group's.
        admin_ep = next(e for e in admin("GET", "/endpoints?interface=admin").json()[
            "endpoints"])
        assert admin("PUT", f"/OS-EP-FILTER/projects/{pid}/endpoints/{admin_ep['id']}"
                     ).status_code == 204
        listed = admin("GET", f"/OS-EP-FILTER/projects/{pid}/endpoints").json()["endpoints"]
        assert admin_ep["id"] in {e["id"] for e in listed}
        assert [p["id"] for p in admin(
            "GET", f"/OS-EP-FILTER/endpoints/{admin_ep['id']}/projects").json()[
            "projects"]] == [pid]
        assert admin("DELETE", f"/OS-EP-FILTER/projects/{pid}/endpoints/{admin_ep['id']}"
                     ).status_code == 204
        assert admin("GET", f"/OS-EP-FILTER/projects/{pid}/endpoints/{admin_ep['id']}"
                     ).status_code == 404
    finally:
        assert admin("DELETE", f"/OS-EP-FILTER/endpoint_groups/{gid}").status_code == 204
    again = _login(cloud, person["user"], person["password"], pid).json()["token"]
    assert {e["interface"] for s in again["catalog"] for e in s["endpoints"]} == interfaces


def test_endpoint_filter_is_admin_only(member: Api, admin: Api) -> None:
    r = member("GET", "/OS-EP-FILTER/endpoint_groups")
    assert r.status_code == 403 and "identity:list_endpoint_groups" in message(r)
    pid = admin("GET", "/projects").json()["projects"][0]["id"]
    assert member("GET", f"/OS-EP-FILTER/projects/{pid}/endpoints").status_code == 403


# --- OS-ENDPOINT-POLICY -------------------------------------------------------------------

def test_endpoint_policy_follows_service_then_endpoint(admin: Api, member: Api) -> None:
    seeded = admin("GET", "/policies").json()["policies"][0]
    compute = next(s["id"] for s in admin("GET", "/services").json()["services"]
                   if s["type"] == "compute")
    nova = admin("GET", f"/endpoints?service_id={compute}").json()["endpoints"][0]
    glance = next(e for e in admin("GET", "/endpoints").json()["endpoints"]
                  if e["service_id"] != compute)
    got = admin("GET", f"/endpoints/{nova['id']}/OS-ENDPOINT-POLICY/policy").json()
    assert got["policy"]["id"] == seeded["id"]  # through its service
    base = f"/policies/{seeded['id']}/OS-ENDPOINT-POLICY"
    covered = {e["id"] for e in admin("GET", base + "/endpoints").json()["endpoints"]}
    assert nova["id"] in covered and glance["id"] not in covered
    r = admin("GET", f"/endpoints/{glance['id']}/OS-ENDPOINT-POLICY/policy")
    assert r.status_code == 404
    assert admin("GET", f"{base}/endpoints/{glance['id']}").status_code == 404
    assert admin("PUT", f"{base}/endpoints/{glance['id']}").status_code == 204
    try:
        assert admin("GET", f"{base}/endpoints/{glance['id']}").status_code == 204
        assert admin("GET", f"/endpoints/{glance['id']}/OS-ENDPOINT-POLICY/policy"
                     ).json()["policy"]["id"] == seeded["id"]
        assert member("PUT", f"{base}/endpoints/{glance['id']}").status_code == 403
    finally:
        assert admin("DELETE", f"{base}/endpoints/{glance['id']}").status_code == 204
    assert admin("GET", f"{base}/services/{compute}").status_code == 204
    assert admin("PUT", f"{base}/services/nope").status_code == 404


# --- domain configuration -----------------------------------------------------------------

def test_domain_config_lifecycle(admin: Api, member: Api) -> None:
    did = admin("POST", "/domains", {"domain": {"name": f"d-{uuid.uuid4().hex[:8]}"}}
                ).json()["domain"]["id"]
    base = f"/domains/{did}/config"
    try:
        r = admin("GET", base)
        assert r.status_code == 404 and message(r) == (
            f"Could not find any options in domain configuration for domain {did}.")
        body = {"config": {"identity": {"driver": "ldap"},
                           "ldap": {"url": "ldap://a", "user_tree_dn": "ou=Users"}}}
        assert admin("PUT", base, body).status_code == 201
        assert admin("PUT", base, body).status_code == 200  # a replace
        assert admin("GET", base + "/ldap/url").json() == {"config": {"url": "ldap://a"}}
        r = admin("PATCH", base + "/ldap", {"config": {"ldap": {"url": "ldap://b"}}})
        assert r.json()["config"]["ldap"] == {"url": "ldap://b", "user_tree_dn": "ou=Users"}
        r = admin("PATCH", base + "/ldap/url", {"config": {"url": "ldap://c"}})
        assert r.json() == {"config": {"identity": {"driver": "ldap"}, "ldap": {
            "url": "ldap://c", "user_tree_dn": "ou=Users"}}}  # the whole configuration
        for path, sent, reason in (
                ("/ldap/url", {"url": "ldap://d"}, "Trying to update option url in group "
                 "ldap, so that, and only that, option must be specified  in the config"),
                ("/ldap/url", {"config": {"user_tree_dn": "x"}}, "Trying to update option "
                 "url in group ldap, but config provided contains option user_tree_dn "
                 "instead"),
                ("/ldap", {"config": {"identity": {"driver": "sql"}}}, "request to update "
                 "group ldap, but config provided contains group identity instead"),
                ("", {}, "No options specified")):
            refused = admin("PATCH", base + path, sent)
            assert refused.status_code == 403 and message(refused) == (
                f"Invalid domain specific configuration: {reason}.")
        assert admin("GET", base + "/ldap/url").json() == {"config": {"url": "ldap://c"}}
        refused = admin("PUT", base, {"config": {"cache": {"enabled": True}}})
        assert refused.status_code == 403 and message(refused) == (
            "Invalid domain specific configuration: Group cache is not supported for domain "
            "specific configurations.")
        assert admin("GET", base + "/ldap/bogus").status_code == 403
        assert admin("GET", base + "/ldap/user_filter").status_code == 404
        assert member("GET", base).status_code == 403
        assert admin("DELETE", base + "/ldap/url").status_code == 204
        assert "url" not in admin("GET", base).json()["config"]["ldap"]
        assert admin("DELETE", base).status_code == 204
        assert admin("GET", base).status_code == 404
    finally:
        admin("PATCH", f"/domains/{did}", {"domain": {"enabled": False}})
        admin("DELETE", f"/domains/{did}")


def test_domain_config_defaults(admin: Api) -> None:
    everything = admin("GET", "/domains/config/default").json()["config"]
    assert set(everything) == {"identity", "ldap"}
    assert admin("GET", "/domains/config/ldap/url/default").json() == \
        {"config": {"url": "ldap://localhost"}}
    assert admin("GET", "/domains/config/bogus/default").status_code == 403


# --- access rules -------------------------------------------------------------------------

def test_access_rules_are_kept_once_and_guarded(cloud: democloud.DemoCloud, admin: Api,
                                                person: dict[str, str]) -> None:
    pid, uid = person["project_id"], person["user_id"]
    admin("PUT", f"/projects/{pid}/users/{uid}/roles/{_role(admin, 'member')}")
    token = _login(cloud, person["user"], person["password"], pid).headers["X-Subject-Token"]
    me = Api(cloud, token)
    rule = {"service": "compute", "path": "/v2.1/servers", "method": "GET"}
    first = me("POST", f"/users/{uid}/application_credentials", {"application_credential": {
        "name": "ro", "access_rules": [rule]}})
    assert first.status_code == 201, first.text
    rule_id = first.json()["application_credential"]["access_rules"][0]["id"]
    second = me("POST", f"/users/{uid}/application_credentials", {"application_credential": {
        "name": "ro2", "access_rules": [rule]}})
    assert second.json()["application_credential"]["access_rules"][0]["id"] == rule_id
    rules = me("GET", f"/users/{uid}/access_rules").json()["access_rules"]
    assert [(r["id"], r["service"], r["path"], r["method"]) for r in rules] == \
        [(rule_id, "compute", "/v2.1/servers", "GET")]
    assert set(rules[0]) == {"id", "service", "path", "method", "links"}
    refused = me("DELETE", f"/users/{uid}/access_rules/{rule_id}")
    assert refused.status_code == 403
    for cred in (first, second):
        me("DELETE", f"/users/{uid}/application_credentials/"
                     f"{cred.json()['application_credential']['id']}")
    assert me("DELETE", f"/users/{uid}/access_rules/{rule_id}").status_code == 204
    assert me("GET", f"/users/{uid}/access_rules/{rule_id}").status_code == 404


def test_access_rules_of_another_user_are_forbidden(member: Api, admin: Api) -> None:
    admin_id = admin("GET", "/users?name=admin").json()["users"][0]["id"]
    assert member("GET", f"/users/{admin_id}/access_rules").status_code == 403
    # Keystone 30: SYSTEM_READER_OR_OWNER; a project-scoped admin is neither
    other = next(u["id"] for u in admin("GET", "/users").json()["users"] if u["id"] != admin_id)
    assert admin("GET", f"/users/{other}/access_rules").status_code == 403
    assert admin("GET", f"/users/{admin_id}/access_rules").status_code == 200


def test_the_catalog_links_itself_only(admin: Api) -> None:
    """``GET /v3/auth/catalog`` is not a paged list: ``links`` has ``self`` alone."""
    body = admin("GET", "/auth/catalog").json()
    assert set(body) == {"catalog", "links"} and set(body["links"]) == {"self"}


# --- OS-INHERIT ---------------------------------------------------------------------------

def test_inherited_domain_grant_reaches_projects_not_the_domain(
        cloud: democloud.DemoCloud, admin: Api, person: dict[str, str]) -> None:
    uid, pid, child = person["user_id"], person["project_id"], person["child_id"]
    reader = _role(admin, "reader")
    path = f"/OS-INHERIT/domains/default/users/{uid}/roles/{reader}/inherited_to_projects"
    assert _login(cloud, person["user"], person["password"], pid).status_code == 401
    assert admin("GET", path).status_code == 404
    assert admin("PUT", path).status_code == 204
    try:
        assert admin("GET", path).status_code == 204
        listed = admin("GET", f"/OS-INHERIT/domains/default/users/{uid}/roles/"
                              "inherited_to_projects").json()["roles"]
        assert [r["id"] for r in listed] == [reader]
        # Not a grant on the domain itself.
        assert admin("GET", f"/domains/default/users/{uid}/roles").json()["roles"] == []
        plain = admin("GET", f"/role_assignments?user.id={uid}").json()["role_assignments"]
        assert [a["scope"] for a in plain] == [
            {"domain": {"id": "default"}, "OS-INHERIT:inherited_to": "projects"}]
        assert plain[0]["links"]["assignment"].endswith(path)
        effective = admin("GET", f"/role_assignments?user.id={uid}&effective").json()[
            "role_assignments"]
        scopes = {a["scope"]["project"]["id"] for a in effective}
        assert {pid, child} <= scopes and all("domain" not in a["scope"] for a in effective)
        token = _login(cloud, person["user"], person["password"], child)
        assert token.status_code == 201
        assert [r["name"] for r in token.json()["token"]["roles"]] == ["reader"]
    finally:
        assert admin("DELETE", path).status_code == 204
    assert _login(cloud, person["user"], person["password"], pid).status_code == 401


def test_inherited_project_grant_reaches_the_subtree_only(
        cloud: democloud.DemoCloud, admin: Api, member: Api, person: dict[str, str]) -> None:
    uid, pid, child = person["user_id"], person["project_id"], person["child_id"]
    role = _role(admin, "member")
    path = f"/OS-INHERIT/projects/{pid}/users/{uid}/roles/{role}/inherited_to_projects"
    assert member("PUT", path).status_code == 403
    assert admin("PUT", path).status_code == 204
    try:
        assert _login(cloud, person["user"], person["password"], child).status_code == 201
        assert _login(cloud, person["user"], person["password"], pid).status_code == 401
    finally:
        admin("DELETE", path)


# --- OS-REVOKE and OS-SIMPLE-CERT ---------------------------------------------------------

def test_revocations_are_published_as_events(cloud: democloud.DemoCloud, admin: Api,
                                             person: dict[str, str]) -> None:
    """A deleted project and a revoked token are events; a disabled project is none (its
    tokens fail validation), as in Keystone."""
    def events() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = admin("GET", "/OS-REVOKE/events").json()["events"]
        return found

    before = len(events())
    admin("PATCH", f"/projects/{person['child_id']}", {"project": {"enabled": False}})
    assert len(events()) == before
    admin("DELETE", f"/projects/{person['child_id']}")
    last = events()[-1]
    assert last["project_id"] == person["child_id"]
    assert set(last) == {"project_id", "issued_before", "revoked_at"}
    mine = requests.post(cloud.auth_url + "/auth/tokens", timeout=TIMEOUT, json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": person["user"], "password": person["password"],
            "domain": {"id": "default"}}}}}}).headers["X-Subject-Token"]
    assert requests.delete(cloud.auth_url + "/auth/tokens", timeout=TIMEOUT, headers={
        **admin.headers, "X-Subject-Token": mine}).status_code == 204
    assert set(events()[-1]) == {"audit_chain_id", "issued_before", "revoked_at"}


def test_simple_cert_is_gone(member: Api) -> None:
    for path in ("/OS-SIMPLE-CERT/ca", "/OS-SIMPLE-CERT/certificates"):
        r = member("GET", path)
        assert r.status_code == 410 and message(r) == (
            "This API is no longer available due to the removal of support for PKI tokens.")


# --- domain-specific roles ----------------------------------------------------------------

def test_domain_specific_role_stands_for_what_it_implies(
        cloud: democloud.DemoCloud, admin: Api, person: dict[str, str]) -> None:
    mark = uuid.uuid4().hex[:8]
    specific = admin("POST", "/roles", {"role": {"name": f"ds-{mark}",
                                                 "domain_id": "default"}}).json()["role"]["id"]
    general = admin("POST", "/roles", {"role": {"name": f"g-{mark}"}}).json()["role"]["id"]
    try:
        refused = admin("PUT", f"/roles/{general}/implies/{specific}")
        assert refused.status_code == 403
        assert message(refused) == f"{specific} cannot be an implied roles."
        assert admin("PUT", f"/roles/{specific}/implies/{general}").status_code == 201
        uid, pid = person["user_id"], person["project_id"]
        assert admin("PUT", f"/projects/{pid}/users/{uid}/roles/{specific}").status_code == 204
        token = _login(cloud, person["user"], person["password"], pid).json()["token"]
        assert [r["id"] for r in token["roles"]] == [general]
        effective = admin("GET", f"/role_assignments?user.id={uid}&effective").json()
        assert [a["role"]["id"] for a in effective["role_assignments"]] == [general]
        reach = admin("GET", f"/users/{uid}/projects").json()["projects"]
        assert [p["id"] for p in reach] == [pid]
    finally:
        for rid in (specific, general):
            admin("DELETE", f"/roles/{rid}")


def test_a_token_whose_last_role_went_stops_validating(
        cloud: democloud.DemoCloud, admin: Api, person: dict[str, str]) -> None:
    """Keystone recomputes a token's roles when it validates it: no role left on the
    token's project, no token (and no revocation event); a token elsewhere lives on."""
    uid, pid, child = person["user_id"], person["project_id"], person["child_id"]
    member_role = _role(admin, "member")
    for target in (pid, child):
        admin("PUT", f"/projects/{target}/users/{uid}/roles/{member_role}")
    here = _login(cloud, person["user"], person["password"], pid).headers["X-Subject-Token"]
    there = _login(cloud, person["user"], person["password"], child).headers["X-Subject-Token"]
    before = len(admin("GET", "/OS-REVOKE/events").json()["events"])
    assert admin("DELETE", f"/projects/{pid}/users/{uid}/roles/{member_role}"
                 ).status_code == 204

    def status(token: str) -> int:
        return requests.get(admin.url + "/auth/tokens", timeout=TIMEOUT, headers={
            **admin.headers, "X-Subject-Token": token}).status_code

    assert (status(here), status(there)) == (404, 200)
    assert len(admin("GET", "/OS-REVOKE/events").json()["events"]) == before
