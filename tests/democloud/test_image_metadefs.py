"""Glance's metadata definitions catalog in the demo cloud over HTTP: the seeded
namespaces, their children, and an administrator's changes (a member's are 403)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb import democloud

from .test_image_sharing import Glance

NS = "/metadefs/namespaces"


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Glance:
    return Glance(cloud, member_token)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Glance:
    return Glance(cloud, admin_token)


@pytest.fixture
def namespace(admin: Glance) -> Iterator[str]:
    name = f"OSNB::Test::{uuid.uuid4().hex[:6]}"
    made = admin.call("POST", NS, {"namespace": name, "display_name": "Test",
                                   "visibility": "public",
                                   "resource_type_associations": [
                                       {"name": "OS::Glance::Image", "prefix": "osnb_"}]},
                      expect=201)
    assert made["namespace"] == name and made["protected"] is False
    yield name
    admin.session.delete(f"{admin.base}{NS}/{name}", timeout=10)


def test_the_seeded_catalog(member: Glance) -> None:
    names = [n["namespace"] for n in member.call("GET", NS, expect=200)["namespaces"]]
    assert {"OS::Compute::Hypervisor", "CIM::ProcessorAllocationSettingData",
            "OS::Compute::Libvirt", "OS::Compute::Quota"} <= set(names)
    hyper = member.call("GET", f"{NS}/OS::Compute::Hypervisor", expect=200)
    assert hyper["properties"]["hypervisor_type"]["type"] == "string"
    assert "kvm" in hyper["properties"]["hypervisor_type"]["enum"]
    assert hyper["self"] == f"/v2{NS}/OS::Compute::Hypervisor" and hyper["protected"]
    for_flavors = member.call("GET", NS, expect=200, resource_types="OS::Nova::Flavor")
    assert "OS::Compute::Hypervisor" not in \
        {n["namespace"] for n in for_flavors["namespaces"]}
    quota = f"{NS}/OS::Compute::Quota"
    objects = member.call("GET", f"{quota}/objects", expect=200)["objects"]
    assert [o["name"] for o in objects] == ["CPU Limits"]
    limits = member.call("GET", f"{quota}/objects/CPU Limits", expect=200)
    assert limits["properties"]["quota:cpu_period"]["minimum"] == 1000
    assert [t["name"] for t in member.call("GET", f"{quota}/tags", expect=200)["tags"]] == \
        ["cpu", "quota"]
    boot = member.call("GET", f"{NS}/OS::Compute::Libvirt/properties/boot_menu", expect=200)
    assert boot["name"] == "boot_menu" and boot["enum"] == ["true", "false"]
    assocs = member.call("GET", f"{NS}/OS::Compute::Libvirt/resource_types",
                         expect=200)["resource_type_associations"]
    assert {a["name"]: a.get("prefix") for a in assocs} == \
        {"OS::Glance::Image": "hw_", "OS::Nova::Flavor": "hw:"}
    types = member.call("GET", "/metadefs/resource_types", expect=200)["resource_types"]
    assert "OS::Glance::Image" in {t["name"] for t in types}
    member.call("GET", f"{NS}/No::Such", expect=404)
    member.call("GET", f"{quota}/objects/nothing", expect=404)
    member.call("GET", f"{quota}/whatever", expect=404)


def test_a_member_may_not_change_the_catalog(member: Glance, namespace: str) -> None:
    member.call("POST", NS, {"namespace": "Mine::Only"}, expect=403)
    member.call("PUT", f"{NS}/{namespace}", {"namespace": namespace}, expect=403)
    member.call("POST", f"{NS}/{namespace}/tags/x", expect=403)
    member.call("DELETE", f"{NS}/{namespace}", expect=403)


def test_an_admin_changes_a_namespace_and_its_children(admin: Glance, namespace: str) -> None:
    base = f"{NS}/{namespace}"
    admin.call("POST", NS, {"namespace": namespace}, expect=409)
    admin.call("POST", NS, {"display_name": "no name"}, expect=400)
    prop = {"name": "osnb_speed", "title": "Speed", "type": "integer", "minimum": 1}
    assert admin.call("POST", f"{base}/properties", prop, expect=201)["minimum"] == 1
    admin.call("POST", f"{base}/properties", prop, expect=409)
    admin.call("POST", f"{base}/properties", {"name": "bad", "title": "B", "type": "date"},
               expect=400)
    admin.call("POST", f"{base}/properties", {"name": "untitled", "type": "string"},
               expect=400)
    renamed = admin.call("PUT", f"{base}/properties/osnb_speed",
                         {**prop, "name": "osnb_pace"}, expect=200)
    assert renamed["name"] == "osnb_pace"
    admin.call("GET", f"{base}/properties/osnb_speed", expect=404)
    obj = {"name": "Box", "description": "A box", "required": [],
           "properties": {"width": {"title": "Width", "type": "integer"}}}
    assert admin.call("POST", f"{base}/objects", obj, expect=201)["name"] == "Box"
    admin.call("PUT", f"{base}/objects/Box", {**obj, "description": "Wider"}, expect=200)
    assert admin.call("GET", f"{base}/objects/Box", expect=200)["description"] == "Wider"
    admin.call("POST", f"{base}/tags/alpha", expect=201)
    admin.call("POST", f"{base}/tags/alpha", expect=409)
    tags = admin.call("POST", f"{base}/tags", {"tags": [{"name": "b"}, {"name": "c"}]},
                      expect=201)
    assert [t["name"] for t in tags["tags"]] == ["b", "c"]
    listed = admin.call("GET", f"{base}/tags", expect=200)["tags"]
    assert [t["name"] for t in listed] == ["b", "c"]  # the new set replaced the old
    admin.call("PUT", f"{base}/tags/b", {"name": "beta"}, expect=200)
    admin.call("POST", f"{base}/resource_types", {"name": "OS::Nova::Flavor",
                                                  "prefix": "osnb:"}, expect=201)
    admin.call("POST", f"{base}/resource_types", {"name": "OS::Nova::Flavor"}, expect=409)
    admin.call("POST", f"{base}/resource_types", {"name": "OS::No::Such"}, expect=404)
    detail = admin.call("GET", base, expect=200)
    assert set(detail["properties"]) == {"osnb_pace"}
    assert [o["name"] for o in detail["objects"]] == ["Box"]
    assert {t["name"] for t in detail["tags"]} == {"beta", "c"}
    assert {a["name"] for a in detail["resource_type_associations"]} == \
        {"OS::Glance::Image", "OS::Nova::Flavor"}
    admin.call("DELETE", f"{base}/resource_types/OS::Nova::Flavor", expect=204)
    admin.call("DELETE", f"{base}/objects/Box", expect=204)
    admin.call("DELETE", f"{base}/properties/osnb_pace", expect=204)
    admin.call("DELETE", f"{base}/tags/beta", expect=204)
    admin.call("DELETE", f"{base}/tags", expect=204)
    assert admin.call("GET", f"{base}/tags", expect=200)["tags"] == []
    # protected: its contents and itself stay
    admin.call("PUT", base, {"namespace": namespace, "protected": True}, expect=200)
    admin.call("POST", f"{base}/tags/keep", expect=201)
    admin.call("DELETE", f"{base}/tags/keep", expect=403)
    admin.call("DELETE", base, expect=403)
    admin.call("PUT", base, {"namespace": namespace, "protected": False}, expect=200)
    admin.call("DELETE", base, expect=204)
    admin.call("GET", base, expect=404)


def test_every_schema_is_served(member: Glance) -> None:
    for name in ("image", "images", "member", "members", "task", "tasks"):
        doc: dict[str, Any] = member.call("GET", f"/schemas/{name}", expect=200)
        assert doc["name"] == name and doc["properties"]
    for name in ("namespace", "namespaces", "object", "objects", "property", "properties",
                 "tag", "tags", "resource_type", "resource_types"):
        doc = member.call("GET", f"/schemas/metadefs/{name}", expect=200)
        assert doc["properties"]
    image = member.call("GET", "/schemas/image", expect=200)
    assert {"architecture", "os_distro", "kernel_id"} <= set(image["properties"])
    assert image["additionalProperties"] == {"type": "string"}
    member.call("GET", "/schemas/nothing", expect=404)
