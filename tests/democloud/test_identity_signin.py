"""Keystone's sign-in calls that need what the demo cloud has not, over HTTP: federated
sign-in with no identity provider module in front, the PKI revocation list, and the roles an
OAuth1 access token delegates, each answered as Keystone 30 answers it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from osnb import democloud

TIMEOUT = 10
FED = "/OS-FEDERATION"


class Api:
    def __init__(self, cloud: democloud.DemoCloud, token: str | None) -> None:
        self.url = cloud.auth_url
        self.headers = {"X-Auth-Token": token} if token else {}

    def __call__(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.url + path, json=body, headers=self.headers,
                                timeout=TIMEOUT)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def _message(r: requests.Response) -> str:
    text: str = r.json()["error"]["message"]
    return text


def test_a_protocol_that_is_no_auth_method_is_refused(cloud: democloud.DemoCloud) -> None:
    """The seeded ``saml2`` protocol is not among Keystone's ``[auth] methods``: 401, with or
    without a token (the call is unenforced)."""
    anonymous = Api(cloud, None)
    r = anonymous("GET", f"{FED}/identity_providers/partner-sso/protocols/saml2/auth")
    assert r.status_code == 401
    assert _message(r) == "Attempted to authenticate with an unsupported method."
    assert r.headers["WWW-Authenticate"].startswith('Keystone uri="')


def test_a_mapped_protocol_maps_the_empty_assertion_to_nobody(admin: Api) -> None:
    """``mapped`` is an auth method: with no SAML module in front the assertion is empty and
    the mapping yields no user (400); an unknown identity provider is a 404 first."""
    made = admin("PUT", f"{FED}/identity_providers/partner-sso/protocols/mapped",
                 {"protocol": {"mapping_id": "partner-sso-mapping"}})
    assert made.status_code == 201
    try:
        r = admin("GET", f"{FED}/identity_providers/partner-sso/protocols/mapped/auth")
        assert r.status_code == 400 and _message(r).startswith(
            "Could not map any federated user properties to identity values.")
        assert admin("POST", f"{FED}/identity_providers/nope/protocols/mapped/auth"
                     ).status_code == 404
    finally:
        admin("DELETE", f"{FED}/identity_providers/partner-sso/protocols/mapped")
    assert admin("GET", f"{FED}/identity_providers/partner-sso/protocols/mapped/auth"
                 ).status_code == 404  # the protocol is gone


def test_websso_needs_an_origin_and_a_trusted_dashboard(admin: Api) -> None:
    by_idp = f"/auth{FED}/identity_providers/partner-sso/protocol/saml2/websso"
    r = admin("GET", by_idp)
    assert r.status_code == 400 and _message(r) == "Request must have an origin query parameter"
    r = admin("GET", by_idp + "?origin=https://horizon.example.org/auth/websso/")
    assert r.status_code == 401  # no trusted dashboard is configured
    assert _message(r) == "The request you have made requires authentication."
    r = admin("GET", f"/auth{FED}/websso/saml2?origin=https://horizon.example.org/")
    assert r.status_code == 401  # no entity id in the environment


def test_the_pki_revocation_list_is_refused(admin: Api, member: Api) -> None:
    for api in (admin, member):
        r = api("GET", "/auth/tokens/OS-PKI/revoked")
        assert r.status_code == 403
        assert _message(r) == "You are not authorized to perform the requested action."


def test_an_access_tokens_roles_carry_no_description(admin: Api, member: Api) -> None:
    """Keystone's ``_format_role_entity`` drops a role's description; a role asked of
    another user's token is a 401 (``User IDs do not match``), its list a 404."""
    me = requests.get(member.url + "/auth/tokens", timeout=TIMEOUT, headers={
        **member.headers, "X-Subject-Token": member.headers["X-Auth-Token"]}).json()["token"]
    uid = me["user"]["id"]
    token = admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens").json()["access_tokens"][0]
    base = f"/users/{uid}/OS-OAUTH1/access_tokens/{token['id']}/roles"
    roles = admin("GET", base).json()["roles"]
    assert roles and all("description" not in r for r in roles)
    role = admin("GET", f"{base}/{roles[0]['id']}").json()["role"]
    assert role["id"] == roles[0]["id"] and "description" not in role
    other = next(u["id"] for u in admin("GET", "/users").json()["users"] if u["id"] != uid)
    wrong = f"/users/{other}/OS-OAUTH1/access_tokens/{token['id']}/roles"
    assert admin("GET", wrong).status_code == 404
    r = admin("GET", f"{wrong}/{roles[0]['id']}")
    assert r.status_code == 401 and _message(r) == "User IDs do not match"
    assert member("GET", base).status_code == 403
