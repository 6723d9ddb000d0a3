"""ServiceProvider through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

from osnb.sdk.network.v2.service_provider import ServiceProvider


def test_declaration() -> None:
    assert ServiceProvider.base_path == "/service-providers"
    assert ServiceProvider.allow_list and not ServiceProvider.allow_retrieve
    assert ServiceProvider.query.mapping["is_default"] == "default"


def test_list_as_frame(member) -> None:
    providers = member.network.service_providers()
    assert {(p.service_type, p.name, p.is_default) for p in providers} >= {
        ("L3_ROUTER_NAT", "ovs", True), ("QOS", "openvswitch", True)}
    assert [p.name for p in member.network.service_providers(service_type="QOS")] == [
        "openvswitch"]
    assert len(providers.to_pandas()) == len(providers)
