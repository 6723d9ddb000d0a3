"""Federated sign-in, as Keystone answers it with no federated identity provider in front.

Keystone signs a federated user in from what a SAML2 or OpenID Connect service provider
module (mod_shib, mod_auth_openidc) put in the request's environment. The demo cloud has
no such module, so these calls answer what Keystone 30 answers without one, never a token:

- ``GET /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`` is an
  authentication with the protocol as its method (``keystone/api/os_federation.py``
  ``OSFederationAuthResource._auth``): a protocol that is not among ``[auth] methods`` is
  refused (401, unsupported method); ``mapped`` maps the empty assertion to nobody, which
  Keystone counts as a failed authentication (401, ``keystone/auth/plugins/mapped.py``
  ``handle_unscoped_token``).
- ``GET /v3/auth/OS-FEDERATION/websso/{protocol}`` looks for the identity provider's entity
  id in the environment (``keystone/api/auth.py`` ``AuthFederationWebSSOResource``): 401.
- ``GET /v3/auth/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/websso``
  first needs the dashboard to return to (``origin``, 400 without it), which must be a
  trusted dashboard (none is configured: 401). The api-ref spells it ``…/protocol/…``,
  a path Keystone 30 does not route (404, ``keystone/api/auth.py:579``).

Keystone's security errors say no more than "requires authentication" (its
``insecure_debug`` is off).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, store_of
from ._federation import FED, IDENTITY_PROVIDERS, PROTOCOLS

__all__ = ["AUTH_METHODS", "routes"]

AUTH_METHODS = ("external", "password", "token", "oauth1", "mapped",
                "application_credential")
"""Keystone 30's default ``[auth] methods``: a federation protocol authenticates only as one
of them (``mapped``)."""
_UNAUTHORIZED = "The request you have made requires authentication."


async def protocol_auth(request: Request) -> Response:
    """Authenticate with the protocol as the method: refused without an assertion (the
    mapping's failure is hidden behind "requires authentication")."""
    protocol = request.path_params["protocol"]
    if protocol not in AUTH_METHODS:
        raise ApiError(401, "Attempted to authenticate with an unsupported method.")
    store = store_of(request)
    idp = IDENTITY_PROVIDERS.lookup(store, request.path_params["idp"])["id"]
    PROTOCOLS.lookup(store, f"{idp}|{protocol}")
    raise ApiError(401, _UNAUTHORIZED)


async def websso(request: Request) -> Response:
    """WebSSO by protocol: the identity provider's entity id is not in the environment."""
    raise ApiError(401, _UNAUTHORIZED)


async def idp_websso(request: Request) -> Response:
    """WebSSO through one identity provider: the dashboard to return to must be given and
    trusted (Keystone's ``[federation] trusted_dashboard`` is empty)."""
    if not request.query_params.get("origin"):
        raise ApiError(400, "Request must have an origin query parameter")
    raise ApiError(401, _UNAUTHORIZED)


def routes() -> list[BaseRoute]:
    auth = f"/v3/{FED}/identity_providers/{{idp}}/protocols/{{protocol}}/auth"
    sso = f"/v3/auth/{FED}"
    return [Route(auth, protocol_auth, methods=["GET", "POST"]),
            Route(f"{sso}/websso/{{protocol}}", websso, methods=["GET", "POST"]),
            Route(f"{sso}/identity_providers/{{idp}}/protocols/{{protocol}}/websso",
                  idp_websso, methods=["GET", "POST"])]
