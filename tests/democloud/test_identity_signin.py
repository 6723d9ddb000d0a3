"""Keystone's sign-in calls that need what the demo cloud has not, over HTTP: federated
sign-in with no identity provider module in front, the PKI revocation list, and OAuth1's
signed delegation (request token, authorize, access token) and the roles an access token
delegates, each answered as Keystone 30 answers it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
import uuid

import pytest
import requests

from osnb import democloud

from .identity_api import TIMEOUT, Api, message

FED = "/OS-FEDERATION"


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_a_protocol_that_is_no_auth_method_is_refused(cloud: democloud.DemoCloud) -> None:
    """The seeded ``saml2`` protocol is not among Keystone's ``[auth] methods``: 401, with or
    without a token (the call is unenforced)."""
    anonymous = Api(cloud, None)
    r = anonymous("GET", f"{FED}/identity_providers/partner-sso/protocols/saml2/auth")
    assert r.status_code == 401
    assert message(r) == "Attempted to authenticate with an unsupported method."
    assert r.headers["WWW-Authenticate"].startswith('Keystone uri="')


def test_a_mapped_protocol_maps_the_empty_assertion_to_nobody(admin: Api) -> None:
    """``mapped`` is an auth method: with no SAML module in front the assertion is empty and
    the mapping yields no user, a failed authentication (401, as real Keystone 30 answers
    in ``tests/realcloud/test_keystone_samples.py``); an unknown identity provider is a 404
    first."""
    made = admin("PUT", f"{FED}/identity_providers/partner-sso/protocols/mapped",
                 {"protocol": {"mapping_id": "partner-sso-mapping"}})
    assert made.status_code == 201
    try:
        r = admin("GET", f"{FED}/identity_providers/partner-sso/protocols/mapped/auth")
        assert r.status_code == 401
        assert message(r) == "The request you have made requires authentication."
        assert admin("POST", f"{FED}/identity_providers/nope/protocols/mapped/auth"
                     ).status_code == 404
    finally:
        admin("DELETE", f"{FED}/identity_providers/partner-sso/protocols/mapped")
    assert admin("GET", f"{FED}/identity_providers/partner-sso/protocols/mapped/auth"
                 ).status_code == 404  # the protocol is gone


def test_websso_needs_an_origin_and_a_trusted_dashboard(admin: Api) -> None:
    """Through an identity provider at ``…/protocols/…``: the api-ref's ``…/protocol/…`` is
    not routed (404), as in real Keystone 30."""
    by_idp = f"/auth{FED}/identity_providers/partner-sso/protocols/saml2/websso"
    assert admin("GET", by_idp.replace("/protocols/", "/protocol/")).status_code == 404
    r = admin("GET", by_idp)
    assert r.status_code == 400 and message(r) == "Request must have an origin query parameter"
    r = admin("GET", by_idp + "?origin=https://horizon.example.org/auth/websso/")
    assert r.status_code == 401  # no trusted dashboard is configured
    assert message(r) == "The request you have made requires authentication."
    r = admin("GET", f"/auth{FED}/websso/saml2?origin=https://horizon.example.org/")
    assert r.status_code == 401  # no entity id in the environment


def test_the_pki_revocation_list_is_refused(admin: Api, member: Api) -> None:
    for api in (admin, member):
        r = api("GET", "/auth/tokens/OS-PKI/revoked")
        assert r.status_code == 403
        assert message(r) == "You are not authorized to perform the requested action."


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
    assert r.status_code == 401 and message(r) == "User IDs do not match"
    assert member("GET", base).status_code == 403


# --- OAuth1: request token, authorize, access token ----------------------------------------

def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="~")


def _sign(method: str, url: str, params: dict[str, str], consumer_secret: str,
          token_secret: str = "") -> str:
    """RFC 5849's HMAC-SHA1 signature, written here apart from the demo cloud's."""
    normalized = "&".join(f"{k}={v}" for k, v in sorted(
        (_quote(k), _quote(v)) for k, v in params.items()))
    base = "&".join(_quote(p) for p in (method, url, normalized))
    key = f"{_quote(consumer_secret)}&{_quote(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()


def test_the_signer_agrees_with_rfc_5849() -> None:
    """RFC 5849 section 1.2's temporary-credentials request."""
    assert _sign("POST", "https://photos.example.net/initiate", {
        "oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": "137131200", "oauth_nonce": "wIjqoS",
        "oauth_callback": "http://printer.example.com/ready"}, "kd94hf93k423kf44") == \
        "74KNZJeDHnMBp0EMJ9ZHt/XKycU="


