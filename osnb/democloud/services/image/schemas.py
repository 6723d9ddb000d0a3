"""Glance's version documents and the JSON schemas clients fetch (``/v2/schemas/…``)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ... import http
from .formats import CURRENT, PREFIX
from .schema_docs import IMAGE, SCHEMAS

__all__ = ["image_schema", "images_schema", "schema", "versions", "versions_root"]


def _versions_body(request: Request) -> dict[str, Any]:
    href = str(request.base_url).rstrip("/") + PREFIX + "/v2/"
    out = []
    for minor in range(CURRENT[1], -1, -1):
        out.append({"id": f"v2.{minor}", "status": "CURRENT" if minor == CURRENT[1]
                    else "SUPPORTED", "links": [{"rel": "self", "href": href}]})
    return {"versions": out}


async def versions_root(request: Request) -> Response:
    return http.json_response(_versions_body(request), 300)


async def versions(request: Request) -> Response:
    return http.json_response(_versions_body(request))


async def image_schema(request: Request) -> Response:
    http.auth(request)
    return http.json_response(IMAGE)


async def images_schema(request: Request) -> Response:
    """Glance's ``CollectionSchema('images', …).raw()`` (its locations without the
    write-only ``validation_data``, as the api-ref shows it)."""
    http.auth(request)
    item = copy.deepcopy(IMAGE)
    item["properties"]["locations"]["items"]["properties"].pop("validation_data", None)
    return http.json_response({
        "name": "images",
        "properties": {"images": {"type": "array", "items": item},
                       "first": {"type": "string"}, "next": {"type": "string"},
                       "schema": {"type": "string"}},
        "links": [{"rel": "first", "href": "{first}"}, {"rel": "next", "href": "{next}"},
                  {"rel": "describedby", "href": "{schema}"}]})


async def schema(request: Request) -> Response:
    """``/v2/schemas/{name}`` and ``/v2/schemas/metadefs/{name}``."""
    http.auth(request)
    name = request.path_params["name"]
    key = ("metadef_" + name) if "/metadefs/" in request.url.path else name
    if key not in SCHEMAS:
        raise http.ApiError(404, "The resource could not be found.")
    return http.json_response(SCHEMAS[key])
