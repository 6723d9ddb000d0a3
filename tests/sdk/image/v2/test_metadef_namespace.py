"""The metadata definitions catalog through conn.image, over real HTTP."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.metadef_namespace import (
    MetadefNamespace,
    MetadefResourceType,
    MetadefResourceTypeAssociation,
)
from osnb.sdk.image.v2.metadef_object import MetadefObject, MetadefProperty


def test_declaration() -> None:
    assert MetadefNamespace._id_prop is MetadefNamespace._props["namespace"]
    assert MetadefObject.base_path == "/metadefs/namespaces/%(namespace_name)s/objects"
    assert MetadefProperty._props["require_unique_items"].server_key == "uniqueItems"
    assert MetadefResourceType.base_path == "/metadefs/resource_types"
    assert MetadefResourceTypeAssociation._id_prop is \
        MetadefResourceTypeAssociation._props["name"]


def test_read_the_seeded_catalog(member) -> None:
    spaces = member.image.metadef_namespaces()
    assert "OS::Compute::Hypervisor" in spaces.ids()
    assert spaces.to_pandas().shape[0] == len(spaces)
    hyper = member.image.get_metadef_namespace("OS::Compute::Hypervisor")
    assert hyper.is_protected and "vm_mode" in hyper.properties
    assert [o.name for o in member.image.metadef_objects("OS::Compute::Quota")] == \
        ["CPU Limits"]
    limits = member.image.get_metadef_object("CPU Limits", "OS::Compute::Quota")
    assert limits.properties["quota:cpu_period"]["maximum"] == 1000000
    props = member.image.metadef_properties("OS::Compute::Libvirt")
    assert sorted(p.name for p in props) == ["boot_menu", "serial_port_count"]
    serial = member.image.get_metadef_property("serial_port_count", "OS::Compute::Libvirt")
    assert (serial.type, serial.minimum) == ("integer", 0)
    types = member.image.metadef_resource_types()
    assert "OS::Nova::Flavor" in [t.name for t in types]
    assocs = member.image.metadef_resource_type_associations("OS::Compute::Libvirt")
    assert {a.name: a.prefix for a in assocs} == {"OS::Glance::Image": "hw_",
                                                  "OS::Nova::Flavor": "hw:"}


def test_an_admin_builds_a_namespace(conn, member) -> None:
    name = f"OSNB::SDK::{uuid.uuid4().hex[:6]}"
    with pytest.raises(exc.Forbidden):
        member.image.create_metadef_namespace(namespace=name)
    made = conn.image.create_metadef_namespace(namespace=name, visibility="public",
                                               display_name="SDK test")
    try:
        assert made.id == name and made.display_name == "SDK test"
        updated = conn.image.update_metadef_namespace(name, description="changed")
        assert updated.description == "changed"
        conn.image.create_metadef_property(name, name="osnb_x", title="X", type="string",
                                           enum=["a", "b"])
        conn.image.update_metadef_property("osnb_x", name, title="X!", type="string")
        assert conn.image.get_metadef_property("osnb_x", name).title == "X!"
        obj = conn.image.create_metadef_object(name, name="Thing", description="t",
                                               properties={}, required=[])
        assert obj.name == "Thing"
        assert conn.image.update_metadef_object("Thing", name,
                                                description="u").description == "u"
        conn.image.add_tag_to_metadef_namespace(name, "one")
        conn.image.add_tag_to_metadef_namespace(name, "two")
        conn.image.remove_tag_from_metadef_namespace(name, "one")
        assert conn.image.get_metadef_namespace(name).tags == [{"name": "two"}]
        conn.image.remove_tags_from_metadef_namespace(name)
        conn.image.create_metadef_resource_type_association(name, name="OS::Nova::Flavor",
                                                            prefix="osnb:")
        conn.image.delete_metadef_resource_type_association("OS::Nova::Flavor", name)
        assert conn.image.metadef_resource_type_associations(name).ids() == []
        conn.image.delete_all_metadef_objects(name)
        conn.image.delete_all_metadef_properties(name)
        after = conn.image.get_metadef_namespace(name)
        assert after.properties is None and after.objects is None and after.tags is None
    finally:
        conn.image.delete_metadef_namespace(name)
    with pytest.raises(exc.NotFound):
        conn.image.get_metadef_namespace(name)
