"""BGPVPN and its associations through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.bgpvpn import (
    BgpVpn,
    BgpVpnNetworkAssociation,
    BgpVpnPortAssociation,
    BgpVpnRouterAssociation,
)


def test_declarations() -> None:
    assert BgpVpn.base_path == "/bgpvpn/bgpvpns"
    for cls in (BgpVpnNetworkAssociation, BgpVpnPortAssociation, BgpVpnRouterAssociation):
        assert cls.base_path.startswith("/bgpvpn/bgpvpns/%(bgpvpn_id)s/")


def test_associations(conn) -> None:
    vpn = conn.network.bgpvpns()[0]
    nets = conn.network.bgpvpn_network_associations(vpn)
    assert nets and nets.to_pandas().shape[0] == len(nets)
    assert conn.network.get_bgpvpn(vpn).networks == [n.network_id for n in nets]
    with pytest.raises(exc.Conflict):
        conn.network.create_bgpvpn_network_association(vpn, network_id=nets[0].network_id)
    router = conn.network.bgpvpn_router_associations(vpn)[0]
    got = conn.network.update_bgpvpn_router_association(vpn, router,
                                                        advertise_extra_routes=False)
    assert got.advertise_extra_routes is False
    conn.network.update_bgpvpn_router_association(vpn, router, advertise_extra_routes=True)
    port = conn.network.get_bgpvpn_port_association(
        vpn, conn.network.bgpvpn_port_associations(vpn)[0].id)
    assert port.routes and all(r["type"] in ("prefix", "bgpvpn") for r in port.routes)
