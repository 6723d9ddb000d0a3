"""Keystone's credentials, unified limits and project tags in the demo cloud, over HTTP:
the documented bodies, the 400/403/404/409 paths, member against admin."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest
import requests

from osnb import democloud

from .identity_api import TIMEOUT, Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _me(api: Api) -> dict[str, Any]:
    token = requests.get(api.url + "/auth/tokens", timeout=TIMEOUT, headers={
        **api.headers, "X-Subject-Token": api.headers["X-Auth-Token"]}).json()["token"]
    return {"user_id": token["user"]["id"], "project_id": token["project"]["id"]}


def _service(admin: Api, stype: str) -> str:
    return next(s["id"] for s in admin("GET", "/services").json()["services"]
                if s["type"] == stype)


# --- credentials --------------------------------------------------------------------------

def test_ec2_credential_id_is_the_hash_of_its_access_key(admin: Api, member: Api) -> None:
    me = _me(member)
    access = uuid.uuid4().hex
    blob = json.dumps({"access": access, "secret": "s3cret"})
    r = member("POST", "/credentials", {"credential": {"type": "ec2", "blob": blob, **me}})
    assert r.status_code == 201, r.text
    cred = r.json()["credential"]
    assert cred["id"] == hashlib.sha256(access.encode()).hexdigest()
    assert set(cred) == {"id", "type", "blob", "user_id", "project_id", "links"}
    assert cred["links"]["self"].endswith(f"/v3/credentials/{cred['id']}")
    again = member("POST", "/credentials", {"credential": {"type": "ec2", "blob": blob, **me}})
    assert again.status_code == 409
    assert "Duplicate ID" in again.json()["error"]["message"]
    # a member lists its own only; an admin everyone's, filtered by user_id and type
    mine = member("GET", "/credentials").json()["credentials"]
    assert cred["id"] in {c["id"] for c in mine}
    assert {c["user_id"] for c in mine} == {me["user_id"]}
    everyone = admin("GET", f"/credentials?user_id={me['user_id']}&type=ec2").json()
    assert cred["id"] in {c["id"] for c in everyone["credentials"]}
    assert {c["type"] for c in everyone["credentials"]} == {"ec2"}
    assert cred["id"] not in {c["id"] for c in
                              admin("GET", "/credentials?type=totp").json()["credentials"]}
    # the blob may change but not its access key
    changed = json.dumps({"access": access, "secret": "rotated"})
    r = member("PATCH", f"/credentials/{cred['id']}", {"credential": {"blob": changed}})
    assert r.status_code == 200 and r.json()["credential"]["blob"] == changed
    scoped = json.dumps({"access": access, "trust_id": "t"})
    r = member("PATCH", f"/credentials/{cred['id']}", {"credential": {"blob": scoped}})
    assert r.status_code == 400 and "trust_id can not be updated" in r.text
    moved = json.dumps({"access": "other", "secret": "x"})
    r = member("PATCH", f"/credentials/{cred['id']}", {"credential": {"blob": moved}})
    assert r.status_code == 200 and r.json()["credential"]["id"] == cred["id"]
    r = member("PATCH", f"/credentials/{cred['id']}", {"credential": {"type": "totp"}})
    assert r.status_code == 400
    assert member("DELETE", f"/credentials/{cred['id']}").status_code == 204
    assert admin("GET", f"/credentials/{cred['id']}").status_code == 404


def test_credential_bodies_are_checked(member: Api) -> None:
    me = _me(member)
    no_project = {"type": "ec2", "user_id": me["user_id"], "blob": '{"access": "a"}'}
    r = member("POST", "/credentials", {"credential": no_project})
    assert r.status_code == 400 and "project_id" in r.text
    for blob, word in (("not json", "Invalid blob"), ('{"secret": "x"}', "access")):
        r = member("POST", "/credentials", {"credential": {**no_project, **me, "blob": blob}})
        assert r.status_code == 400 and word in r.text, r.text
    r = member("POST", "/credentials", {"credential": {"type": "totp", **me}})
    assert r.status_code == 400 and "'blob' is a required property" in r.text


def test_a_member_cannot_touch_another_users_credentials(admin: Api, member: Api) -> None:
    other = next(u["id"] for u in admin("GET", "/users").json()["users"]
                 if u["id"] != _me(member)["user_id"])
    body = {"credential": {"type": "totp", "user_id": other, "blob": "GEZDGNBVGY3TQOJQ"}}
    assert member("POST", "/credentials", body).status_code == 403
    made = admin("POST", "/credentials", body)
    assert made.status_code == 201, made.text
    cid = made.json()["credential"]["id"]
    assert made.json()["credential"]["project_id"] is None
    assert cid not in {c["id"] for c in member("GET", "/credentials").json()["credentials"]}
    for method in ("GET", "DELETE"):
        assert member(method, f"/credentials/{cid}").status_code == 403
    assert admin("GET", f"/credentials/{cid}").json()["credential"]["user_id"] == other


def test_deleting_a_user_deletes_its_credentials(admin: Api) -> None:
    user = admin("POST", "/users", {"user": {"name": f"cred-{uuid.uuid4().hex[:8]}"}})
    uid = user.json()["user"]["id"]
    cred = admin("POST", "/credentials", {"credential": {
        "type": "cert", "user_id": uid, "blob": "-----BEGIN CERTIFICATE-----"}})
    cid = cred.json()["credential"]["id"]
    assert admin("DELETE", f"/users/{uid}").status_code == 204
    assert admin("GET", f"/credentials/{cid}").status_code == 404


def test_the_seeded_ec2_credential_belongs_to_the_member(member: Api) -> None:
    creds = member("GET", "/credentials?type=ec2").json()["credentials"]
    assert creds and all(json.loads(c["blob"])["access"] for c in creds)


# --- unified limits -------------------------------------------------------------------------

def _registered(admin: Api, **body: Any) -> requests.Response:
    return admin("POST", "/registered_limits", {"registered_limits": [body]})


def test_registered_limits_batch_create_update_delete(admin: Api, member: Api) -> None:
    sid = _service(admin, "block-storage") if any(
        s["type"] == "block-storage" for s in admin("GET", "/services").json()["services"]
    ) else _service(admin, "compute")
    name = f"res-{uuid.uuid4().hex[:6]}"
    r = admin("POST", "/registered_limits", {"registered_limits": [
        {"service_id": sid, "region_id": "RegionOne", "resource_name": name,
         "default_limit": 5},
        {"service_id": sid, "resource_name": name, "default_limit": 10,
         "description": "Number of things"}]})
    assert r.status_code == 201, r.text
    made = r.json()["registered_limits"]
    assert [m["region_id"] for m in made] == ["RegionOne", None]
    assert set(made[0]) == {"id", "service_id", "region_id", "resource_name",
                            "default_limit", "description", "links"}
    assert "links" not in r.json()
    # the same triple again: 409, and nothing of the batch is stored
    other = f"res-{uuid.uuid4().hex[:6]}"
    r = admin("POST", "/registered_limits", {"registered_limits": [
        {"service_id": sid, "resource_name": other, "default_limit": 1},
        {"service_id": sid, "resource_name": name, "default_limit": 2}]})
    assert r.status_code == 409 and "Duplicate entry" in r.text
    assert admin("GET", f"/registered_limits?resource_name={other}").json()[
        "registered_limits"] == []
    listed = member("GET", f"/registered_limits?resource_name={name}&region_id=RegionOne")
    assert [x["id"] for x in listed.json()["registered_limits"]] == [made[0]["id"]]
    assert member("GET", f"/registered_limits/{made[1]['id']}").status_code == 200
    r = admin("PATCH", f"/registered_limits/{made[1]['id']}",
              {"registered_limit": {"default_limit": 11}})
    assert r.status_code == 200 and r.json()["registered_limit"]["default_limit"] == 11
    r = admin("PATCH", f"/registered_limits/{made[1]['id']}",
              {"registered_limit": {"region_id": "RegionOne"}})  # now equal to made[0]
    assert r.status_code == 409
    assert member("PATCH", f"/registered_limits/{made[1]['id']}",
                  {"registered_limit": {"default_limit": 1}}).status_code == 403
    assert member("DELETE", f"/registered_limits/{made[1]['id']}").status_code == 403
    for m in made:
        assert admin("DELETE", f"/registered_limits/{m['id']}").status_code == 204
    assert admin("GET", f"/registered_limits/{made[0]['id']}").status_code == 404


def test_registered_limit_bodies_are_checked(admin: Api, member: Api) -> None:
    sid = _service(admin, "compute")
    assert member("POST", "/registered_limits", {"registered_limits": [
        {"service_id": sid, "resource_name": "x", "default_limit": 1}]}).status_code == 403
    cases = [({"service_id": sid, "resource_name": "x"}, "default_limit"),
             ({"service_id": sid, "resource_name": "x", "default_limit": -2}, "default_limit"),
             ({"service_id": sid, "resource_name": "x", "default_limit": "5"}, "default_limit"),
             ({"service_id": sid, "resource_name": "x", "default_limit": 1, "colour": 1},
              "colour"),
             ({"service_id": uuid.uuid4().hex, "resource_name": "x", "default_limit": 1},
              "Expecting to find service_id"),
             ({"service_id": sid, "region_id": "Nowhere", "resource_name": "x",
               "default_limit": 1}, "Expecting to find region_id")]
    for body, word in cases:
        r = _registered(admin, **body)
        assert r.status_code == 400 and word in r.text, (body, r.text)
    assert admin("POST", "/registered_limits", {"registered_limits": []}).status_code == 400


def test_a_limit_needs_its_registered_limit_and_pins_it(admin: Api, member: Api) -> None:
    sid = _service(admin, "compute")
    me = _me(member)
    name = f"res-{uuid.uuid4().hex[:6]}"
    limit = {"service_id": sid, "project_id": me["project_id"], "resource_name": name,
             "resource_limit": 7}
    r = admin("POST", "/limits", {"limits": [limit]})
    assert r.status_code == 403
    assert r.json()["error"]["message"] == ("Unable to create a limit that has no "
                                            "corresponding registered limit.")
    reg = _registered(admin, service_id=sid, resource_name=name, default_limit=3)
    reg_id = reg.json()["registered_limits"][0]["id"]
    assert member("POST", "/limits", {"limits": [limit]}).status_code == 403
    r = admin("POST", "/limits", {"limits": [limit]})
    assert r.status_code == 201, r.text
    made = r.json()["limits"][0]
    assert set(made) == {"id", "service_id", "region_id", "resource_name", "project_id",
                         "domain_id", "resource_limit", "description", "links"}
    assert (made["project_id"], made["domain_id"], made["region_id"]) == \
        (me["project_id"], None, None)
    assert admin("POST", "/limits", {"limits": [limit]}).status_code == 409
    # the registered limit a limit refers to can be neither changed nor deleted
    for method, body in (("PATCH", {"registered_limit": {"default_limit": 4}}),
                         ("DELETE", None)):
        r = admin(method, f"/registered_limits/{reg_id}", body)
        assert r.status_code == 403 and "project limits associated" in r.text
    # a member sees its project's limits; only the resource_limit and description change
    assert made["id"] in {x["id"] for x in member("GET", "/limits").json()["limits"]}
    assert member("GET", f"/limits/{made['id']}").status_code == 200
    r = admin("PATCH", f"/limits/{made['id']}", {"limit": {"resource_limit": 9,
                                                          "description": "raised"}})
    assert r.status_code == 200
    assert (r.json()["limit"]["resource_limit"], r.json()["limit"]["description"]) == \
        (9, "raised")
    assert admin("PATCH", f"/limits/{made['id']}",
                 {"limit": {"project_id": uuid.uuid4().hex}}).status_code == 400
    assert member("PATCH", f"/limits/{made['id']}",
                  {"limit": {"resource_limit": 1}}).status_code == 403
    assert member("DELETE", f"/limits/{made['id']}").status_code == 403
    assert admin("DELETE", f"/limits/{made['id']}").status_code == 204
    assert admin("DELETE", f"/registered_limits/{reg_id}").status_code == 204


def test_limit_bodies_and_visibility(admin: Api, member: Api) -> None:
    sid = _service(admin, "compute")
    me = _me(member)
    base = {"service_id": sid, "resource_name": "servers", "resource_limit": 1}
    both = {**base, "project_id": me["project_id"], "domain_id": "default"}
    assert admin("POST", "/limits", {"limits": [base]}).status_code == 400
    assert admin("POST", "/limits", {"limits": [both]}).status_code == 400
    r = admin("POST", "/limits", {"limits": [{**base, "project_id": uuid.uuid4().hex}]})
    assert r.status_code == 400 and "Expecting to find project_id" in r.text
    # a domain limit: the member's project-scoped list does not show it
    r = admin("POST", "/limits", {"limits": [{**base, "domain_id": "default"}]})
    assert r.status_code == 201, r.text
    lid = r.json()["limits"][0]["id"]
    assert lid in {x["id"] for x in admin("GET", "/limits?domain_id=default").json()["limits"]}
    assert lid not in {x["id"] for x in member("GET", "/limits").json()["limits"]}
    assert member("GET", f"/limits/{lid}").status_code == 403
    assert admin("DELETE", f"/limits/{lid}").status_code == 204
    assert admin("GET", f"/limits/{lid}").status_code == 404


def test_the_seeded_limits_and_the_model(admin: Api, member: Api) -> None:
    names = {r["resource_name"] for r in
             member("GET", "/registered_limits").json()["registered_limits"]}
    assert {"servers", "class:VCPU", "image_count_total"} <= names
    mine = member("GET", "/limits?resource_name=servers").json()["limits"]
    assert [x["project_id"] for x in mine] == [_me(member)["project_id"]]
    model = member("GET", "/limits/model").json()
    assert model == {"model": {"name": "flat", "description": (
        "Limit enforcement and validation does not take project hierarchy into "
        "consideration.")}}


def test_deleting_a_project_deletes_its_limits(admin: Api) -> None:
    sid = _service(admin, "compute")
    project = admin("POST", "/projects", {"project": {"name": f"lim-{uuid.uuid4().hex[:8]}"}})
    pid = project.json()["project"]["id"]
    r = admin("POST", "/limits", {"limits": [{"service_id": sid, "project_id": pid,
                                              "resource_name": "servers",
                                              "resource_limit": 2}]})
    lid = r.json()["limits"][0]["id"]
    assert admin("DELETE", f"/projects/{pid}").status_code == 204
    assert admin("GET", f"/limits/{lid}").status_code == 404


# --- project tags ---------------------------------------------------------------------------

def test_project_tags_add_check_replace_delete(admin: Api, member: Api) -> None:
    made = admin("POST", "/projects", {"project": {"name": f"tags-{uuid.uuid4().hex[:8]}"}})
    pid = made.json()["project"]["id"]
    assert admin("GET", f"/projects/{pid}/tags").json()["tags"] == []
    r = admin("PUT", f"/projects/{pid}/tags/blue")
    assert r.status_code == 201 and r.headers["Location"].endswith(f"/projects/{pid}/tags/blue")
    assert admin("PUT", f"/projects/{pid}/tags/blue").status_code == 400  # no repeats
    assert admin("GET", f"/projects/{pid}/tags/blue").status_code == 204
    assert admin("GET", f"/projects/{pid}/tags/red").status_code == 404
    r = admin("PUT", f"/projects/{pid}/tags", {"tags": ["foo", "bar"]})
    assert r.status_code == 200 and r.json()["tags"] == ["foo", "bar"]  # as sent
    assert r.json()["links"] == {"self": admin.url}  # Keystone's v3 root, not the tags
    assert admin("GET", f"/projects/{pid}/tags").json()["tags"] == ["bar", "foo"]  # stored
    assert admin("GET", f"/projects/{pid}").json()["project"]["tags"] == ["bar", "foo"]
    assert pid in {p["id"] for p in admin("GET", "/projects?tags=foo,bar").json()["projects"]}
    assert admin("DELETE", f"/projects/{pid}/tags/foo").status_code == 204
    assert admin("DELETE", f"/projects/{pid}/tags/foo").status_code == 404
    assert admin("DELETE", f"/projects/{pid}/tags").status_code == 204
    assert admin("GET", f"/projects/{pid}/tags").json()["tags"] == []
    for bad in (["a,b"], ["a/b"], [""], ["x" * 256], ["a", "a"], [f"t{i}" for i in range(81)],
                "foo", [3]):
        assert admin("PUT", f"/projects/{pid}/tags", {"tags": bad}).status_code == 400, bad
    assert admin("GET", f"/projects/{uuid.uuid4().hex}/tags").status_code == 404
    assert member("GET", f"/projects/{pid}/tags").status_code == 403


def test_a_member_reads_but_does_not_change_its_projects_tags(member: Api) -> None:
    pid = _me(member)["project_id"]
    tags = member("GET", f"/projects/{pid}/tags").json()["tags"]
    assert any(t.startswith("team:") for t in tags)  # seeded
    assert member("GET", f"/projects/{pid}/tags/{tags[0]}").status_code == 204
    assert member("PUT", f"/projects/{pid}/tags/x").status_code == 403
    assert member("PUT", f"/projects/{pid}/tags", {"tags": []}).status_code == 403
    assert member("DELETE", f"/projects/{pid}/tags").status_code == 403


# --- system role assignments ----------------------------------------------------------------

def _system_token(cloud: democloud.DemoCloud, name: str, password: str) -> requests.Response:
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": name, "password": password, "domain": {"id": "default"}}}},
        "scope": {"system": {"all": True}}}}
    return requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=TIMEOUT)


def test_system_grants_give_a_system_scope(cloud: democloud.DemoCloud, admin: Api,
                                           member: Api) -> None:
    name, password = f"sys-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    uid = admin("POST", "/users", {"user": {"name": name, "password": password}}
                ).json()["user"]["id"]
    reader = next(r for r in admin("GET", "/roles?name=reader").json()["roles"])
    try:
        assert _system_token(cloud, name, password).status_code == 401
        assert admin("GET", f"/system/users/{uid}/roles").json()["roles"] == []
        missing = admin("GET", f"/system/users/{uid}/roles/{reader['id']}")
        assert missing.status_code == 404
        assert missing.json()["error"]["message"] == (
            f"Could not find role assignment with role: {reader['id']}, user or group: "
            f"{uid}, project, domain, or system: system.")
        assert member("PUT", f"/system/users/{uid}/roles/{reader['id']}").status_code == 403
        assert member("GET", f"/system/users/{uid}/roles").status_code == 403
        assert admin("PUT", f"/system/users/{uid}/roles/{reader['id']}").status_code == 204
        assert admin("HEAD", f"/system/users/{uid}/roles/{reader['id']}").status_code == 204
        assert [r["id"] for r in admin("GET", f"/system/users/{uid}/roles").json()["roles"]] \
            == [reader["id"]]
        token = _system_token(cloud, name, password)
        assert token.status_code == 201, token.text
        assert token.json()["token"]["system"] == {"all": True}
        assert "reader" in {r["name"] for r in token.json()["token"]["roles"]}
        assigned = admin("GET", f"/role_assignments?user.id={uid}").json()["role_assignments"]
        assert [a["scope"] for a in assigned] == [{"system": {"all": True}}]
        assert admin("DELETE", f"/system/users/{uid}/roles/{reader['id']}").status_code == 204
        assert _system_token(cloud, name, password).status_code == 401
        assert admin("DELETE", f"/system/users/{uid}/roles/{reader['id']}").status_code == 404
        assert admin("GET", f"/system/users/{uuid.uuid4().hex}/roles").status_code == 404
    finally:
        admin("DELETE", f"/users/{uid}")


def test_system_grants_to_groups_and_domain_roles(admin: Api) -> None:
    gid = admin("POST", "/groups", {"group": {"name": f"sys-{uuid.uuid4().hex[:8]}"}}
                ).json()["group"]["id"]
    role = admin("POST", "/roles", {"role": {"name": f"dr-{uuid.uuid4().hex[:6]}",
                                             "domain_id": "default"}}).json()["role"]
    member_role = admin("GET", "/roles?name=member").json()["roles"][0]["id"]
    try:
        r = admin("PUT", f"/system/groups/{gid}/roles/{role['id']}")
        assert r.status_code == 400 and "domain-specific role" in r.text
        assert admin("PUT", f"/system/groups/{gid}/roles/{member_role}").status_code == 204
        assert admin("GET", f"/system/groups/{gid}/roles/{member_role}").status_code == 204
        assert [x["id"] for x in admin("GET", f"/system/groups/{gid}/roles").json()["roles"]] \
            == [member_role]
        assert admin("DELETE", f"/system/groups/{gid}/roles/{member_role}").status_code == 204
    finally:
        admin("DELETE", f"/groups/{gid}")
        admin("DELETE", f"/roles/{role['id']}")


# --- trusts ---------------------------------------------------------------------------------

def test_trusts_delegate_held_roles_and_go_with_their_users(admin: Api, member: Api) -> None:
    me = _me(member)
    trustee = admin("POST", "/users", {"user": {"name": f"trustee-{uuid.uuid4().hex[:8]}"}}
                    ).json()["user"]["id"]
    body = {"trustor_user_id": me["user_id"], "trustee_user_id": trustee,
            "project_id": me["project_id"], "impersonation": True,
            "roles": [{"name": "member"}], "expires_at": "2099-01-01T10:00:00.5Z"}
    no_flag = {k: v for k, v in body.items() if k != "impersonation"}
    assert member("POST", "/OS-TRUST/trusts", {"trust": no_flag}).status_code == 400
    r = member("POST", "/OS-TRUST/trusts", {"trust": {**body, "trustee_user_id": "nobody"}})
    assert r.status_code == 404
    r = member("POST", "/OS-TRUST/trusts", {"trust": {**body, "roles": [{"name": "admin"}]}})
    assert r.status_code == 404 and r.json()["error"]["message"].startswith(
        "Could not find role:")
    assert member("POST", "/OS-TRUST/trusts", {"trust": {**body, "remaining_uses": 0}}
                  ).status_code == 400
    r = member("POST", "/OS-TRUST/trusts", {"trust": body})
    assert r.status_code == 201, r.text
    trust = r.json()["trust"]
    # "member" implies "reader", but a trust delegates what was asked for
    assert [x["name"] for x in trust["roles"]] == ["member"]
    assert trust["expires_at"] == "2099-01-01T10:00:00.000000Z"
    assert trust["links"]["self"].endswith(f"/v3/OS-TRUST/trusts/{trust['id']}")
    assert trust["roles_links"]["self"].endswith(f"/v3/{trust['id']}/roles")
    assert member("GET", f"/OS-TRUST/trusts/{trust['id']}").status_code == 200
    assert admin("GET", f"/OS-TRUST/trusts?trustee_user_id={trustee}").json()["trusts"][0][
        "id"] == trust["id"]
    assert member("GET", f"/OS-TRUST/trusts?trustee_user_id={trustee}").status_code == 403
    # the trustee goes, the trust goes with it
    assert admin("DELETE", f"/users/{trustee}").status_code == 204
    assert admin("GET", f"/OS-TRUST/trusts/{trust['id']}").status_code == 404



def test_a_trust_scoped_token_carries_the_delegated_roles(cloud: democloud.DemoCloud,
                                                          admin: Api, member: Api) -> None:
    me = _me(member)
    name, password = f"trustee-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    trustee = admin("POST", "/users", {"user": {"name": name, "password": password}}
                    ).json()["user"]["id"]
    trust = member("POST", "/OS-TRUST/trusts", {"trust": {
        "trustor_user_id": me["user_id"], "trustee_user_id": trustee,
        "project_id": me["project_id"], "impersonation": True,
        "roles": [{"name": "member"}], "remaining_uses": 1}}).json()["trust"]
    login = {"methods": ["password"], "password": {"user": {
        "name": name, "password": password, "domain": {"id": "default"}}}}
    scope = {"OS-TRUST:trust": {"id": trust["id"]}}

    def issue(identity: dict[str, Any]) -> requests.Response:
        return requests.post(cloud.auth_url + "/auth/tokens", timeout=TIMEOUT,
                             json={"auth": {"identity": identity, "scope": scope}})

    mine = {"methods": ["token"], "token": {"id": member.headers["X-Auth-Token"]}}
    assert issue(mine).status_code == 403  # only the trustee
    r = issue(login)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token["user"]["id"] == me["user_id"]  # impersonation: the trustor
    assert token["project"]["id"] == me["project_id"]
    assert {x["name"] for x in token["roles"]} == {"member", "reader"}
    assert token["OS-TRUST:trust"]["trustee_user"] == {"id": trustee}
    # the one use was the last: the trust is gone
    assert issue(login).status_code == 401
    assert admin("GET", f"/OS-TRUST/trusts/{trust['id']}").status_code == 404
    # the token it gave acts as the trustor on the project
    scoped = Api(cloud, r.headers["X-Subject-Token"])
    assert scoped("GET", f"/projects/{me['project_id']}/tags").status_code == 200
    admin("DELETE", f"/users/{trustee}")



# --- policies -------------------------------------------------------------------------------

def test_policies_are_for_admins(admin: Api, member: Api) -> None:
    body = {"blob": '{"a": "role:admin"}', "type": "application/json", "owner": "ops"}
    assert member("POST", "/policies", {"policy": body}).status_code == 403
    assert member("GET", "/policies").status_code == 403
    assert admin("POST", "/policies", {"policy": {"blob": "{}"}}).status_code == 400
    r = admin("POST", "/policies", {"policy": body})
    assert r.status_code == 201, r.text
    policy = r.json()["policy"]
    assert policy["owner"] == "ops"  # Keystone keeps keys it does not know
    seeded = admin("GET", "/policies?type=application/json").json()["policies"]
    assert policy["id"] in {p["id"] for p in seeded} and len(seeded) >= 2
    assert admin("DELETE", f"/policies/{policy['id']}").status_code == 204
    assert admin("GET", f"/policies/{policy['id']}").status_code == 404


# --- python-openstackclient -----------------------------------------------------------------

def test_openstack_cli_limits_credentials_tags(cloud: democloud.DemoCloud, os_config: Any,
                                               member: Api) -> None:
    """``registered limit create``, ``limit create``, ``credential create``, ``trust
    create`` and ``project set --tag`` as an operator types them."""
    import subprocess
    import sys
    from pathlib import Path

    openstack = str(Path(sys.executable).with_name("openstack"))

    def cli(*args: str, json_out: bool = True) -> Any:
        done = subprocess.run([openstack, "--os-cloud", "demo", *args,
                               *(["-f", "json"] if json_out else [])],
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if json_out else done.stdout

    name = f"cli-{uuid.uuid4().hex[:6]}"
    project = _me(member)["project_id"]
    reg = cli("registered", "limit", "create", "--service", "compute", "--default-limit",
              "6", "--region", "RegionOne", name)
    assert (reg["default_limit"], reg["resource_name"], reg["region_id"]) == \
        (6, name, "RegionOne")
    lim = cli("limit", "create", "--service", "compute", "--project", project,
              "--resource-limit", "8", "--region", "RegionOne", name)
    assert (lim["resource_limit"], lim["project_id"]) == (8, project)
    listed = cli("limit", "list", "--resource-name", name)
    assert [x["ID"] for x in listed] == [lim["id"]]
    cli("limit", "delete", lim["id"], json_out=False)
    cli("registered", "limit", "delete", reg["id"], json_out=False)
    assert cli("registered", "limit", "list", "--resource-name", name) == []
    access = uuid.uuid4().hex
    cred = cli("credential", "create", "--type", "ec2", "--project", project, "admin",
               json.dumps({"access": access, "secret": "s"}))
    assert cred["id"] == hashlib.sha256(access.encode()).hexdigest()
    assert cred["id"] in {c["ID"] for c in cli("credential", "list", "--type", "ec2")}
    cli("credential", "delete", cred["id"], json_out=False)
    trustee = cli("user", "create", f"trustee-{name}")
    trust = cli("trust", "create", "--project", cloud.store.meta["admin_project"],
                "--role", "member", "--impersonate", "admin", trustee["id"])
    assert (trust["trustee_user_id"], trust["is_impersonation"]) == (trustee["id"], True)
    assert [r["name"] for r in trust["roles"]] == ["member"]
    assert trust["id"] in {t["ID"] for t in cli("trust", "list")}
    assert cli("trust", "show", trust["id"])["project_id"] == \
        cloud.store.meta["admin_project_id"]
    cli("trust", "delete", trust["id"], json_out=False)
    cli("user", "delete", trustee["id"], json_out=False)
    made = cli("project", "create", "--tag", "alpha", f"tagged-{name}")
    cli("project", "set", "--tag", "beta", made["id"], json_out=False)
    assert sorted(cli("project", "show", made["id"])["tags"]) == ["alpha", "beta"]
    cli("project", "delete", made["id"], json_out=False)
