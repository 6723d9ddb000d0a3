"""Assemble the demo cloud's ASGI app: one mount per service, shared error rendering.

Each service module in :mod:`osnb.democloud.services` declares::

    PREFIX = "/compute"                 # where it is mounted on the one loopback port
    STYLE = "nova"                      # its error format (see http.error_body)
    CATALOG = [("compute", "nova", "/compute/v2.1")]   # (type, name, path) per entry;
                                        # a path may hold {project_id}
    def routes() -> list[BaseRoute]     # paths relative to PREFIX
    def seed(store: Store) -> None      # fill its tables (called in SEED_ORDER)
    def wire(store: Store) -> None      # optional: subscribe to the store's topics
                                        # (osnb.democloud.world), called before seeding

The services never import each other (an import-linter contract keeps it so): they meet
in the store, through its topics and the facts in :mod:`.world`.
"""

from __future__ import annotations

import logging
import time
import uuid
from types import ModuleType

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .faults import FaultMiddleware
from .http import ApiError, error_response
from .services import block_storage, compute, identity, image, network, placement
from .store import Store, bulk

__all__ = ["SERVICES", "SEED_ORDER", "build_app", "seed_world", "style_of"]

log = logging.getLogger(__name__)

SERVICES: list[ModuleType] = [identity, compute, network, block_storage, image, placement]
SEED_ORDER: list[ModuleType] = [identity, image, network, block_storage, compute, placement]


def style_of(path: str) -> str:
    """The error style of the service that owns ``path``."""
    for module in SERVICES:
        if path == module.PREFIX or path.startswith(module.PREFIX + "/"):
            style: str = module.STYLE
            return style
    return "keystone"


def seed_world(store: Store, timings: dict[str, float] | None = None) -> Store:
    """Fill ``store`` with a generated world, service by service (with the collector
    paused, see :func:`.store.bulk`).

    ``timings``, when given, receives each service module's seconds (for ``bench/``).
    """
    store.meta["catalog"] = [module.CATALOG for module in SERVICES]
    for module in SERVICES:
        if hasattr(module, "wire"):
            module.wire(store)
    store.generating = True
    try:
        with bulk():
            for module in SEED_ORDER:
                start = time.perf_counter()
                module.seed(store)
                if timings is not None:
                    timings[module.__name__.rsplit(".", 1)[-1]] = \
                        time.perf_counter() - start
    finally:
        store.generating = False
    return store


class RequestIdMiddleware:
    """Give every response an ``x-openstack-request-id`` (and Nova's own header)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = "req-" + str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = rid
        extra = [(b"x-openstack-request-id", rid.encode())]
        if scope.get("path", "").startswith(compute.PREFIX):
            extra.append((b"x-compute-request-id", rid.encode()))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_id)


def _request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = dict(exc.headers)
    if exc.status == 401:
        # keystonemiddleware names where to authenticate on every service's 401.
        base = request.app.state.store.base_url or str(request.base_url).rstrip("/")
        headers.setdefault("WWW-Authenticate", f'Keystone uri="{base}/identity"')
    return error_response(request, style_of(request.url.path), exc.status, exc.message,
                          type=exc.type, request_id=_request_id(request), headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: "The resource could not be found.",
               405: "The method is not allowed for the requested URL."}.get(
        exc.status_code, str(exc.detail))
    return error_response(request, style_of(request.url.path), exc.status_code, message,
                          request_id=_request_id(request), headers=dict(exc.headers or {}))


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("demo cloud handler failed: %s %s", request.method, request.url.path)
    return error_response(request, style_of(request.url.path), 500,
                          "An unexpected error prevented the server from fulfilling your "
                          "request.", request_id=_request_id(request))


def build_app(store: Store) -> ASGIApp:
    """The whole cloud as one ASGI app serving ``store``."""
    # A module may serve its bare prefix (``/identity``, no slash) with ``ROOT``.
    routes: list[BaseRoute] = [Route(m.PREFIX, m.ROOT, methods=["GET"])
                               for m in SERVICES if hasattr(m, "ROOT")]
    routes += [Mount(m.PREFIX, routes=m.routes()) for m in SERVICES]
    app = Starlette(routes=routes, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, Exception: _crash})
    app.state.store = store
    faulty = FaultMiddleware(app, store, style_of)
    return RequestIdMiddleware(faulty)
