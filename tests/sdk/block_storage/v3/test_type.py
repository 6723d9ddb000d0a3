"""Type and its extra specs through conn.block_storage."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.type import Type, TypeExtraSpecs


def test_declaration() -> None:
    assert (Type.base_path, Type.resource_key, Type.resources_key) == \
        ("/types", "volume_type", "volume_types")
    assert Type.allow_create and Type.allow_retrieve and Type.allow_update
    assert Type.allow_delete and Type.allow_list
    assert Type._props["is_public"].server_key == "os-volume-type-access:is_public"
    assert TypeExtraSpecs.base_path == "/types/%(type_id)s/extra_specs"


def test_list_get_find(conn) -> None:
    types = conn.block_storage.types()
    ssd = conn.block_storage.find_type("ssd")
    assert ssd in types and isinstance(ssd.extra_specs, dict)
    assert conn.block_storage.get_type(ssd.id).name == "ssd"
    assert all(t.is_public for t in conn.block_storage.types(is_public=True))
    with pytest.raises(exc.NotFound):
        conn.block_storage.find_type("no-such-type")


def test_create_extra_specs_update_delete(conn) -> None:
    vtype = conn.block_storage.create_type(name="osnb-type", extra_specs={"a": "1"})
    try:
        assert vtype.extra_specs == {"a": "1"}
        specs = conn.block_storage.update_type_extra_specs(vtype, b="2", c="3")
        assert specs == {"b": "2", "c": "3"}
        conn.block_storage.delete_type_extra_specs(vtype, ["a", "c"])
        assert conn.block_storage.get_type(vtype.id).extra_specs == {"b": "2"}
        updated = conn.block_storage.update_type(vtype, description="osnb")
        assert updated.description == "osnb"
    finally:
        conn.block_storage.delete_type(vtype)
    assert conn.block_storage.find_type(vtype.id, ignore_missing=True) is None
