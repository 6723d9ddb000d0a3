"""Neutron's core extensions through conn.network, against the demo cloud over real HTTP:
port forwardings, conntrack helpers, address groups, local IPs, default security group
rules, segment ranges, the auto-allocated topology, flavors and service profiles,
floating IP pools and tags."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.address_group import AddressGroup
from osnb.sdk.network.v2.auto_allocated_topology import AutoAllocatedTopology
from osnb.sdk.network.v2.default_security_group_rule import DefaultSecurityGroupRule
from osnb.sdk.network.v2.flavor import Flavor
from osnb.sdk.network.v2.floating_ip_pool import FloatingIPPool
from osnb.sdk.network.v2.l3_conntrack_helper import ConntrackHelper
from osnb.sdk.network.v2.local_ip import LocalIP, LocalIPAssociation
from osnb.sdk.network.v2.ndp_proxy import NDPProxy
from osnb.sdk.network.v2.network_segment_range import NetworkSegmentRange
from osnb.sdk.network.v2.port_forwarding import PortForwarding
from osnb.sdk.network.v2.service_profile import ServiceProfile
from osnb.sdk.resource import Resource

DECLARED: dict[type[Resource], tuple[str, str | None]] = {
    AddressGroup: ("/address-groups", "address_group"),
    AutoAllocatedTopology: ("/auto-allocated-topology", "auto_allocated_topology"),
    DefaultSecurityGroupRule: ("/default-security-group-rules",
                               "default_security_group_rule"),
    Flavor: ("/flavors", "flavor"), FloatingIPPool: ("/floatingip_pools", "floatingip_pool"),
    ConntrackHelper: ("/routers/%(router_id)s/conntrack_helpers", "conntrack_helper"),
    LocalIP: ("/local_ips", "local_ip"),
    LocalIPAssociation: ("/local_ips/%(local_ip_id)s/port_associations", "port_association"),
    NDPProxy: ("/ndp_proxies", "ndp_proxy"),
    NetworkSegmentRange: ("/network_segment_ranges", "network_segment_range"),
    PortForwarding: ("/floatingips/%(floatingip_id)s/port_forwardings", "port_forwarding"),
    ServiceProfile: ("/service_profiles", "service_profile"),
}
"""Each new class: its path and envelope, as openstacksdk's class of the same name."""


@pytest.mark.parametrize("cls", list(DECLARED), ids=lambda c: c.__name__)
def test_declaration(cls: type[Resource]) -> None:
    assert (cls.base_path, cls.resource_key) == DECLARED[cls]
    assert cls.service == "network" and (cls.allow_list or cls.allow_retrieve)
    for name in cls._props:
        if cls._props[name].in_uri:
            assert f"%({name})s" in cls.base_path


def test_declarations() -> None:
    assert LocalIPAssociation._id_prop is not None and \
        LocalIPAssociation._id_prop.server_key == "fixed_port_id"
    assert DefaultSecurityGroupRule.query.mapping["ether_type"] == "ethertype"
    assert Flavor._props["service_profile_ids"].server_key == "service_profiles"


@pytest.fixture(scope="module")
def site(member):
    """A member's network behind a router on the external network, a port, a floating IP."""
    public = member.network.find_network("public")
    net = member.network.create_network(name="osnb-ext-net")
    sub = member.network.create_subnet(network_id=net.id, ip_version=4,
                                       cidr="10.247.0.0/24")
    router = member.network.create_router(name="osnb-ext-router",
                                          external_gateway_info={"network_id": public.id})
    member.network.add_interface_to_router(router, subnet=sub)
    port = member.network.create_port(network_id=net.id, name="osnb-ext-port")
    fip = member.network.create_ip(floating_network_id=public.id)
    return {"net": net, "router": router, "port": port, "fip": fip}


def test_port_forwardings(member, site) -> None:
    fip, port = site["fip"], site["port"]
    pf = member.network.create_port_forwarding(
        floatingip_id=fip.id, protocol="tcp", internal_port_id=port.id,
        internal_ip_address=port.fixed_ips[0]["ip_address"], internal_port=22,
        external_port=2200)
    assert pf.external_port == 2200 and pf.floatingip_id == fip.id
    with pytest.raises(exc.Conflict):
        member.network.create_floating_ip_port_forwarding(
            fip, protocol="tcp", internal_port_id=port.id, internal_port=23,
            external_port=2200)
    listed = member.network.port_forwardings(fip)
    assert [p.id for p in listed] == [pf.id]
    assert list(listed.to_pandas()["external_port"]) == [2200]
    changed = member.network.update_port_forwarding(pf, fip, external_port=2201)
    assert changed.external_port == 2201
    assert member.network.get_port_forwarding(pf.id, fip).external_port == 2201
    assert member.network.get_ip(fip.id).port_forwardings[0]["external_port"] == 2201
    member.network.delete_port_forwarding(pf, fip)
    assert not member.network.port_forwardings(fip)
    pools = member.network.floating_ip_pools()
    assert [p.network_id for p in pools] == [fip.floating_network_id]


def test_conntrack_helpers(member, site) -> None:
    router = site["router"]
    helper = member.network.create_conntrack_helper(router, protocol="udp", port=69,
                                                    helper="tftp")
    assert member.network.get_conntrack_helper(helper.id, router).helper == "tftp"
    member.network.update_conntrack_helper(helper, router, port=6969)
    assert [h.port for h in member.network.conntrack_helpers(router)] == [6969]
    member.network.delete_conntrack_helper(helper, router)
    assert not member.network.conntrack_helpers(router)
    assert not member.network.ndp_proxies()


