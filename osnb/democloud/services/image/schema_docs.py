"""The JSON schemas of Glance's members, tasks and metadata definitions, as Glance 33
builds them (``glance.api.v2.schemas``: ``minimal()`` for members and tasks, ``raw()``
for the metadefs; the task schema as the api-ref shows it). Data, kept apart from the
code that serves it (:mod:`.schemas`).

Each schema is written once; a collection's document is built from its item's schema the
way Glance's ``CollectionSchema`` builds it (:func:`_collection`), and the item of a
listing is the full schema without what Glance leaves out of it (:func:`_without`)."""

from __future__ import annotations

from typing import Any

__all__ = ["IMAGE", "SCHEMAS"]


def _without(schema: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in keys}


def _collection(name: str, item: dict[str, Any], *, paged: bool = True, by_name: bool = False,
                definitions: dict[str, Any] | None = None) -> dict[str, Any]:
    """Glance's ``CollectionSchema(name, item).raw()``: the items under ``name`` (an array,
    or an object of name to item when ``by_name``), ``first``/``next`` when the listing
    pages, and its links."""
    rels = ["first", "next", "describedby"] if paged else ["describedby"]
    doc: dict[str, Any] = {"name": name, "properties": {
        name: {"type": "object", "additionalProperties": item} if by_name
        else {"type": "array", "items": item},
        **{rel: {"type": "string"} for rel in rels[:-1]}, "schema": {"type": "string"}},
        "links": [{"rel": rel, "href": "{" + (rel if rel != "describedby" else "schema")
                   + "}"} for rel in rels]}
    if definitions is not None:
        doc["definitions"] = definitions
    return doc


def _stamps(created: str, what: str) -> dict[str, Any]:
    """The read-only ``created_at`` (described as ``created``) and ``updated_at`` of a
    metadef ``what``, as each of Glance's metadef schemas writes them."""
    updated = f"Date and time of the last {what} modification"
    return {key: {"type": "string", "readOnly": True, "description": text,
                  "format": "date-time"}
            for key, text in (("created_at", created), ("updated_at", updated))}


# Generated from Glance's schema classes; Glance is Apache-2.0 licensed.
_UUID = ("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-"
         "([0-9a-fA-F]){12}$")

_MEMBER: dict[str, Any] = {
    "name": "member",
    "properties": {
        "member_id": {
            "type": "string",
            "description": "An identifier for the image member (tenantId)"},
        "image_id": {
            "type": "string",
            "description": "An identifier for the image",
            "pattern": _UUID},
        "created_at": {"type": "string", "description": "Date and time of image member creation"},
        "updated_at": {
            "type": "string",
            "description": "Date and time of last modification of image member"},
        "status": {
            "type": "string",
            "description": "The status of this image member",
            "enum": ["pending", "accepted", "rejected"]},
        "schema": {"readOnly": True, "type": "string"}}}
_TASK: dict[str, Any] = {
    "name": "task",
    "properties": {
        "id": {"description": "An identifier for the task", "pattern": _UUID, "type": "string"},
        "type": {
            "description": "The type of task represented by this content",
            "enum": ["import", "api_image_import", "location_import"],
            "type": "string"},
        "status": {
            "description": "The current status of this task",
            "enum": ["pending", "processing", "success", "failure"],
            "type": "string"},
        "input": {
            "description": "The parameters required by task, JSON blob",
            "type": ["null", "object"]},
        "result": {
            "description": "The result of current task, JSON blob",
            "type": ["null", "object"]},
        "owner": {"description": "An identifier for the owner of this task", "type": "string"},
        "message": {
            "description": ("Human-readable informative message only included when appropriate "
                            "(usually on failure)"),
            "type": "string"},
        "expires_at": {
            "description": "Datetime when this resource would be subject to removal",
            "type": ["null", "string"]},
        "created_at": {"description": "Datetime when this resource was created", "type": "string"},
        "updated_at": {"description": "Datetime when this resource was updated", "type": "string"},
        "self": {"readOnly": True, "type": "string"},
        "schema": {"readOnly": True, "type": "string"}}}
