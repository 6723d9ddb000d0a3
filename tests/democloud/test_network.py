"""Neutron (Network v2.0) in the demo cloud: real HTTP, openstacksdk and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from osnb import democloud
from osnb.democloud.services import network

COLLECTIONS = ["networks", "subnets", "ports", "routers", "floatingips", "security-groups",
               "security-group-rules"]


class Api:
    """A tiny Neutron client for one token."""

    def __init__(self, cloud: democloud.DemoCloud, token: str) -> None:
        self.base = cloud.url + "/network/v2.0"
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = token

    def call(self, method: str, path: str, body: Any = None, *, expect: int | None = None,
             **params: Any) -> Any:
        url = path if path.startswith("http") else self.base + path
        r = self.session.request(method, url, json=body, params=params or None, timeout=30)
        if expect is not None:
            assert r.status_code == expect, (method, path, r.status_code, r.text)
        return r.json() if r.content else None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, expect=200, **params)

    def error(self, method: str, path: str, body: Any, status: int, type_: str,
              *, raw: bytes | None = None) -> str:
        url = self.base + path
        if raw is not None:
            r = self.session.request(method, url, data=raw, timeout=30,
                                     headers={"Content-Type": "application/json"})
        else:
            r = self.session.request(method, url, json=body, timeout=30)
        assert r.status_code == status, (path, r.status_code, r.text)
        err = r.json()["NeutronError"]
        assert err["type"] == type_, err
        assert err["message"] and "detail" in err
        return str(err["message"])


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture(scope="module")
def member_project(cloud: democloud.DemoCloud, member_token: str) -> str:
    r = requests.get(cloud.auth_url + "/auth/tokens", timeout=10, headers={
        "X-Auth-Token": member_token, "X-Subject-Token": member_token})
    return str(r.json()["token"]["project"]["id"])


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# -- reads -----------------------------------------------------------------------------

def test_version_document_and_extensions(cloud: democloud.DemoCloud, admin: Api) -> None:
    versions = requests.get(cloud.url + "/network/", timeout=10).json()["versions"]
    assert versions[0]["id"] == "v2.0" and versions[0]["status"] == "CURRENT"
    aliases = {e["alias"] for e in admin.get("/extensions")["extensions"]}
    assert {"quotas", "quota_details", "agent", "availability_zone", "router",
            "network-ip-availability", "security-group", "standard-attr-tag",
            "external-net", "port-security", "binding"} <= aliases
    assert admin.get("/extensions/router")["extension"]["alias"] == "router"
    admin.error("GET", "/extensions/nope", None, 404, "NotFound")


@pytest.mark.parametrize("path", COLLECTIONS)
def test_each_collection_lists_and_gets(admin: Api, path: str) -> None:
    key = path.replace("-", "_")
    items = admin.get(f"/{path}")[key]
    assert items
    one = admin.get(f"/{path}/{items[0]['id']}")[key[:-1]]
    assert one == items[0]
    assert one["project_id"] == one["tenant_id"]
    assert "created_at" in one and "revision_number" in one


def test_seeded_world_shape(admin: Api) -> None:
    nets = admin.get("/networks")["networks"]
    public = [n for n in nets if n["name"] == "public"]
    assert public and public[0]["router:external"] and public[0]["shared"]
    assert public[0]["provider:network_type"] == "flat" and public[0]["subnets"]
    owners = {p["device_owner"] for p in admin.get("/ports")["ports"]}
    assert {"network:dhcp", "network:router_interface", "network:router_gateway",
            "network:floatingip"} <= owners
    fips = admin.get("/floatingips")["floatingips"]
    assert any(f["port_id"] is None and f["status"] == "DOWN" for f in fips)
    unattached = admin.get("/ports", device_owner="")["ports"]
    assert any(p["device_id"] == "" for p in unattached)
    defaults = admin.get("/security-groups", name="default")["security_groups"]
    assert defaults
    rules = defaults[0]["security_group_rules"]
    assert {(r["direction"], r["ethertype"]) for r in rules} == {
        ("ingress", "IPv4"), ("ingress", "IPv6"), ("egress", "IPv4"), ("egress", "IPv6")}
    assert all(r["remote_group_id"] == defaults[0]["id"] for r in rules
               if r["direction"] == "ingress")


def test_filters_with_neutron_names(admin: Api) -> None:
    nets = admin.get("/networks", **{"router:external": "True"})["networks"]
    assert nets and all(n["router:external"] for n in nets)
    shared = admin.get("/networks", shared="true")["networks"]
    assert len(shared) >= 3 and all(n["shared"] for n in shared)
    dhcp = admin.get("/ports", device_owner="network:dhcp")["ports"]
    assert dhcp and all(p["device_owner"] == "network:dhcp" for p in dhcp)
    port = dhcp[0]
    by_device = admin.get("/ports", device_id=port["device_id"])["ports"]
    assert [p["id"] for p in by_device] == [port["id"]]
    ip = port["fixed_ips"][0]["ip_address"]
    by_ip = admin.get("/ports", fixed_ips=f"ip_address={ip}",
                      network_id=port["network_id"])["ports"]
    assert [p["id"] for p in by_ip] == [port["id"]]
    # A repeated parameter means "any of these".
    two = [n["id"] for n in admin.get("/networks")["networks"][:2]]
    r = admin.session.get(admin.base + "/networks", params=[("id", two[0]), ("id", two[1])])
    assert sorted(n["id"] for n in r.json()["networks"]) == sorted(two)
    project = port["project_id"]
    assert all(p["project_id"] == project
               for p in admin.get("/ports", tenant_id=project)["ports"])
    admin.error("GET", "/networks?flavour=x", None, 400, "HTTPBadRequest")


def test_fields_one_and_several(admin: Api) -> None:
    one = admin.get("/networks", fields="name")["networks"]
    assert one and all(set(n) == {"name"} for n in one)
    r = admin.session.get(admin.base + "/ports", params=[("fields", "id"),
                                                         ("fields", "fixed_ips")])
    assert all(set(p) == {"id", "fixed_ips"} for p in r.json()["ports"])
    net = one and admin.get("/networks")["networks"][0]
    shown = admin.get(f"/networks/{net['id']}", fields="mtu")["network"]
    assert shown == {"mtu": net["mtu"]}


def _walk(api: Api, path: str, key: str, rel: str, **params: Any) -> list[str]:
    seen: list[str] = []
    doc = api.get(path, **params)
    pages = 0
    while True:
        pages += 1
        assert pages < 500
        ids = [i["id"] for i in doc[key]]
        seen = seen + ids if rel == "next" else ids + seen
        links = {lk["rel"]: lk["href"] for lk in doc.get(f"{key}_links", [])}
        if rel not in links or not ids:
            return seen
        doc = api.call("GET", links[rel], expect=200)


@pytest.mark.parametrize("path", ["ports", "networks", "security-group-rules"])
def test_pagination_walks_to_the_end(admin: Api, path: str) -> None:
    key = path.replace("-", "_")
    full = [i["id"] for i in admin.get(f"/{path}", sort_key="id", sort_dir="asc")[key]]
    assert _walk(admin, f"/{path}", key, "next", limit=7) == full
    assert _walk(admin, f"/{path}", key, "previous", limit=5, page_reverse="True") == full


def test_sorting_by_name_desc(admin: Api) -> None:
    nets = admin.get("/networks", sort_key="name", sort_dir="desc")["networks"]
    names = [n["name"] for n in nets]
    assert names == sorted(names, reverse=True)
    admin.error("GET", "/networks?sort_key=bogus", None, 400, "HTTPBadRequest")


def test_member_isolation(admin: Api, member: Api, member_project: str) -> None:
    nets = member.get("/networks")["networks"]
    assert all(n["project_id"] == member_project or n["shared"] or n["router:external"]
               for n in nets)
    assert all("provider:network_type" not in n for n in nets)
    for path in ("ports", "routers", "floatingips", "security-groups"):
        key = path.replace("-", "_")
        items = member.get(f"/{path}")[key]
        assert all(i["project_id"] == member_project for i in items), path
    assert all("binding:host_id" not in p for p in member.get("/ports")["ports"])
    foreign = [p for p in admin.get("/routers")["routers"]
               if p["project_id"] != member_project]
    member.error("GET", f"/routers/{foreign[0]['id']}", None, 404, "RouterNotFound")
    member.error("GET", "/agents", None, 403, "PolicyNotAuthorized")
    member.error("GET", f"/quotas/{foreign[0]['project_id']}", None, 403,
                 "PolicyNotAuthorized")
    member.error("POST", "/networks", {"network": {"name": "x", "shared": True}}, 403,
                 "PolicyNotAuthorized")


def test_project_network_factory_is_lazy_and_stable(cloud: democloud.DemoCloud) -> None:
    def run() -> tuple[str, str, str]:
        store = cloud.store
        pid = uuid.uuid4().hex
        net = network.project_network(store, pid)
        again = network.project_network(store, pid)
        port = network.new_port(store, project_id=pid, network_id=net["id"],
                                device_id="srv-" + pid, device_owner="compute:nova",
                                host="compute-01")
        fip = network.new_floating_ip(store, project_id=pid, port=port)
        network.delete_ports_of(store, "srv-" + pid)
        return net["id"] + again["id"], fip["port_id"] or "", fip["router_id"] or ""

    ids, port_after, router_after = cloud.call(run)
    assert ids[:36] == ids[36:]
    assert port_after == "" and router_after == ""


# -- writes ----------------------------------------------------------------------------

@pytest.fixture
def topology(member: Api) -> Iterator[dict[str, Any]]:
    """A member's own network, subnet and router with a gateway on ``public``."""
    public = member.get("/networks", name="public")["networks"][0]
    net = member.call("POST", "/networks", {"network": {"name": _name("t-net")}},
                      expect=201)["network"]
    subnet = member.call("POST", "/subnets", {"subnet": {
        "network_id": net["id"], "ip_version": 4, "cidr": "192.168.77.0/24",
        "name": _name("t-sub")}}, expect=201)["subnet"]
    router = member.call("POST", "/routers", {"router": {
        "name": _name("t-router"), "external_gateway_info": {"network_id": public["id"]}}},
        expect=201)["router"]
    yield {"public": public, "net": net, "subnet": subnet, "router": router}
    for port in member.get("/ports", device_id=router["id"])["ports"]:
        if port["device_owner"] == "network:router_interface":
            member.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                        {"port_id": port["id"]})
    member.call("DELETE", f"/routers/{router['id']}")
    for port in member.get("/ports", network_id=net["id"])["ports"]:
        member.call("DELETE", f"/ports/{port['id']}")
    member.call("DELETE", f"/networks/{net['id']}")


