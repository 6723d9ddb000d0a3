"""Version discovery and ``/v3/auth/*``: issuing, validating and revoking tokens."""

from __future__ import annotations

import datetime as _dt
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, auth, json_body, json_response, query_bool, store_of
from ...store import Record, Store, Token, isotime, now
from ._common import (
    V3,
    Handler,
    Resource,
    base_url,
    check_password,
    effective_role_ids,
    endpoint_url,
    expand_implied,
    hash_secret,
    listing,
    reachable,
    record_revocation,
)
from ._dialect import KEYSTONE
from ._ep_filter import allowed_endpoints
from ._resources import DOMAINS, PROJECTS

__all__ = ["catalog_for", "routes", "token_body", "versions"]

UNAUTHORIZED = "The request you have made requires authentication."
_MEDIA = [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]


def _version(request: Request) -> dict[str, Any]:
    return {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": f"{base_url(request)}{V3}/"}],
            "media-types": _MEDIA}


async def versions(request: Request) -> Response:
    return json_response({"versions": {"values": [_version(request)]}}, 300)


async def version_v3(request: Request) -> Response:
    return json_response({"version": _version(request)})


# --- the catalog --------------------------------------------------------------------------

def catalog_for(store: Store, project_id: str | None) -> list[dict[str, Any]]:
    """The service catalog a token scoped to ``project_id`` carries; endpoints that need a
    project id are left out without one, as Keystone does."""
    by_service: dict[str, list[dict[str, Any]]] = {}
    allowed = allowed_endpoints(store, project_id)
    for ep in store.table("endpoints").values():
        if not ep.get("enabled", True) or (allowed is not None and ep["id"] not in allowed):
            continue
        url = endpoint_url(store, ep)
        if "$(project_id)s" in url or "$(tenant_id)s" in url:
            if project_id is None:
                continue
            url = url.replace("$(project_id)s", project_id).replace("$(tenant_id)s",
                                                                     project_id)
        by_service.setdefault(ep["service_id"], []).append({
            "id": ep["id"], "interface": ep["interface"], "region": ep.get("region_id"),
            "region_id": ep.get("region_id"), "url": url})
    out = []
    for svc in store.table("services").values():
        if svc.get("enabled", True) and svc["id"] in by_service:
            out.append({"endpoints": by_service[svc["id"]], "id": svc["id"],
                        "type": svc["type"], "name": svc.get("name", "")})
    return out


# --- issuing ------------------------------------------------------------------------------

def _unauthorized(message: str = UNAUTHORIZED) -> ApiError:
    return ApiError(401, message)


def _object(value: Any, field: str, needs: str = "expected an object") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(400, f"Invalid input for field '{field}': {needs}.")
    return value


def _named(store: Store, table: str, ref: dict[str, Any], field: str,
           needs: str) -> Record:
    """The user or project ``ref`` names: by ``id``, or by ``name`` in a ``domain``
    (401 when there is none, as for a wrong password)."""
    records = store.table(table)
    if "id" in ref:
        found = records.get(str(ref["id"]))
    elif "name" in ref and "domain" in ref:
        domain_id = _domain_ref(store, ref["domain"])["id"]
        found = next((r for r in records.values()
                      if r["name"] == ref["name"] and r["domain_id"] == domain_id), None)
    else:
        raise ApiError(400, f"Invalid input for field '{field}': {needs}.")
    if found is None:
        raise _unauthorized()
    return found


def _domain_ref(store: Store, ref: Any) -> Record:
    ref = _object(ref, "domain", "expected an object with 'id' or 'name'")
    domains = store.table("domains")
    if "id" in ref:
        domain = domains.get(str(ref["id"]))
    elif "name" in ref:
        domain = next((d for d in domains.values() if d["name"] == ref["name"]), None)
    else:
        raise ApiError(400, "Invalid input for field 'domain': 'id' or 'name' is required.")
    if domain is None:
        raise _unauthorized()
    return domain


def _find_user(store: Store, ref: Any) -> Record:
    ref = _object(ref, "user")
    if "name" in ref and "id" not in ref and "domain" not in ref:
        raise ApiError(400, "Invalid input for field 'user': 'domain' is required with "
                            "'name'.")
    return _named(store, "users", ref, "user", "'id' or 'name' is required")


