"""Glance's schemas through conn.image, over real HTTP."""

from __future__ import annotations

from osnb.sdk.image.v2.schema import MetadefSchema, Schema


def test_declaration() -> None:
    assert (Schema.base_path, MetadefSchema.base_path) == ("/schemas", "/schemas/metadefs")


def test_image_member_task_schemas(member) -> None:
    image = member.image.get_image_schema()
    assert image.name == "image" and "os_hash_value" in image.properties
    assert image.additional_properties == {"type": "string"}
    assert member.image.get_images_schema().properties["images"]["type"] == "array"
    assert "status" in member.image.get_member_schema().properties
    assert member.image.get_members_schema().name == "members"
    assert "input" in member.image.get_task_schema().properties
    assert member.image.get_tasks_schema().name == "tasks"


def test_metadef_schemas(member) -> None:
    ns = member.image.get_metadef_namespace_schema()
    assert ns.name == "namespace" and "property" in ns.definitions
    assert "namespace" in ns.required
    for getter in ("namespaces", "resource_type", "resource_types", "object", "objects",
                   "property", "properties", "tag", "tags"):
        doc = getattr(member.image, f"get_metadef_{getter}_schema")()
        assert doc.properties, getter
