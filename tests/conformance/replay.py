"""A replay cloud: a Keystone that hands out a catalog, and services that answer a sample.

Real HTTP on 127.0.0.1: ``POST /identity/v3/auth/tokens`` returns a token whose catalog
points every service at this server; each service answers version discovery with the
microversion the current sample documents as its maximum, and any other GET under its
prefix with the sample's body. A test sets the sample (:meth:`Replay.serve`), connects
(:meth:`Replay.connect`) and reads it back through osnb's proxies.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import osnb
from osnb.democloud._serve import serve_app

__all__ = ["PREFIXES", "Replay", "replaying"]

PROJECT = "6f70656e737461636b20342065766572"
# service type → (URL prefix on this server, path of its catalog endpoint under the prefix)
PREFIXES: dict[str, tuple[str, str]] = {
    "compute": ("/compute", "/v2.1"),
    "block-storage": ("/volume", "/v3"),
    "image": ("/image", ""),
    "network": ("/network", ""),
    "identity": ("/identity", "/v3"),
    "placement": ("/placement", ""),
}
MIN_VERSIONS = {"compute": "2.1", "block-storage": "3.0", "placement": "1.0"}


class Replay:
    """The state the server answers from: one sample body and its microversion."""

    def __init__(self) -> None:
        self.url = ""
        self.service: str | None = None
        self.body: Any = None
        self.microversion: str | None = None
        self.requests: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()

    def serve(self, service: str, body: Any, microversion: str | None) -> None:
        with self._lock:
            self.service, self.body, self.microversion = service, body, microversion
            self.requests = []

    def connect(self) -> Any:
        """A fresh osnb Connection (nothing negotiated yet) to this replay cloud."""
        cloud = {"auth": {"auth_url": self.url + "/identity/v3", "username": "replay",
                          "password": "replay", "project_name": "replay",
                          "user_domain_name": "Default", "project_domain_name": "Default"},
                 "region_name": "RegionOne", "identity_api_version": 3}
        return osnb.connect("replay", config={"clouds": {"replay": cloud}})

    # -- the app ------------------------------------------------------------------------
    def _version(self, service: str, request: Request) -> dict[str, Any]:
        prefix, root = PREFIXES[service]
        base = str(request.base_url).rstrip("/") + prefix
        ids = {"compute": "v2.1", "block-storage": "v3.0", "image": "v2.17",
               "network": "v2.0", "identity": "v3.14", "placement": "v1.0"}
        href = base + {"image": "/v2/", "network": "/v2.0/"}.get(service, root + "/")
        doc: dict[str, Any] = {"id": ids[service], "status": "CURRENT",
                               "links": [{"rel": "self", "href": href}]}
        if service in MIN_VERSIONS:
            current = self.microversion if self.service == service else None
            doc["min_version"] = MIN_VERSIONS[service]
            key = "max_version" if service == "placement" else "version"
            doc[key] = current or MIN_VERSIONS[service]
        return doc

    def app(self) -> Starlette:
        async def tokens(request: Request) -> Response:
            base = str(request.base_url).rstrip("/")
            catalog = [{"type": service, "name": service, "id": service,
                        "endpoints": [{"id": service + i, "interface": i,
                                       "region": "RegionOne", "region_id": "RegionOne",
                                       "url": base + prefix + root}
                                      for i in ("public", "internal", "admin")]}
                       for service, (prefix, root) in PREFIXES.items()]
            token = {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
                     "issued_at": "2026-01-01T00:00:00.000000Z",
                     "user": {"id": "u1", "name": "replay", "domain": {"id": "default",
                                                                        "name": "Default"}},
                     "project": {"id": PROJECT, "name": "replay",
                                 "domain": {"id": "default", "name": "Default"}},
                     "roles": [{"id": "r1", "name": "admin"}], "catalog": catalog}
            return JSONResponse({"token": token}, status_code=201,
                                headers={"X-Subject-Token": "replay-token"})

        async def answer(request: Request) -> Response:
            path = "/" + request.path_params["rest"]
            service = next((s for s, (p, _) in PREFIXES.items()
                            if path == p or path.startswith(p + "/")), None)
            if service is None:
                return JSONResponse({"error": "no such service"}, status_code=404)
            prefix, root = PREFIXES[service]
            inner = path[len(prefix):].rstrip("/")
            roots = {"", root, "/v2", "/v2.0", f"{root}/{PROJECT}"}
            with self._lock:
                self.requests.append((request.method, path,
                                      request.headers.get("openstack-api-version")))
                if inner in roots:
                    doc = self._version(service, request)
                    if inner == root and root and service != "block-storage":
                        return JSONResponse({"version": doc})
                    return JSONResponse({"versions": [doc]})
                if self.service != service or request.method != "GET":
                    return JSONResponse({"error": f"nothing replayed for {service}"},
                                        status_code=404)
                return JSONResponse(self.body)

        return Starlette(routes=[
            Route("/identity/v3/auth/tokens", tokens, methods=["POST"]),
            Route("/{rest:path}", answer, methods=["GET", "HEAD"]),
        ])


@contextmanager
def replaying() -> Iterator[Replay]:
    """A running replay cloud."""
    replay = Replay()
    served = serve_app(replay.app())
    replay.url = served.url
    try:
        yield replay
    finally:
        served.stop()