def _check_user_enabled(store: Store, user: Record) -> None:
    domain = store.table("domains").get(user["domain_id"])
    if not user.get("enabled", True) or domain is None or not domain.get("enabled", True):
        raise _unauthorized()


@dataclass
class _Identity:
    """Who authenticated, and what a method fixes about the new token."""

    user: Record
    methods: list[str]
    expires_at: _dt.datetime | None = None
    fixed_project: str | None = None
    fixed_scope: bool = False
    roles: list[str] | None = None
    app_cred: Record | None = None
    parent_audit: str | None = None


def _password_method(store: Store, data: Any) -> _Identity:
    if not isinstance(data, dict) or not isinstance(data.get("user"), dict):
        raise ApiError(400, "Invalid input for field 'password': 'user' is required.")
    user = _find_user(store, data["user"])
    password = data["user"].get("password")
    if not isinstance(password, str) or not check_password(user, password):
        raise _unauthorized()
    _check_user_enabled(store, user)
    return _Identity(user, ["password"])


def _token_method(store: Store, data: Any) -> _Identity:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ApiError(400, "Invalid input for field 'token': 'id' is required.")
    old = store.tokens.get(data["id"])
    if old is None or old.revoked or old.expired():
        raise _unauthorized()
    user = store.table("users").get(old.user_id)
    if user is None:
        raise _unauthorized()
    if old.application_credential_id:
        raise ApiError(403, "You are not authorized to perform the requested action: a "
                            "token from an application credential cannot be rescoped.")
    return _Identity(user, sorted(set(old.methods) | {"token"}, key=lambda m: m != "token"),
                     expires_at=old.expires_at, parent_audit=old.audit_id)


def _app_cred_method(store: Store, data: Any) -> _Identity:
    if not isinstance(data, dict) or not isinstance(data.get("secret"), str):
        raise ApiError(400, "Invalid input for field 'application_credential': 'secret' "
                            "is required.")
    creds = store.table("application_credentials")
    if "id" in data:
        cred = creds.get(str(data["id"]))
        if cred is None:
            raise KEYSTONE.not_found("Application Credential", str(data["id"]))
    elif "name" in data and "user" in data:
        user = _find_user(store, data["user"])
        cred = next((c for c in creds.values()
                     if c["name"] == data["name"] and c["user_id"] == user["id"]), None)
    else:
        raise ApiError(400, "Invalid input for field 'application_credential': 'id', or "
                            "'name' and 'user', are required.")
    if cred is None or cred["_secret_hash"] != hash_secret(cred["id"], data["secret"]):
        raise _unauthorized()
    expires = cred.get("_expires")
    if expires is not None and expires <= now():
        raise _unauthorized()
    owner = store.table("users").get(cred["user_id"])
    if owner is None:
        raise _unauthorized()
    _check_user_enabled(store, owner)
    return _Identity(owner, ["application_credential"], expires_at=expires,
                     fixed_project=cred["project_id"], fixed_scope=True,
                     roles=[r["id"] for r in cred["roles"]], app_cred=cred)


_METHODS = {"password": _password_method, "token": _token_method,
            "application_credential": _app_cred_method}


_Scope = tuple[str | None, str | None, str | None]


def _scope(store: Store, scope: Any) -> _Scope:
    """(project_id, domain_id, system) asked for; 401 when the target does not exist."""
    if scope is None or scope == "unscoped":
        return None, None, None
    if not isinstance(scope, dict):
        raise ApiError(400, "Invalid input for field 'scope': expected an object.")
    if "project" in scope:
        project = _named(store, "projects", _object(scope["project"], "project"), "project",
                         "'id', or 'name' and 'domain', are required")
        return project["id"], None, None
    if "domain" in scope:
        return None, _domain_ref(store, scope["domain"])["id"], None
    if "system" in scope:
        system = scope["system"]
        if not isinstance(system, dict) or set(system) != {"all"} or system["all"] is not True:
            raise ApiError(400, "Invalid input for field 'system': expected "
                                "{\"all\": true}.")
        return None, None, "all"
    raise ApiError(400, "Invalid input for field 'scope': expected 'project', 'domain' "
                        "or 'system'.")