def test_router_interface_and_floating_ip(member: Api, topology: dict[str, Any]) -> None:
    router, subnet, net = topology["router"], topology["subnet"], topology["net"]
    assert router["external_gateway_info"]["network_id"] == topology["public"]["id"]
    info = member.call("PUT", f"/routers/{router['id']}/add_router_interface",
                       {"subnet_id": subnet["id"]}, expect=200)
    assert info["subnet_id"] == subnet["id"] and info["id"] == router["id"]
    iface = member.get(f"/ports/{info['port_id']}")["port"]
    assert iface["device_owner"] == "network:router_interface"
    assert iface["fixed_ips"][0]["ip_address"] == subnet["gateway_ip"] == "192.168.77.1"
    member.error("PUT", f"/routers/{router['id']}/add_router_interface",
                 {"subnet_id": subnet["id"]}, 400, "BadRequest")
    member.error("DELETE", f"/ports/{iface['id']}", None, 409, "L3PortInUse")

    port = member.call("POST", "/ports", {"port": {"network_id": net["id"],
                                                   "name": "vm-port"}}, expect=201)["port"]
    assert port["fixed_ips"][0]["subnet_id"] == subnet["id"]
    fip = member.call("POST", "/floatingips", {"floatingip": {
        "floating_network_id": topology["public"]["id"]}}, expect=201)["floatingip"]
    assert fip["port_id"] is None and fip["status"] == "DOWN"
    bound = member.call("PUT", f"/floatingips/{fip['id']}",
                        {"floatingip": {"port_id": port["id"]}}, expect=200)["floatingip"]
    assert bound["port_id"] == port["id"] and bound["router_id"] == router["id"]
    assert bound["fixed_ip_address"] == port["fixed_ips"][0]["ip_address"]
    assert bound["port_details"]["network_id"] == net["id"]
    member.error("PUT", f"/routers/{router['id']}/remove_router_interface",
                 {"subnet_id": subnet["id"]}, 409, "RouterInterfaceInUseByFloatingIP")
    free = member.call("PUT", f"/floatingips/{fip['id']}",
                       {"floatingip": {"port_id": None}}, expect=200)["floatingip"]
    assert free["port_id"] is None and free["fixed_ip_address"] is None
    member.call("DELETE", f"/floatingips/{fip['id']}", expect=204)
    member.error("GET", f"/floatingips/{fip['id']}", None, 404, "FloatingIPNotFound")

    out = member.call("PUT", f"/routers/{router['id']}/remove_router_interface",
                      {"subnet_id": subnet["id"]}, expect=200)
    assert out["port_id"] == iface["id"]
    member.error("GET", f"/ports/{iface['id']}", None, 404, "PortNotFound")
    member.error("PUT", f"/routers/{router['id']}/remove_router_interface",
                 {"subnet_id": subnet["id"]}, 404, "RouterInterfaceNotFoundForSubnet")
    member.error("DELETE", f"/networks/{net['id']}", None, 409, "NetworkInUse")


