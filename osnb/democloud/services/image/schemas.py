"""Glance's version documents and the JSON schemas clients fetch (``/v2/schemas/…``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ... import http
from .formats import CONTAINER_FORMATS, CURRENT, DISK_FORMATS, FIELDS, PREFIX, VISIBILITIES

__all__ = ["image_schema", "images_schema", "versions", "versions_root"]


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


_SCHEMA_PROPS: list[tuple[str, Any, str]] = [
    ("id", "string", "An identifier for the image"),
    ("name", ["null", "string"], "Descriptive name for the image"),
    ("status", "string", "Status of the image"),
    ("visibility", "string", "Scope of image accessibility"),
    ("protected", "boolean", "If true, image will not be deletable."),
    ("os_hidden", "boolean", "If true, image will not appear in default image list response."),
    ("checksum", ["null", "string"], "md5 hash of image contents."),
    ("os_hash_algo", ["null", "string"], "Algorithm to calculate the os_hash_value"),
    ("os_hash_value", ["null", "string"], "Hexdigest of the image contents"),
    ("owner", ["null", "string"], "Owner of the image"),
    ("size", ["null", "integer"], "Size of image file in bytes"),
    ("virtual_size", ["null", "integer"], "Virtual size of image in bytes"),
    ("container_format", ["null", "string"], "Format of the container"),
    ("disk_format", ["null", "string"], "Format of the disk"),
    ("created_at", "string", "Date and time of image registration"),
    ("updated_at", "string", "Date and time of the last image modification"),
    ("tags", "array", "List of strings related to the image"),
    ("min_ram", "integer", "Amount of ram (in MB) required to boot image."),
    ("min_disk", "integer", "Amount of disk space (in GB) required to boot image."),
    ("self", "string", "An image self url"),
    ("file", "string", "An image file url"),
    ("schema", "string", "An image schema url"),
    ("locations", "array", "A set of URLs to access the image file kept in external store"),
    ("direct_url", "string", "URL to access the image file kept in external store"),
]


def _image_schema() -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, kind, desc in _SCHEMA_PROPS:
        props[name] = {"type": kind, "description": desc}
        if FIELDS[name].read_only:
            props[name]["readOnly"] = True
    props["visibility"]["enum"] = list(VISIBILITIES)
    props["disk_format"]["enum"] = [None, *DISK_FORMATS]
    props["container_format"]["enum"] = [None, *CONTAINER_FORMATS]
    props["tags"]["items"] = {"type": "string", "maxLength": 255}
    props["locations"]["items"] = {"type": "object"}
    return {"name": "image", "properties": props, "additionalProperties": {"type": "string"},
            "links": [{"rel": "self", "href": "{self}"}, {"rel": "enclosure", "href": "{file}"},
                      {"rel": "describedby", "href": "{schema}"}]}


async def image_schema(request: Request) -> Response:
    http.auth(request)
    return http.json_response(_image_schema())


async def images_schema(request: Request) -> Response:
    http.auth(request)
    return http.json_response({
        "name": "images",
        "properties": {"images": {"type": "array", "items": _image_schema()},
                       "schema": {"type": "string"}, "first": {"type": "string"},
                       "next": {"type": "string"}},
        "links": [{"rel": "first", "href": "{first}"}, {"rel": "next", "href": "{next}"},
                  {"rel": "describedby", "href": "{schema}"}]})
