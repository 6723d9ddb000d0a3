"""OS-OAUTH1's three-legged delegation: request token, authorize, access token.

A consumer asks for a request token on a project (``POST /v3/OS-OAUTH1/request_token``,
signed with its secret, ``Requested-Project-Id``); a user who holds roles there authorizes
it for some of them (``PUT /v3/OS-OAUTH1/authorize/{request_token_id}``, admin only, not
with a delegated token) and gives the consumer the verifier; the consumer trades the
authorized request token for an access token (``POST /v3/OS-OAUTH1/access_token``, signed
with both secrets and naming the verifier). The access token is then listed under the
user's ``OS-OAUTH1/access_tokens`` (:mod:`._oauth1`) and the request token is gone.

Requests are signed as RFC 5849 says, with ``HMAC-SHA1`` (what keystoneclient's OAuth1
plugin sends); a timestamp more than ten minutes off is refused, as oauthlib does. The
answers are Keystone 30's: ``oauth_token=…&oauth_token_secret=…&oauth_expires_at=…`` as
``application/x-www-form-urlencoded`` (201), and its 400/401/403/404 words.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import hmac
import secrets
import time
import urllib.parse
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, json_body, json_response, store_of
from ...store import Record, Store, isotime, now
from ._common import base_url, effective_role_ids, enforce
from ._oauth1 import ACCESS_TOKENS, CONSUMERS
from ._resources import PROJECTS, ROLES

__all__ = ["ACCESS_TOKEN_SECONDS", "REQUEST_TOKEN_SECONDS", "routes", "signature"]

REQUEST_TOKEN_SECONDS = 28800
"""Keystone's ``[oauth1] request_token_duration``."""
ACCESS_TOKEN_SECONDS = 86400
"""Keystone's ``[oauth1] access_token_duration``."""
_SKEW = 600
_FORM = "application/x-www-form-urlencoded"


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="~")


def signature(method: str, url: str, params: dict[str, str], consumer_secret: str,
              token_secret: str = "") -> str:
    """The ``HMAC-SHA1`` signature of a request (RFC 5849 section 3.4): ``params`` are the
    ``oauth_*`` parameters (without ``oauth_signature``) and the query's."""
    pairs = sorted((_quote(k), _quote(v)) for k, v in params.items())
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join(_quote(p) for p in (method.upper(), url, normalized))
    key = f"{_quote(consumer_secret)}&{_quote(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _oauth_params(request: Request) -> dict[str, str]:
    """The ``OAuth`` parameters of the ``Authorization`` header (``realm`` left out)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("oauth "):
        return {}
    out: dict[str, str] = {}
    for part in header[6:].split(","):
        name, _, value = part.strip().partition("=")
        if name and name != "realm":
            out[urllib.parse.unquote(name)] = urllib.parse.unquote(value.strip('"'))
    return out


def _missing(attribute: str) -> ApiError:
    return ApiError(400, f"Expecting to find {attribute} in request. The server could not "
                         "comply with the request since it is either malformed or otherwise "
                         "incorrect. The client is assumed to be in error.")


def _verify(request: Request, oauth: dict[str, str], consumer_secret: str,
            token_secret: str = "") -> None:
    """Refuse (401 ``Invalid signature``) what was not signed with these secrets, now."""
    sent = oauth.get("oauth_signature", "")
    params = {k: v for k, v in oauth.items() if k != "oauth_signature"}
    params.update(request.query_params)
    try:
        stamp = int(oauth.get("oauth_timestamp", ""))
    except ValueError:
        stamp = 0
    fresh = abs(time.time() - stamp) <= _SKEW
    path = request.url.path
    urls = {f"{base_url(request)}{path}", str(request.url.replace(query=""))}
    good = oauth.get("oauth_signature_method") == "HMAC-SHA1" and fresh and any(
        hmac.compare_digest(sent, signature(request.method, url, params, consumer_secret,
                                            token_secret)) for url in urls)
    if not good:
        raise ApiError(401, "Invalid signature")


def _form(token: str, secret: str, expires: str) -> Response:
    body = f"oauth_token={token}&oauth_token_secret={secret}&oauth_expires_at={expires}"
    return Response(body, status_code=201, media_type=_FORM)


def _expiry(seconds: int) -> str:
    return isotime(now() + _dt.timedelta(seconds=seconds), micro=True)


def _live(token: Record) -> None:
    if token["expires_at"] and _dt.datetime.fromisoformat(
            token["expires_at"].replace("Z", "+00:00")) < now():
        raise ApiError(401, "Request token is expired")


def _request_token(store: Store, ident: str) -> Record:
    token = store.table("oauth1_request_tokens").get(ident)
    if token is None:
        raise ApiError(404, "Request token not found")
    return token


async def request_token(request: Request) -> Response:
    """A consumer's request token on the project it names (unauthenticated: signed)."""
    store, oauth = store_of(request), _oauth_params(request)
    consumer_id = oauth.get("oauth_consumer_key")
    project_id = request.headers.get("requested-project-id")
    if not consumer_id:
        raise _missing("oauth_consumer_key")
    if not project_id:
        raise _missing("Requested-Project-Id")
    PROJECTS.lookup(store, project_id)
    consumer = CONSUMERS.lookup(store, consumer_id)
    _verify(request, oauth, consumer.get("_secret_kept", ""))
    ident, secret = secrets.token_hex(16), secrets.token_hex(16)
    expires = _expiry(REQUEST_TOKEN_SECONDS)
    store.table("oauth1_request_tokens")[ident] = {
        "id": ident, "_secret": secret, "consumer_id": consumer_id,
        "requested_project_id": project_id, "expires_at": expires,
        "authorizing_user_id": None, "verifier": None, "role_ids": []}
    return _form(ident, secret, expires)


