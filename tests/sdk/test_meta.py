"""Meta-tests that walk every Resource subclass the SDK ships."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import osnb.sdk
from osnb.sdk.resource import Resource, _URIProp


def _all_resources() -> list[type[Resource]]:
    for info in pkgutil.walk_packages(osnb.sdk.__path__, "osnb.sdk."):
        importlib.import_module(info.name)
    found: list[type[Resource]] = []
    todo = list(Resource.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("osnb.sdk."):
            found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


RESOURCES = _all_resources()
ADDRESSED = [c for c in RESOURCES if any(getattr(c, f) for f in (
    "allow_create", "allow_retrieve", "allow_update", "allow_delete", "allow_head",
    "allow_list"))]


def test_there_are_many() -> None:
    assert len(ADDRESSED) >= 60


@pytest.mark.parametrize("cls", ADDRESSED, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_declaration_is_complete(cls: type[Resource]) -> None:
    assert cls.base_path.startswith("/"), "base_path"
    assert cls.service, "service (the service type)"
    if cls.allow_list and cls.resources_key is None:
        pass  # the list body is a bare JSON list (Glance-style resources say so)
    placeholders = set(re.findall(r"%\((\w+)\)s", cls.base_path))
    uri_props = {n for n, p in cls._props.items() if isinstance(p, _URIProp)}
    assert placeholders <= uri_props, f"base_path needs uri() props for {placeholders}"


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_wire_key_declared_twice(cls: type[Resource]) -> None:
    seen: dict[str, object] = {}
    for name, p in cls._props.items():
        if p.in_uri:
            continue
        other = seen.setdefault(p.server_key, p)
        assert other is p, f"{p.server_key!r} is declared by two different props ({name})"


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_query_maps_to_server_names(cls: type[Resource]) -> None:
    for name, wire in cls.query.mapping.items():
        assert isinstance(name, str) and isinstance(wire, str) and wire


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_prop_has_a_conversion(cls: type[Resource]) -> None:
    untyped = [n for n, p in cls._props.items() if p.type is None and n not in ("id",)]
    assert not untyped, f"props without a type: {untyped}"
