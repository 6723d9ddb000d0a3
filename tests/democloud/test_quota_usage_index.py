"""Cinder's and Neutron's quota usage read a project's own records (through the tables'
indexes by project) and give what a walk of every table gives, after every way the
tables change: API creates and deletes, a timed status transition, a cascade, Nova's
topics to the others, a transfer that moves records to another project, and direct
writes to the store (over real HTTP, a cloud of its own)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.services.block_storage import quota_usage
from osnb.democloud.services.network import quotas as neutron_quotas
from osnb.democloud.store import Store, Table
from tests.conftest import _token

V3 = "/volume/v3"
NET = "/network/v2.0"
NEUTRON_TABLES = {**neutron_quotas.COUNTED, "port": "ports", "floatingip": "floatingips"}


@pytest.fixture(scope="module")
def own() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=5, projects=4, servers=40, build_seconds=0.3) as running:
        yield running


class Client:
    def __init__(self, cloud: democloud.DemoCloud, user: str) -> None:
        self.url = cloud.url
        token, body = _token(cloud, user)
        self.project = body["project"]["id"]
        self.session = requests.Session()
        self.session.headers.update({"X-Auth-Token": token,
                                     "OpenStack-API-Version": "volume 3.60, compute 2.79"})

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        r = self.session.request(method, self.url + path, json=body, timeout=30)
        assert r.status_code == expect, (method, path, r.status_code, r.text)
        return r.json() if r.content else None


@pytest.fixture(scope="module")
def admin(own: democloud.DemoCloud) -> Client:
    return Client(own, "demo")


@pytest.fixture(scope="module")
def member(own: democloud.DemoCloud) -> Client:
    return Client(own, "demo-member")


def _scan_neutron(store: Store, project: str) -> dict[str, int]:
    return {**{resource: sum(1 for r in store.table(table).values()
                             if r.get("project_id") == project)
               for resource, table in NEUTRON_TABLES.items()},
            "router_route": 0}  # a per-router limit: Neutron counts none per project


def _agree(cloud: democloud.DemoCloud, admin: Client, step: str) -> None:
    """Indexed usage == a full walk, for every project that owns anything; no index
    entry filed wrongly; and the quota APIs say the same for the demo's projects."""

    def compare() -> list[str]:
        store = cloud.store
        wrong = [f"{table} index: {stale}" for table in (*quota_usage.OWNERS,
                                                         *neutron_quotas.COUNTED.values())
                 for ix in [store.tables[table]] if isinstance(ix, Table)
                 for stale in [i.stale() for i in ix.indexes.values()] if stale]
        walked = quota_usage.usage_all(store)
        projects = {*walked, *(r["project_id"] for r in store.table("networks").values()),
                    *store.table("projects")}
        for project in projects:
            if quota_usage.usage_of(store, project) != walked.get(project, {}):
                wrong.append(f"cinder {project}: {quota_usage.usage_of(store, project)} "
                             f"!= {walked.get(project)}")
            used = neutron_quotas.usage(store, project)
            if used != _scan_neutron(store, project):
                wrong.append(f"neutron {project}: {used} != {_scan_neutron(store, project)}")
        return wrong

    assert cloud.call(compare) == [], step
    for project in (admin.project, cloud.store.meta["member_project_id"]):
        cinder = admin.call("GET", f"{V3}/os-quota-sets/{project}?usage=true")["quota_set"]
        walked = cloud.call(lambda p=project: quota_usage.usage_all(cloud.store).get(p, {}))
        assert {k: v["in_use"] for k, v in cinder.items() if k != "id" and v["in_use"]} == \
            walked, step
        neutron = admin.call("GET", f"{NET}/quotas/{project}/details")["quota"]
        scanned = cloud.call(lambda p=project: _scan_neutron(cloud.store, p))
        assert {k: v["used"] for k, v in neutron.items()} == scanned, step


