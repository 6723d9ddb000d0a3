"""The same identity checks against the demo cloud's Keystone and a real one.

Every test runs twice, ``[demo]`` and ``[real]``; the real Keystone is the reference.
A ``demo_gap`` mark names where the simulator is known to differ (a strict xfail for
``demo``); the real run must always pass.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from keystoneauth1 import exceptions as ks_exc

from osnb.sdk import exceptions as exc
from osnb.sdk.connection import Connection
from osnb.sdk.identity.v3.project import Project
from osnb.sdk.identity.v3.role import Role
from osnb.sdk.identity.v3.user import User

from .conftest import Identity

TIMEOUT = 10
DEFAULT = {"id": "default", "name": "Default"}
UNAUTHORIZED = {"code": 401, "title": "Unauthorized",
                "message": "The request you have made requires authentication."}

# Keys of each body as Keystone 30 sends it (``extra`` only in a PATCH response).
PROJECT_KEYS = {"description", "domain_id", "enabled", "id", "is_domain", "links", "name",
                "options", "parent_id", "tags"}
USER_KEYS = {"domain_id", "enabled", "id", "links", "name", "options", "password_expires_at"}
ROLE_KEYS = {"description", "domain_id", "id", "links", "name", "options"}
SCOPED_TOKEN_KEYS = {"audit_ids", "catalog", "expires_at", "is_domain", "issued_at",
                     "methods", "project", "roles", "user"}
APP_CRED_KEYS = {"description", "expires_at", "id", "links", "name", "project_id", "roles",
                 "secret", "system", "unrestricted", "user_id"}


def _unique(prefix: str) -> str:
    return f"osnb-{prefix}-{uuid.uuid4().hex[:8]}"


def _call(conn: Connection, identity: Identity, method: str, path: str, *,
          json: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
    """A request to the identity endpoint through the connection's keystoneauth session
    (its token added), returning any status instead of raising."""
    response: requests.Response = conn.session.request(
        identity.auth_url + path, method, json=json, headers=headers or {},
        raise_exc=False)
    return response


def _plain(identity: Identity, method: str, path: str, *, json: Any = None,
           headers: dict[str, str] | None = None) -> requests.Response:
    """A request with no session and no token of its own."""
    return requests.request(method, identity.auth_url + path, json=json,
                            headers=headers or {}, timeout=TIMEOUT)


def _password_body(identity: Identity, password: str | None = None) -> dict[str, Any]:
    auth = identity.auth
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "password": password or auth["password"],
        "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": auth["project_name"], "domain": {"name": "Default"}}}}}


def _validate(conn: Connection, identity: Identity, token: str) -> requests.Response:
    return _call(conn, identity, "GET", "/auth/tokens", headers={"X-Subject-Token": token})


def _error(r: requests.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    err: dict[str, Any] = r.json()["error"]
    assert err["code"] == status and err["title"] and err["message"]
    return err


@pytest.fixture
def scratch(admin_conn: Connection) -> Iterator[tuple[Project, User, Role, str]]:
    """A fresh project, a user (and its password) and a role, deleted afterwards."""
    ident = admin_conn.identity
    password = uuid.uuid4().hex
    project = ident.create_project(name=_unique("project"), domain_id="default",
                                   description="osnb realcloud test")
    user = ident.create_user(name=_unique("user"), domain_id="default", password=password)
    role = ident.create_role(name=_unique("role"))
    yield project, user, role, password
    ident.delete_role(role)
    ident.delete_user(user)
    ident.delete_project(project)


# --- password auth and tokens --------------------------------------------------------------

def test_password_auth_gives_a_project_scoped_token(identity: Identity) -> None:
    with identity.connect() as conn:
        token = conn.authorize()
        assert token and conn.current_user_id and conn.current_project_id
        r = _validate(conn, identity, token)
        providers = _call(conn, identity, "GET", "/OS-FEDERATION/service_providers").json()
    assert r.status_code == 200, r.text
    assert r.headers["X-Subject-Token"] == token
    body = r.json()["token"]
    # every enabled service provider rides on a token (render_token.py:105): the demo
    # world has one (edge-cloud), the real Keystone none
    enabled = [{k: sp[k] for k in ("auth_url", "id", "sp_url")}
               for sp in providers["service_providers"] if sp["enabled"]]
    assert body.pop("service_providers", []) == enabled
    assert bool(enabled) == (identity.kind == "demo")
    assert set(body) == SCOPED_TOKEN_KEYS
    assert body["methods"] == ["password"]
    assert body["user"]["id"] == conn.current_user_id
    assert body["user"]["name"] == identity.auth["username"]
    assert body["user"]["domain"] == DEFAULT
    assert body["user"]["password_expires_at"] is None
    assert body["project"] == {"id": conn.current_project_id,
                               "name": identity.auth["project_name"], "domain": DEFAULT}
    assert body["is_domain"] is False
    assert {"admin", "member", "reader"} <= {role["name"] for role in body["roles"]}
    assert len(body["audit_ids"]) == 1
    assert body["issued_at"] < body["expires_at"]
    (keystone,) = [s for s in body["catalog"] if s["type"] == "identity"]
    assert {e["interface"] for e in keystone["endpoints"]} == {"public", "internal", "admin"}


def test_head_validates_a_token(identity: Identity, admin_conn: Connection) -> None:
    token = admin_conn.authorize()
    r = _call(admin_conn, identity, "HEAD", "/auth/tokens",
              headers={"X-Subject-Token": token})
    assert r.status_code == 200 and r.headers["X-Subject-Token"] == token


def test_bootstrap_roles_and_their_implications(identity: Identity,
                                                admin_conn: Connection) -> None:
    names = {role.name for role in admin_conn.identity.roles()}
    assert {"admin", "manager", "member", "reader"} <= names
    r = _call(admin_conn, identity, "GET", "/role_inferences")
    implies = {rule["prior_role"]["name"]: {i["name"] for i in rule["implies"]}
               for rule in r.json()["role_inferences"]}
    assert implies["admin"] == {"manager"} and implies["manager"] == {"member"}
    assert implies["member"] == {"reader"}
    token = _validate(admin_conn, identity, admin_conn.authorize()).json()["token"]
    assert {role["name"] for role in token["roles"]} == {"admin", "manager", "member",
                                                         "reader"}


def test_validate_without_subject_token_is_404(identity: Identity,
                                               admin_conn: Connection) -> None:
    err = _error(_call(admin_conn, identity, "GET", "/auth/tokens"), 404)
    assert err["message"] == "No token in the request"


# --- wrong password ----------------------------------------------------------------------

def test_wrong_password_is_unauthorized(identity: Identity) -> None:
    wrong = "not-" + uuid.uuid4().hex
    conn = identity.connect(auth={**identity.auth, "password": wrong})
    with pytest.raises((exc.Unauthorized, ks_exc.Unauthorized)) as info:
        conn.authorize()
    assert wrong not in str(info.value) and wrong not in repr(conn)
    r = _plain(identity, "POST", "/auth/tokens", json=_password_body(identity, wrong))
    assert _error(r, 401) == UNAUTHORIZED
    assert "X-Subject-Token" not in r.headers


def test_unknown_user_is_unauthorized_like_a_wrong_password(identity: Identity) -> None:
    body = _password_body(identity)
    body["auth"]["identity"]["password"]["user"]["name"] = _unique("nobody")
    assert _error(_plain(identity, "POST", "/auth/tokens", json=body), 401) == UNAUTHORIZED


def test_unauthorized_names_the_identity_endpoint(identity: Identity) -> None:
    r = _plain(identity, "POST", "/auth/tokens",
               json=_password_body(identity, "not-" + uuid.uuid4().hex))
    assert r.status_code == 401
    assert r.headers.get("WWW-Authenticate") == f'Keystone uri="{identity.auth_url}"'
    r = _plain(identity, "GET", "/projects")
    assert r.status_code == 401
    assert r.headers.get("WWW-Authenticate") == f'Keystone uri="{identity.auth_url}"'


# --- token revocation --------------------------------------------------------------------

def test_revoked_token_is_refused(identity: Identity, admin_conn: Connection) -> None:
    with identity.connect() as other:
        token = other.authorize()
    assert _validate(admin_conn, identity, token).status_code == 200
    subject = {"X-Subject-Token": token}
    r = _call(admin_conn, identity, "DELETE", "/auth/tokens", headers=subject)
    assert r.status_code == 204 and not r.content
    _error(_validate(admin_conn, identity, token), 404)
    assert _call(admin_conn, identity, "HEAD", "/auth/tokens",
                 headers=subject).status_code == 404
    _error(_call(admin_conn, identity, "DELETE", "/auth/tokens", headers=subject), 404)
    r = _plain(identity, "GET", "/projects", headers={"X-Auth-Token": token})
    assert _error(r, 401) == UNAUTHORIZED
    # the revoking admin's own token is untouched
    assert admin_conn.identity.get_project(admin_conn.current_project_id or "").id


def test_token_errors_do_not_echo_the_token(identity: Identity,
                                            admin_conn: Connection) -> None:
    with identity.connect() as other:
        token = other.authorize()
    subject = {"X-Subject-Token": token}
    _call(admin_conn, identity, "DELETE", "/auth/tokens", headers=subject)
    err = _error(_validate(admin_conn, identity, token), 404)
    assert token not in err["message"]
    assert err["message"] == "Failed to validate token"
    garbage = "not-a-token-" + uuid.uuid4().hex
    err = _error(_validate(admin_conn, identity, garbage), 404)
    assert garbage not in err["message"]


# --- application credentials -------------------------------------------------------------

def test_application_credential_auth(identity: Identity, admin_conn: Connection) -> None:
    ident = admin_conn.identity
    user_id = admin_conn.current_user_id or ""
    name = _unique("appcred")
    cred = ident.create_application_credential(user_id, name, description="osnb test")
    secret = cred.secret
    try:
        assert secret and cred.id and cred.name == name
        assert cred.project_id == admin_conn.current_project_id
        for shown in (repr(cred), str(cred), cred._repr_html_(), str(cred.to_dict())):
            assert secret not in shown
        assert cred.to_dict(reveal_secrets=True)["secret"] == secret
        conn = identity.connect(auth={"application_credential_id": cred.id,
                                      "application_credential_secret": secret},
                                auth_type="v3applicationcredential")
        assert secret not in repr(conn)
        token = conn.authorize()
        assert conn.current_user_id == user_id
        assert conn.current_project_id == admin_conn.current_project_id
        body = _validate(admin_conn, identity, token).json()["token"]
        assert body["methods"] == ["application_credential"]
        assert body["application_credential"] == {"id": cred.id, "name": name,
                                                  "restricted": True}
        admin_roles = {r["name"] for r in
                       _validate(admin_conn, identity, admin_conn.authorize())
                       .json()["token"]["roles"]}
        assert {r["name"] for r in body["roles"]} == admin_roles
        # by name and user, as keystoneauth also allows
        by_name = identity.connect(auth={"application_credential_name": name,
                                         "application_credential_secret": secret,
                                         "user_id": user_id},
                                   auth_type="v3applicationcredential")
        assert by_name.authorize()
        # the secret is shown once: never by a later read
        (listed,) = [c for c in ident.application_credentials(user_id) if c.id == cred.id]
        assert listed.secret is None
        assert ident.get_application_credential(user_id, cred.id).secret is None
        wrong = identity.connect(auth={"application_credential_id": cred.id,
                                       "application_credential_secret": "wrong"},
                                 auth_type="v3applicationcredential")
        with pytest.raises((exc.Unauthorized, ks_exc.Unauthorized)):
            wrong.authorize()
    finally:
        ident.delete_application_credential(user_id, cred)
    # a token from it dies with it
    _error(_validate(admin_conn, identity, token), 404)


def test_only_the_owner_creates_application_credentials(
        identity: Identity, admin_conn: Connection,
        scratch: tuple[Project, User, Role, str]) -> None:
    _, user, _, _ = scratch
    with pytest.raises(exc.Forbidden):
        admin_conn.identity.create_application_credential(user, _unique("appcred"))


def test_application_credential_body(identity: Identity, admin_conn: Connection) -> None:
    user_id = admin_conn.current_user_id
    r = _call(admin_conn, identity, "POST", f"/users/{user_id}/application_credentials",
              json={"application_credential": {"name": _unique("appcred")}})
    assert r.status_code == 201, r.text
    body = r.json()["application_credential"]
    _call(admin_conn, identity, "DELETE", f"/users/{user_id}/application_credentials/"
          f"{body['id']}")
    assert set(body) == APP_CRED_KEYS
    assert body["unrestricted"] is None and body["system"] is None
    assert body["links"]["self"] == (f"{identity.auth_url}/application_credentials/"
                                     f"{body['id']}")
    assert all(set(role) == ROLE_KEYS - {"links"} for role in body["roles"])


def test_deleted_application_credential_is_not_found(identity: Identity,
                                                     admin_conn: Connection) -> None:
    user_id = admin_conn.current_user_id or ""
    cred = admin_conn.identity.create_application_credential(user_id, _unique("appcred"))
    admin_conn.identity.delete_application_credential(user_id, cred)
    r = _plain(identity, "POST", "/auth/tokens", json={"auth": {"identity": {
        "methods": ["application_credential"],
        "application_credential": {"id": cred.id, "secret": cred.secret}}}})
    err = _error(r, 404)
    assert err["message"] == f"Could not find Application Credential: {cred.id}."


# --- project, user and role CRUD ---------------------------------------------------------

def test_project_crud(identity: Identity, admin_conn: Connection) -> None:
    ident = admin_conn.identity
    name = _unique("project")
    project = ident.create_project(name=name, domain_id="default", description="first")
    try:
        assert project.id and project.name == name and project.description == "first"
        assert project.domain_id == "default" and project.parent_id == "default"
        assert project.is_enabled is True and project.is_domain is False
        assert project.tags == [] and project.options == {}
        assert project.links == {"self": f"{identity.auth_url}/projects/{project.id}"}
        assert ident.get_project(project.id).to_dict() == project.to_dict()
        assert [p.id for p in ident.projects(name=name)] == [project.id]
        found = ident.find_project(name)
        assert found is not None and found.id == project.id
        updated = ident.update_project(project, description="second", is_enabled=False)
        assert updated.description == "second" and updated.is_enabled is False
        assert ident.get_project(project.id).description == "second"
        with pytest.raises(exc.Conflict):
            ident.create_project(name=name, domain_id="default")
    finally:
        ident.delete_project(project)
    with pytest.raises(exc.NotFound):
        ident.get_project(project.id)
    with pytest.raises(exc.NotFound):
        ident.delete_project(project.id, ignore_missing=False)
    assert ident.find_project(name, ignore_missing=True) is None


def test_user_crud(identity: Identity, admin_conn: Connection) -> None:
    ident = admin_conn.identity
    name, password = _unique("user"), uuid.uuid4().hex
    user = ident.create_user(name=name, domain_id="default", password=password,
                             email="someone@example.org")
    try:
        assert user.id and user.name == name and user.domain_id == "default"
        assert user.is_enabled is True and user.password_expires_at is None
        assert user.email == "someone@example.org"
        assert password not in repr(user) and password not in str(user.to_dict())
        got = ident.get_user(user.id)
        assert got.name == name and got.password is None
        assert [u.id for u in ident.users(name=name)] == [user.id]
        updated = ident.update_user(user, description="updated by osnb")
        assert updated.description == "updated by osnb"
        # the user can log in (unscoped: it has no role anywhere)
        conn = identity.connect(auth={"username": name, "password": password,
                                      "user_domain_name": "Default"})
        assert conn.authorize() and conn.current_user_id == user.id
        assert conn.current_project_id is None
        with pytest.raises(exc.Conflict):
            ident.create_user(name=name, domain_id="default")
    finally:
        ident.delete_user(user)
    with pytest.raises(exc.NotFound):
        ident.get_user(user.id)
    with pytest.raises(exc.NotFound):
        ident.delete_user(user.id, ignore_missing=False)


def test_role_crud(identity: Identity, admin_conn: Connection) -> None:
    ident = admin_conn.identity
    name = _unique("role")
    role = ident.create_role(name=name)
    try:
        assert role.id and role.name == name and role.domain_id is None
        assert role.description is None and role.options == {}
        assert ident.get_role(role.id).name == name
        assert [r.id for r in ident.roles(name=name)] == [role.id]
        updated = ident.update_role(role, description="made by osnb")
        assert updated.description == "made by osnb"
        with pytest.raises(exc.Conflict):
            ident.create_role(name=name)
    finally:
        ident.delete_role(role)
    with pytest.raises(exc.NotFound):
        ident.get_role(role.id)


@pytest.mark.parametrize("kind, keys", [
    ("projects", PROJECT_KEYS), ("users", USER_KEYS), ("roles", ROLE_KEYS)])
def test_bodies_have_keystones_keys(identity: Identity, admin_conn: Connection,
                                    kind: str, keys: set[str]) -> None:
    key = kind[:-1]
    name = _unique(key)
    r = _call(admin_conn, identity, "POST", f"/{kind}",
              json={key: {"name": name, **({} if kind == "roles" else
                                           {"domain_id": "default"})}})
    assert r.status_code == 201, r.text
    created = r.json()[key]
    try:
        assert set(created) == keys
        got = _call(admin_conn, identity, "GET", f"/{kind}/{created['id']}").json()[key]
        assert set(got) == keys
        listed = _call(admin_conn, identity, "GET", f"/{kind}?name={name}").json()[kind]
        assert [set(item) for item in listed] == [keys]
    finally:
        _call(admin_conn, identity, "DELETE", f"/{kind}/{created['id']}")


def test_patch_responses_carry_extra(identity: Identity,
                                     scratch: tuple[Project, User, Role, str],
                                     admin_conn: Connection) -> None:
    project, user, _, _ = scratch
    r = _call(admin_conn, identity, "PATCH", f"/projects/{project.id}",
              json={"project": {"description": "changed"}})
    assert r.status_code == 200 and r.json()["project"]["extra"] == {}
    r = _call(admin_conn, identity, "PATCH", f"/users/{user.id}",
              json={"user": {"email": "changed@example.org"}})
    assert r.status_code == 200
    assert r.json()["user"]["extra"] == {"email": "changed@example.org"}


# --- grants and role assignments ---------------------------------------------------------

def _summary(assignments: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted((a.user["id"], a.role["id"], a.scope) for a in assignments)


def test_grant_and_list_role_assignments(identity: Identity, admin_conn: Connection,
                                         scratch: tuple[Project, User, Role, str]) -> None:
    project, user, role, password = scratch
    ident = admin_conn.identity
    assert not ident.validate_user_has_project_role(project, user, role)
    ident.assign_project_role_to_user(project, user, role)
    ident.assign_project_role_to_user(project, user, role)  # idempotent
    assert ident.validate_user_has_project_role(project, user, role)

    expected = [(user.id, role.id, {"project": {"id": project.id}})]
    assert _summary(ident.role_assignments(user_id=user.id)) == expected
    assert _summary(ident.role_assignments(scope_project_id=project.id)) == expected
    assert _summary(ident.role_assignments(role_id=role.id)) == expected
    assert _summary(ident.role_assignments(user_id=user.id, role_id=role.id,
                                           scope_project_id=project.id)) == expected
    assert _summary(ident.role_assignments(user_id=user.id, effective=True)) == expected
    assert list(ident.role_assignments(user_id=user.id, scope_domain_id="default")) == []
    (only,) = ident.role_assignments(user_id=user.id)
    assert only.group is None
    assert only.links == {"assignment": f"{identity.auth_url}/projects/{project.id}/users/"
                                        f"{user.id}/roles/{role.id}"}

    (named,) = ident.role_assignments(user_id=user.id, include_names=True)
    assert named.user == {"id": user.id, "name": user.name, "domain": DEFAULT}
    assert named.role == {"id": role.id, "name": role.name}
    assert named.scope == {"project": {"id": project.id, "name": project.name,
                                       "domain": DEFAULT}}
    by_project = ident.role_assignments(scope_project_id=project.id, include_names=True)
    assert [a.to_dict() for a in by_project] == [named.to_dict()]

    # the grant is what the user's token carries
    conn = identity.connect(auth={"user_id": user.id, "password": password,
                                  "project_id": project.id})
    token = _validate(admin_conn, identity, conn.authorize()).json()["token"]
    assert token["roles"] == [{"id": role.id, "name": role.name}]

    ident.unassign_project_role_from_user(project, user, role)
    assert list(ident.role_assignments(user_id=user.id)) == []
    assert not ident.validate_user_has_project_role(project, user, role)
    with pytest.raises(exc.NotFound):
        ident.unassign_project_role_from_user(project, user, role)


def test_role_assignments_with_two_scopes_is_bad_request(
        identity: Identity, admin_conn: Connection) -> None:
    with pytest.raises(exc.BadRequest) as info:
        list(admin_conn.identity.role_assignments(
            scope_project_id=admin_conn.current_project_id, scope_domain_id="default"))
    assert "Specify a domain or project, not both" in str(info.value)


# --- trust: what a refused login and an expiring credential look like ----------------------

def test_application_credential_expires_at_with_an_offset(identity: Identity,
                                                          admin_conn: Connection) -> None:
    import datetime as dt

    user_id = admin_conn.current_user_id or ""
    east = dt.timezone(dt.timedelta(hours=2))
    when = (dt.datetime.now(east) + dt.timedelta(days=1)).replace(microsecond=0)
    cred = admin_conn.identity.create_application_credential(
        user_id, _unique("appcred"), expires_at=when)
    try:
        assert cred.expires_at == when
        again = admin_conn.identity.get_application_credential(user_id, cred.id)
        assert again.expires_at == when
    finally:
        admin_conn.identity.delete_application_credential(user_id, cred)


@pytest.mark.parametrize("spoil", ["password", "project_name", "username"])
def test_refused_login_fails_at_connect_without_the_password(identity: Identity,
                                                             spoil: str) -> None:
    import pickle

    auth = {**identity.auth, spoil: "osnb-Wr0ng-" + uuid.uuid4().hex[:6]}
    with pytest.raises(exc.SDKException) as caught:
        identity.connect(auth=auth, authenticate=True)
    err = caught.value
    assert isinstance(err, exc.AuthenticationFailed) and err.status_code == 401
    text = str(err)
    assert f"user {auth['username']!r}" in text and f"project {auth['project_name']!r}" in text
    assert identity.auth_url in text and "Hint:" in text
    held = pickle.dumps(err) + repr(vars(err)).encode()
    assert auth["password"].encode() not in held
    assert err.__context__ is None and err.__cause__ is None
