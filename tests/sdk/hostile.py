"""A small Keystone-shaped service that misbehaves on demand, over real HTTP on loopback.

It issues tokens (``POST /v3/auth/tokens``, with a catalog naming one ``test`` service at
``/svc``), checks them on ``/svc/…``, and lets a test switch on what no healthy cloud does
on demand: redirect the password or the token elsewhere, revoke every token, answer with
a gzip bomb, trickle a body. Each request is recorded with what it carried.
"""

from __future__ import annotations

import asyncio
import json
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from osnb.democloud._serve import serve_app

USER = "alice"
PASSWORD = "hostile-Pa55-word"
PROJECT = "ops"


@dataclass
class State:
    base: str = ""
    mode: dict[str, Any] = field(default_factory=dict)
    """What to do wrong: ``auth_redirect``/``api_redirect`` (a URL), ``auth_delay`` (s),
    ``bomb`` (decompressed bytes), ``trickle`` (seconds of one byte every 0.1 s)."""
    valid: set[str] = field(default_factory=set)
    issued: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def revoke_all(self) -> None:
        with self.lock:
            self.valid.clear()


def _token_body(base: str) -> dict[str, Any]:
    domain = {"id": "default", "name": "Default"}
    endpoint = {"id": "e1", "interface": "public", "region": "RegionOne",
                "region_id": "RegionOne", "url": base + "/svc"}
    return {"token": {
        "methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
        "issued_at": "2026-01-01T00:00:00.000000Z", "audit_ids": ["a"],
        "user": {"id": "u1", "name": USER, "domain": domain, "password_expires_at": None},
        "project": {"id": "p1", "name": PROJECT, "domain": domain},
        "roles": [{"id": "r1", "name": "member"}],
        "catalog": [{"id": "s1", "type": "test", "name": "test", "endpoints": [endpoint]}]}}


def _gzip_zeros(size: int) -> bytes:
    """``size`` bytes of ``0`` gzipped, made a megabyte at a time (the test measures the
    client's memory in this same process)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"0" * (1 << 20)
    parts = [packer.compress(block[:min(len(block), size - done)])
             for done in range(0, size, len(block))]
    return b"".join([*parts, packer.flush()])


def build(state: State) -> Starlette:
    async def record(request: Request) -> bytes:
        body = await request.body()
        state.requests.append({"method": request.method, "path": request.url.path,
                               "headers": dict(request.headers), "body": body})
        return body

    async def version(request: Request) -> Response:
        await record(request)
        return JSONResponse({"version": {"id": "v3.14", "status": "stable", "links": [
            {"rel": "self", "href": state.base + "/v3/"}]}})

    async def tokens(request: Request) -> Response:
        body = json.loads(await record(request) or b"{}")
        if state.mode.get("auth_redirect"):
            return Response(status_code=307, headers={"location": state.mode["auth_redirect"]})
        if state.mode.get("auth_delay"):
            await asyncio.sleep(state.mode["auth_delay"])
        password = body.get("auth", {}).get("identity", {}).get("password", {})
        if password.get("user", {}).get("password") != PASSWORD:
            return JSONResponse({"error": {"code": 401, "title": "Unauthorized", "message":
                                 "The request you have made requires authentication."}},
                                status_code=401)
        with state.lock:
            state.issued += 1
            token = f"tok-{state.issued}"
            state.valid.add(token)
        return JSONResponse(_token_body(state.base), status_code=201,
                            headers={"x-subject-token": token})

    async def service(request: Request) -> Response:
        await record(request)
        if request.headers.get("x-auth-token") not in state.valid:
            return JSONResponse({"error": {"message": "token revoked"}}, status_code=401)
        path = request.path_params["rest"]
        if state.mode.get("api_redirect") and path == "things":
            return Response(status_code=302, headers={"location": state.mode["api_redirect"]})
        if path == "moved":
            return Response(status_code=301, headers={"location": "/svc/things"})
        if path == "bomb":
            size = state.mode.get("bomb", 64 * 1024 * 1024)
            return Response(_gzip_zeros(size), headers={"content-encoding": "gzip",
                                             "content-type": "application/json"})
        if path == "trickle":
            seconds = state.mode.get("trickle", 5.0)

            async def drip() -> AsyncIterator[bytes]:
                yield b'{"things": ['
                for _ in range(int(seconds / 0.1)):
                    await asyncio.sleep(0.1)
                    yield b" "
                yield b"]}"

            return StreamingResponse(drip(), media_type="application/json")
        return JSONResponse({"things": [{"id": "t1", "name": "one"}]})

    return Starlette(routes=[
        Route("/v3", version), Route("/v3/", version),
        Route("/v3/auth/tokens", tokens, methods=["POST"]),
        Route("/svc/{rest:path}", service, methods=["GET", "POST"]),
    ])


@contextmanager
def running() -> Iterator[State]:
    state = State()
    with serve_app(build(state)) as served:
        state.base = served.url
        yield state


def cloud(state: State, **settings: Any) -> dict[str, Any]:
    """A clouds.yaml-shaped mapping for cloud ``hostile``."""
    auth = {"auth_url": state.base + "/v3", "username": USER, "password": PASSWORD,
            "project_name": PROJECT, "user_domain_name": "Default",
            "project_domain_name": "Default"}
    auth.update(settings.pop("auth", {}))
    return {"clouds": {"hostile": {"auth": auth, "region_name": "RegionOne", **settings}}}
