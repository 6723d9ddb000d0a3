"""Nova's server and flavor representations at each microversion, derived from the newest.

A stored server is the 2.100 admin list document (``show`` adds ``server_groups``, kept
in an attribute). :func:`servers_page_json` encodes an admin's newest-microversion page
straight from the records; :func:`server_json` encodes other *shapes* — the last
microversion breakpoint at or below the one asked for, admin or not, list or show — once
per server and caches the bytes until :func:`~.common.invalidate` drops them.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import orjson

from ...store import Record, Store
from .common import Server, image_links, invalidate, servers_of, state

__all__ = [
    "BREAKPOINTS",
    "NEWEST",
    "flavor_link",
    "flavor_view",
    "rebase",
    "server_json",
    "server_links",
    "server_summary_json",
    "server_view",
    "servers_page_json",
]

# Every microversion at which the server representation changes.
BREAKPOINTS: list[tuple[int, int]] = [
    (2, 1), (2, 3), (2, 9), (2, 16), (2, 19), (2, 26), (2, 47), (2, 63), (2, 71), (2, 73),
    (2, 90), (2, 96), (2, 98), (2, 100),
]

SRV_ATTR_BASE = ("OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
                 "OS-EXT-SRV-ATTR:instance_name")
SRV_ATTR_23 = ("OS-EXT-SRV-ATTR:reservation_id", "OS-EXT-SRV-ATTR:launch_index",
               "OS-EXT-SRV-ATTR:ramdisk_id", "OS-EXT-SRV-ATTR:kernel_id",
               "OS-EXT-SRV-ATTR:hostname", "OS-EXT-SRV-ATTR:root_device_name",
               "OS-EXT-SRV-ATTR:user_data")
HOSTNAME = "OS-EXT-SRV-ATTR:hostname"
VOLUMES = "os-extended-volumes:volumes_attached"


def bucket(mv: tuple[int, int]) -> tuple[int, int]:
    return BREAKPOINTS[bisect.bisect_right(BREAKPOINTS, mv) - 1]


def server_links(base: str, server_id: str) -> list[dict[str, str]]:
    return [{"href": f"{base}/compute/v2.1/servers/{server_id}", "rel": "self"},
            {"href": f"{base}/compute/servers/{server_id}", "rel": "bookmark"}]


def flavor_link(base: str, flavor_id: str, *, self_too: bool = False) -> list[dict[str, str]]:
    bookmark = {"href": f"{base}/compute/flavors/{flavor_id}", "rel": "bookmark"}
    if not self_too:
        return [bookmark]
    return [{"href": f"{base}/compute/v2.1/flavors/{flavor_id}", "rel": "self"}, bookmark]


ADDED_IN = (((2, 9), "locked"), ((2, 16), "host_status"), ((2, 19), "description"),
            ((2, 26), "tags"), ((2, 63), "trusted_image_certificates"),
            ((2, 73), "locked_reason"), ((2, 96), "pinned_availability_zone"),
            ((2, 100), "scheduler_hints"))
"""The server keys a microversion added, and the first that shows each."""


def server_view(base: str, rec: Server, mv: tuple[int, int], admin: bool,
                show: bool = False) -> dict[str, Any]:
    """The server document at microversion ``mv`` for an admin or not, list or show."""
    out: dict[str, Any] = dict(rec)  # no simulator keys: they are Server attributes
    out["links"] = server_links(base, rec["id"])
    if show and mv >= (2, 71):
        out["server_groups"] = list(rec.server_groups)
    if admin and mv >= (2, 100):
        return out
    if not admin:
        for key in SRV_ATTR_BASE:
            out.pop(key, None)
        for key in SRV_ATTR_23:
            if key != HOSTNAME or mv < (2, 90):
                out.pop(key, None)
        out.pop("host_status", None)
        fault = out.get("fault")
        if fault and "details" in fault:
            out["fault"] = {k: v for k, v in fault.items() if k != "details"}
    if mv < (2, 3):
        for key in SRV_ATTR_23:
            out.pop(key, None)
        out[VOLUMES] = [{"id": v["id"]} for v in out.get(VOLUMES) or []]
    for since, key in ADDED_IN:
        if mv < since:
            out.pop(key, None)
    if mv < (2, 47):
        fid = rec.flavor_id
        out["flavor"] = {"id": fid, "links": flavor_link(base, fid)}
    image = out.get("image")
    if isinstance(image, dict):
        out["image"] = {"id": image["id"], "links": image_links(base, image["id"])}
        if mv >= (2, 98):
            out["image"]["properties"] = image.get("properties") or {}
    return out


NEWEST = BREAKPOINTS[-1]


def rebase(store: Store, base: str) -> None:
    """Point every server's stored ``links`` at ``base`` (a world generated before it was
    served, or served at another URL): once, at the first listing that notices."""
    for rec in servers_of(store).values():
        rec["links"] = server_links(base, rec["id"])
        if isinstance(rec.get("image"), dict):  # shared by the servers of one image
            rec["image"]["links"] = image_links(base, rec["image"]["id"])
    state(store).links_base = base
    invalidate(store)


def _cached(store: Store, rec: Record, shape: tuple[Any, ...],
            make: Callable[[], bytes]) -> bytes:
    """The server's encoded document in ``shape``, made once until the server changes."""
    cache = state(store).encoded.setdefault(rec["id"], {})
    data = cache.get(shape)
    if data is None:
        data = cache[shape] = make()
    return data


def server_json(store: Store, base: str, rec: Server, mv: tuple[int, int], admin: bool,
                show: bool = False) -> bytes:
    """The encoded server document, cached per shape until the server changes."""
    shape = (bucket(mv), admin, show and mv >= (2, 71))
    return _cached(store, rec, shape, lambda: orjson.dumps(server_view(base, rec, *shape)))


def servers_page_json(store: Store, base: str, recs: list[Server], mv: tuple[int, int],
                      admin: bool) -> bytes:
    """The JSON array of a detailed listing page.

    An admin at the newest microversion sees the records as they are stored (a server's
    private facts are attributes, never keys), so the page is one ``orjson.dumps`` call:
    three times faster than encoding the servers one by one, and nothing to cache. Other
    shapes are derived per server and cached (:func:`server_json`).
    """
    if admin and bucket(mv) == NEWEST:
        if state(store).links_base != base:
            rebase(store, base)
        return orjson.dumps(recs)
    return b"[" + b",".join([server_json(store, base, rec, mv, admin) for rec in recs]) + b"]"


def server_summary_json(store: Store, base: str, rec: Record) -> bytes:
    return _cached(store, rec, ("summary",), lambda: orjson.dumps(
        {"id": rec["id"], "links": server_links(base, rec["id"]), "name": rec["name"]}))


def flavor_view(base: str, rec: Record, mv: tuple[int, int], *, admin: bool = False
                ) -> dict[str, Any]:
    """A flavor at ``mv``: ``description`` from 2.55, ``extra_specs`` from 2.61, integer
    ``swap`` from 2.75 (an empty string when 0 before)."""
    out = {k: v for k, v in rec.items() if k[0] != "_"}
    out["links"] = flavor_link(base, rec["id"], self_too=True)
    if mv < (2, 55):
        out.pop("description", None)
    if mv < (2, 61):
        out.pop("extra_specs", None)
    elif not admin:
        # Nova hides extra specs the policy marks as admin-only; keep the common ones.
        out["extra_specs"] = dict(rec.get("extra_specs") or {})
    if mv < (2, 75) and not out.get("swap"):
        out["swap"] = ""
    return out
