"""OS-REVOKE events (what a service caching tokens must forget); OS-SIMPLE-CERT, which
Keystone no longer serves (410, as it answers since PKI tokens were removed); and the PKI
revocation list, which Keystone refuses (403: it stores no tokens, so it has no list of
revoked ones; ``keystone/api/auth.py`` ``AuthTokenOSPKIResource``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, auth, store_of
from ._common import listing

__all__ = ["routes"]


async def revoke_events(request: Request) -> Response:
    """Every revocation so far, oldest first; ``?since=`` keeps those at or after it."""
    auth(request)
    since = request.query_params.get("since")
    events = list(store_of(request).table("revoke_events").values())
    if since:
        cut = since.replace("Z", "")[:19]
        events = [e for e in events if e["revoked_at"][:19] >= cut]
    return listing(request, "events", events)


async def simple_cert(request: Request) -> Response:
    raise ApiError(410, "This API is no longer available due to the removal of support "
                        "for PKI tokens.")


async def pki_revoked(request: Request) -> Response:
    """``GET /v3/auth/tokens/OS-PKI/revoked``: deprecated, refused (``revoke_by_id`` is on)."""
    raise ApiError(403, "You are not authorized to perform the requested action.")


def routes() -> list[BaseRoute]:
    return [Route("/v3/OS-REVOKE/events", revoke_events, methods=["GET"]),
            Route("/v3/auth/tokens/OS-PKI/revoked", pki_revoked, methods=["GET", "HEAD"]),
            Route("/v3/OS-SIMPLE-CERT/ca", simple_cert, methods=["GET"]),
            Route("/v3/OS-SIMPLE-CERT/certificates", simple_cert, methods=["GET"])]
