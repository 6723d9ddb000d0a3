"""BGP dynamic routing in the demo cloud over HTTP: the speaker's advertised routes
derived from the routers and floating IPs on its gateway network, peers and networks
added and removed, dragent scheduling, admin only."""

from __future__ import annotations

import uuid

import pytest

from osnb import democloud

from .test_network import Api


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_advertised_routes_follow_the_world(admin: Api) -> None:
    speaker = admin.get("/bgp-speakers")["bgp_speakers"][0]
    public = admin.get(f"/networks/{speaker['networks'][0]}")["network"]
    assert public["router:external"] and speaker["local_as"] == 64512
    routes = admin.get(f"/bgp-speakers/{speaker['id']}/get_advertised_routes")[
        "advertised_routes"]
    gateways = {r["id"]: r["external_gateway_info"]["external_fixed_ips"][0]["ip_address"]
                for r in admin.get("/routers")["routers"]
                if (r["external_gateway_info"] or {}).get("network_id") == public["id"]}
    assert {r["nexthop"] for r in routes} <= set(gateways.values())
    fips = [f for f in admin.get("/floatingips")["floatingips"]
            if f["port_id"] and f["router_id"] in gateways]
    host_routes = {r["cidr"] for r in routes if r["cidr"].endswith("/32")}
    assert host_routes == {f"{f['floating_ip_address']}/32" for f in fips}
    # switching the floating-IP routes off leaves only the tenant networks
    url = f"/bgp-speakers/{speaker['id']}"
    admin.call("PUT", url, {"bgp_speaker": {"advertise_floating_ip_host_routes": "false"}},
               expect=200)
    fewer = admin.get(url + "/get_advertised_routes")["advertised_routes"]
    assert not any(r["cidr"].endswith("/32") for r in fewer) and fewer
    admin.call("PUT", url, {"bgp_speaker": {"advertise_floating_ip_host_routes": True}},
               expect=200)


def test_peers_and_networks(admin: Api) -> None:
    speaker = admin.call("POST", "/bgp-speakers", {"bgp_speaker": {
        "name": "osnb-speaker", "local_as": "65010", "ip_version": 4}},
        expect=201)["bgp_speaker"]
    assert speaker["local_as"] == 65010 and speaker["peers"] == [] and \
        speaker["advertise_tenant_networks"] is True
    url = f"/bgp-speakers/{speaker['id']}"
    peer = admin.call("POST", "/bgp-peers", {"bgp_peer": {
        "name": "osnb-peer", "peer_ip": "192.0.2.1", "remote_as": 65020,
        "auth_type": "md5", "password": "s3cret"}}, expect=201)["bgp_peer"]
    assert "password" not in peer
    admin.error("POST", "/bgp-peers", {"bgp_peer": {
        "peer_ip": "192.0.2.2", "remote_as": 65020, "auth_type": "md5"}}, 400,
        "InvalidBgpPeerMd5Authentication")
    assert admin.call("PUT", url + "/add_bgp_peer", {"bgp_peer_id": peer["id"]},
                      expect=200) == {"bgp_peer_id": peer["id"]}
    admin.error("PUT", url + "/add_bgp_peer", {"bgp_peer_id": peer["id"]}, 400,
                "DuplicateBgpPeerIpException")
    admin.error("PUT", url + "/add_bgp_peer", {"bgp_peer_id": str(uuid.uuid4())}, 404,
                "BgpPeerNotFound")
    private = next(n for n in admin.get("/networks")["networks"]
                   if not n["router:external"])
    admin.error("PUT", url + "/add_gateway_network", {"network_id": private["id"]}, 400,
                "BadRequest")
    public = next(n for n in admin.get("/networks")["networks"] if n["router:external"])
    admin.call("PUT", url + "/add_gateway_network", {"network_id": public["id"]},
               expect=200)
    assert admin.get(url)["bgp_speaker"]["networks"] == [public["id"]]
    # deleting a peer takes it off its speakers
    admin.call("DELETE", f"/bgp-peers/{peer['id']}", expect=204)
    assert admin.get(url)["bgp_speaker"]["peers"] == []
    admin.error("PUT", url + "/remove_bgp_peer", {"bgp_peer_id": peer["id"]}, 404,
                "BgpSpeakerPeerNotAssociated")
    admin.call("PUT", url + "/remove_gateway_network", {"network_id": public["id"]},
               expect=200)
    admin.call("DELETE", url, expect=204)


