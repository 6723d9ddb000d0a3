"""A small real HTTP service that pages the way each OpenStack service does.

Core SDK tests need behaviours no healthy cloud shows on demand (a paginator that loops,
a next link to another host, a body without its key); this app serves them over real HTTP
on loopback, and records what each request carried.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

THINGS = [{"id": f"t{i:02d}", "name": f"thing-{i}", "size": str(i), "big": i % 2 == 0,
           "created": "2026-01-02T03:04:05Z", "color": "red" if i < 5 else "blue"}
          for i in range(25)]
THINGS[3]["name"] = THINGS[4]["name"] = "twin"


class Log:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def last(self) -> dict[str, Any]:
        return self.requests[-1]


def _slice(request: Request) -> tuple[list[dict[str, Any]], bool]:
    limit = int(request.query_params.get("limit", 10))
    marker = request.query_params.get("marker")
    items = [t for t in THINGS
             if all(t.get(k) == v or str(t.get(k)).lower() == v
                    for k, v in request.query_params.items() if k in ("name", "color", "big"))]
    start = 0
    if marker:
        start = next(i for i, t in enumerate(items) if t["id"] == marker) + 1
    chunk = items[start:start + limit]
    return chunk, start + limit < len(items)


def build(log: Log) -> Starlette:
    async def record(request: Request) -> None:
        body = await request.body()
        log.requests.append({"method": request.method, "path": request.url.path,
                             "query": dict(request.query_params), "body": body,
                             "headers": dict(request.headers)})

    async def nova(request: Request) -> Response:
        await record(request)
        chunk, more = _slice(request)
        body: dict[str, Any] = {"things": chunk}
        if more:
            body["things_links"] = [{"rel": "next", "href": str(request.url.include_query_params(
                marker=chunk[-1]["id"]))}]
        return JSONResponse(body)

    async def glance(request: Request) -> Response:
        await record(request)
        chunk, more = _slice(request)
        body: dict[str, Any] = {"things": chunk, "first": "/v2/things"}
        if more:
            limit = request.query_params.get("limit", "10")
            body["next"] = f"/v2/things?marker={chunk[-1]['id']}&limit={limit}"
        return JSONResponse(body)

    async def keystone(request: Request) -> Response:
        await record(request)
        chunk, more = _slice(request)
        nxt = str(request.url.include_query_params(marker=chunk[-1]["id"])) if more else None
        return JSONResponse({"things": chunk, "links": {"self": str(request.url),
                                                         "next": nxt, "previous": None}})

    async def plain(request: Request) -> Response:
        await record(request)
        chunk, _ = _slice(request)
        return JSONResponse({"things": chunk})

    async def loop_same_url(request: Request) -> Response:
        await record(request)
        return JSONResponse({"things": THINGS[:2], "things_links": [
            {"rel": "next", "href": str(request.url)}]})

    async def loop_same_page(request: Request) -> Response:
        await record(request)
        n = len(log.requests)
        return JSONResponse({"things": THINGS[:2], "things_links": [
            {"rel": "next", "href": str(request.url.include_query_params(marker=f"m{n}"))}]})

    async def alternate(request: Request) -> Response:
        await record(request)
        n = len(log.requests)
        page = THINGS[:2] if n % 2 else THINGS[2:4]
        return JSONResponse({"things": page, "things_links": [
            {"rel": "next", "href": str(request.url.include_query_params(marker=f"m{n}"))}]})

    async def elsewhere(request: Request) -> Response:
        await record(request)
        return JSONResponse({"things": THINGS[:2], "things_links": [
            {"rel": "next", "href": "http://198.51.100.7/things?marker=t01"}]})

    async def missing_key(request: Request) -> Response:
        await record(request)
        return JSONResponse({"other": []})

    async def html_page(request: Request) -> Response:
        await record(request)
        return Response("<html><body><h1>502 Bad Gateway</h1></body></html>", status_code=200,
                        media_type="text/html")

    async def truncated(request: Request) -> Response:
        await record(request)
        return Response('{"things": [{"id": "t00", "na', media_type="application/json")

    async def gateway_page(request: Request) -> Response:
        await record(request)
        return Response("<html><head><title>502 Bad Gateway</title></head><body><center>"
                        "<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>"
                        "</html>", status_code=502, media_type="text/html")

    async def item(request: Request) -> Response:
        await record(request)
        ident = request.path_params["id"]
        found = [t for t in THINGS if t["id"] == ident]
        if request.method == "GET":
            if not found:
                return JSONResponse({"itemNotFound": {"code": 404, "message":
                                     f"Thing {ident} could not be found."}}, status_code=404,
                                    headers={"x-openstack-request-id": "req-abc"})
            return JSONResponse({"thing": found[0]})
        if request.method == "PUT":
            sent = (await request.json())["thing"]
            return JSONResponse({"thing": {**(found[0] if found else {}), **sent}})
        if request.method == "HEAD":
            return Response(status_code=200 if found else 404, headers={"x-thing": "yes"})
        return Response(status_code=204 if found else 404)

    async def create(request: Request) -> Response:
        await record(request)
        sent = (await request.json())["thing"]
        return JSONResponse({"thing": {"id": "new", **sent}}, status_code=201)

    async def nested(request: Request) -> Response:
        await record(request)
        return JSONResponse({"parts": [{"id": "p1", "name": "bolt", "thing": request.path_params["thing_id"]}]})

    return Starlette(routes=[
        Route("/things", nova, methods=["GET"]),
        Route("/things", create, methods=["POST"]),
        Route("/things/{id}", item, methods=["GET", "PUT", "DELETE", "HEAD"]),
        Route("/glance/v2/things", glance),
        Route("/keystone/things", keystone),
        Route("/plain/things", plain),
        Route("/loop-url/things", loop_same_url),
        Route("/loop-page/things", loop_same_page),
        Route("/alternate/things", alternate),
        Route("/elsewhere/things", elsewhere),
        Route("/missing-key/things", missing_key),
        Route("/html/things", html_page),
        Route("/truncated/things", truncated),
        Route("/gateway/things", gateway_page),
        Route("/things/{thing_id}/parts", nested),
    ])
