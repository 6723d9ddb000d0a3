"""Placement's allocations over HTTP: consumers written, checked and read back through
usages, generations and Nova's topics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.world import ALLOCATION_DELETE, ALLOCATION_MOVE, ALLOCATION_SET

PL = "/placement"
MV = "1.39"


def call(cloud: democloud.DemoCloud, token: str, method: str, path: str, body: Any = None,
         mv: str = MV, **params: Any) -> requests.Response:
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": f"placement {mv}"}
    return requests.request(method, cloud.url + PL + path, json=body, params=params,
                            headers=headers, timeout=10)


def code(r: requests.Response) -> str:
    return str(r.json()["errors"][0].get("code"))


@pytest.fixture
def provider(cloud: democloud.DemoCloud, admin_token: str) -> Iterator[dict[str, Any]]:
    """A provider with 8 VCPU (max 4 per allocation, in steps of 1) and 4096 MEMORY_MB."""
    rp = call(cloud, admin_token, "POST", "/resource_providers",
              {"name": f"osnb-alloc-{uuid.uuid4().hex[:8]}"}).json()
    r = call(cloud, admin_token, "PUT", f"/resource_providers/{rp['uuid']}/inventories",
             {"resource_provider_generation": 0, "inventories": {
                 "VCPU": {"total": 8, "max_unit": 4},
                 "MEMORY_MB": {"total": 4096, "step_size": 256}}})
    assert r.status_code == 200, r.text
    yield rp
    for consumer in call(cloud, admin_token, "GET",
                         f"/resource_providers/{rp['uuid']}/allocations").json()["allocations"]:
        call(cloud, admin_token, "DELETE", f"/allocations/{consumer}")
    call(cloud, admin_token, "DELETE", f"/resource_providers/{rp['uuid']}")


def _body(rp: str, gen: int | None = None, project: str = "p1", user: str = "u1",
          **resources: int) -> dict[str, Any]:
    return {"allocations": {rp: {"resources": resources}} if resources else {},
            "project_id": project, "user_id": user, "consumer_generation": gen,
            "consumer_type": "INSTANCE"}


def test_a_written_allocation_drives_usages_and_generations(cloud, admin_token, provider):
    rp = provider["uuid"]
    consumer, project = str(uuid.uuid4()), str(uuid.uuid4())
    r = call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
             _body(rp, project=project, VCPU=3, MEMORY_MB=512))
    assert r.status_code == 204, r.text
    assert call(cloud, admin_token, "GET", f"/allocations/{consumer}").json() == {
        "allocations": {rp: {"generation": 2, "resources": {"VCPU": 3, "MEMORY_MB": 512}}},
        "project_id": project, "user_id": "u1", "consumer_generation": 1,
        "consumer_type": "INSTANCE"}
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/allocations").json() \
        == {"allocations": {consumer: {"resources": {"VCPU": 3, "MEMORY_MB": 512},
                                       "consumer_generation": 1}},
            "resource_provider_generation": 2}
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json() == {
        "usages": {"VCPU": 3, "MEMORY_MB": 512}, "resource_provider_generation": 2}
    assert call(cloud, admin_token, "GET", "/usages", project_id=project).json() == {
        "usages": {"INSTANCE": {"consumer_count": 1, "VCPU": 3, "MEMORY_MB": 512}}}
    assert call(cloud, admin_token, "GET", "/usages", mv="1.9", project_id=project,
                user_id="u1").json() == {"usages": {"VCPU": 3, "MEMORY_MB": 512}}
    assert call(cloud, admin_token, "GET", "/usages", project_id=project,
                user_id="someone-else").json() == {"usages": {}}
    # the consumer's generation moved on: the old one, or none, is a conflict
    for stale in (None, 0):
        r = call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
                 _body(rp, stale, project=project, VCPU=1))
        assert r.status_code == 409 and code(r) == "placement.concurrent_update"
    assert call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
                _body(rp, 1, project=project, VCPU=4)).status_code == 204
    got = call(cloud, admin_token, "GET", f"/allocations/{consumer}").json()
    assert got["consumer_generation"] == 2 and got["allocations"][rp]["resources"] == \
        {"VCPU": 4}
    busy = call(cloud, admin_token, "DELETE", f"/resource_providers/{rp}")
    assert busy.status_code == 409 and code(busy) == "placement.resource_provider.inuse"
    gone = call(cloud, admin_token, "DELETE", f"/resource_providers/{rp}/inventories/VCPU")
    # Placement codes this one as a concurrent update (a PUT of inventories: "inuse")
    assert gone.status_code == 409 and code(gone) == "placement.concurrent_update"
    gen = call(cloud, admin_token, "GET", f"/resource_providers/{rp}").json()["generation"]
    gone = call(cloud, admin_token, "PUT", f"/resource_providers/{rp}/inventories",
                {"resource_provider_generation": gen, "inventories": {}})
    assert gone.status_code == 409 and code(gone) == "placement.inventory.inuse"
    assert call(cloud, admin_token, "DELETE", f"/allocations/{consumer}").status_code == 204
    assert call(cloud, admin_token, "GET", f"/allocations/{consumer}").json() == \
        {"allocations": {}}
    again = call(cloud, admin_token, "DELETE", f"/allocations/{consumer}")
    assert again.status_code == 404 and "No allocations for consumer" in again.text
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()[
        "usages"] == {"VCPU": 0, "MEMORY_MB": 0}


@pytest.mark.parametrize(("resources", "words"), [
    ({"VCPU": 5}, "would violate inventory constraints"),        # above max_unit 4
    ({"MEMORY_MB": 300}, "would violate inventory constraints"),  # not a step of 256
    ({"DISK_GB": 1}, "Inventory for 'DISK_GB' on resource provider"),
])
def test_what_the_inventory_cannot_hold_is_409(cloud, admin_token, provider, resources,
                                               words):
    r = call(cloud, admin_token, "PUT", f"/allocations/{uuid.uuid4()}",
             _body(provider["uuid"], **resources))
    assert r.status_code == 409 and words in r.text
    assert code(r) == "placement.undefined_code"


def test_capacity_counts_the_other_consumers(cloud, admin_token, provider):
    rp = provider["uuid"]
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert call(cloud, admin_token, "PUT", f"/allocations/{first}",
                _body(rp, VCPU=4)).status_code == 204
    assert call(cloud, admin_token, "PUT", f"/allocations/{second}",
                _body(rp, VCPU=4)).status_code == 204
    full = call(cloud, admin_token, "PUT", f"/allocations/{uuid.uuid4()}", _body(rp, VCPU=1))
    assert full.status_code == 409 and "would exceed the capacity" in full.text
    # replacing a consumer's own allocation does not count it twice
    assert call(cloud, admin_token, "PUT", f"/allocations/{first}",
                _body(rp, 1, VCPU=4)).status_code == 204


def test_refusals_before_any_write(cloud, admin_token, member_token, provider):
    rp, consumer = provider["uuid"], str(uuid.uuid4())
    nowhere = call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
                   _body(str(uuid.uuid4()), VCPU=1))
    assert nowhere.status_code == 400 and "that does not exist" in nowhere.text
    no_class = call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
                    _body(rp, CUSTOM_OSNB_NOTHING=1))
    assert no_class.status_code == 400 and "No such resource class" in no_class.text
    body = _body(rp, VCPU=1)
    del body["consumer_type"]
    assert call(cloud, admin_token, "PUT", f"/allocations/{consumer}", body).status_code == 400
    assert call(cloud, admin_token, "PUT", f"/allocations/{consumer}", body,
                mv="1.37").status_code == 204  # consumer_type came with 1.38
    assert call(cloud, admin_token, "GET", f"/allocations/{consumer}").json()[
        "consumer_type"] == "unknown"
    bad = call(cloud, admin_token, "PUT", "/allocations/not-a-uuid", _body(rp, VCPU=1))
    assert bad.status_code == 400 and "Malformed consumer_uuid" in bad.text
    r = call(cloud, member_token, "PUT", f"/allocations/{uuid.uuid4()}", _body(rp, VCPU=1))
    assert r.status_code == 403 and "placement:allocations:update" in r.text
    assert call(cloud, member_token, "GET", f"/allocations/{consumer}").status_code == 403


def test_post_allocations_is_all_or_nothing(cloud, admin_token, provider):
    rp = provider["uuid"]
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    r = call(cloud, admin_token, "POST", "/allocations",
             {a: _body(rp, VCPU=2), b: _body(rp, VCPU=4, MEMORY_MB=8192)})
    assert r.status_code == 409 and "would exceed the capacity" in r.text
    assert call(cloud, admin_token, "GET", f"/allocations/{a}").json() == {"allocations": {}}
    assert call(cloud, admin_token, "POST", "/allocations",
                {a: _body(rp, VCPU=2), b: _body(rp, VCPU=4)}).status_code == 204
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()[
        "usages"]["VCPU"] == 6
    # a migration's hand-over: a keeps nothing, b takes more, in one request
    assert call(cloud, admin_token, "POST", "/allocations",
                {a: _body(rp, 1), b: _body(rp, 1, VCPU=4, MEMORY_MB=1024)}).status_code == 204
    assert call(cloud, admin_token, "GET", f"/allocations/{a}").json() == {"allocations": {}}
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()[
        "usages"] == {"VCPU": 4, "MEMORY_MB": 1024}
    assert call(cloud, admin_token, "POST", "/allocations", {a: _body(rp, VCPU=1)},
                mv="1.12").status_code == 404  # POST /allocations came with 1.13


def test_a_server_holds_its_flavor_until_placement_is_told_otherwise(cloud, admin_token):
    server = requests.get(cloud.url + "/compute/v2.1/servers/detail",
                          params={"all_tenants": 1, "status": "ACTIVE", "limit": 1},
                          headers={"X-Auth-Token": admin_token,
                                   "OpenStack-API-Version": "compute 2.47"}, timeout=10
                          ).json()["servers"][0]
    held = call(cloud, admin_token, "GET", f"/allocations/{server['id']}").json()
    ((rp, part),) = held["allocations"].items()
    assert held["consumer_generation"] == 1 and held["consumer_type"] == "INSTANCE"
    assert part["resources"]["VCPU"] == server["flavor"]["vcpus"]
    before = call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()
    body = _body(rp, None, project=held["project_id"], user=held["user_id"], VCPU=1)
    r = call(cloud, admin_token, "PUT", f"/allocations/{server['id']}", body)
    assert r.status_code == 409 and "expected 1 but got None" in r.text
    resources = dict(part["resources"], VCPU=part["resources"]["VCPU"] + 1)
    body = _body(rp, 1, project=held["project_id"], user=held["user_id"], **resources)
    assert call(cloud, admin_token, "PUT", f"/allocations/{server['id']}", body
                ).status_code == 204
    after = call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()
    assert after["usages"]["VCPU"] == before["usages"]["VCPU"] + 1
    assert after["resource_provider_generation"] == before["resource_provider_generation"] + 1
    body = _body(rp, 2, project=held["project_id"], user=held["user_id"], **part["resources"])
    assert call(cloud, admin_token, "PUT", f"/allocations/{server['id']}", body
                ).status_code == 204  # as it was
    assert call(cloud, admin_token, "GET", f"/resource_providers/{rp}/usages").json()[
        "usages"] == before["usages"]


@pytest.fixture
def service_token(cloud: democloud.DemoCloud, admin_token: str) -> Iterator[str]:
    """A token of the admin with the ``service`` role too (the reshaper is Nova's)."""
    ks = cloud.url + "/identity/v3"
    head = {"X-Auth-Token": admin_token}
    me = requests.get(ks + "/auth/tokens", headers={**head, "X-Subject-Token": admin_token},
                      timeout=10).json()["token"]
    role = requests.get(ks + "/roles", params={"name": "service"}, headers=head,
                        timeout=10).json()["roles"][0]["id"]
    grant = f"{ks}/projects/{me['project']['id']}/users/{me['user']['id']}/roles/{role}"
    assert requests.put(grant, headers=head, timeout=10).status_code == 204
    try:
        yield _admin(cloud)
    finally:
        requests.delete(grant, headers=head, timeout=10)


def test_reshaper_moves_inventory_and_allocations_at_once(cloud, admin_token, service_token,
                                                          provider):
    rp = provider["uuid"]
    r = call(cloud, admin_token, "POST", "/reshaper", {"inventories": {}, "allocations": {}})
    assert r.status_code == 403 and "placement:reshaper:reshape" in r.text
    child = call(cloud, admin_token, "POST", "/resource_providers",
                 {"name": provider["name"] + "-numa0", "parent_provider_uuid": rp}).json()
    consumer = str(uuid.uuid4())
    assert call(cloud, admin_token, "PUT", f"/allocations/{consumer}",
                _body(rp, VCPU=2, MEMORY_MB=512)).status_code == 204
    gen = call(cloud, admin_token, "GET", f"/resource_providers/{rp}").json()["generation"]
    inventories = {rp: {"resource_provider_generation": gen,
                        "inventories": {"MEMORY_MB": {"total": 4096, "step_size": 256}}},
                   child["uuid"]: {"resource_provider_generation": 0,
                                   "inventories": {"VCPU": {"total": 8, "max_unit": 4}}}}
    # VCPU leaves the parent while the consumer still holds it there
    r = call(cloud, service_token, "POST", "/reshaper",
             {"inventories": inventories, "allocations": {}})
    assert r.status_code == 409 and code(r) == "placement.inventory.inuse"
    moved = {"allocations": {rp: {"resources": {"MEMORY_MB": 512}},
                             child["uuid"]: {"resources": {"VCPU": 2}}},
             "project_id": "p1", "user_id": "u1", "consumer_generation": 1,
             "consumer_type": "INSTANCE"}
    stale = dict(inventories, **{rp: dict(inventories[rp], resource_provider_generation=0)})
    r = call(cloud, service_token, "POST", "/reshaper",
             {"inventories": stale, "allocations": {consumer: moved}})
    assert r.status_code == 409 and code(r) == "placement.concurrent_update"
    assert call(cloud, service_token, "POST", "/reshaper",
                {"inventories": inventories, "allocations": {consumer: moved}},
                mv="1.29").status_code == 404
    r = call(cloud, service_token, "POST", "/reshaper",
             {"inventories": inventories, "allocations": {consumer: moved}})
    assert r.status_code == 204, r.text
    assert call(cloud, admin_token, "GET", f"/resource_providers/{child['uuid']}/usages"
                ).json() == {"usages": {"VCPU": 2}, "resource_provider_generation": 3}
    assert call(cloud, admin_token, "GET", f"/allocations/{consumer}").json()[
        "consumer_generation"] == 2
    assert call(cloud, admin_token, "DELETE", f"/allocations/{consumer}").status_code == 204
    call(cloud, admin_token, "DELETE", f"/resource_providers/{child['uuid']}")


@pytest.fixture(scope="module")
def small() -> Iterator[democloud.DemoCloud]:
    """A world of its own: the topics change what its servers hold."""
    with democloud.start(seed=7, projects=2, servers=6, build_seconds=0.0) as cloud:
        yield cloud


def _admin(cloud: democloud.DemoCloud) -> str:
    auth = cloud.clouds["clouds"]["demo"]["auth"]
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "password": auth["password"],
        "domain": {"name": auth["user_domain_name"]}}}},
        "scope": {"project": {"name": auth["project_name"],
                              "domain": {"name": auth["project_domain_name"]}}}}}
    r = requests.post(cloud.auth_url + "/auth/tokens", json=body, timeout=10)
    return r.headers["X-Subject-Token"]