def _issue(store: Store, body: Any) -> Token:
    if not isinstance(body, dict) or not isinstance(body.get("auth"), dict):
        raise ApiError(400, "Invalid input for field 'auth': 'auth' is a required property.")
    req = body["auth"]
    identity = req.get("identity")
    if not isinstance(identity, dict) or not isinstance(identity.get("methods"), list) \
            or not identity["methods"]:
        raise ApiError(400, "Invalid input for field 'identity': 'methods' is a required "
                            "property.")
    if "scope" in req and req["scope"] is None:
        raise ApiError(400, "Invalid input for field 'scope': None is not of type 'object', "
                            "'string'")
    method = identity["methods"][0]
    if method not in _METHODS:
        raise ApiError(401, "Attempted to authenticate with an unsupported method.")
    ident = _METHODS[method](store, identity.get(method))
    scope = req.get("scope")
    if isinstance(scope, dict) and "OS-TRUST:trust" in scope:
        return _trust_token(store, ident, scope["OS-TRUST:trust"])
    project_id, domain_id, system = _scope(store, scope)
    if ident.fixed_scope:
        if req.get("scope") is not None and (project_id, domain_id, system) != (
                ident.fixed_project, None, None):
            raise _unauthorized("Application credentials cannot request a scope.")
        project_id, domain_id = ident.fixed_project, None
    elif project_id is None and domain_id is None and req.get("scope") is None:
        default = ident.user.get("default_project_id")
        if default and default in store.table("projects") and \
                effective_role_ids(store, ident.user["id"], "project", default):
            project_id = default
    return _mint(store, ident, project_id, domain_id, system)


def _trust_token(store: Store, ident: _Identity, ref: Any) -> Token:
    """A token scoped by a trust (``{"OS-TRUST:trust": {"id": …}}``), asked for by its
    trustee: the trust's project, the delegated roles (and those they imply) the trustor
    still holds there, the trustor as the user when the trust impersonates, no longer than
    the trust lasts; each one uses up one of its ``remaining_uses`` (the last one deletes
    it). A trust that is gone, expired or used up answers 401."""
    if not isinstance(ref, dict) or not ref.get("id"):
        raise ApiError(400, "Expecting to find trust_id in trust. The server could not "
                            "comply with the request since it is either malformed or "
                            "otherwise incorrect. The client is assumed to be in error.")
    trust = store.table("trusts").get(str(ref["id"]))
    if trust is None:
        raise _unauthorized()
    if ident.user["id"] != trust["trustee_user_id"]:
        raise ApiError(403, "You are not authorized to perform the requested action.")
    expires = _dt.datetime.fromisoformat(trust["expires_at"].replace("Z", "+00:00")) \
        if trust.get("expires_at") else None
    if expires is not None and expires <= now():
        raise _unauthorized()
    trustor = store.table("users").get(trust["trustor_user_id"])
    if trustor is None:
        raise _unauthorized()
    held = effective_role_ids(store, trustor["id"], "project", trust["project_id"])
    delegated = expand_implied(store, [r["id"] for r in trust["roles"]])
    if any(rid not in held for rid in delegated):
        raise ApiError(403, "Trustee has no delegated roles.")
    if trust.get("remaining_uses") is not None:
        trust["remaining_uses"] -= 1
        if trust["remaining_uses"] <= 0:  # the last use: Keystone deletes the trust
            del store.table("trusts")[trust["id"]]
    user = trustor if trust["impersonation"] else ident.user
    limit = min(t for t in (expires, ident.expires_at) if t) if (expires or
                                                                 ident.expires_at) else None
    token = _mint(store, _Identity(user, ident.methods, expires_at=limit,
                                   parent_audit=ident.parent_audit),
                  trust["project_id"], None, granted=delegated)
    store.table("_token_info")[token.id].update(trust_id=trust["id"], trust={
        "id": trust["id"], "trustor_user": {"id": trust["trustor_user_id"]},
        "trustee_user": {"id": trust["trustee_user_id"]},
        "impersonation": trust["impersonation"]})
    return token


