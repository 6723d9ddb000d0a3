"""Issue #16's identity breadth asked of the demo cloud's Keystone and a real one:
credentials, unified limits (registered limits, limits, the model) and project tags. Each
test runs ``[demo]`` and ``[real]`` and asserts the same statuses, keys and messages."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from .conftest import Identity

TIMEOUT = 10
REGISTERED_KEYS = {"id", "service_id", "region_id", "resource_name", "default_limit",
                   "description", "links"}
LIMIT_KEYS = {"id", "service_id", "region_id", "resource_name", "project_id", "domain_id",
              "resource_limit", "description", "links"}


class Api:
    def __init__(self, identity: Identity, token: str) -> None:
        self.base, self.token = identity.auth_url, token

    def __call__(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.base + path, json=body, timeout=TIMEOUT,
                                headers={"X-Auth-Token": self.token})


def _token(identity: Identity, user: str, password: str, scope: Any) -> str:
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "password": password, "domain": {"id": "default"}}}}, "scope": scope}}
    r = requests.post(identity.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


@dataclass
class World:
    admin: Api
    member: Api
    member_id: str
    project_id: str
    other_user_id: str
    service_id: str
    region_id: str
    mark: str


@pytest.fixture(scope="module")
def world(identity_service: Identity) -> Iterator[World]:
    auth = identity_service.auth
    admin = Api(identity_service, _token(identity_service, auth["username"], auth["password"],
                                         {"project": {"name": auth["project_name"],
                                                      "domain": {"id": "default"}}}))
    mark = uuid.uuid4().hex[:8]
    made: list[str] = []

    def create(kind: str, body: dict[str, Any], plural: str = "") -> dict[str, Any]:
        r = admin("POST", f"/{plural or kind + 's'}", {kind: body})
        assert r.status_code == 201, r.text
        record: dict[str, Any] = r.json()[kind]
        made.append(f"/{plural or kind + 's'}/{record['id']}")
        return record

    project = create("project", {"name": f"osnb-breadth-{mark}", "domain_id": "default"})
    password = uuid.uuid4().hex
    user = create("user", {"name": f"osnb-breadth-{mark}", "domain_id": "default",
                           "password": password})
    other = create("user", {"name": f"osnb-other-{mark}", "domain_id": "default"})
    service = create("service", {"type": f"osnb-{mark}", "name": f"osnb-{mark}"})
    region = create("region", {"id": f"osnb-{mark}"})
    member_role = admin("GET", "/roles?name=member").json()["roles"][0]["id"]
    assert admin("PUT", f"/projects/{project['id']}/users/{user['id']}/roles/{member_role}"
                 ).status_code == 204
    member = Api(identity_service, _token(identity_service, user["name"], password,
                                          {"project": {"id": project["id"]}}))
    yield World(admin, member, user["id"], project["id"], other["id"], service["id"],
                region["id"], mark)
    for path in reversed(made):
        admin("DELETE", path)


def _message(r: requests.Response) -> str:
    message: str = r.json()["error"]["message"]
    return message


# --- unified limits ---------------------------------------------------------------------------

def test_registered_limits_and_limits(identity: Identity, world: World) -> None:
    admin, member, sid = world.admin, world.member, world.service_id
    name = f"res-{uuid.uuid4().hex[:6]}"
    r = admin("POST", "/registered_limits", {"registered_limits": [
        {"service_id": sid, "region_id": world.region_id, "resource_name": name,
         "default_limit": 5},
        {"service_id": sid, "resource_name": name, "default_limit": 10,
         "description": "Number of things"}]})
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"registered_limits"}
    regional, everywhere = r.json()["registered_limits"]
    assert set(regional) == REGISTERED_KEYS and regional["region_id"] == world.region_id
    assert everywhere["region_id"] is None
    try:
        again = admin("POST", "/registered_limits", {"registered_limits": [
            {"service_id": sid, "resource_name": name, "default_limit": 1}]})
        assert again.status_code == 409
        assert _message(again) == ("Conflict occurred attempting to store registered_limit "
                                   "- Duplicate entry.")
        listed = member("GET", f"/registered_limits?resource_name={name}")
        assert listed.status_code == 200
        assert {x["id"] for x in listed.json()["registered_limits"]} == \
            {regional["id"], everywhere["id"]}
        assert member("POST", "/registered_limits", {"registered_limits": [
            {"service_id": sid, "resource_name": "x", "default_limit": 1}]}).status_code == 403
        assert admin("POST", "/registered_limits", {"registered_limits": [
            {"service_id": uuid.uuid4().hex, "resource_name": "x", "default_limit": 1}]}
        ).status_code == 400
        assert admin("POST", "/registered_limits", {"registered_limits": [
            {"service_id": sid, "resource_name": "x", "default_limit": -2}]}).status_code == 400

        orphan = admin("POST", "/limits", {"limits": [
            {"service_id": sid, "project_id": world.project_id,
             "resource_name": f"none-{name}", "resource_limit": 1}]})
        assert orphan.status_code == 403
        assert _message(orphan) == ("Unable to create a limit that has no corresponding "
                                    "registered limit.")
        r = admin("POST", "/limits", {"limits": [
            {"service_id": sid, "project_id": world.project_id, "resource_name": name,
             "resource_limit": 7}]})
        assert r.status_code == 201, r.text
        limit = r.json()["limits"][0]
        assert set(limit) == LIMIT_KEYS
        assert (limit["project_id"], limit["domain_id"], limit["region_id"]) == \
            (world.project_id, None, None)
        try:
            dup = admin("POST", "/limits", {"limits": [
                {"service_id": sid, "project_id": world.project_id, "resource_name": name,
                 "resource_limit": 8}]})
            assert dup.status_code == 409
            assert _message(dup) == "Conflict occurred attempting to store limit - Duplicate entry."
            for method, body in (("PATCH", {"registered_limit": {"default_limit": 4}}),
                                 ("DELETE", None)):
                r = admin(method, f"/registered_limits/{everywhere['id']}", body)
                assert r.status_code == 403
                assert _message(r) == (f"Unable to update or delete registered limit "
                                       f"{everywhere['id']} because there are project limits "
                                       "associated with it.")
            mine = member("GET", f"/limits?resource_name={name}").json()["limits"]
            assert [x["id"] for x in mine] == [limit["id"]]
            assert member("GET", f"/limits/{limit['id']}").status_code == 200
            assert member("PATCH", f"/limits/{limit['id']}",
                          {"limit": {"resource_limit": 1}}).status_code == 403
            assert admin("PATCH", f"/limits/{limit['id']}",
                         {"limit": {"project_id": world.project_id}}).status_code == 400
            r = admin("PATCH", f"/limits/{limit['id']}", {"limit": {"resource_limit": 9}})
            assert r.status_code == 200 and r.json()["limit"]["resource_limit"] == 9
        finally:
            assert admin("DELETE", f"/limits/{limit['id']}").status_code == 204
        assert admin("GET", f"/limits/{limit['id']}").status_code == 404
    finally:
        for made in (regional, everywhere):
            assert admin("DELETE", f"/registered_limits/{made['id']}").status_code == 204


def test_limit_needs_exactly_one_owner(identity: Identity, world: World) -> None:
    base = {"service_id": world.service_id, "resource_name": "x", "resource_limit": 1}
    for extra in ({}, {"project_id": world.project_id, "domain_id": "default"}):
        assert world.admin("POST", "/limits", {"limits": [{**base, **extra}]}
                           ).status_code == 400


def test_the_limit_model(identity: Identity, world: World) -> None:
    r = world.member("GET", "/limits/model")
    assert r.status_code == 200 and r.json()["model"]["name"] == "flat"


# --- credentials ------------------------------------------------------------------------------

def test_credentials(identity: Identity, world: World) -> None:
    admin, member = world.admin, world.member
    access = uuid.uuid4().hex
    body = {"type": "ec2", "user_id": world.member_id, "project_id": world.project_id,
            "blob": json.dumps({"access": access, "secret": "s"})}
    r = member("POST", "/credentials", {"credential": body})
    assert r.status_code == 201, r.text
    cred = r.json()["credential"]
    assert cred["id"] == hashlib.sha256(access.encode()).hexdigest()
    assert set(cred) == {"id", "type", "user_id", "project_id", "blob", "links"}
    try:
        assert member("POST", "/credentials", {"credential": body}).status_code == 409
        no_project = {k: v for k, v in body.items() if k != "project_id"}
        assert member("POST", "/credentials", {"credential": no_project}).status_code == 400
        r = member("POST", "/credentials", {"credential": {
            **body, "project_id": None, "blob": json.dumps({"access": uuid.uuid4().hex})}})
        assert r.status_code == 201, r.text  # the key is required, its value may be null
        assert member("DELETE", f"/credentials/{r.json()['credential']['id']}"
                      ).status_code == 204
        r = member("PATCH", f"/credentials/{cred['id']}",
                   {"credential": {"blob": json.dumps({"access": access, "trust_id": "t"})}})
        assert r.status_code == 400
        assert _message(r) == "trust_id can not be updated for credential"
        assert member("PATCH", f"/credentials/{cred['id']}", {"credential": {
            "blob": json.dumps({"secret": "s"})}}).status_code == 400  # no access key
        moved = json.dumps({"access": "other", "secret": "s"})
        r = member("PATCH", f"/credentials/{cred['id']}", {"credential": {"blob": moved}})
        assert r.status_code == 200  # Keystone checks access_id, not access: the id stays
        assert r.json()["credential"]["id"] == cred["id"]
        r = member("PATCH", f"/credentials/{cred['id']}",
                   {"credential": {"blob": json.dumps({"access": access, "secret": "t"})}})
        assert r.status_code == 200
        theirs = {"type": "totp", "user_id": world.other_user_id, "blob": "GEZDGNBVGY3TQOJQ"}
        assert member("POST", "/credentials", {"credential": theirs}).status_code == 403
        r = admin("POST", "/credentials", {"credential": theirs})
        assert r.status_code == 201, r.text
        other = r.json()["credential"]
        try:
            assert other["project_id"] is None
            mine = member("GET", "/credentials").json()["credentials"]
            assert [c["id"] for c in mine] == [cred["id"]]
            assert member("GET", f"/credentials/{other['id']}").status_code == 403
            assert member("DELETE", f"/credentials/{other['id']}").status_code == 403
            listed = admin("GET", f"/credentials?user_id={world.other_user_id}&type=totp")
            assert [c["id"] for c in listed.json()["credentials"]] == [other["id"]]
        finally:
            assert admin("DELETE", f"/credentials/{other['id']}").status_code == 204
    finally:
        assert member("DELETE", f"/credentials/{cred['id']}").status_code == 204
    assert admin("GET", f"/credentials/{cred['id']}").status_code == 404


# --- project tags -----------------------------------------------------------------------------

def test_project_tags(identity: Identity, world: World) -> None:
    admin, member, pid = world.admin, world.member, world.project_id
    r = admin("PUT", f"/projects/{pid}/tags", {"tags": ["foo", "bar"]})
    assert r.json() == {"tags": ["foo", "bar"], "links": {"self": identity.auth_url}}
    r = admin("PUT", f"/projects/{pid}/tags/blue")
    assert r.status_code == 201 and r.headers["Location"].endswith(f"/{pid}/tags/blue")
    assert r.content == b""
    assert admin("PUT", f"/projects/{pid}/tags/blue").status_code == 400
    # read back from the database: by name
    assert member("GET", f"/projects/{pid}/tags").json()["tags"] == ["bar", "blue", "foo"]
    assert member("GET", f"/projects/{pid}/tags/blue").status_code == 204
    missing = member("GET", f"/projects/{pid}/tags/red")
    assert missing.status_code == 404
    assert _message(missing) == "Could not find project tag: red."
    assert member("PUT", f"/projects/{pid}/tags/x").status_code == 403
    assert member("DELETE", f"/projects/{pid}/tags").status_code == 403
    for bad in (["a,b"], ["a/b"], ["a", "a"], [f"t{i}" for i in range(81)]):
        assert admin("PUT", f"/projects/{pid}/tags", {"tags": bad}).status_code == 400, bad
    assert admin("DELETE", f"/projects/{pid}/tags/foo").status_code == 204
    assert admin("DELETE", f"/projects/{pid}/tags/foo").status_code == 404
    assert admin("DELETE", f"/projects/{pid}/tags").status_code == 204
    assert admin("GET", f"/projects/{pid}").json()["project"]["tags"] == []


# --- system role assignments ------------------------------------------------------------------

def test_system_grants(identity: Identity, world: World) -> None:
    admin, member, uid = world.admin, world.member, world.other_user_id
    reader = admin("GET", "/roles?name=reader").json()["roles"][0]["id"]
    path = f"/system/users/{uid}/roles"
    assert admin("GET", path).json()["roles"] == []
    missing = admin("GET", f"{path}/{reader}")
    assert missing.status_code == 404
    assert _message(missing) == (f"Could not find role assignment with role: {reader}, user "
                                 f"or group: {uid}, project, domain, or system: system.")
    assert member("PUT", f"{path}/{reader}").status_code == 403
    assert member("GET", path).status_code == 403
    assert admin("PUT", f"{path}/{reader}").status_code == 204
    try:
        assert admin("HEAD", f"{path}/{reader}").status_code == 204
        listed = admin("GET", path).json()
        assert [r["id"] for r in listed["roles"]] == [reader]
        assigned = admin("GET", f"/role_assignments?user.id={uid}").json()["role_assignments"]
        assert [a["scope"] for a in assigned] == [{"system": {"all": True}}]
    finally:
        assert admin("DELETE", f"{path}/{reader}").status_code == 204
    assert admin("GET", f"/system/users/{uuid.uuid4().hex}/roles").status_code == 404
    role = admin("POST", "/roles", {"role": {"name": f"osnb-dr-{world.mark}",
                                             "domain_id": "default"}}).json()["role"]
    try:
        r = admin("PUT", f"{path}/{role['id']}")
        assert r.status_code == 400 and "domain-specific role" in _message(r)
    finally:
        admin("DELETE", f"/roles/{role['id']}")


# --- trusts -----------------------------------------------------------------------------------

TRUST_KEYS = {"id", "trustor_user_id", "trustee_user_id", "project_id", "impersonation",
              "expires_at", "remaining_uses", "redelegation_count", "redelegated_trust_id",
              "deleted_at", "roles", "roles_links", "links"}


def test_trusts(identity: Identity, world: World) -> None:
    admin, member = world.admin, world.member
    body = {"trustor_user_id": world.member_id, "trustee_user_id": world.other_user_id,
            "project_id": world.project_id, "impersonation": False,
            "roles": [{"name": "member"}], "expires_at": "2099-02-27T18:30:59.999999Z"}
    assert member("POST", "/OS-TRUST/trusts", {"trust": {**body, "roles": []}}
                  ).status_code == 403  # a project needs roles
    assert admin("POST", "/OS-TRUST/trusts", {"trust": body}).status_code == 403  # not mine
    r = member("POST", "/OS-TRUST/trusts", {"trust": {**body, "roles": [{"name": "admin"}]}})
    assert r.status_code == 404  # a role the trustor does not hold
    r = member("POST", "/OS-TRUST/trusts", {"trust": body})
    assert r.status_code == 201, r.text
    trust = r.json()["trust"]
    assert set(trust) == TRUST_KEYS
    assert trust["expires_at"] == "2099-02-27T18:30:59.000000Z"  # whole seconds kept
    assert [x["name"] for x in trust["roles"]] == ["member"]
    assert trust["remaining_uses"] is None and trust["redelegation_count"] == 0
    tid = trust["id"]
    try:
        mine = member("GET", f"/OS-TRUST/trusts?trustor_user_id={world.member_id}")
        assert mine.status_code == 200
        listed = mine.json()["trusts"]
        assert [t["id"] for t in listed] == [tid]
        assert set(listed[0]) == TRUST_KEYS - {"roles", "roles_links"}
        assert member("GET", "/OS-TRUST/trusts").status_code == 403
        assert member("GET", f"/OS-TRUST/trusts?trustee_user_id={world.member_id}"
                      ).json()["trusts"] == []
        assert member("GET", f"/OS-TRUST/trusts?trustor_user_id={world.other_user_id}"
                      ).status_code == 403
        everyone = admin("GET", "/OS-TRUST/trusts")
        assert everyone.status_code == 200 and tid in {t["id"] for t in
                                                       everyone.json()["trusts"]}
        got = member("GET", f"/OS-TRUST/trusts/{tid}")
        assert got.status_code == 200 and set(got.json()["trust"]) == TRUST_KEYS
        assert admin("GET", f"/OS-TRUST/trusts/{tid}").status_code == 200
        roles = member("GET", f"/OS-TRUST/trusts/{tid}/roles").json()
        assert [x["name"] for x in roles["roles"]] == ["member"]
        assert set(roles["roles"][0]) == {"id", "name", "domain_id", "description",
                                          "options", "links"}
        # Keystone's link leaves out the OS-TRUST/trusts segment
        assert roles["links"] == {"self": f"{identity.auth_url}/{tid}/roles",
                                  "next": None, "previous": None}
        assert got.json()["trust"]["roles_links"] == roles["links"]
        rid = roles["roles"][0]["id"]
        one = member("GET", f"/OS-TRUST/trusts/{tid}/roles/{rid}")
        assert one.status_code == 200 and one.json()["role"]["id"] == rid
        assert member("GET", f"/OS-TRUST/trusts/{tid}/roles/{uuid.uuid4().hex}"
                      ).status_code == 404
        assert admin("GET", f"/OS-TRUST/trusts/{uuid.uuid4().hex}").status_code == 404
        assert admin("DELETE", f"/OS-TRUST/trusts/{tid}").status_code == 204  # an admin may
        tid = ""
    finally:
        if tid:
            member("DELETE", f"/OS-TRUST/trusts/{tid}")
    gone = member("GET", f"/OS-TRUST/trusts/{trust['id']}")
    assert gone.status_code == 404
    assert _message(gone) == f"Could not find trust: {trust['id']}."


def _trust_token(identity: Identity, token: str, trust_id: str) -> requests.Response:
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
                     "scope": {"OS-TRUST:trust": {"id": trust_id}}}}
    return requests.post(identity.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)


@pytest.mark.parametrize("impersonation", [False, True])
def test_trust_scoped_tokens(identity: Identity, world: World, impersonation: bool) -> None:
    admin, member = world.admin, world.member
    name, password = f"osnb-trustee-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    trustee = admin("POST", "/users", {"user": {"name": name, "password": password,
                                                "domain_id": "default"}}).json()["user"]
    try:
        r = member("POST", "/OS-TRUST/trusts", {"trust": {
            "trustor_user_id": world.member_id, "trustee_user_id": trustee["id"],
            "project_id": world.project_id, "impersonation": impersonation,
            "roles": [{"name": "member"}], "remaining_uses": 2}})
        assert r.status_code == 201, r.text
        tid = r.json()["trust"]["id"]
        own = _token(identity, name, password, "unscoped")
        mine = member.token
        refused = _trust_token(identity, mine, tid)  # the trustor is not the trustee
        assert refused.status_code == 403
        assert _message(refused) == "You are not authorized to perform the requested action."
        r = _trust_token(identity, own, tid)
        assert r.status_code == 201, r.text
        token = r.json()["token"]
        assert token["OS-TRUST:trust"] == {
            "id": tid, "trustor_user": {"id": world.member_id},
            "trustee_user": {"id": trustee["id"]}, "impersonation": impersonation}
        assert token["project"]["id"] == world.project_id
        assert token["user"]["id"] == (world.member_id if impersonation else trustee["id"])
        assert {x["name"] for x in token["roles"]} == {"member", "reader"}
        scoped = r.headers["X-Subject-Token"]
        check = requests.get(identity.auth_url + "/auth/tokens", timeout=TIMEOUT, headers={
            "X-Auth-Token": admin.token, "X-Subject-Token": scoped})
        assert check.status_code == 200
        assert check.json()["token"]["OS-TRUST:trust"]["id"] == tid
        assert _trust_token(identity, own, tid).status_code == 201  # the second use
        spent = _trust_token(identity, own, tid)
        assert spent.status_code == 401, spent.text
        assert _message(spent) == "The request you have made requires authentication."
        # the last use deleted the trust
        assert member("GET", f"/OS-TRUST/trusts/{tid}").status_code == 404
        assert member("DELETE", f"/OS-TRUST/trusts/{tid}").status_code == 404
        # a trust deleted by its trustor takes its tokens along
        r = member("POST", "/OS-TRUST/trusts", {"trust": {
            "trustor_user_id": world.member_id, "trustee_user_id": trustee["id"],
            "project_id": world.project_id, "impersonation": impersonation,
            "roles": [{"name": "reader"}]}})
        tid = r.json()["trust"]["id"]
        r = _trust_token(identity, own, tid)
        assert {x["name"] for x in r.json()["token"]["roles"]} == {"reader"}
        scoped = r.headers["X-Subject-Token"]
        assert member("DELETE", f"/OS-TRUST/trusts/{tid}").status_code == 204
        gone = requests.get(identity.auth_url + "/auth/tokens", timeout=TIMEOUT, headers={
            "X-Auth-Token": admin.token, "X-Subject-Token": scoped})
        assert gone.status_code == 404, gone.text
        assert _trust_token(identity, own, tid).status_code == 401
    finally:
        admin("DELETE", f"/users/{trustee['id']}")


# --- policies ---------------------------------------------------------------------------------

def test_policies(identity: Identity, world: World) -> None:
    admin, member = world.admin, world.member
    kind = f"application/osnb-{world.mark}"
    body = {"blob": "{'foobar_user': 'role:compute-user'}", "type": kind}
    assert member("POST", "/policies", {"policy": body}).status_code == 403
    assert admin("POST", "/policies", {"policy": {"type": kind}}).status_code == 400
    r = admin("POST", "/policies", {"policy": body})
    assert r.status_code == 201, r.text
    policy = r.json()["policy"]
    assert set(policy) == {"id", "blob", "type", "links"} and policy["blob"] == body["blob"]
    try:
        assert [p["id"] for p in admin("GET", f"/policies?type={kind}").json()["policies"]] \
            == [policy["id"]]
        assert member("GET", "/policies").status_code == 403
        assert member("GET", f"/policies/{policy['id']}").status_code == 403
        r = admin("PATCH", f"/policies/{policy['id']}", {"policy": {"blob": "{}"}})
        assert r.status_code == 200 and r.json()["policy"]["blob"] == "{}"
    finally:
        assert admin("DELETE", f"/policies/{policy['id']}").status_code == 204
    missing = admin("GET", f"/policies/{policy['id']}")
    assert missing.status_code == 404
    assert _message(missing) == f"Could not find policy: {policy['id']}."