def test_novas_topics_move_what_a_server_holds(small):
    token = _admin(small)
    hosts = {h["hypervisor_hostname"]: h["id"] for h in requests.get(
        small.url + "/compute/v2.1/os-hypervisors", timeout=10,
        headers={"X-Auth-Token": token, "OpenStack-API-Version": "compute 2.53"}
    ).json()["hypervisors"]}
    server = next(s for s in small.store.table("servers").values()
                  if s["status"] == "ACTIVE")
    held = call(small, token, "GET", f"/allocations/{server['id']}").json()
    ((source, part),) = held["allocations"].items()
    target_host = next(h for h, rp in hosts.items() if rp != source)
    target = hosts[target_host]
    migration = str(uuid.uuid4())
    usage = {rp: call(small, token, "GET", f"/resource_providers/{rp}/usages").json()["usages"]
             for rp in (source, target)}
    bigger = dict(part["resources"], VCPU=part["resources"]["VCPU"] + 2)

    def resize() -> None:  # Nova's resize to another host, awaiting confirmation
        small.store.publish(ALLOCATION_MOVE, consumer_id=server["id"],
                            to_consumer_id=migration)
        small.store.publish(ALLOCATION_SET, consumer_id=server["id"], host=target_host,
                            resources=bigger, project_id=server["tenant_id"],
                            user_id=server["user_id"])
    small.call(resize)
    got = call(small, token, "GET", f"/allocations/{server['id']}").json()
    assert got["allocations"] == {target: {"generation": got["allocations"][target][
        "generation"], "resources": bigger}}
    assert got["consumer_type"] == "INSTANCE" and got["project_id"] == server["tenant_id"]
    mig = call(small, token, "GET", f"/allocations/{migration}").json()
    assert mig["consumer_type"] == "MIGRATION"
    assert mig["allocations"][source]["resources"] == part["resources"]
    now = {rp: call(small, token, "GET", f"/resource_providers/{rp}/usages").json()["usages"]
           for rp in (source, target)}
    assert now[source] == usage[source]  # the migration holds the old flavor there
    assert now[target]["VCPU"] == usage[target]["VCPU"] + bigger["VCPU"]
    small.call(lambda: small.store.publish(ALLOCATION_DELETE, consumer_id=migration))
    assert call(small, token, "GET", f"/allocations/{migration}").json() == {"allocations": {}}
    assert call(small, token, "GET", f"/resource_providers/{source}/usages").json()[
        "usages"]["VCPU"] == usage[source]["VCPU"] - part["resources"]["VCPU"]
    small.call(lambda: small.store.publish(ALLOCATION_DELETE, consumer_id=server["id"]))
    assert call(small, token, "GET", f"/allocations/{server['id']}").json() == \
        {"allocations": {}}
    assert call(small, token, "GET", f"/resource_providers/{target}/usages").json()[
        "usages"] == usage[target]


def test_a_project_reader_sees_its_own_usages(cloud, member_token):
    me = requests.get(cloud.url + "/identity/v3/auth/tokens", timeout=10, headers={
        "X-Auth-Token": member_token, "X-Subject-Token": member_token}).json()["token"]
    mine = call(cloud, member_token, "GET", "/usages", project_id=me["project"]["id"])
    assert mine.status_code == 200 and "usages" in mine.json()
    other = call(cloud, member_token, "GET", "/usages", project_id=str(uuid.uuid4()))
    assert other.status_code == 403 and "placement:usages" in other.text
    assert call(cloud, member_token, "GET", "/resource_providers").status_code == 403