def _mint(store: Store, ident: _Identity, project_id: str | None,
          domain_id: str | None, system: str | None = None, *,
          granted: list[str] | None = None) -> Token:
    """A new token; ``granted``: the roles it carries, already decided (a trust's)."""
    user_id = ident.user["id"]
    role_ids: list[str] = []
    if project_id is not None or domain_id is not None or system is not None:
        domains = store.table("domains")
        if system is not None:
            target = ("system", system)
        elif project_id is not None:
            project = store.table("projects")[project_id]
            pdomain = domains.get(project["domain_id"])
            if not project.get("enabled", True) or pdomain is None or \
                    not pdomain.get("enabled", True):
                raise _unauthorized()
            target = ("project", project_id)
        else:
            assert domain_id is not None
            if not domains[domain_id].get("enabled", True):
                raise _unauthorized()
            target = ("domain", domain_id)
        held = granted if granted is not None else effective_role_ids(store, user_id,
                                                                      *target)
        role_ids = [r for r in held if r in ident.roles] if ident.roles is not None else held
        if not role_ids:
            raise _unauthorized()
    issued = now()
    expires = issued + _dt.timedelta(seconds=store.config.token_ttl)
    if ident.expires_at is not None:
        expires = min(expires, ident.expires_at)
    roles = store.table("roles")
    token = Token(
        id="gAAAAAB" + secrets.token_urlsafe(96), user_id=user_id, methods=ident.methods,
        issued_at=issued, expires_at=expires, project_id=project_id, domain_id=domain_id,
        roles=[roles[r]["name"] for r in role_ids if r in roles],
        application_credential_id=ident.app_cred["id"] if ident.app_cred else None,
        audit_id=secrets.token_urlsafe(16)[:22], system=system)
    store.tokens[token.id] = token
    store.table("_token_info")[token.id] = {"id": token.id, "role_ids": role_ids,
                                            "parent_audit": ident.parent_audit}
    return token


def _owned(store: Store, table: str, ident: str) -> dict[str, Any]:
    """``{"domain": {id, name}, "id", "name"}`` of a user or project (blank when gone)."""
    record = store.table(table).get(ident, {"id": ident, "name": "", "domain_id": "default"})
    domain = store.table("domains").get(record["domain_id"], {"name": ""})
    return {"domain": {"id": record["domain_id"], "name": domain["name"]},
            "id": record["id"], "name": record["name"]}


def token_body(store: Store, token: Token, *, catalog: bool = True) -> dict[str, Any]:
    """The ``{"token": …}`` document Keystone returns for ``token``."""
    info = store.table("_token_info").get(token.id, {})
    body: dict[str, Any] = {
        "methods": list(token.methods),
        "user": {**_owned(store, "users", token.user_id), "password_expires_at": None},
        "audit_ids": [token.audit_id] + ([info["parent_audit"]]
                                         if info.get("parent_audit") else []),
        "expires_at": isotime(token.expires_at, micro=True),
        "issued_at": isotime(token.issued_at, micro=True),
    }
    roles = store.table("roles")
    role_ids = info.get("role_ids") or [r["id"] for r in roles.values()
                                        if r["name"] in token.roles]
    if token.project_id is not None:
        body["project"] = _owned(store, "projects", token.project_id)
        body["is_domain"] = False
    elif token.domain_id is not None:
        domain = store.table("domains").get(token.domain_id, {"name": ""})
        body["domain"] = {"id": token.domain_id, "name": domain["name"]}
    elif token.system is not None:
        body["system"] = {token.system: True}
    if token.project_id is not None or token.domain_id is not None or \
            token.system is not None:
        body["roles"] = [{"id": r, "name": roles[r]["name"]} for r in role_ids if r in roles]
        if catalog:
            body["catalog"] = catalog_for(store, token.project_id)
    # every enabled service provider, on any token (``keystone/common/render_token.py:105``)
    providers = [{"auth_url": sp["auth_url"], "id": sp["id"], "sp_url": sp["sp_url"]}
                 for sp in store.table("service_providers").values() if sp.get("enabled")]
    if providers:
        body["service_providers"] = providers
    if info.get("trust"):
        body["OS-TRUST:trust"] = dict(info["trust"])
    if token.application_credential_id:
        cred = store.table("application_credentials").get(token.application_credential_id, {})
        body["application_credential"] = {
            "id": token.application_credential_id, "name": cred.get("name", ""),
            "restricted": not cred.get("unrestricted", False)}
    return {"token": body}


async def issue(request: Request) -> Response:
    store = store_of(request)
    token = _issue(store, await json_body(request))
    body = token_body(store, token, catalog=not _nocatalog(request))
    return json_response(body, 201, headers={"X-Subject-Token": token.id})


