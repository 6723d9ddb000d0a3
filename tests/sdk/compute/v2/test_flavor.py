"""Flavor writes and extra specs through conn.compute (reads are in test_server.py)."""

from __future__ import annotations

import pytest

import osnb
from osnb.sdk import exceptions as exc


def test_fetch_extra_specs(conn) -> None:
    with_specs = next(f for f in conn.compute.flavors() if f.extra_specs)
    fetched = conn.compute.fetch_flavor_extra_specs(with_specs.id)
    assert fetched.extra_specs == with_specs.extra_specs


def test_create_update_delete(conn, cloud) -> None:
    flavor = conn.compute.create_flavor(name="osnb-flavor", vcpus=3, ram=3072, disk=30,
                                        is_public=False)
    try:
        assert flavor.id and flavor.vcpus == 3 and flavor.is_public is False
        # As in openstacksdk, the default listing sends is_public=None: an admin sees all.
        assert flavor in conn.compute.flavors()
        assert flavor not in conn.compute.flavors(is_public=True)
        private = conn.compute.flavors(is_public=False)
        assert flavor in private and all(f.is_public is False for f in private)
        assert conn.compute.get_flavor(flavor.id).ram == 3072
        updated = conn.compute.update_flavor(flavor, description="for osnb tests")
        assert updated.description == "for osnb tests"
        member = osnb.connect("demo-member", config=cloud.clouds)
        with pytest.raises(exc.Forbidden):
            member.compute.delete_flavor(flavor.id)
    finally:
        conn.compute.delete_flavor(flavor)
    with pytest.raises(exc.NotFound):
        conn.compute.get_flavor(flavor.id)
