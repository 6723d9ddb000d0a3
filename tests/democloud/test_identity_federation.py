"""Keystone's OS-FEDERATION and OS-OAUTH1 in the demo cloud, over HTTP: identity
providers, protocols, mappings and service providers created by ``PUT`` to their id,
with the 400/403/404/409 paths, member against admin, and OAuth1 consumers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud

from .identity_api import TIMEOUT, Api, message

FED = "/OS-FEDERATION"
RULES = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "REMOTE_USER"}]}]


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture
def mark(admin: Api) -> Iterator[str]:
    """A fresh name; whatever the test made under it is removed after."""
    name = "t-" + uuid.uuid4().hex[:8]
    yield name
    for path in (f"{FED}/identity_providers/{name}", f"{FED}/mappings/{name}",
                 f"{FED}/service_providers/{name}"):
        admin("DELETE", path)


def test_seeded_federation_is_listed(admin: Api) -> None:
    idps = admin("GET", f"{FED}/identity_providers").json()["identity_providers"]
    sso = next(i for i in idps if i["id"] == "partner-sso")
    assert set(sso) == {"id", "domain_id", "enabled", "description", "remote_ids",
                        "authorization_ttl", "links"}
    assert sso["links"]["protocols"].endswith(f"{FED}/identity_providers/partner-sso/protocols")
    protocols = admin("GET", f"{FED}/identity_providers/partner-sso/protocols").json()
    assert [(p["id"], p["mapping_id"], p["idp_id"]) for p in protocols["protocols"]] == \
        [("saml2", "partner-sso-mapping", "partner-sso")]
    one = admin("GET", f"{FED}/identity_providers/partner-sso/protocols/saml2").json()
    assert set(one["protocol"]) == {"id", "mapping_id", "links"}
    mapping = admin("GET", f"{FED}/mappings/partner-sso-mapping").json()["mapping"]
    assert mapping["schema_version"] == "1.0" and mapping["rules"][0]["remote"]
    assert admin("GET", f"{FED}/service_providers/edge-cloud").json()[
        "service_provider"]["relay_state_prefix"] == "ss:mem:"


def test_identity_provider_lifecycle(admin: Api, mark: str) -> None:
    r = admin("PUT", f"{FED}/identity_providers/{mark}", {"identity_provider": {
        "remote_ids": [f"https://{mark}.example.org"], "enabled": True}})
    assert r.status_code == 201, r.text
    idp = r.json()["identity_provider"]
    assert idp["id"] == mark and idp["authorization_ttl"] is None
    # Without a domain_id Keystone makes the provider a domain of its own.
    domain = admin("GET", f"/domains/{idp['domain_id']}").json()["domain"]
    assert domain["description"] == f"Auto generated federated domain for Identity Provider: {mark}"
    again = admin("PUT", f"{FED}/identity_providers/{mark}", {"identity_provider": {}})
    assert again.status_code == 409
    clash = admin("PUT", f"{FED}/identity_providers/{mark}-2", {"identity_provider": {
        "remote_ids": [f"https://{mark}.example.org"]}})
    assert clash.status_code == 409
    assert message(clash) == ("Conflict occurred attempting to store identity_provider - "
                               "Duplicate remote ID: None.")
    bad = admin("PATCH", f"{FED}/identity_providers/{mark}",
                {"identity_provider": {"domain_id": "default"}})
    assert bad.status_code == 400 and "'domain_id' was unexpected" in message(bad)
    r = admin("PATCH", f"{FED}/identity_providers/{mark}", {"identity_provider": {
        "enabled": False, "description": "off"}})
    assert r.status_code == 200 and r.json()["identity_provider"]["enabled"] is False

    assert admin("PUT", f"{FED}/identity_providers/{mark}/protocols/saml2", {
        "protocol": {"mapping_id": mark}}).status_code == 400  # no such mapping yet
    assert admin("PUT", f"{FED}/mappings/{mark}", {"mapping": {"rules": RULES}}
                 ).status_code == 201
    r = admin("PUT", f"{FED}/identity_providers/{mark}/protocols/saml2",
              {"protocol": {"mapping_id": mark}})
    assert r.status_code == 201, r.text
    assert admin("PUT", f"{FED}/identity_providers/{mark}/protocols/saml2",
                 {"protocol": {"mapping_id": mark}}).status_code == 409
    assert admin("PATCH", f"{FED}/identity_providers/{mark}/protocols/saml2",
                 {"protocol": {"mapping_id": "nope"}}).status_code == 400
    assert admin("DELETE", f"{FED}/identity_providers/{mark}").status_code == 204
    # The provider's protocols went with it.
    assert admin("GET", f"{FED}/identity_providers/{mark}/protocols/saml2"
                 ).status_code == 404


def test_mapping_rules_are_checked(admin: Api, mark: str) -> None:
    r = admin("PUT", f"{FED}/mappings/{mark}", {"mapping": {"rules": [{"local": []}]}})
    assert r.status_code == 400 and message(r) == "'remote' is a required property\n"
    assert admin("PUT", f"{FED}/mappings/{mark}", {"mapping": {}}).status_code == 400
    assert admin("PUT", f"{FED}/mappings/{mark}", {"mapping": {"rules": RULES}}
                 ).status_code == 201
    assert admin("PUT", f"{FED}/mappings/{mark}", {"mapping": {"rules": RULES}}
                 ).status_code == 409
    new = [{**RULES[0], "remote": [{"type": "OIDC-email"}]}]
    r = admin("PATCH", f"{FED}/mappings/{mark}", {"mapping": {"rules": new}})
    assert r.json()["mapping"]["rules"] == new


def test_service_provider_defaults(admin: Api, mark: str) -> None:
    r = admin("PUT", f"{FED}/service_providers/{mark}", {"service_provider": {
        "auth_url": "https://sp/v3", "sp_url": "https://sp/ecp"}})
    assert r.status_code == 201
    sp = r.json()["service_provider"]
    assert (sp["enabled"], sp["description"], sp["relay_state_prefix"]) == \
        (False, None, "ss:mem:")
    missing = admin("PUT", f"{FED}/service_providers/{mark}-x",
                    {"service_provider": {"auth_url": "https://sp/v3"}})
    assert missing.status_code == 400


def test_federation_is_admin_only(member: Api, mark: str) -> None:
    r = member("GET", f"{FED}/identity_providers")
    assert r.status_code == 403 and "identity:list_identity_providers" in message(r)
    assert member("PUT", f"{FED}/mappings/{mark}", {"mapping": {"rules": RULES}}
                  ).status_code == 403
    assert member("GET", f"{FED}/mappings/partner-sso-mapping").status_code == 403


def test_federation_projects_are_the_callers(member: Api) -> None:
    mine = member("GET", "/auth/projects").json()["projects"]
    assert member("GET", f"{FED}/projects").json()["projects"] == mine
    assert member("GET", f"{FED}/domains").status_code == 200


def test_saml2_metadata_is_an_xml_document(member: Api) -> None:
    r = member("GET", f"{FED}/saml2/metadata")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
    assert "EntityDescriptor" in r.text


# --- OAuth1 -------------------------------------------------------------------------------

def test_consumer_secret_is_shown_once(admin: Api, member: Api) -> None:
    r = admin("POST", "/OS-OAUTH1/consumers", {"consumer": {"description": "My consumer"}})
    assert r.status_code == 201
    made = r.json()["consumer"]
    assert set(made) == {"id", "description", "secret", "links"}
    try:
        shown = admin("GET", f"/OS-OAUTH1/consumers/{made['id']}").json()["consumer"]
        assert "secret" not in shown
        r = admin("PATCH", f"/OS-OAUTH1/consumers/{made['id']}",
                  {"consumer": {"description": "renamed"}})
        assert r.json()["consumer"]["description"] == "renamed"
        assert admin("PATCH", f"/OS-OAUTH1/consumers/{made['id']}",
                     {"consumer": {"secret": "x"}}).status_code == 400
        assert member("GET", "/OS-OAUTH1/consumers").status_code == 403
    finally:
        assert admin("DELETE", f"/OS-OAUTH1/consumers/{made['id']}").status_code == 204
    assert admin("GET", f"/OS-OAUTH1/consumers/{made['id']}").status_code == 404


def test_access_tokens_are_for_admins(admin: Api, member: Api) -> None:
    """The member's delegation to the seeded consumer: an admin reads it and its roles;
    Keystone 30 lets no user list its own."""
    me = requests.get(member.url + "/auth/tokens", timeout=TIMEOUT, headers={
        **member.headers, "X-Subject-Token": member.headers["X-Auth-Token"]}).json()["token"]
    uid = me["user"]["id"]
    r = member("GET", f"/users/{uid}/OS-OAUTH1/access_tokens")
    assert r.status_code == 403 and "identity:list_access_tokens" in message(r)
    tokens = admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens").json()["access_tokens"]
    assert len(tokens) == 1
    token = tokens[0]
    assert set(token) == {"id", "consumer_id", "project_id", "authorizing_user_id",
                          "expires_at", "links"}
    roles = admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens/{token['id']}/roles").json()
    assert [r["name"] for r in roles["roles"]] == ["member"]
    other = next(u["id"] for u in admin("GET", "/users").json()["users"] if u["id"] != uid)
    assert admin("GET", f"/users/{other}/OS-OAUTH1/access_tokens/{token['id']}"
                 ).status_code == 404


# --- python-openstackclient -----------------------------------------------------------------

def test_openstack_cli_federation_and_friends(cloud: democloud.DemoCloud, os_config: Any,
                                              admin: Api, tmp_path: Any) -> None:
    """``implied role create``, ``mapping create``, ``identity provider create``,
    ``federation protocol create``, ``endpoint group create``, ``role add --inherited``
    and ``access rule list`` as an operator types them."""
    import json
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
    prior = cli("role", "create", f"{name}-prior")
    implied = cli("implied", "role", "create", "--implied-role", "reader", prior["id"])
    assert implied["prior_role"] == prior["id"]
    rules = {r["Prior Role Name"]: r["Implied Role Name"]
             for r in cli("implied", "role", "list")}
    assert rules[f"{name}-prior"] == "reader"
    cli("implied", "role", "delete", "--implied-role", "reader", prior["id"], json_out=False)
    cli("role", "delete", prior["id"], json_out=False)

    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(RULES))
    mapping = cli("mapping", "create", "--rules", str(rules_file), name)
    assert mapping["id"] == name
    idp = cli("identity", "provider", "create", "--remote-id", f"https://{name}",
              "--domain", "default", "--enable", name)
    assert (idp["id"], idp["domain_id"], idp["enabled"]) == (name, "default", True)
    protocol = cli("federation", "protocol", "create", "--identity-provider", name,
                   "--mapping", name, "saml2")
    assert protocol["mapping"] == name
    assert name in {p["ID"] for p in cli("identity", "provider", "list")}
    cli("identity", "provider", "delete", name, json_out=False)
    cli("mapping", "delete", name, json_out=False)
    assert admin("GET", f"{FED}/mappings/{name}").status_code == 404

    filters = tmp_path / "filters.json"
    filters.write_text(json.dumps({"interface": "public"}))
    group = cli("endpoint", "group", "create", name, str(filters))
    assert group["filters"] == {"interface": "public"}
    cli("endpoint", "group", "add", "project", name, cloud.store.meta["admin_project"],
        json_out=False)
    assert admin("GET", f"/OS-EP-FILTER/endpoint_groups/{group['id']}/projects/"
                        f"{cloud.store.meta['admin_project_id']}").status_code == 200
    cli("endpoint", "group", "remove", "project", name, cloud.store.meta["admin_project"],
        json_out=False)
    cli("endpoint", "group", "delete", name, json_out=False)

    user = cli("user", "create", f"{name}-user")
    cli("role", "add", "--user", user["id"], "--domain", "default", "--inherited", "reader",
        json_out=False)
    inherited = admin("GET", f"/role_assignments?user.id={user['id']}").json()
    assert [a["scope"].get("OS-INHERIT:inherited_to")
            for a in inherited["role_assignments"]] == ["projects"]
    cli("role", "remove", "--user", user["id"], "--domain", "default", "--inherited",
        "reader", json_out=False)
    cli("user", "delete", user["id"], json_out=False)
    assert cli("access", "rule", "list") == []
