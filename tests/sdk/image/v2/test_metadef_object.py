"""Metadef objects and properties are exercised in test_metadef_namespace; their
declarations here."""

from __future__ import annotations

from osnb.sdk.image.v2.metadef_object import MetadefObject, MetadefProperty


def test_declarations() -> None:
    assert MetadefObject._id_prop is MetadefObject._props["name"]
    assert MetadefProperty.resources_key == "properties"
    assert MetadefProperty._props["is_readonly"].server_key == "readonly"
    assert MetadefProperty._props["min_length"].server_key == "minLength"


def test_properties_list_from_the_mapping(member) -> None:
    """Glance lists properties as a mapping by name: each becomes a row named by its key."""
    props = member.image.metadef_properties("OS::Compute::Hypervisor")
    frame = props.to_pandas()
    assert set(props.ids()) == {"hypervisor_type", "vm_mode"}
    assert frame.shape[0] == 2
