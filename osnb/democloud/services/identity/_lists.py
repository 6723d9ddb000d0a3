"""Keystone's list paging and tag filters (``/v3/projects``, ``/v3/users``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from ...http import ApiError, url_for
from ...store import Record

__all__ = ["paged", "tagged"]


def paged(request: Request, key: str, items: Iterable[Record], *,
          full_page_truncates: bool = False) -> dict[str, Any]:
    """A list document paged as Keystone (2025.x) pages ``/v3/projects`` and ``/v3/users``.

    Records come sorted by id. ``marker`` starts after that id (404 when no record has
    it); ``limit`` keeps that many and, when records were left out, says
    ``truncated: true`` and links ``next`` to the page after. Keystone's projects say so
    whenever a page is full (``full_page_truncates``), even when nothing is left, so a list
    that ends exactly on a page takes one more, empty, request there; its users do not.
    """
    ordered = sorted(items, key=lambda r: str(r["id"]))
    q = request.query_params
    marker = q.get("marker")
    if marker is not None:
        ids = [r["id"] for r in ordered]
        if marker not in ids:
            raise ApiError(404, f"Marker {marker} could not be found.")
        ordered = ordered[ids.index(marker) + 1:]
    doc: dict[str, Any] = {key: ordered, "links": {"self": str(request.url),
                                                   "previous": None, "next": None}}
    raw = q.get("limit")
    if raw is None:
        return doc
    try:
        limit = int(raw)
    except ValueError:
        limit = -1
    if limit < 0:
        # Keystone 30 answers 500 for a word and slices oddly for a negative number.
        raise ApiError(400, f"Invalid value {raw!r} for parameter limit: must be an "
                            "integer >= 0.")
    if limit < len(ordered) or (full_page_truncates and limit == len(ordered)):
        doc[key] = ordered[:limit]
        doc["truncated"] = True
        if limit:
            doc["links"]["next"] = url_for(request, marker=ordered[limit - 1]["id"])
    return doc


def tagged(request: Request, records: Iterable[Record]) -> list[Record]:
    """Records kept by Keystone's tag filters: ``tags`` (all of), ``tags-any``,
    ``not-tags`` (not all of) and ``not-tags-any`` (none of), each a comma-separated list."""
    q = request.query_params
    wanted = {name: set(q[name].split(",")) for name in
              ("tags", "tags-any", "not-tags", "not-tags-any") if name in q}
    out = []
    for record in records:
        tags = set(record.get("tags") or ())
        if "tags" in wanted and not wanted["tags"] <= tags:
            continue
        if "tags-any" in wanted and not wanted["tags-any"] & tags:
            continue
        if "not-tags" in wanted and wanted["not-tags"] <= tags:
            continue
        if "not-tags-any" in wanted and wanted["not-tags-any"] & tags:
            continue
        out.append(record)
    return out
