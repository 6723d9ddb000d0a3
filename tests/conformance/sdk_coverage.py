"""osnb's SDK beside openstacksdk's, counted by introspection of both installed packages.

Per service: the Resource classes each package defines for it, and the public methods its
Proxy class defines itself (inherited generic CRUD not counted), with how many of
openstacksdk's names osnb shares.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from importlib import metadata

__all__ = ["PACKAGES", "Coverage", "coverage"]

PACKAGES: dict[str, tuple[str, str]] = {
    "compute": ("osnb.sdk.compute.v2", "openstack.compute.v2"),
    "block-storage": ("osnb.sdk.block_storage.v3", "openstack.block_storage.v3"),
    "image": ("osnb.sdk.image.v2", "openstack.image.v2"),
    "network": ("osnb.sdk.network.v2", "openstack.network.v2"),
    "identity": ("osnb.sdk.identity.v3", "openstack.identity.v3"),
    "placement": ("osnb.sdk.placement.v1", "openstack.placement.v1"),
}
"""Service type → (osnb's package, openstacksdk's package)."""


@dataclasses.dataclass
class Coverage:
    service: str
    osnb_resources: set[str]
    sdk_resources: set[str]
    osnb_methods: set[str]
    sdk_methods: set[str]


def _resources(package: str, base: type) -> set[str]:
    found: set[str] = set()
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        inner = importlib.import_module(f"{package}.{info.name}")
        for name, value in vars(inner).items():
            if (isinstance(value, type) and issubclass(value, base) and value is not base
                    and value.__module__ == inner.__name__ and not name.startswith("_")):
                found.add(name)
    return found


def _methods(package: str) -> set[str]:
    proxy = importlib.import_module(f"{package}._proxy").Proxy
    return {name for name, value in vars(proxy).items()
            if not name.startswith("_") and inspect.isfunction(value)}


def coverage() -> list[Coverage]:
    """One row per service."""
    from openstack.resource import Resource as SdkResource

    from osnb.sdk.resource import Resource
    return [Coverage(service, _resources(mine, Resource), _resources(theirs, SdkResource),
                     _methods(mine), _methods(theirs))
            for service, (mine, theirs) in PACKAGES.items()]


def openstacksdk_version() -> str:
    return metadata.version("openstacksdk")