_PROPERTY_FIELDS: dict[str, Any] = {
    "name": {"type": "string", "maxLength": 80},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "operators": {"type": "array", "items": {"type": "string"}},
    "type": {
        "type": "string",
        "enum": ["array", "boolean", "integer", "number", "object", "string", None]},
    "required": {"$ref": "#/definitions/stringArray"},
    "minimum": {"type": "number"},
    "maximum": {"type": "number"},
    "maxLength": {"$ref": "#/definitions/positiveInteger"},
    "minLength": {"$ref": "#/definitions/positiveIntegerDefault0"},
    "pattern": {"type": "string", "format": "regex"},
    "enum": {"type": "array"},
    "readonly": {"type": "boolean"},
    "default": {},
    "items": {
        "type": "object",
        "properties": {
            "type": {
                "type": "string",
                "enum": ["array", "boolean", "integer", "number", "object", "string", None]},
            "enum": {"type": "array"}}},
    "maxItems": {"$ref": "#/definitions/positiveInteger"},
    "minItems": {"$ref": "#/definitions/positiveIntegerDefault0"},
    "uniqueItems": {"type": "boolean", "default": False},
    "additionalItems": {"type": "boolean"}}
"""The fields of a metadef property, in a property schema and in a namespace's or object's."""
_DEFINITIONS: dict[str, Any] = {
    "positiveInteger": {"type": "integer", "minimum": 0},
    "positiveIntegerDefault0": {
        "allOf": [{"$ref": "#/definitions/positiveInteger"}, {"default": 0}]},
    "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "property": {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "required": ["title", "type"],
            "properties": _PROPERTY_FIELDS}}}
"""The definitions of the namespace and object schemas (and their listings)."""
_PROPERTY_DEFINITIONS: dict[str, Any] = {
    "positiveInteger": {"type": "integer", "minimum": 0},
    "positiveIntegerDefault0": {
        "allOf": [{"$ref": "#/definitions/positiveInteger"}, {"default": 0}]},
    "stringArray": {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "uniqueItems": True}}
_NAMESPACE: dict[str, Any] = {
    "name": "namespace",
    "properties": {
        "namespace": {
            "type": "string",
            "description": "The unique namespace text.",
            "maxLength": 80},
        "display_name": {
            "type": "string",
            "description": "The user friendly name for the namespace. Used by UI if available.",
            "maxLength": 80},
        "description": {
            "type": "string",
            "description": "Provides a user friendly description of the namespace.",
            "maxLength": 500},
        "visibility": {
            "type": "string",
            "description": "Scope of namespace accessibility.",
            "enum": ["public", "private"]},
        "protected": {
            "type": "boolean",
            "description": "If true, namespace will not be deletable."},
        "owner": {"type": "string", "description": "Owner of the namespace.", "maxLength": 255},
        **_stamps("Date and time of namespace creation", "namespace"),
        "schema": {"readOnly": True, "type": "string"},
        "self": {"readOnly": True, "type": "string"},
        "resource_type_associations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "prefix": {"type": "string"},
                    "properties_target": {"type": "string"}}}},
        "properties": {"$ref": "#/definitions/property"},
        "objects": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "required": {"$ref": "#/definitions/stringArray"},
                    "properties": {"$ref": "#/definitions/property"}}}},
        "tags": {
            "type": "array",
            "items": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    "additionalProperties": False,
    "definitions": _DEFINITIONS,
    "required": ["namespace"]}
