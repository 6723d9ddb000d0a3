"""Which api-ref samples osnb reads, with which Resource class, and how.

A sample is covered when its path (the service's own prefix such as ``/v3/{project_id}``
removed) is a resource's ``base_path`` (a list, or a singleton's GET), ``base_path/detail``
(a list) or ``base_path/{id}`` (one object, whether a GET, PUT or PATCH answers it), or a
POST to ``base_path`` (the created object). The replay serves any of them to a GET, so the
read path is always the proxy's ``_list`` or ``_get``.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Iterator

import osnb.sdk
from osnb.sdk.resource import Resource

from .index import Sample

__all__ = ["Route", "route", "resource_classes"]

PROXY = {"compute": "compute", "block-storage": "block_storage", "image": "image",
         "network": "network", "identity": "identity", "placement": "placement"}
API_PREFIX = {"block-storage": re.compile(r"^/v3/\{[a-z_]+\}"), "identity": re.compile(r"^/v3"),
              "image": re.compile(r"^/v2"), "network": re.compile(r"^/v2\.0")}
_PARAM = re.compile(r"\{[^}]+\}|%\([^)]+\)s")

# Where two classes share a path, the one that reads the sample (the other is a view of
# the same document, compared in its own module's tests).
PREFERRED = {
    ("block-storage", "/os-quota-sets/{}"): "osnb.sdk.block_storage.v3.quota_set.QuotaSet",
    ("block-storage", "/os-quota-sets/{}?usage"):
        "osnb.sdk.block_storage.v3.quota_set.QuotaSetUsage",
    ("identity", "/roles"): "osnb.sdk.identity.v3.role.Role",
    ("identity", "/roles/{}"): "osnb.sdk.identity.v3.role.Role",
}


@dataclasses.dataclass(frozen=True)
class Route:
    cls: type[Resource]
    kind: str  # "list" or "get"
    path: str  # the concrete path read (parameters filled with "x")


def _walk(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _walk(sub)


def resource_classes() -> list[type[Resource]]:
    """Every Resource class of osnb's SDK that has a path of its own."""
    for module in pkgutil.walk_packages(osnb.sdk.__path__, "osnb.sdk."):
        importlib.import_module(module.name)
    return [c for c in _walk(Resource)
            if c.__module__.startswith("osnb.sdk.") and c.base_path and c.service
            and (c.resource_key or c.resources_key)]


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _shape(path: str) -> str:
    return _PARAM.sub("{}", path.split("?")[0]).rstrip("/").removesuffix(".json")


def route(sample: Sample) -> Route | None:
    """How osnb reads ``sample``, or None when no osnb resource covers its call."""
    path = sample.path
    prefix = API_PREFIX.get(sample.service)
    if prefix:
        path = prefix.sub("", path)
    shape = _shape(path)
    found: list[tuple[type[Resource], str]] = []
    for cls in resource_classes():
        if cls.service != sample.service:
            continue
        base = _shape(cls.base_path)
        kind = None
        if sample.method == "GET" and shape == base:
            kind = "get" if not cls.requires_id else ("list" if cls.allow_list else None)
        elif sample.method == "GET" and shape == base + "/detail":
            kind = "list" if cls.requires_id else "get"
        elif shape == base + "/{}" and cls.requires_id and cls.allow_retrieve and (
                sample.method in ("GET", "PUT", "PATCH")):
            kind = "get"
        elif shape == base and sample.method == "POST" and cls.allow_create and \
                cls.allow_retrieve:  # the replay reads a create's answer back with a GET
            kind = "get"
        elif shape == base and sample.method == "PUT" and not cls.requires_id:
            kind = "get"
        if kind:
            found.append((cls, kind))
    if len(found) > 1:
        usage = "usage" in sample.path.partition("?")[2]
        wanted = PREFERRED.get((sample.service, shape + ("?usage" if usage else "")))
        found = [f for f in found if _qualname(f[0]) == wanted]
    if len(found) != 1:
        return None
    cls, kind = found[0]
    concrete = _PARAM.sub("x", path.split("?")[0]).removesuffix(".json")
    if cls.requires_id and kind == "get" and shape == _shape(cls.base_path) + "/{}":
        concrete = concrete.rsplit("/", 1)[0]
    return Route(cls, kind, concrete)
