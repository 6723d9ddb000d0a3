"""What Glance's images and its schemas agree on: the mount, the API version, the enums,
the image's declared fields and how Glance words its answers (:data:`GLANCE`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...engine import Ctx, Dialect, Field
from ...http import ApiError
from ...store import Record

__all__ = ["CONTAINER_FORMATS", "CURRENT", "DISK_FORMATS", "FIELDS", "GLANCE", "PREFIX",
           "RESERVED", "SORT_KEYS", "VISIBILITIES", "GlanceDialect", "admin_only"]

PREFIX = "/image"
CURRENT = (2, 17)
VISIBILITIES = ("public", "private", "shared", "community")
DISK_FORMATS = ("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop")
CONTAINER_FORMATS = ("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed")
SORT_KEYS = ("name", "status", "container_format", "disk_format", "size", "id", "created_at",
             "updated_at")
RESERVED = ("deleted", "deleted_at", "location")

_RO = Field(read_only=True, nullable=True, default=None)
_RO_NUM = Field(type="int", read_only=True, nullable=True, default=None, sort=True)
_FORMAT = dict(nullable=True, default=None, filter="exact", sort=True)
FIELDS: dict[str, Field] = {
    "id": Field(read_only=True, filter="in", sort=True),
    "name": Field(nullable=True, default=None, max_length=255, filter="exact", sort=True),
    "status": Field(read_only=True, default="queued", filter="exact", sort=True),
    "visibility": Field(choices=VISIBILITIES, default="shared"),
    "protected": Field(type="bool", default=False, filter="exact"),
    "os_hidden": Field(type="bool", default=False),
    "checksum": _RO, "os_hash_algo": _RO, "os_hash_value": _RO,
    "owner": Field(nullable=True, default=None, filter="exact"),
    "size": _RO_NUM, "virtual_size": _RO,
    "min_ram": Field(type="int", minimum=0, default=0),  # "minimum": 0 in Glance's schema
    "min_disk": Field(type="int", minimum=0, default=0),
    "disk_format": Field(choices=DISK_FORMATS, **_FORMAT),  # type: ignore[arg-type]
    "container_format": Field(choices=CONTAINER_FORMATS, **_FORMAT),  # type: ignore[arg-type]
    "created_at": Field(read_only=True, sort=True), "updated_at": Field(read_only=True, sort=True),
    "tags": Field(type="list", items="str", default=[]),
    "self": Field(read_only=True), "file": Field(read_only=True),
    "schema": Field(read_only=True), "direct_url": Field(read_only=True),
    "locations": Field(read_only=True),
    **{key: Field(read_only=True) for key in RESERVED},
}
"""An image's keys; any other key is a free-form property (a string)."""
_JSON_TYPES = {"is not an integer": "integer", "cannot be converted to boolean": "boolean",
               "is not a list": "array", "is not a valid string": "string"}
"""The engine's type complaints as the JSON schema types Glance's messages name."""


@dataclass(frozen=True)
class GlanceDialect(Dialect):
    """Glance: flat bodies, ``next``/``first`` pages of 25 newest first, ``sort=key:dir``,
    its schema's 400s and the 403s of its read-only and reserved attributes."""

    style: str = "glance"
    envelope: bool = False
    pagination: str = "glance"
    default_sort: tuple[tuple[str, str], ...] = (("created_at", "desc"),)
    sort_param: bool = True
    id_follows_last_dir: bool = True
    sort_when_paging_only: bool = False
    default_limit: int | None = 25
    next_when_full: bool = True
    unknown_filters_refused: bool = False

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        if reason == "read_only":
            what = "reserved" if name in RESERVED else "read-only"
            return ApiError(403, f"Attribute '{name}' is {what}.")
        kind = _JSON_TYPES.get(facts.get("detail", ""))
        why = {"null": "None is not of type 'string'",
               "max_length": f"{value!r} is too long",
               "minimum": f"{value!r} is less than the minimum of {facts.get('limit')}",
               "choices": f"{value!r} is not one of {list(facts.get('choices') or ())}",
               }.get(reason, f"{value!r} is not of type '{kind}'")
        return self.bad(f"Provided object does not match schema 'image': {why}")

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(f"Invalid sort key: {name}. It must be one of the following: "
                        f"{', '.join(SORT_KEYS)}.")

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self.bad(f"Invalid sort direction: {direction}")

    def bad_limit(self, raw: str) -> ApiError:
        return self.bad(f"Invalid value {raw!r} for parameter limit: must be an integer.")

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        return self.bad(f"marker {marker} could not be found.")

    def not_found(self, singular: str, ident: str) -> ApiError:
        return ApiError(404, f"No image found with ID {ident}")

    def forbidden(self, action: str) -> ApiError:
        return ApiError(403, f"You are not permitted to {action} this image.")

    def page_body(self, request: Any, plural: str, items: list[Record],
                  rendered: list[Record], **kw: Any) -> dict[str, Any]:
        body = super().page_body(request, plural, items, rendered, **kw)
        body["schema"] = f"/v2/schemas/{plural}"
        if "next" in body:
            body["next"] = body.pop("next")  # Glance's order: images, first, schema, next
        return body


GLANCE = GlanceDialect()


def admin_only(ctx: Ctx, action: str) -> None:
    """Glance's 403 for ``action`` (``cache_list``, ``add_metadef_namespace``), which its
    default policy leaves to administrators."""
    if not ctx.admin:
        raise ApiError(403, f"You are not authorized to complete {action} action.")
