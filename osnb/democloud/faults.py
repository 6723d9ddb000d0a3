"""Faults on demand: added latency, a rate of 500/503s and of 429s with ``Retry-After``.

The settings live on the :class:`~osnb.democloud.store.Config` of the running world, so a
test or a benchmark can change them while the server runs (``cloud.set_faults(...)``).
Token requests (``/identity/v3/auth/tokens``) are spared errors unless
``faults_on_auth`` is set: a flaky API behind a working Keystone is the common case.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .http import error_payload
from .store import Store

__all__ = ["FaultMiddleware"]


class FaultMiddleware:
    """ASGI middleware that delays and fails requests as the world's config says."""

    def __init__(self, app: ASGIApp, store: Store, style_of: Any) -> None:
        self.app = app
        self.store = store
        self.style_of = style_of
        self.rng = random.Random(store.config.seed + 1)
        self.faults_on_auth = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cfg = self.store.config
        if cfg.latency_ms > 0:
            await asyncio.sleep(cfg.latency_ms / 1000.0)
        path: str = scope.get("path", "")
        spared = path.startswith("/identity") and not self.faults_on_auth
        if not spared and (cfg.error_rate > 0 or cfg.rate_limit_rate > 0):
            roll = self.rng.random()
            if roll < cfg.rate_limit_rate:
                await self._fail(send, scope, 429, "Rate limit exceeded; retry later.",
                                 {"retry-after": str(cfg.retry_after)})
                return
            if roll < cfg.rate_limit_rate + cfg.error_rate:
                status = 503 if self.rng.random() < 0.5 else 500
                await self._fail(send, scope, status, "Injected fault: the service is "
                                 "having a bad moment.", {})
                return
        await self.app(scope, receive, send)

    async def _fail(self, send: Send, scope: Scope, status: int, message: str,
                    extra: dict[str, str]) -> None:
        accept = next((v.decode("latin-1") for k, v in scope.get("headers", [])
                       if k == b"accept"), None)
        body, media = error_payload(self.style_of(scope.get("path", "")), status, message,
                                    accept=accept)
        headers = [(b"content-type", media.encode()),
                   (b"content-length", str(len(body)).encode())]
        headers += [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