def test_dragent_scheduling(admin: Api) -> None:
    speaker = admin.call("POST", "/bgp-speakers", {"bgp_speaker": {
        "name": "osnb-sched", "local_as": 65030, "ip_version": 4}}, expect=201)["bgp_speaker"]
    seeded = admin.get("/bgp-speakers")["bgp_speakers"][0]
    hosts = admin.get(f"/bgp-speakers/{seeded['id']}/bgp-dragents")["agents"]
    assert [a["agent_type"] for a in hosts] == ["BGP dynamic routing agent"]
    dragents = admin.get("/agents", agent_type="BGP dynamic routing agent")["agents"]
    assert len(dragents) == 2
    other = next(a for a in dragents if a["id"] != hosts[0]["id"])
    admin.call("POST", f"/agents/{other['id']}/bgp-drinstances",
               {"bgp_speaker_id": speaker["id"]}, expect=201)
    hosted = admin.get(f"/agents/{other['id']}/bgp-drinstances")["bgp_speakers"]
    assert [s["id"] for s in hosted] == [speaker["id"]]
    # a dragent hosts one speaker (the binding's key is the agent); a speaker may be on
    # several dragents, and each reports what it hosts
    admin.error("POST", f"/agents/{hosts[0]['id']}/bgp-drinstances",
                {"bgp_speaker_id": speaker["id"]}, 409, "DrAgentAssociationError")
    admin.error("POST", f"/agents/{other['id']}/bgp-drinstances",
                {"bgp_speaker_id": seeded["id"]}, 409, "DrAgentAssociationError")
    counts = {a["id"]: a["configurations"]["bgp_speakers"] for a in admin.get(
        "/agents", agent_type="BGP dynamic routing agent")["agents"]}
    assert counts == {hosts[0]["id"]: 1, other["id"]: 1}
    dhcp = admin.get("/agents", agent_type="DHCP agent")["agents"][0]
    admin.error("POST", f"/agents/{dhcp['id']}/bgp-drinstances",
                {"bgp_speaker_id": speaker["id"]}, 404, "AgentNotFound")
    admin.call("DELETE", f"/agents/{other['id']}/bgp-drinstances/{speaker['id']}",
               expect=204)
    assert admin.get(f"/bgp-speakers/{speaker['id']}/bgp-dragents")["agents"] == []
    admin.call("POST", f"/agents/{other['id']}/bgp-drinstances",
               {"bgp_speaker_id": seeded["id"]}, expect=201)
    assert {a["id"] for a in admin.get(f"/bgp-speakers/{seeded['id']}/bgp-dragents")[
        "agents"]} == {hosts[0]["id"], other["id"]}
    assert admin.get(f"/agents/{other['id']}")["agent"]["configurations"][
        "bgp_speakers"] == 1
    admin.call("DELETE", f"/agents/{other['id']}/bgp-drinstances/{seeded['id']}",
               expect=204)
    admin.call("DELETE", f"/bgp-speakers/{speaker['id']}", expect=204)


def test_admin_only(member: Api, admin: Api) -> None:
    speaker = admin.get("/bgp-speakers")["bgp_speakers"][0]
    member.error("GET", "/bgp-speakers", None, 403, "PolicyNotAuthorized")
    member.error("GET", "/bgp-peers", None, 403, "PolicyNotAuthorized")
    member.error("GET", f"/bgp-speakers/{speaker['id']}", None, 404, "BgpSpeakerNotFound")
    member.error("PUT", f"/bgp-speakers/{speaker['id']}/add_bgp_peer",
                 {"bgp_peer_id": speaker["peers"][0]}, 403, "PolicyNotAuthorized")
    member.error("GET", f"/bgp-speakers/{speaker['id']}/get_advertised_routes", None, 403,
                 "PolicyNotAuthorized")
    member.error("POST", "/bgp-speakers", {"bgp_speaker": {"local_as": 1, "ip_version": 4}},
                 403, "PolicyNotAuthorized")
