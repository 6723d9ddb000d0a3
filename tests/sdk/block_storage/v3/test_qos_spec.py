"""QoSSpec and type access through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.qos_spec import QoSSpec


def test_declaration() -> None:
    assert (QoSSpec.base_path, QoSSpec.resource_key, QoSSpec.resources_key) == \
        ("/qos-specs", "qos_specs", "qos_specs")
    assert QoSSpec.free_form


def test_seeded_specs_and_their_types(conn, member) -> None:
    specs = conn.block_storage.qos_specs()
    assert len(specs.to_pandas()) == len(specs) >= 2
    limit = conn.block_storage.find_qos_spec("ssd-iops-limit")
    assert limit.consumer == "front-end" and limit.specs["total_iops_sec"] == "5000"
    ssd = conn.block_storage.find_type("ssd")
    assert ssd.qos_specs_id == limit.id
    assert [a.name for a in conn.block_storage.qos_spec_associations(limit)] == ["ssd"]
    with pytest.raises(exc.Forbidden):
        member.block_storage.qos_specs()


def test_qos_lifecycle(conn) -> None:
    bs = conn.block_storage
    spec = bs.create_qos_spec(name="osnb-qos", consumer="back-end", read_iops_sec="200")
    assert spec.specs == {"read_iops_sec": "200"} and spec.id
    spec = bs.update_qos_spec(spec, write_iops_sec="100")
    assert spec.specs == {"read_iops_sec": "200", "write_iops_sec": "100"}
    bs.delete_qos_spec_metadata(spec, ["read_iops_sec"])
    assert bs.get_qos_spec(spec.id).specs == {"write_iops_sec": "100"}
    hdd = bs.find_type("hdd")
    bs.associate_qos_spec(spec, hdd.id)
    assert bs.get_type(hdd.id).qos_specs_id == spec.id
    with pytest.raises(exc.BadRequest):
        bs.delete_qos_spec(spec)
    bs.disassociate_qos_spec(spec, hdd.id)
    assert bs.get_type(hdd.id).qos_specs_id is None
    bs.associate_qos_spec(spec, hdd.id)
    bs.delete_qos_spec(spec, force=True)
    assert bs.get_type(hdd.id).qos_specs_id is None
    assert bs.find_qos_spec("osnb-qos") is None


def test_private_type_access(conn, member) -> None:
    bs = conn.block_storage
    private = bs.create_type(name="osnb-private", is_public=False)
    try:
        assert member.block_storage.find_type("osnb-private", ignore_missing=True) is None
        bs.add_type_access(private, member.current_project_id)
        assert bs.get_type_access(private) == [
            {"volume_type_id": private.id, "project_id": member.current_project_id}]
        assert member.block_storage.find_type("osnb-private").id == private.id
        bs.remove_type_access(private, member.current_project_id)
        assert member.block_storage.find_type("osnb-private", ignore_missing=True) is None
    finally:
        bs.delete_type(private)