def _nocatalog(request: Request) -> bool:
    return "nocatalog" in request.query_params and query_bool(request, "nocatalog", True)


def _subject(request: Request, action: str) -> Token:
    """The token named by ``X-Subject-Token``, when the caller may ``action`` it: Keystone's
    policy lets a user check, validate or revoke their own tokens, and an admin any; a
    system reader may also check and validate, a service user validate."""
    caller = auth(request)
    store = store_of(request)
    subject_id = request.headers.get("x-subject-token", "")
    if not subject_id:
        raise ApiError(404, "No token in the request")
    # Keystone's messages; none repeats the token, which would put a credential in logs.
    subject = store.tokens.get(subject_id)
    if subject is None:
        raise ApiError(404, "Could not recognize Fernet token")
    allow_expired = query_bool(request, "allow_expired", False)
    if subject.revoked or (subject.expired() and not allow_expired):
        raise ApiError(404, "Failed to validate token")
    allowed = caller.is_admin or subject.user_id == caller.user_id
    if action != "revoke_token":
        allowed = allowed or (caller.system is not None and "reader" in caller.roles)
    if action == "validate_token":
        allowed = allowed or "service" in caller.roles
    if not allowed:
        raise KEYSTONE.forbidden(action)
    return subject


_SUBJECT_RULES = {"GET": "validate_token", "HEAD": "check_token", "DELETE": "revoke_token"}


async def subject_token(request: Request) -> Response:
    """Validate (``GET``), check (``HEAD``) or revoke (``DELETE``) ``X-Subject-Token``."""
    subject = _subject(request, _SUBJECT_RULES[request.method])
    if request.method == "DELETE":
        subject.revoked = True
        info = store_of(request).table("_token_info").get(subject.id, {})
        record_revocation(store_of(request),
                          audit_chain_id=info.get("parent_audit") or subject.audit_id)
        return json_response(None, 204)
    headers = {"X-Subject-Token": subject.id}
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers)
    body = token_body(store_of(request), subject, catalog=not _nocatalog(request))
    return json_response(body, 200, headers=headers)


# --- what the token may reach -------------------------------------------------------------

async def auth_catalog(request: Request) -> Response:
    token = auth(request)
    if token.project_id is None and token.domain_id is None and token.system is None:
        raise ApiError(403, "A scoped token is required to get the service catalog.")
    # Keystone's catalog is not a paged list: its ``links`` hold ``self`` alone
    return json_response({"catalog": catalog_for(store_of(request), token.project_id),
                          "links": {"self": str(request.url)}})


def _reach(coll: Resource) -> Handler:
    """``/v3/auth/projects`` or ``/domains``: the enabled ones the caller holds a role on."""
    async def handler(request: Request) -> Response:
        ctx = Ctx.of(request)
        records = coll.records(ctx.store)
        return listing(request, coll.plural, [
            coll.render(ctx, records[i]) for i in reachable(ctx.store, ctx.token.user_id,
                                                            coll.singular)
            if i in records and records[i].get("enabled", True)])
    return handler


async def auth_system(request: Request) -> Response:
    token = auth(request)
    system = [{"all": True}] if effective_role_ids(store_of(request), token.user_id, "system",
                                                   "all") else []
    return json_response({"system": system, "links": {"self": str(request.url)}})


def routes() -> list[BaseRoute]:
    """Version discovery and ``/v3/auth``, relative to ``/identity``."""
    return [Route("/", versions, methods=["GET"]),
            *(Route(path, version_v3, methods=["GET"]) for path in ("/v3", "/v3/")),
            Route("/v3/auth/tokens", issue, methods=["POST"]),
            Route("/v3/auth/tokens", subject_token, methods=["GET", "HEAD", "DELETE"]),
            Route("/v3/auth/catalog", auth_catalog, methods=["GET"]),
            Route("/v3/auth/projects", _reach(PROJECTS), methods=["GET"]),
            Route("/v3/auth/domains", _reach(DOMAINS), methods=["GET"]),
            Route("/v3/auth/system", auth_system, methods=["GET"]),
            Route("/v3/OS-FEDERATION/projects", _reach(PROJECTS), methods=["GET"]),
            Route("/v3/OS-FEDERATION/domains", _reach(DOMAINS), methods=["GET"])]