def test_floating_ip_needs_a_route(member: Api, topology: dict[str, Any]) -> None:
    port = member.call("POST", "/ports", {"port": {"network_id": topology["net"]["id"]}},
                       expect=201)["port"]
    member.error("POST", "/floatingips", {"floatingip": {
        "floating_network_id": topology["public"]["id"], "port_id": port["id"]}}, 404,
        "ExternalGatewayForFloatingIPNotFound")
    member.error("POST", "/floatingips", {"floatingip": {
        "floating_network_id": topology["net"]["id"]}}, 400, "BadRequest")


def test_ip_exhaustion_and_explicit_addresses(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": _name("tiny")}},
                      expect=201)["network"]
    try:
        subnet = member.call("POST", "/subnets", {"subnet": {
            "network_id": net["id"], "ip_version": 4, "cidr": "10.99.0.0/29",
            "enable_dhcp": False}}, expect=201)["subnet"]
        assert subnet["allocation_pools"] == [{"start": "10.99.0.2", "end": "10.99.0.6"}]
        first = member.call("POST", "/ports", {"port": {"network_id": net["id"], "fixed_ips": [
            {"subnet_id": subnet["id"], "ip_address": "10.99.0.4"}]}}, expect=201)["port"]
        member.error("POST", "/ports", {"port": {"network_id": net["id"], "fixed_ips": [
            {"ip_address": "10.99.0.4"}]}}, 409, "IpAddressAlreadyAllocated")
        made = [member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                            expect=201)["port"] for _ in range(4)]
        addresses = {p["fixed_ips"][0]["ip_address"] for p in made + [first]}
        assert len(addresses) == 5
        member.error("POST", "/ports", {"port": {"network_id": net["id"]}}, 409,
                     "IpAddressGenerationFailure")
        member.call("DELETE", f"/ports/{first['id']}", expect=204)
        again = member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                            expect=201)["port"]
        assert again["fixed_ips"][0]["ip_address"] == "10.99.0.4"
    finally:
        for port in member.get("/ports", network_id=net["id"])["ports"]:
            member.call("DELETE", f"/ports/{port['id']}")
        member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_bulk_addresses_are_what_one_at_a_time_gives() -> None:
    """``allocate_ips`` (world generation) takes the addresses that as many
    ``allocate_ip`` calls would, around used ones and across pools, and stops when full."""
    from osnb.democloud.services.network import model
    from osnb.democloud.store import Store

    def subnet() -> dict[str, Any]:
        store = Store()
        net = model.new_network(store, project_id="p", name="n")
        sub = model.new_subnet(store, network=net, cidr="10.9.0.0/26", name="s",
                               enable_dhcp=False, allocation_pools=[
                                   {"start": "10.9.0.10", "end": "10.9.0.20"},
                                   {"start": "10.9.0.40", "end": "10.9.0.50"}])
        for taken in ("10.9.0.12", "10.9.0.20", "10.9.0.41"):
            model.allocate_ip(sub, taken)
        return sub

    one, bulk = subnet(), subnet()
    singly = [model.allocate_ip(one) for _ in range(7)] + [model.allocate_ip(one)]
    assert model.allocate_ips(bulk, 7) + model.allocate_ips(bulk, 1) == singly
    assert (bulk["_used"], bulk["_cursor"], bulk["_pool_used"]) == \
        (one["_used"], one["_cursor"], one["_pool_used"])
    rest = model.allocate_ips(bulk, 100)
    assert len(rest) == 22 - 3 - 8 and not set(rest) & set(singly)
    assert model.allocate_ips(bulk, 5) == []
    with pytest.raises(model.ApiError):
        model.allocate_ip(bulk)


