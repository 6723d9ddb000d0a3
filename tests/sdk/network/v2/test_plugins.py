"""Neutron's service plugins through conn.network (openstacksdk's names), against the demo
cloud over real HTTP: every listing converts to a DataFrame, and the actions act."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.bgp import BgpSpeaker
from osnb.sdk.network.v2.firewall import FirewallPolicy
from osnb.sdk.network.v2.metering import MeteringLabelRule

LISTINGS = ["metering_labels", "metering_label_rules", "firewall_rules", "firewall_policies",
            "firewall_groups", "vpn_ike_policies", "vpn_ipsec_policies", "vpn_services",
            "vpn_endpoint_groups", "vpn_ipsec_site_connections", "bgp_speakers", "bgp_peers",
            "bgpvpns", "sfc_port_pairs", "sfc_port_pair_groups", "sfc_flow_classifiers",
            "sfc_port_chains", "tap_services", "tap_flows", "tap_mirrors"]


def test_declarations() -> None:
    assert MeteringLabelRule.base_path == "/metering/metering-label-rules"
    assert FirewallPolicy._props["firewall_rules"].server_key == "firewall_rules"
    assert BgpSpeaker.resource_key == "bgp_speaker"


@pytest.mark.parametrize("name", LISTINGS)
def test_seeded_listing_as_frame(conn, name: str) -> None:
    listing = getattr(conn.network, name)()
    assert len(listing) >= 1, name
    frame = listing.to_pandas()
    assert len(frame) == len(listing)
    one = getattr(conn.network, "get_" + name.removesuffix("s").replace("policie", "policy")
                  .replace("vpn_ike_policie", "vpn_ike_policy"))(listing[0].id)
    assert one.id == listing[0].id


def test_metering_label_with_rules(conn) -> None:
    label = conn.network.create_metering_label(name="osnb-meter")
    try:
        rule = conn.network.create_metering_label_rule(
            metering_label_id=label.id, direction="ingress", remote_ip_prefix="10.9.0.0/16")
        assert rule.metering_label_id == label.id and rule.is_excluded is False
        with pytest.raises(exc.Conflict):
            conn.network.create_metering_label_rule(
                metering_label_id=label.id, direction="ingress",
                remote_ip_prefix="10.9.8.0/24")
    finally:
        conn.network.delete_metering_label(label)
    assert conn.network.find_metering_label_rule(rule.id) is None


def test_firewall_policy_keeps_rule_order(member) -> None:
    a, b, c = (member.network.create_firewall_rule(name=f"osnb-fw-{i}", protocol="tcp",
                                                   destination_port=str(80 + i),
                                                   action="allow") for i in range(3))
    policy = member.network.create_firewall_policy(name="osnb-fwp", firewall_rules=[a.id])
    try:
        policy = member.network.insert_rule_into_policy(policy, c, insert_after=a.id)
        policy = member.network.insert_rule_into_policy(policy.id, b, insert_before=c.id)
        assert policy.firewall_rules == [a.id, b.id, c.id]
        assert member.network.get_firewall_rule(c).position == 3
        policy = member.network.remove_rule_from_policy(policy, b)
        assert policy.firewall_rules == [a.id, c.id]
        with pytest.raises(exc.Conflict):
            member.network.delete_firewall_rule(a, ignore_missing=False)
    finally:
        member.network.delete_firewall_policy(policy)
        for rule in (a, b, c):
            member.network.delete_firewall_rule(rule)


def test_bgp_speaker_peers_networks_routes(conn) -> None:
    speaker = conn.network.bgp_speakers()[0]
    routes = conn.network.get_advertised_routes_of_speaker(speaker)["advertised_routes"]
    assert routes and all(r["nexthop"].startswith("172.24.") for r in routes)
    peer = conn.network.create_bgp_peer(name="osnb-peer", peer_ip="172.24.0.253",
                                        remote_as=65001, auth_type="none")
    try:
        assert conn.network.add_bgp_peer_to_speaker(speaker, peer) == {"bgp_peer_id": peer.id}
        assert peer.id in conn.network.get_bgp_speaker(speaker).peers
        conn.network.remove_bgp_peer_from_speaker(speaker, peer)
        assert peer.id not in conn.network.get_bgp_speaker(speaker).peers
    finally:
        conn.network.delete_bgp_peer(peer)
    hosts = conn.network.get_bgp_dragents_hosting_speaker(speaker)
    assert [a.agent_type for a in hosts] == ["BGP dynamic routing agent"]
    hosted = conn.network.get_bgp_speakers_hosted_by_dragent(hosts[0])
    assert speaker.id in [s.id for s in hosted]


def test_bgpvpn_associations(conn) -> None:
    vpn = conn.network.bgpvpns()[0]
    nets = conn.network.bgpvpn_network_associations(vpn)
    assert nets and nets.to_pandas().shape[0] == len(nets)
    assert conn.network.get_bgpvpn(vpn).networks == [n.network_id for n in nets]
    with pytest.raises(exc.Conflict):
        conn.network.create_bgpvpn_network_association(vpn, network_id=nets[0].network_id)


def test_logs(conn, member) -> None:
    assert {r.type for r in conn.network.loggable_resources()} == {"security_group",
                                                                   "firewall_group"}
    assert conn.network.loggable_resources().to_pandas().shape[0] == 2
    log = conn.network.create_log(name="osnb-sdk-log", resource_type="security_group",
                                  event="ACCEPT")
    try:
        assert log.is_enabled and log.event == "ACCEPT" and log.revision_number == 0
        log = conn.network.update_log(log, is_enabled=False)
        assert log.is_enabled is False and log.revision_number == 1
        assert conn.network.find_log("osnb-sdk-log").id == log.id
        assert "osnb-sdk-log" in set(conn.network.logs().to_pandas()["name"])
        with pytest.raises(exc.Forbidden):
            member.network.logs()
    finally:
        conn.network.delete_log(log)
