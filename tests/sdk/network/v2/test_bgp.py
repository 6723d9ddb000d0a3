"""BGP dynamic routing through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

from osnb.sdk.network.v2.bgp import BgpPeer, BgpSpeaker


def test_declarations() -> None:
    assert (BgpSpeaker.base_path, BgpPeer.base_path) == ("/bgp-speakers", "/bgp-peers")
    assert BgpPeer._props["password"].secret


def test_speaker_peers_routes_and_dragents(conn) -> None:
    speaker = conn.network.bgp_speakers()[0]
    assert len(conn.network.bgp_peers().to_pandas()) >= 1
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
    spare = conn.network.create_bgp_speaker(name="osnb-spare", local_as=65002, ip_version=4)
    # a dragent hosts one speaker: the spare goes to one that hosts none
    free = next(a for a in conn.network.agents(agent_type="BGP dynamic routing agent")
                if a.configuration["bgp_speakers"] == 0)
    try:
        conn.network.add_bgp_speaker_to_dragent(free, spare)
        assert [s.id for s in conn.network.get_bgp_speakers_hosted_by_dragent(free)] == \
            [spare.id]
        assert conn.network.get_agent(free).configuration["bgp_speakers"] == 1
        conn.network.remove_bgp_speaker_from_dragent(free, spare)
        assert len(conn.network.get_bgp_dragents_hosting_speaker(spare)) == 0
    finally:
        conn.network.delete_bgp_speaker(spare)
