"""The service packages share one store: no two of them may own the same table.

Keystone's OS-EP-FILTER endpoint groups and Neutron VPNaaS's endpoint groups were both
declared over ``endpoint_groups``; each read the other's records (a 500 on a VPN endpoint
group update). Reading another service's table is how the services meet (Placement reads
Nova's ``servers``); declaring a collection over it is not.
"""

from __future__ import annotations

import collections
import importlib
import pkgutil

import osnb.democloud.services as services
from osnb.democloud.engine import Collection


def test_each_collection_table_has_one_owning_service() -> None:
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for package in pkgutil.iter_modules(services.__path__):
        base = f"{services.__name__}.{package.name}"
        root = importlib.import_module(base)
        for found in pkgutil.walk_packages(root.__path__, base + "."):
            for value in vars(importlib.import_module(found.name)).values():
                if isinstance(value, Collection):
                    owners[value.table or value.plural].add(package.name)
    assert len(owners) > 50
    shared = {table: sorted(o) for table, o in owners.items() if len(o) > 1}
    assert not shared, f"tables declared by more than one service: {shared}"