_RESOURCE_TYPE: dict[str, Any] = {
    "name": "resource_type_association",
    "properties": {
        "name": {
            "type": "string",
            "description": ("Resource type names should be aligned with Heat resource types "
                            "whenever possible: "
                            "https://docs.openstack.org/heat/latest/template_guide/openstack.html"),
            "maxLength": 80},
        "prefix": {
            "type": "string",
            "description": ("Specifies the prefix to use for the given resource type. Any "
                            "properties in the namespace should be prefixed with this prefix when "
                            "being applied to the specified resource type. Must include prefix "
                            "separator (e.g. a colon :)."),
            "maxLength": 80},
        "properties_target": {
            "type": "string",
            "description": ("Some resource types allow more than one key / value pair per "
                            "instance.  For example, Cinder allows user and image metadata on "
                            "volumes. Only the image properties metadata is evaluated by Nova "
                            "(scheduling or drivers). This property allows a namespace target to "
                            "remove the ambiguity."),
            "maxLength": 80},
        **_stamps("Date and time of resource type association", "resource type association")},
    "additionalProperties": False,
    "required": ["name"]}
_PROPERTY: dict[str, Any] = {
    "name": "property",
    "properties": _PROPERTY_FIELDS,
    "additionalProperties": False,
    "definitions": _PROPERTY_DEFINITIONS,
    "required": ["type", "title", "name"]}
_OBJECT: dict[str, Any] = {
    "name": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 80},
        "description": {"type": "string"},
        "required": {"$ref": "#/definitions/stringArray"},
        "properties": {"$ref": "#/definitions/property"},
        "schema": {"readOnly": True, "type": "string"},
        "self": {"readOnly": True, "type": "string"},
        **_stamps("Date and time of object creation", "object")},
    "additionalProperties": False,
    "definitions": _DEFINITIONS,
    "required": ["name"]}
_TAG: dict[str, Any] = {
    "name": "tag",
    "properties": {
        "name": {"type": "string", "maxLength": 80},
        **_stamps("Date and time of tag creation", "tag")},
    "additionalProperties": False,
    "required": ["name"]}

SCHEMAS: dict[str, Any] = {
    "member": _MEMBER,
    "members": _collection("members", _MEMBER, paged=False),
    "task": _TASK,
    "tasks": _collection("tasks", {**_TASK, "properties": _without(
        _TASK["properties"], "input", "result", "message")}, paged=False),
    "metadef_namespace": _NAMESPACE,
    "metadef_namespaces": _collection("namespaces", _without(_NAMESPACE, "definitions"),
                                      definitions=_DEFINITIONS),
    "metadef_resource_type": _RESOURCE_TYPE,
    "metadef_resource_types": _collection("resource_type_associations", _RESOURCE_TYPE),
    "metadef_property": _PROPERTY,
    "metadef_properties": _collection(
        "properties", {**_without(_PROPERTY, "definitions"), "required": ["type", "title"]},
        by_name=True, definitions=_PROPERTY_DEFINITIONS),
    "metadef_object": _OBJECT,
    "metadef_objects": _collection("objects", _without(_OBJECT, "definitions"),
                                   definitions=_DEFINITIONS),
    "metadef_tag": _TAG,
    "metadef_tags": _collection("tags", _TAG),
}

_CUSTOM: dict[str, dict[str, Any]] = {
    "architecture": {"description": "Operating system architecture as specified in "
                     "https://docs.openstack.org/python-glanceclient/latest/cli/"
                     "property-keys.html", "type": "string"},
    "instance_uuid": {"description": "Metadata which can be used to record which instance "
                      "this image is associated with. (Informational only, does not "
                      "create an instance snapshot.)", "type": "string"},
    "kernel_id": {"description": "ID of image stored in Glance that should be used as "
                  "the kernel when booting an AMI-style image.", "pattern": _UUID,
                  "type": ["null", "string"]},
    "os_distro": {"description": "Common name of operating system distribution as "
                  "specified in https://docs.openstack.org/python-glanceclient/latest/"
                  "cli/property-keys.html", "type": "string"},
    "os_version": {"description": "Operating system version as specified by the "
                   "distributor", "type": "string"},
    "ramdisk_id": {"description": "ID of image stored in Glance that should be used as "
                   "the ramdisk when booting an AMI-style image.", "pattern": _UUID,
                   "type": ["null", "string"]},
}
"""The properties of the ``schema-image.json`` Glance ships (its custom properties)."""

