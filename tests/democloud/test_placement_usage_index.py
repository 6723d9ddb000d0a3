"""Placement's usages per provider and per project are read from the store's indexes
(:mod:`osnb.democloud.services.placement.consumers`) and give what a walk of every
consumer gives, for every provider and every project, after every way a server's host or
flavor changes: boot, resize with confirm and with revert, cold and live migration,
evacuation, shelve offload and unshelve, delete, Placement's own allocation writes, and
direct writes to the store's tables (over real HTTP, a cloud of its own)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.services.placement import consumers as placement_consumers
from osnb.democloud.services.placement.core import MANUAL
from osnb.democloud.store import Store, Table
from tests.conftest import _token

V21 = "/compute/v2.1"
PLACEMENT = "/placement"


@pytest.fixture(scope="module")
def own() -> Iterator[democloud.DemoCloud]:
    with democloud.start(seed=11, projects=4, servers=60, build_seconds=0.2) as running:
        yield running


class Client:
    def __init__(self, cloud: democloud.DemoCloud, user: str) -> None:
        self.url = cloud.url
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = _token(cloud, user)[0]

    def call(self, method: str, path: str, body: Any = None, expect: int | tuple[int, ...]
             = 200, mv: str = "compute 2.79") -> Any:
        r = self.session.request(method, self.url + path, json=body, timeout=30,
                                 headers={"OpenStack-API-Version": mv})
        codes = expect if isinstance(expect, tuple) else (expect,)
        assert r.status_code in codes, (method, path, r.status_code, r.text)
        return r.json() if r.content else None

    def act(self, sid: str, body: Any, expect: int | tuple[int, ...] = 202,
            mv: str = "compute 2.79") -> Any:
        return self.call("POST", f"{V21}/servers/{sid}/action", body, expect, mv)

    def server(self, sid: str) -> dict[str, Any]:
        found: dict[str, Any] = self.call("GET", f"{V21}/servers/{sid}")["server"]
        return found

    def wait(self, sid: str, status: str) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while True:
            server = self.server(sid)
            if server["status"] == status:
                return server
            assert time.monotonic() < deadline, server["status"]
            time.sleep(0.05)


@pytest.fixture(scope="module")
def admin(own: democloud.DemoCloud) -> Client:
    return Client(own, "demo")


def _walked(store: Store) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """Usage per provider and consumers per project by a walk of every consumer."""
    per_project: dict[str, dict[str, Any]] = {}
    for record in placement_consumers.consumers(store):
        per_project.setdefault(record["project_id"], {})[record["id"]] = record
    return placement_consumers.usage_index(store), per_project


def _agree(cloud: democloud.DemoCloud, admin: Client, step: str) -> None:
    """For every provider and every project: indexed == walked, in the store and over
    HTTP; no index entry filed wrongly."""

    def compare() -> tuple[list[str], dict[str, dict[str, int]], list[str]]:
        store = cloud.store
        wrong = [f"{name} index {key}: {stale}"
                 for name in ("servers", placement_consumers.TABLE)
                 for table in [store.tables[name]] if isinstance(table, Table)
                 for key, ix in table.indexes.items() for stale in [ix.stale()] if stale]
        used, per_project = _walked(store)
        providers = [*store.table("hypervisors"), *store.table(MANUAL)]
        for rp in providers:
            indexed = placement_consumers.provider_usage(store, rp)
            if indexed != used.get(rp, {}):
                wrong.append(f"provider {rp}: {indexed} != {used.get(rp)}")
            held = placement_consumers.provider_allocations(store, rp)
            walked = {c["id"]: c for project in per_project.values() for c in project.values()
                      if rp in c["allocations"]}
            if held != walked:
                wrong.append(f"provider {rp} allocations: {sorted(held)} != {sorted(walked)}")
        for project in {*per_project, *store.table("projects")}:
            mine = {c["id"]: c for c in placement_consumers.project_consumers(store, project)}
            if mine != per_project.get(project, {}):
                wrong.append(f"project {project}: {sorted(mine)} != "
                             f"{sorted(per_project.get(project, {}))}")
        return wrong, used, providers

    wrong, used, providers = cloud.call(compare)
    assert wrong == [], step
    assert sum(bool(u) for u in used.values()) > 1, step  # the world holds something
    for rp in providers:
        got = admin.call("GET", f"{PLACEMENT}/resource_providers/{rp}/usages",
                         mv="placement 1.9")["usages"]
        assert {rc: n for rc, n in got.items() if n} == used.get(rp, {}), (step, rp)


def _derived(store: Store) -> list[str]:
    """The seeded servers that hold a derived allocation (no explicit record)."""
    table = store.table(placement_consumers.TABLE)
    return [s["id"] for s in store.table("servers").values() if s["id"] not in table
            and (held := placement_consumers.derived(store, s)) and held["allocations"]]


def _seeded(cloud: democloud.DemoCloud, n: int) -> list[str]:
    found: list[str] = cloud.call(lambda: _derived(cloud.store))
    assert len(found) >= n
    return found[:n]


def test_usages_agree_with_a_walk_through_every_move(own: democloud.DemoCloud,
                                                      admin: Client) -> None:
    _agree(own, admin, "seeded")
    flavors = admin.call("GET", f"{V21}/flavors/detail")["flavors"]
    tiny, small, medium = (next(f["id"] for f in flavors if f["name"] == name)
                           for name in ("m1.tiny", "m1.small", "m1.medium"))
    image = next(i["id"] for i in admin.call("GET", "/image/v2/images")["images"]
                 if (i.get("min_disk") or 0) <= 1 and (i.get("min_ram") or 0) <= 512)

    def boot(name: str) -> str:
        sid: str = admin.call("POST", f"{V21}/servers", {"server": {
            "name": name, "flavorRef": tiny, "imageRef": image, "networks": "none"}},
            202)["server"]["id"]
        admin.wait(sid, "ACTIVE")
        return sid

    sid = boot("ix-a")
    _agree(own, admin, "boot")

    admin.act(sid, {"resize": {"flavorRef": small}})
    admin.wait(sid, "VERIFY_RESIZE")
    _agree(own, admin, "resize")
    admin.act(sid, {"confirmResize": None}, 204)
    admin.wait(sid, "ACTIVE")
    _agree(own, admin, "resize confirmed")

    admin.act(sid, {"resize": {"flavorRef": medium}})
    admin.wait(sid, "VERIFY_RESIZE")
    admin.act(sid, {"revertResize": None})
    admin.wait(sid, "ACTIVE")
    _agree(own, admin, "resize reverted")

    admin.act(sid, {"migrate": None})
    admin.wait(sid, "VERIFY_RESIZE")
    admin.act(sid, {"confirmResize": None}, 204)
    admin.wait(sid, "ACTIVE")
    _agree(own, admin, "cold migration")

    admin.act(sid, {"os-migrateLive": {"host": None, "block_migration": "auto"}})
    admin.wait(sid, "ACTIVE")
    _agree(own, admin, "live migration")

    source = admin.server(sid)["OS-EXT-SRV-ATTR:host"]
    [svc] = admin.call("GET", f"{V21}/os-services?binary=nova-compute&host={source}")[
        "services"]
    admin.call("PUT", f"{V21}/os-services/{svc['id']}", {"forced_down": True})
    try:
        admin.act(sid, {"evacuate": {}}, 200)
        assert admin.wait(sid, "ACTIVE")["OS-EXT-SRV-ATTR:host"] != source
    finally:
        admin.call("PUT", f"{V21}/os-services/{svc['id']}", {"forced_down": False})
    _agree(own, admin, "evacuation")

    admin.act(sid, {"shelve": None})
    admin.wait(sid, "SHELVED_OFFLOADED")
    _agree(own, admin, "shelve offload")
    admin.act(sid, {"unshelve": None})
    admin.wait(sid, "ACTIVE")
    _agree(own, admin, "unshelve")

    admin.call("DELETE", f"{V21}/servers/{sid}", expect=204)
    _agree(own, admin, "delete")

    # seeded servers (derived allocations) moved by Nova
    first, second, third, fourth, fifth = _seeded(own, 5)
    admin.act(first, {"os-migrateLive": {"host": None, "block_migration": "auto"}})
    admin.wait(first, "ACTIVE")
    admin.act(second, {"shelve": None})
    admin.wait(second, "SHELVED_OFFLOADED")
    admin.call("DELETE", f"{V21}/servers/{third}", expect=204)
    _agree(own, admin, "seeded servers moved, shelved, deleted")

    # Placement's own writes: an explicit allocation replaces a derived one, then goes
    rp = next(iter(admin.call("GET", f"{PLACEMENT}/allocations/{fourth}",
                              mv="placement 1.28")["allocations"]))
    project = admin.server(fourth)["tenant_id"]
    admin.call("PUT", f"{PLACEMENT}/allocations/{fourth}", {
        "allocations": {rp: {"resources": {"VCPU": 1}}}, "project_id": project,
        "user_id": "u", "consumer_generation": 1}, 204, mv="placement 1.28")
    _agree(own, admin, "allocation written")
    admin.call("DELETE", f"{PLACEMENT}/allocations/{fourth}", expect=204,
               mv="placement 1.28")
    _agree(own, admin, "allocation deleted")

    # direct writes through the table: a copy on another host with another flavor stored
    # over the record, a server removed, another one's status and flavor changed in place
    def write() -> None:
        store = own.store
        servers = store.table("servers")
        hosts = [h["hypervisor_hostname"] for h in store.table("hypervisors").values()]
        moved = dict(servers[fifth])
        node = next(h for h in hosts if h != moved["OS-EXT-SRV-ATTR:hypervisor_hostname"])
        moved["OS-EXT-SRV-ATTR:host"] = moved["OS-EXT-SRV-ATTR:hypervisor_hostname"] = node
        moved["flavor"] = {**moved["flavor"], "vcpus": moved["flavor"]["vcpus"] + 3}
        servers[fifth] = moved
        others = [s for s in _derived(store) if s != fifth]
        servers.pop(others[0])
        servers[others[1]]["status"] = "DELETED"
        servers[others[2]]["flavor"] = {**servers[others[2]]["flavor"], "ram": 12345}
        offloaded = dict(servers[others[3]])
        offloaded["OS-EXT-SRV-ATTR:hypervisor_hostname"] = None  # on its host name only
        servers[others[3]] = offloaded
    own.call(write)
    _agree(own, admin, "direct table writes")


def test_a_member_index_files_a_record_under_each_member() -> None:
    store = Store()
    ix = store.member_index("t", "held")
    table = store.table("t")
    table["a"] = {"held": {"x": 1, "y": 2}}
    table["b"] = {"held": ["y"]}
    assert (ix.ids("x"), ix.ids("y"), ix.ids("z")) == (["a"], ["a", "b"], [])
    table["a"] = {"held": {"z": 1}}
    del table["b"]
    assert (ix.ids("x"), ix.ids("y"), ix.ids("z")) == ([], [], ["a"])
    table["a"]["held"] = {}  # in place: leaves at once on a read
    assert ix.ids("z") == [] and ix.stale() == []
    late = Store()
    late.table("u")["r"] = {"held": []}
    with pytest.raises(RuntimeError, match="before it is served"):
        late.member_index("u", "held")