def test_address_groups(member) -> None:
    group = member.network.create_address_group(name="osnb-ag", addresses=["10.0.0.0/24"])
    assert group.revision_number == 0 and group.created_at is not None
    group = member.network.add_addresses_to_address_group(group, ["10.1.0.0/24"])
    assert group.addresses == ["10.0.0.0/24", "10.1.0.0/24"] and group.revision_number == 1
    with pytest.raises(exc.BadRequest):
        member.network.add_addresses_to_address_group(group, ["10.1.0.0/24"])
    group = member.network.remove_addresses_from_address_group(group, ["10.0.0.0/24"])
    assert member.network.get_address_group(group.id).addresses == ["10.1.0.0/24"]
    assert member.network.find_address_group("osnb-ag").id == group.id
    member.network.delete_address_group(group)
    assert member.network.find_address_group("osnb-ag", ignore_missing=True) is None


def test_local_ips(member, site) -> None:
    lip = member.network.create_local_ip(network_id=site["net"].id, name="osnb-lip")
    assert lip.local_ip_address.startswith("10.247.") and lip.ip_mode == "translate"
    assert lip.tenant_id == lip.project_id
    assoc = member.network.create_local_ip_association(lip, fixed_port_id=site["port"].id)
    assert assoc.fixed_ip == site["port"].fixed_ips[0]["ip_address"]
    assert [a.fixed_port_id for a in member.network.local_ip_associations(lip)] == \
        [site["port"].id]
    with pytest.raises(exc.Conflict):
        member.network.delete_local_ip(lip)
    member.network.delete_local_ip_association(lip, site["port"].id)
    member.network.delete_local_ip(lip)
    assert member.network.find_local_ip("osnb-lip", ignore_missing=True) is None


def test_default_security_group_rules(conn, member) -> None:
    rules = member.network.default_security_group_rules()
    assert {(r.direction, r.ether_type) for r in rules} >= {("egress", "IPv4"),
                                                            ("ingress", "IPv6")}
    with pytest.raises(exc.Forbidden):
        member.network.create_default_security_group_rule(direction="ingress",
                                                          protocol="icmp")
    rule = conn.network.create_default_security_group_rule(
        direction="ingress", protocol="icmp", used_in_default_sg=True,
        used_in_non_default_sg=False)
    assert conn.network.get_default_security_group_rule(rule.id).protocol == "icmp"
    conn.network.delete_default_security_group_rule(rule)


def test_segment_ranges(conn) -> None:
    made = conn.network.create_network_segment_range(
        name="osnb-range", network_type="vxlan", minimum=5000, maximum=5009, shared=True)
    assert made.available == list(range(5000, 5010)) and made.default is False
    with pytest.raises(exc.Conflict):
        conn.network.create_network_segment_range(network_type="vxlan", minimum=5005,
                                                  maximum=5020, shared=True)
    conn.network.update_network_segment_range(made, maximum=5019)
    assert conn.network.find_network_segment_range("osnb-range").maximum == 5019
    ranges = conn.network.network_segment_ranges()
    assert {"default", "used", "available"} <= set(ranges.to_pandas().columns)
    conn.network.delete_network_segment_range(made)


def test_auto_allocated_topology(member) -> None:
    checked = member.network.validate_auto_allocated_topology()
    assert checked.id == "dry-run=pass" and checked.project_id == member.current_project_id
    assert not member.network.networks(name="auto_allocated_network")  # nothing made
    topo = member.network.get_auto_allocated_topology()
    net = member.network.get_network(topo.id)
    assert net.name == "auto_allocated_network"
    assert member.network.get_auto_allocated_topology().id == topo.id
    member.network.delete_auto_allocated_topology()
    with pytest.raises(exc.NotFound):
        member.network.get_network(topo.id)


def test_flavors_and_profiles(conn) -> None:
    flavor = conn.network.create_flavor(name="osnb-flavor", service_type="L3_ROUTER_NAT")
    profile = conn.network.create_service_profile(driver="osnb.Driver", meta_info="{}")
    conn.network.associate_flavor_with_service_profile(flavor, profile)
    assert conn.network.get_flavor(flavor).service_profile_ids == [profile.id]
    with pytest.raises(exc.Conflict):
        conn.network.delete_service_profile(profile)
    conn.network.disassociate_flavor_from_service_profile(flavor, profile)
    conn.network.delete_service_profile(profile)
    conn.network.update_flavor(flavor, is_enabled=False)
    assert conn.network.find_flavor("osnb-flavor").is_enabled is False
    conn.network.delete_flavor(flavor)


def test_tags(member) -> None:
    net = member.network.create_network(name="osnb-tagged")
    try:
        member.network.set_tags(net, ["a", "b"])
        assert net.tags == ["a", "b"]
        member.network.add_tag(net, "c")
        assert member.network.check_tag(net, "c") and not member.network.check_tag(net, "z")
        member.network.remove_tag(net, "a")
        assert member.network.get_tags(net) == ["b", "c"]
        assert [n.id for n in member.network.networks(tags="b,c")] == [net.id]
        assert net.id not in {n.id for n in member.network.networks(not_tags="b")}
        member.network.add_tags(net, ["d", "b", "e"])  # one POST …/tags; "b" stays once
        assert net.tags == ["b", "c", "d", "e"]
        assert member.network.get_network(net).tags == ["b", "c", "d", "e"]
        member.network.remove_all_tags(net)
        assert member.network.get_tags(net) == []
        with pytest.raises(exc.NotFound):
            member.network.remove_tag(net, "nope")
        with pytest.raises(TypeError):
            member.network.set_tags(member.network.agents, ["x"])  # not a resource
    finally:
        member.network.delete_network(net)