IMAGE: dict[str, Any] = {
    "name": "image",
    "properties": {
        "id": {"type": "string", "description": "An identifier for the image", "pattern": _UUID},
        "name": {
            "type": ["null", "string"],
            "description": "Descriptive name for the image",
            "maxLength": 255},
        "status": {
            "type": "string",
            "readOnly": True,
            "description": "Status of the image",
            "enum": ["queued", "saving", "active", "killed", "deleted", "uploading", "importing",
                     "pending_delete", "deactivated"]},
        "visibility": {
            "type": "string",
            "description": "Scope of image accessibility",
            "enum": ["community", "public", "private", "shared"]},
        "protected": {"type": "boolean", "description": "If true, image will not be deletable."},
        "os_hidden": {
            "type": "boolean",
            "description": "If true, image will not appear in default image list response."},
        "checksum": {
            "type": ["null", "string"],
            "readOnly": True,
            "description": "md5 hash of image contents.",
            "maxLength": 32},
        "os_hash_algo": {
            "type": ["null", "string"],
            "readOnly": True,
            "description": "Algorithm to calculate the os_hash_value",
            "maxLength": 64},
        "os_hash_value": {
            "type": ["null", "string"],
            "readOnly": True,
            "description": ("Hexdigest of the image contents using the algorithm specified by the "
                            "os_hash_algo"),
            "maxLength": 128},
        "owner": {
            "type": ["null", "string"],
            "description": "Owner of the image",
            "maxLength": 255},
        "size": {
            "type": ["null", "integer"],
            "readOnly": True,
            "description": "Size of image file in bytes"},
        "virtual_size": {
            "type": ["null", "integer"],
            "readOnly": True,
            "description": "Virtual size of image in bytes"},
        "container_format": {
            "type": ["null", "string"],
            "description": "Format of the container",
            "enum": [None, "ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]},
        "disk_format": {
            "type": ["null", "string"],
            "description": "Format of the disk",
            "enum": [None, "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi",
                     "iso", "ploop"]},
        "created_at": {
            "type": "string",
            "readOnly": True,
            "description": "Date and time of image registration"},
        "updated_at": {
            "type": "string",
            "readOnly": True,
            "description": "Date and time of the last image modification"},
        "tags": {
            "type": "array",
            "description": "List of strings related to the image",
            "items": {"type": "string", "maxLength": 255}},
        "direct_url": {
            "type": "string",
            "readOnly": True,
            "description": "URL to access the image file kept in external store"},
        "min_ram": {
            "type": "integer",
            "description": "Amount of ram (in MB) required to boot image."},
        "min_disk": {
            "type": "integer",
            "description": "Amount of disk space (in GB) required to boot image."},
        "self": {"type": "string", "readOnly": True, "description": "An image self url"},
        "file": {"type": "string", "readOnly": True, "description": "An image file url"},
        "schema": {"type": "string", "readOnly": True, "description": "An image schema url"},
        "locations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "url": {"type": "string", "maxLength": 255},
                    "metadata": {"type": "object"},
                    "validation_data": {
                        "description": ("Values to be used to populate the corresponding image "
                                        "properties. If the image status is not 'queued', values "
                                        "must exactly match those already contained in the image "
                                        "properties."),
                        "type": "object",
                        "writeOnly": True,
                        "additionalProperties": False,
                        "properties": {
                            "checksum": {"type": "string", "minLength": 32, "maxLength": 32},
                            "os_hash_algo": {"type": "string", "maxLength": 64},
                            "os_hash_value": {"type": "string", "maxLength": 128}},
                        "required": ["os_hash_algo", "os_hash_value"]}},
                "required": ["url", "metadata"]},
            "description": "A set of URLs to access the image file kept in external store"}},
    "additionalProperties": {"type": "string"},
    "links": [
        {"rel": "self", "href": "{self}"},
        {"rel": "enclosure", "href": "{file}"},
        {"rel": "describedby", "href": "{schema}"}]}
"""Glance's image schema (``images.get_schema()``), with its shipped custom properties."""
IMAGE["properties"].update({k: dict(v, is_base=False) for k, v in _CUSTOM.items()})