def test_a_full_project_network_gets_another_subnet() -> None:
    """World generation: when a project's servers outgrow its subnet (tens of thousands
    of servers in one project), its network gets another subnet on the same router."""
    from osnb.democloud import build_store
    from osnb.democloud.services.network import model

    store = build_store(servers=0, projects=2)
    project = store.meta["member_project_id"]
    network = model.ensure_project(store, project)
    first = store.table("subnets")[network["subnets"][0]]
    lo = first["_cursor"][1] or first["_ranges"][0][0]
    first["_ranges"] = [[lo, lo + 3]]  # four addresses left
    store.generating = True
    ports = model.ServerPorts(store)
    drawn = ports.plug_many([project] * 10, [f"server-{i}" for i in range(10)],
                            ["compute:nova"] * 10, ["cmp-01"] * 10)
    ports.finish()
    store.generating = False
    assert len(network["subnets"]) == 2 and all(address for _, _, address in drawn)
    second = store.table("subnets")[network["subnets"][1]]
    made = [store.table("ports")[port_id] for port_id, _, _ in drawn]
    assert [p["fixed_ips"][0]["subnet_id"] for p in made] == [first["id"]] * 4 + \
        [second["id"]] * 6
    router = model.router_of_subnet(store, first["id"])
    assert router is not None and model.router_of_subnet(store, second["id"]) is router