async def authorize(request: Request) -> Response:
    """The caller authorizes a request token for roles it holds on the token's project."""
    ctx = Ctx.of(request)
    enforce(ctx, "authorize_request_token")
    doc = await json_body(request)
    roles = doc.get("roles", []) if isinstance(doc, dict) else []
    if not isinstance(roles, list) or not roles or not all(
            isinstance(r, dict) and (isinstance(r.get("id"), str) or
                                     isinstance(r.get("name"), str)) for r in roles):
        raise ApiError(400, f"Invalid input for field 'roles': {roles!r} is not a "
                            "non-empty list of roles by 'id' or 'name'.")
    token = ctx.token
    info = ctx.store.table("_token_info").get(token.id, {})
    if token.application_credential_id or info.get("trust_id") or "oauth1" in token.methods:
        raise ApiError(403, "Cannot authorize a request token with a token issued via "
                            "delegation.")
    req = _request_token(ctx.store, request.path_params["rid"])
    _live(req)
    wanted: set[str] = set()
    for role in roles:
        if role.get("id"):
            wanted.add(str(role["id"]))
        else:
            found = next((r for r in ROLES.records(ctx.store).values()
                          if r["name"] == role["name"] and not r.get("domain_id")), None)
            if found is None:
                raise ROLES.dialect.not_found("role", str(role["name"]))
            wanted.add(found["id"])
    held = set(effective_role_ids(ctx.store, token.user_id, "project",
                                  req["requested_project_id"]))
    if not wanted <= held:
        raise ApiError(401, "authorizing user does not have role required")
    verifier = "".join(secrets.choice("0123456789") for _ in range(8))
    req.update(authorizing_user_id=token.user_id, verifier=verifier,
               role_ids=sorted(wanted))
    return json_response({"token": {"oauth_verifier": verifier}})


async def access_token(request: Request) -> Response:
    """An authorized request token traded for an access token (the request token goes)."""
    store, oauth = store_of(request), _oauth_params(request)
    for attribute in ("oauth_consumer_key", "oauth_token", "oauth_verifier"):
        if not oauth.get(attribute):
            raise _missing(attribute)
    req = _request_token(store, oauth["oauth_token"])
    _live(req)
    if oauth["oauth_consumer_key"] not in CONSUMERS.records(store):
        raise ApiError(401, "Provided consumer does not exist.")
    if req["consumer_id"] != oauth["oauth_consumer_key"]:
        raise ApiError(401, "Provided consumer key does not match stored consumer key.")
    if req["verifier"] != oauth["oauth_verifier"]:
        raise ApiError(401, "Provided verifier does not match stored verifier")
    consumer = CONSUMERS.lookup(store, req["consumer_id"])
    _verify(request, oauth, consumer.get("_secret_kept", ""), req["_secret"])
    if not req["authorizing_user_id"]:
        raise ApiError(401, "Request Token does not have an authorizing user id.")
    ident, secret = secrets.token_hex(16), secrets.token_hex(16)
    expires = _expiry(ACCESS_TOKEN_SECONDS)
    ACCESS_TOKENS.records(store)[ident] = {
        "id": ident, "consumer_id": req["consumer_id"],
        "project_id": req["requested_project_id"],
        "authorizing_user_id": req["authorizing_user_id"], "expires_at": expires,
        "_role_ids": list(req["role_ids"]), "_secret": secret}
    del store.table("oauth1_request_tokens")[req["id"]]
    return _form(ident, secret, expires)


def routes() -> list[Any]:
    base = "/v3/OS-OAUTH1"
    out: list[BaseRoute] = [
        Route(f"{base}/request_token", request_token, methods=["POST"]),
        Route(f"{base}/authorize/{{rid}}", authorize, methods=["PUT"]),
        Route(f"{base}/access_token", access_token, methods=["POST"])]
    return out