def _wait(client: Client, path: str, key: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        record: dict[str, Any] = client.call("GET", path)[key]
        if record["status"] == status:
            return record
        assert time.monotonic() < deadline, record["status"]
        time.sleep(0.05)


def test_usage_agrees_with_a_walk_through_every_write_path(
        own: democloud.DemoCloud, admin: Client, member: Client) -> None:
    _agree(own, admin, "seeded")
    v3 = f"{V3}/{member.project}"

    # API creates, then a timed transition (creating -> available)
    vol = member.call("POST", f"{v3}/volumes", {"volume": {"size": 2, "name": "ix"}},
                      202)["volume"]
    _agree(own, admin, "volume create")
    _wait(member, f"{v3}/volumes/{vol['id']}", "volume", "available")
    snap = member.call("POST", f"{v3}/snapshots", {"snapshot": {"volume_id": vol["id"]}},
                       202)["snapshot"]
    _wait(member, f"{v3}/snapshots/{snap['id']}", "snapshot", "available")
    net = member.call("POST", f"{NET}/networks", {"network": {"name": "ix"}}, 201)["network"]
    member.call("POST", f"{NET}/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "10.77.0.0/24"}}, 201)
    member.call("POST", f"{NET}/routers", {"router": {"name": "ix"}}, 201)
    group = member.call("POST", f"{NET}/security-groups",
                        {"security_group": {"name": "ix"}}, 201)["security_group"]
    member.call("POST", f"{NET}/security-group-rules", {"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 22, "port_range_max": 22}}, 201)
    member.call("POST", f"{NET}/subnetpools", {"subnetpool": {
        "name": "ix", "prefixes": ["192.168.0.0/16"], "default_prefixlen": 24}}, 201)
    member.call("POST", f"{NET}/rbac-policies", {"rbac_policy": {
        "object_type": "network", "object_id": net["id"], "action": "access_as_shared",
        "target_tenant": admin.project}}, 201)
    _agree(own, admin, "creates and timed transitions")

    # cascades: a security group takes its rules, a volume (cascade) its snapshots
    member.call("DELETE", f"{NET}/security-groups/{group['id']}", expect=204)
    member.call("DELETE", f"{v3}/volumes/{vol['id']}?cascade=true", expect=202)
    _agree(own, admin, "cascading deletes")

    # Nova's topics: a server's port (port.create), a volume attached (volume.attach),
    # then the server's delete (server.deleted: ports deleted, volumes detached)
    image = member.call("GET", "/image/v2/images")["images"][0]
    flavor = min((f for f in member.call("GET", "/compute/v2.1/flavors/detail")["flavors"]
                  if f["disk"] >= (image.get("min_disk") or 20)),
                 key=lambda f: (f["vcpus"], f["ram"]))["id"]
    server = member.call("POST", "/compute/v2.1/servers", {"server": {
        "name": "ix", "flavorRef": flavor, "imageRef": image["id"], "networks": "auto"}},
        202)["server"]
    _wait(member, f"/compute/v2.1/servers/{server['id']}", "server", "ACTIVE")
    disk = member.call("POST", f"{v3}/volumes", {"volume": {"size": 1}}, 202)["volume"]
    _wait(member, f"{v3}/volumes/{disk['id']}", "volume", "available")
    member.call("POST", f"/compute/v2.1/servers/{server['id']}/os-volume_attachments",
                {"volumeAttachment": {"volumeId": disk["id"]}})
    _agree(own, admin, "server with a port and a volume")
    member.call("DELETE", f"/compute/v2.1/servers/{server['id']}", expect=204)
    _agree(own, admin, "server deleted")

    # a transfer changes the owner of a volume and its snapshot in place
    _wait(member, f"{v3}/volumes/{disk['id']}", "volume", "available")
    moved = member.call("POST", f"{v3}/snapshots", {"snapshot": {"volume_id": disk["id"]}},
                        202)["snapshot"]
    _wait(member, f"{v3}/snapshots/{moved['id']}", "snapshot", "available")
    offer = member.call("POST", f"{v3}/volume-transfers",
                        {"transfer": {"volume_id": disk["id"]}}, 202)["transfer"]
    admin.call("POST", f"{V3}/{admin.project}/volume-transfers/{offer['id']}/accept",
               {"accept": {"auth_key": offer["auth_key"]}}, 202)
    _agree(own, admin, "transfer accepted")

    # direct writes to the store, every dict method a table has
    def poke() -> None:
        store = own.store
        volumes = store.table("volumes")
        some = next(v for v in volumes.values() if v.get("consumes_quota", True))
        copy = {**some, "id": "direct-1", "size": 7}
        volumes["direct-1"] = copy
        volumes.setdefault("direct-2", {**some, "id": "direct-2"})
        volumes.update({"direct-3": {**some, "id": "direct-3",
                                     "os-vol-tenant-attr:tenant_id": "elsewhere"}})
        volumes |= {"direct-4": {**some, "id": "direct-4"}}
        del volumes["direct-2"]
        volumes.pop("direct-4")
        copy["size"] = 9  # counted as it is read
        copy["os-vol-tenant-attr:tenant_id"] = admin.project  # moved in place, then
        volumes["direct-1"] = copy  # stored again
        nets = store.table("networks")
        nets["direct-net"] = {**next(iter(nets.values())), "id": "direct-net",
                              "project_id": member.project}
        store.table("security_groups").pop(next(iter(store.table("security_groups"))))

    own.call(poke)
    _agree(own, admin, "direct store writes")


def test_a_record_moved_in_place_leaves_its_old_project_at_once(
        own: democloud.DemoCloud, admin: Client, member: Client) -> None:
    """Changing the owner inside a record is no write to the table: the old project's
    answer drops it as it reads, and storing it again files it under the new one."""

    def move() -> tuple[int, int, int, int]:
        store, key = own.store, quota_usage.OWNERS["snapshots"]
        ix = store.index("snapshots", key)
        snap = next(iter(store.table("snapshots").values()))
        old, new = snap[key], "someone-else"
        before = len(ix.ids(old)), len(ix.ids(new))
        snap[key] = new
        after_read = len(ix.ids(old))
        store.table("snapshots")[snap["id"]] = snap
        return (*before, after_read, len(ix.ids(new)))

    mine, theirs, mine_after, theirs_after = own.call(move)
    assert mine >= 1 and mine_after == mine - 1 and theirs_after == theirs + 1
    assert own.call(lambda: [i.stale() for i in own.store.tables["snapshots"].indexes.values()
                             ]) == [[]]


def test_an_index_is_refused_on_a_table_already_served() -> None:
    store = Store()
    store.table("things")["a"] = {"id": "a", "project_id": "p"}
    with pytest.raises(RuntimeError, match="before it is served"):
        store.index("things", "project_id")
    store.generating = True
    assert store.index("things", "project_id").ids("p") == ["a"]