def test_security_groups_and_rules(member: Api) -> None:
    sg = member.call("POST", "/security-groups", {"security_group": {
        "name": _name("sg")}}, expect=201)["security_group"]
    assert {r["direction"] for r in sg["security_group_rules"]} == {"egress"}
    rule = member.call("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": sg["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "10.0.0.0/8"}},
        expect=201)["security_group_rule"]
    member.error("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": sg["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "10.0.0.0/8"}},
        409, "SecurityGroupRuleExists")
    member.error("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": sg["id"], "direction": "sideways"}}, 400, "HTTPBadRequest")
    member.error("POST", "/security-group-rules", {"security_group_rule": {
        "security_group_id": sg["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 90, "port_range_max": 80}}, 400,
        "SecurityGroupInvalidPortRange")
    shown = member.get(f"/security-groups/{sg['id']}")["security_group"]
    assert rule["id"] in {r["id"] for r in shown["security_group_rules"]}
    member.call("DELETE", f"/security-group-rules/{rule['id']}", expect=204)
    member.call("DELETE", f"/security-groups/{sg['id']}", expect=204)
    member.error("GET", f"/security-groups/{sg['id']}", None, 404, "SecurityGroupNotFound")
    member.error("POST", "/security-groups", {"security_group": {"name": "default"}}, 409,
                 "SecurityGroupDefaultAlreadyExists")


def test_bad_input_is_a_neutron_error(admin: Api) -> None:
    admin.error("POST", "/networks", None, 400, "HTTPBadRequest", raw=b"{not json")
    admin.error("POST", "/networks", {"net": {}}, 400, "HTTPBadRequest")
    admin.error("POST", "/networks", {"network": {"colour": "red"}}, 400, "HTTPBadRequest")
    admin.error("POST", "/networks", {"network": {"admin_state_up": "maybe"}}, 400,
                "HTTPBadRequest")
    admin.error("POST", "/networks", {"network": {"name": 7}}, 400, "HTTPBadRequest")
    admin.error("GET", f"/networks/{uuid.uuid4()}", None, 404, "NetworkNotFound")
    admin.error("GET", f"/ports/{uuid.uuid4()}", None, 404, "PortNotFound")
    admin.error("GET", f"/subnets/{uuid.uuid4()}", None, 404, "SubnetNotFound")
    admin.error("PUT", f"/ports/{uuid.uuid4()}", {"port": {"name": "x"}}, 404,
                "PortNotFound")
    admin.error("POST", "/ports", {"port": {"network_id": str(uuid.uuid4())}}, 404,
                "NetworkNotFound")
    admin.error("POST", "/subnets", {"subnet": {"network_id": str(uuid.uuid4()),
                                                "ip_version": 4, "cidr": "10.1.2.3/24"}},
                400, "HTTPBadRequest")
    admin.error("POST", "/subnets", {"subnet": {"cidr": "10.1.2.0/24"}}, 400,
                "HTTPBadRequest")
    admin.error("GET", "/ports?limit=abc", None, 400, "InvalidInput")
    admin.error("GET", f"/ports?limit=2&marker={uuid.uuid4()}", None, 404, "PortNotFound")
    r = admin.session.get(admin.base + "/networks", headers={"X-Auth-Token": "bogus"})
    assert r.status_code == 401


def test_quota_details_count_the_tables(admin: Api, member: Api,
                                        member_project: str) -> None:
    details = member.get(f"/quotas/{member_project}/details")["quota"]
    counts = {
        "network": [n for n in member.get("/networks")["networks"]
                    if n["project_id"] == member_project],
        "subnet": [s for s in member.get("/subnets")["subnets"]
                   if s["project_id"] == member_project],
        "port": member.get("/ports")["ports"], "router": member.get("/routers")["routers"],
        "floatingip": member.get("/floatingips")["floatingips"],
        "security_group": member.get("/security-groups")["security_groups"],
        "security_group_rule": member.get("/security-group-rules")["security_group_rules"],
    }
    for resource, items in counts.items():
        assert details[resource]["used"] == len(items), resource
        assert details[resource]["reserved"] == 0
    defaults = member.get(f"/quotas/{member_project}/default")["quota"]
    assert defaults["port"] == 500
    # Neutron 29's quotas also bound a router's routes and a project's trunks (unlimited)
    assert (defaults["router_route"], defaults["trunk"]) == (30, -1)
    trunks = [t for t in member.get("/trunks")["trunks"] if t["project_id"] == member_project]
    assert details["trunk"] == {"limit": -1, "used": len(trunks), "reserved": 0}
    assert set(details) == set(defaults) == set(member.get(f"/quotas/{member_project}")[
        "quota"])
    assert member.get(f"/quotas/{member_project}")["quota"]["network"] == \
        details["network"]["limit"]


def test_quota_update_enforce_and_reset(admin: Api, member: Api,
                                        member_project: str) -> None:
    used = member.get(f"/quotas/{member_project}/details")["quota"]["router"]["used"]
    member.error("PUT", f"/quotas/{member_project}", {"quota": {"router": 50}}, 403,
                 "PolicyNotAuthorized")
    try:
        got = admin.call("PUT", f"/quotas/{member_project}", {"quota": {"router": used}},
                         expect=200)["quota"]
        assert got["router"] == used
        listed = {q["project_id"]: q for q in admin.get("/quotas")["quotas"]}
        assert listed[member_project]["router"] == used
        member.error("POST", "/routers", {"router": {"name": "one-too-many"}}, 409,
                     "OverQuota")
        admin.error("PUT", f"/quotas/{member_project}", {"quota": {"routers": 1}}, 400,
                    "HTTPBadRequest")
    finally:
        admin.call("DELETE", f"/quotas/{member_project}", expect=204)
    assert member.get(f"/quotas/{member_project}")["quota"]["router"] == 10


def test_seeded_projects_near_floating_ip_limits(admin: Api) -> None:
    near = 0
    for project in {f["project_id"] for f in admin.get("/floatingips")["floatingips"]}:
        q = admin.get(f"/quotas/{project}/details")["quota"]["floatingip"]
        near += q["limit"] - q["used"] <= 3
    assert near >= 1


def test_agents_zones_and_ip_availability(admin: Api) -> None:
    agents = admin.get("/agents")["agents"]
    types = {a["agent_type"] for a in agents}
    assert {"DHCP agent", "L3 agent", "Metadata agent", "Open vSwitch agent"} <= types
    assert any(not a["alive"] for a in agents) and sum(a["alive"] for a in agents) > 3
    dhcp = admin.get("/agents", agent_type="DHCP agent")["agents"]
    assert dhcp and all(a["agent_type"] == "DHCP agent" for a in dhcp)
    # each reports what neutron 29's agent code does (dhcp/agent.py, l3/agent.py,
    # ovs_neutron_agent.py)
    assert {frozenset(a["configurations"]) for a in dhcp} == {frozenset({
        "dhcp_driver", "dhcp_lease_duration", "log_agent_heartbeats", "networks", "subnets",
        "ports"})}
    l3 = admin.get("/agents", agent_type="L3 agent")["agents"]
    assert {frozenset(a["configurations"]) for a in l3} == {frozenset({
        "agent_mode", "handle_internal_only_routers", "interface_driver",
        "log_agent_heartbeats", "extensions", "routers", "ex_gw_ports", "interfaces",
        "floating_ips"})}
    ovs = admin.get("/agents", agent_type="Open vSwitch agent")["agents"][0]
    assert {"integration_bridge", "baremetal_smartnic", "ovs_capabilities",
            "resource_provider_inventory_defaults"} <= set(ovs["configurations"])
    admin.error("GET", f"/agents/{uuid.uuid4()}", None, 404, "AgentNotFound")
    zones = admin.get("/availability_zones")["availability_zones"]
    assert {z["resource"] for z in zones} == {"network", "router"}
    avail = admin.get("/network-ip-availabilities")["network_ip_availabilities"]
    public = next(a for a in avail if a["network_name"] == "public")
    assert public["total_ips"] > public["used_ips"] > 0
    sub = public["subnet_ip_availability"][0]
    used = [p for p in admin.get("/ports", network_id=public["network_id"])["ports"]]
    assert sub["used_ips"] == len(used)
    one = admin.get(f"/network-ip-availabilities/{public['network_id']}")
    assert one["network_ip_availability"]["used_ips"] == public["used_ips"]


def test_tags(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": _name("tagged")}},
                      expect=201)["network"]
    try:
        member.call("PUT", f"/networks/{net['id']}/tags", {"tags": ["blue", "prod"]},
                    expect=200)
        member.call("PUT", f"/networks/{net['id']}/tags/green", expect=201)
        assert set(member.get(f"/networks/{net['id']}")["network"]["tags"]) == {
            "blue", "prod", "green"}
        found = member.get("/networks", tags="blue,green")["networks"]
        assert [n["id"] for n in found] == [net["id"]]
        assert net["id"] not in {n["id"] for n in
                                 member.get("/networks", **{"not-tags-any": "prod"})[
                                     "networks"]}
    finally:
        member.call("DELETE", f"/networks/{net['id']}", expect=204)


# -- interop ---------------------------------------------------------------------------

def test_openstacksdk(os_config: Path, member_project: str) -> None:
    import openstack

    conn = openstack.connect(cloud="demo")
    assert any(n.name == "public" and n.is_router_external for n in conn.network.networks())
    ports = list(conn.network.ports(device_owner="network:dhcp"))
    assert ports and all(p.device_owner == "network:dhcp" for p in ports)
    assert list(conn.network.ips())
    assert any(g.name == "default" for g in conn.network.security_groups())
    quota = conn.network.get_quota(member_project, details=True)
    assert quota.ports["limit"] >= 500 and quota.ports["used"] >= 1
    assert any(a.agent_type == "L3 agent" for a in conn.network.agents())
    paged = [p.id for p in conn.network.ports(limit=10)]
    assert len(paged) == len(set(paged)) == len(list(conn.network.ports()))

    net = conn.network.create_network(name=_name("sdk-net"))
    try:
        subnet = conn.network.create_subnet(network_id=net.id, ip_version=4,
                                            cidr="172.31.5.0/24", name="sdk-subnet")
        port = conn.network.create_port(network_id=net.id, name="sdk-port")
        assert port.fixed_ips[0]["subnet_id"] == subnet.id
        assert conn.network.find_network(net.name).id == net.id
        conn.network.delete_port(port)
    finally:
        conn.network.delete_network(net)
    assert conn.network.find_network(net.name) is None


def _cli(*args: str) -> Any:
    exe = str(Path(sys.executable).parent / "openstack")
    out = subprocess.run([exe, "--os-cloud", "demo", *args, "-f", "json"], check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def test_cli_network_and_port_list(os_config: Path) -> None:
    nets = _cli("network", "list")
    assert any(n["Name"] == "public" for n in nets)
    ports = _cli("port", "list")
    assert ports and {"ID", "MAC Address", "Fixed IP Addresses"} <= set(ports[0])
