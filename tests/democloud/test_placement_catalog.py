"""Placement's resource classes, traits, provider traits and aggregates over HTTP, and the
allocation candidates they filter."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from osnb import democloud

from .test_placement_allocations import call, code


@pytest.fixture
def provider(cloud: democloud.DemoCloud, admin_token: str) -> Iterator[dict[str, Any]]:
    rp = call(cloud, admin_token, "POST", "/resource_providers",
              {"name": f"osnb-cat-{uuid.uuid4().hex[:8]}"}).json()
    yield rp
    call(cloud, admin_token, "DELETE", f"/resource_providers/{rp['uuid']}")


def _custom(prefix: str) -> str:
    return f"CUSTOM_OSNB_{prefix}_{uuid.uuid4().hex[:6].upper()}"


def test_custom_resource_classes(cloud, admin_token, member_token, provider):
    name = _custom("RC")
    assert call(cloud, admin_token, "GET", f"/resource_classes/{name}").status_code == 404
    r = call(cloud, admin_token, "POST", "/resource_classes", {"name": name})
    assert r.status_code == 201 and r.headers["Location"].endswith(f"/resource_classes/{name}")
    assert call(cloud, admin_token, "POST", "/resource_classes",
                {"name": name}).status_code == 409
    assert call(cloud, admin_token, "POST", "/resource_classes",
                {"name": "NOT_CUSTOM"}).status_code == 400
    assert call(cloud, admin_token, "POST", "/resource_classes", {"name": name},
                mv="1.1").status_code == 404
    assert call(cloud, member_token, "POST", "/resource_classes",
                {"name": _custom("RC")}).status_code == 403
    listed = [rc["name"] for rc in call(cloud, admin_token, "GET", "/resource_classes"
                                        ).json()["resource_classes"]]
    assert listed[0] == "VCPU" and name in listed
    assert call(cloud, admin_token, "GET", f"/resource_classes/{name}").json() == {
        "name": name, "links": [{"rel": "self", "href": f"/placement/resource_classes/{name}"}]}
    # PUT: from 1.7 makes or confirms; before, renames
    assert call(cloud, admin_token, "PUT", f"/resource_classes/{name}").status_code == 204
    assert call(cloud, admin_token, "PUT", "/resource_classes/VCPU").status_code == 400
    renamed = name + "_V2"
    r = call(cloud, admin_token, "PUT", f"/resource_classes/{name}", {"name": renamed},
             mv="1.6")
    assert r.status_code == 200 and r.json()["name"] == renamed
    # an inventory holds it
    inv = call(cloud, admin_token, "POST", f"/resource_providers/{provider['uuid']}/inventories",
               {"resource_class": renamed, "total": 4})
    assert inv.status_code == 201
    held = call(cloud, admin_token, "DELETE", f"/resource_classes/{renamed}")
    assert held.status_code == 409 and "Class is in use in inventory" in held.text
    assert call(cloud, admin_token, "DELETE",
                f"/resource_providers/{provider['uuid']}/inventories/{renamed}"
                ).status_code == 204
    assert call(cloud, admin_token, "DELETE", "/resource_classes/VCPU").status_code == 400
    assert call(cloud, admin_token, "DELETE", f"/resource_classes/{renamed}").status_code == 204
    assert call(cloud, admin_token, "DELETE", f"/resource_classes/{renamed}").status_code == 404


def test_traits_and_what_providers_carry(cloud, admin_token, member_token, provider):
    rp, name = provider["uuid"], _custom("TRAIT")
    assert call(cloud, admin_token, "GET", f"/traits/{name}").status_code == 404
    r = call(cloud, admin_token, "PUT", f"/traits/{name}")
    assert r.status_code == 201 and r.headers["Location"].endswith(f"/traits/{name}")
    assert call(cloud, admin_token, "PUT", f"/traits/{name}").status_code == 204
    assert call(cloud, admin_token, "GET", f"/traits/{name}").status_code == 204
    assert call(cloud, admin_token, "PUT", "/traits/HW_CPU_X86_NOPE").status_code == 400
    assert call(cloud, member_token, "PUT", f"/traits/{_custom('T')}").status_code == 403
    assert call(cloud, admin_token, "GET", "/traits", name=f"in:{name},HW_CPU_X86_AVX2"
                ).json() == {"traits": sorted([name, "HW_CPU_X86_AVX2"])}
    assert name in call(cloud, admin_token, "GET", "/traits",
                        name="startswith:CUSTOM_OSNB_TRAIT").json()["traits"]
    assert name in call(cloud, admin_token, "GET", "/traits", associated="false"
                        ).json()["traits"]
    base = f"/resource_providers/{rp}/traits"
    stale = call(cloud, admin_token, "PUT", base,
                 {"traits": [name], "resource_provider_generation": 5})
    assert stale.status_code == 409 and code(stale) == "placement.concurrent_update"
    missing = call(cloud, admin_token, "PUT", base,
                   {"traits": ["CUSTOM_OSNB_NEVER_MADE"], "resource_provider_generation": 0})
    assert missing.status_code == 400 and "No such trait CUSTOM_OSNB_NEVER_MADE" in missing.text
    r = call(cloud, admin_token, "PUT", base,
             {"traits": [name, "HW_CPU_X86_AVX2"], "resource_provider_generation": 0})
    assert r.status_code == 200 and r.json() == {
        "traits": sorted([name, "HW_CPU_X86_AVX2"]), "resource_provider_generation": 1}
    assert name in call(cloud, admin_token, "GET", "/traits", associated="true"
                        ).json()["traits"]
    assert [p["uuid"] for p in call(cloud, admin_token, "GET", "/resource_providers",
                                    required=name).json()["resource_providers"]] == [rp]
    assert rp not in [p["uuid"] for p in call(
        cloud, admin_token, "GET", "/resource_providers",
        required=f"!{name}").json()["resource_providers"]]
    unknown = call(cloud, admin_token, "GET", "/resource_providers",
                   required="CUSTOM_OSNB_NEVER_MADE")
    assert unknown.status_code == 400 and "No such trait(s)" in unknown.text
    used = call(cloud, admin_token, "DELETE", f"/traits/{name}")
    assert used.status_code == 409 and "is in use by a resource provider" in used.text
    assert call(cloud, admin_token, "DELETE", "/traits/HW_CPU_X86_AVX2").status_code == 400
    assert call(cloud, admin_token, "DELETE", base).status_code == 204
    assert call(cloud, admin_token, "GET", base).json() == \
        {"traits": [], "resource_provider_generation": 2}
    assert call(cloud, admin_token, "DELETE", f"/traits/{name}").status_code == 204
    assert call(cloud, admin_token, "DELETE", f"/traits/{name}").status_code == 404


def test_provider_aggregates(cloud, admin_token, member_token, provider):
    rp = provider["uuid"]
    base = f"/resource_providers/{rp}/aggregates"
    agg1, agg2 = str(uuid.uuid4()), str(uuid.uuid4())
    stale = call(cloud, admin_token, "PUT", base,
                 {"aggregates": [agg1], "resource_provider_generation": 3})
    assert stale.status_code == 409 and code(stale) == "placement.concurrent_update"
    r = call(cloud, admin_token, "PUT", base,
             {"aggregates": [agg1, agg2], "resource_provider_generation": 0})
    assert r.status_code == 200 and r.json() == {
        "aggregates": [agg1, agg2], "resource_provider_generation": 1}
    assert call(cloud, admin_token, "PUT", base,
                {"aggregates": ["not-a-uuid"], "resource_provider_generation": 1}
                ).status_code == 400
    assert call(cloud, member_token, "PUT", base,
                {"aggregates": [], "resource_provider_generation": 1}).status_code == 403
    # before 1.19 the body is the list and the generation neither asked nor raised
    r = call(cloud, admin_token, "PUT", base, [agg2], mv="1.18")
    assert r.status_code == 200 and r.json() == {"aggregates": [agg2]}
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}").json()[
        "generation"] == 1
    found = call(cloud, admin_token, "GET", "/resource_providers", member_of=f"in:{agg2}")
    assert [p["uuid"] for p in found.json()["resource_providers"]] == [rp]


def test_allocation_candidates_by_traits_aggregates_and_groups(cloud, admin_token, provider):
    rp = provider["uuid"]
    trait, agg = _custom("CAND"), str(uuid.uuid4())
    assert call(cloud, admin_token, "PUT", f"/traits/{trait}").status_code == 201
    call(cloud, admin_token, "PUT", f"/resource_providers/{rp}/inventories",
         {"resource_provider_generation": 0,
          "inventories": {"VCPU": {"total": 2}, "MEMORY_MB": {"total": 1024}}})
    call(cloud, admin_token, "PUT", f"/resource_providers/{rp}/traits",
         {"traits": [trait], "resource_provider_generation": 1})
    call(cloud, admin_token, "PUT", f"/resource_providers/{rp}/aggregates",
         {"aggregates": [agg], "resource_provider_generation": 2})

    def candidates(**params: str) -> list[str]:
        r = call(cloud, admin_token, "GET", "/allocation_candidates", **params)
        assert r.status_code == 200, r.text
        return list(r.json()["provider_summaries"])

    assert candidates(resources="VCPU:1", required=trait) == [rp]
    assert rp not in candidates(resources="VCPU:1", required=f"!{trait}")
    assert candidates(resources="VCPU:1", required=f"in:{trait},CUSTOM_HIGHMEM") and \
        rp in candidates(resources="VCPU:1", required=f"in:{trait},CUSTOM_HIGHMEM")
    assert candidates(resources="VCPU:1", member_of=agg) == [rp]
    assert candidates(resources="VCPU:3", member_of=agg) == []  # 2 VCPU only
    assert candidates(resources="VCPU:1", in_tree=rp) == [rp]
    # granular groups on one provider: each group's traits, the sum of their resources
    assert candidates(resources1="VCPU:1", required1=trait, resources2="MEMORY_MB:512",
                      group_policy="none") == [rp]
    assert candidates(resources1="VCPU:2", required1=trait, resources2="VCPU:1",
                      group_policy="none") == []
    assert candidates(resources1="VCPU:1", required1=trait, resources2="MEMORY_MB:512",
                      group_policy="isolate") == []
    assert candidates(resources="VCPU:1", in_tree=rp, root_required=trait) == [rp]
    assert candidates(resources="VCPU:1", in_tree=rp, root_required=f"!{trait}") == []
    r = call(cloud, admin_token, "GET", "/allocation_candidates", resources1="VCPU:1",
             resources2="MEMORY_MB:1")
    assert r.status_code == 400 and "group_policy" in r.text
    r = call(cloud, admin_token, "GET", "/allocation_candidates", resources1="VCPU:1",
             required1=trait, group_policy="none", mv="1.34")
    (request,) = r.json()["allocation_requests"]
    assert request["mappings"] == {"1": [rp]}
    call(cloud, admin_token, "DELETE", f"/resource_providers/{rp}/traits")
    call(cloud, admin_token, "DELETE", f"/traits/{trait}")
