"""VPNaaS through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.vpn import (
    VpnEndpointGroup,
    VpnIkePolicy,
    VpnIpsecPolicy,
    VpnIPSecSiteConnection,
    VpnService,
)


def test_declarations() -> None:
    assert (VpnIkePolicy.resource_key, VpnIpsecPolicy.resource_key) == \
        ("ikepolicy", "ipsecpolicy")
    assert VpnEndpointGroup.base_path == "/vpn/endpoint-groups"
    assert VpnIPSecSiteConnection._props["psk"].secret
    assert VpnService._props["is_admin_state_up"].server_key == "admin_state_up"


def test_seeded_tunnel(conn) -> None:
    site = conn.network.vpn_ipsec_site_connections()[0]
    service = conn.network.get_vpn_service(site.vpnservice_id)
    assert service.external_v4_ip and site.status == "ACTIVE"
    for name in ("vpn_ike_policies", "vpn_ipsec_policies", "vpn_services",
                 "vpn_endpoint_groups", "vpn_ipsec_site_connections"):
        listing = getattr(conn.network, name)()
        assert len(listing.to_pandas()) == len(listing) >= 1, name
    with pytest.raises(exc.Conflict):
        conn.network.delete_vpn_ike_policy(site.ikepolicy_id, ignore_missing=False)


def test_policy_lifecycle(member) -> None:
    ike = member.network.create_vpn_ike_policy(name="osnb-ike", ike_version="v2")
    assert ike.lifetime == {"units": "seconds", "value": 3600}
    ike = member.network.update_vpn_ike_policy(ike, encryption_algorithm="aes-256")
    assert ike.encryption_algorithm == "aes-256"
    assert member.network.find_vpn_ike_policy("osnb-ike").id == ike.id
    member.network.delete_vpn_ike_policy(ike)