def _oauth(url: str, consumer: tuple[str, str], token: tuple[str, str] = ("", ""),
           **extra: str) -> str:
    params = {"oauth_consumer_key": consumer[0], "oauth_signature_method": "HMAC-SHA1",
              "oauth_timestamp": str(int(time.time())), "oauth_nonce": uuid.uuid4().hex,
              "oauth_version": "1.0", **({"oauth_token": token[0]} if token[0] else {}),
              **extra}
    params["oauth_signature"] = _sign("POST", url, params, consumer[1], token[1])
    return "OAuth " + ", ".join(f'{k}="{_quote(v)}"' for k, v in params.items())


def test_oauth1_delegation_end_to_end(cloud: democloud.DemoCloud, admin: Api,
                                      member: Api) -> None:
    """A consumer's signed request token on the admin's project, authorized by the admin for
    a role it holds there, traded for an access token the admin then finds among its
    delegations (with that role); each step's refusals as Keystone words them."""
    me = requests.get(admin.url + "/auth/tokens", timeout=TIMEOUT, headers={
        **admin.headers, "X-Subject-Token": admin.headers["X-Auth-Token"]}).json()["token"]
    project, uid = me["project"]["id"], me["user"]["id"]
    role = next(r for r in me["roles"] if r["name"] == "member")
    made = admin("POST", "/OS-OAUTH1/consumers", {"consumer": {"description": "t"}})
    consumer = (made.json()["consumer"]["id"], made.json()["consumer"]["secret"])
    anonymous = Api(cloud, None)
    request_url = admin.url + "/OS-OAUTH1/request_token"
    access_url = admin.url + "/OS-OAUTH1/access_token"
    try:
        def ask_request_token(secret: str, project_id: str = project) -> requests.Response:
            return requests.post(request_url, timeout=TIMEOUT, headers={
                "Requested-Project-Id": project_id,
                "Authorization": _oauth(request_url, (consumer[0], secret),
                                        oauth_callback="oob")})
        bad = ask_request_token("not-the-secret")
        assert bad.status_code == 401 and message(bad) == "Invalid signature"
        assert ask_request_token(consumer[1], "nope").status_code == 404
        r = requests.post(request_url, timeout=TIMEOUT, headers={
            "Authorization": _oauth(request_url, consumer)})
        assert r.status_code == 400 and "Requested-Project-Id" in message(r)
        r = ask_request_token(consumer[1])
        assert r.status_code == 201
        assert r.headers["content-type"].startswith("application/x-www-form-urlencoded")
        got = urllib.parse.parse_qs(r.text)
        request_token = (got["oauth_token"][0], got["oauth_token_secret"][0])
        assert got["oauth_expires_at"][0] > me["issued_at"]

        authorize = f"/OS-OAUTH1/authorize/{request_token[0]}"
        r = member("PUT", authorize, {"roles": [{"id": role["id"]}]})
        assert r.status_code == 403 and "identity:authorize_request_token" in message(r)
        r = admin("PUT", authorize, {"roles": [{"id": "not-held"}]})
        assert r.status_code == 401
        assert message(r) == "authorizing user does not have role required"
        assert admin("PUT", "/OS-OAUTH1/authorize/nope", {"roles": [{"id": role["id"]}]}
                     ).status_code == 404

        def trade(verifier: str, secret: str = request_token[1]) -> requests.Response:
            return anonymous("POST", "/OS-OAUTH1/access_token") if not verifier else \
                requests.post(access_url, timeout=TIMEOUT, headers={"Authorization": _oauth(
                    access_url, consumer, (request_token[0], secret),
                    oauth_verifier=verifier)})
        assert trade("").status_code == 400  # no OAuth parameters at all
        unauthorized = trade("00000000")
        assert unauthorized.status_code == 401  # no verifier yet: not authorized
        r = admin("PUT", authorize, {"roles": [{"name": "member"}]})
        assert r.status_code == 200
        verifier = r.json()["token"]["oauth_verifier"]
        assert trade(verifier, "wrong").status_code == 401
        r = trade(verifier)
        assert r.status_code == 201
        access = urllib.parse.parse_qs(r.text)["oauth_token"][0]
        assert trade(verifier).status_code == 404  # the request token is used up

        tokens = admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens").json()["access_tokens"]
        mine = next(t for t in tokens if t["id"] == access)
        assert (mine["consumer_id"], mine["project_id"]) == (consumer[0], project)
        roles = admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens/{access}/roles").json()
        assert [r["id"] for r in roles["roles"]] == [role["id"]]
    finally:
        admin("DELETE", f"/OS-OAUTH1/consumers/{consumer[0]}")
    assert not [t for t in admin("GET", f"/users/{uid}/OS-OAUTH1/access_tokens").json()[
        "access_tokens"] if t["consumer_id"] == consumer[0]]  # gone with its consumer
