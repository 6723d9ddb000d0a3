"""Service function chaining through conn.network (``/v2.0/sfc``), against the demo
cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.sfc import (
    SfcFlowClassifier,
    SfcPortChain,
    SfcPortPair,
    SfcPortPairGroup,
    SfcServiceGraph,
)


def test_declarations() -> None:
    assert [c.base_path for c in (SfcPortPair, SfcPortPairGroup, SfcFlowClassifier,
                                  SfcPortChain, SfcServiceGraph)] == [
        "/sfc/port_pairs", "/sfc/port_pair_groups", "/sfc/flow_classifiers",
        "/sfc/port_chains", "/sfc/service_graphs"]


def test_seeded_chain(conn) -> None:
    graph = conn.network.sfc_service_graphs()[0]
    (first, nexts), = graph.port_chains.items()
    chain = conn.network.get_sfc_port_chain(first)
    group = conn.network.get_sfc_port_pair_group(chain.port_pair_groups[0])
    pair = conn.network.get_sfc_port_pair(group.port_pairs[0])
    assert pair.project_id == chain.project_id and nexts
    assert len(conn.network.sfc_flow_classifiers().to_pandas()) >= 1
    with pytest.raises(exc.Conflict):
        conn.network.delete_sfc_port_pair(pair, ignore_missing=False)


def test_classifier_and_chain_parameters(conn) -> None:
    """networking-sfc's keys through the SDK's props: a classifier's logical port,
    ethertype and L7 parameters, a chain's parameters, a group's load balancing and tap."""
    chain = conn.network.sfc_port_chains()[0]
    assert chain.chain_parameters == {"correlation": "mpls", "symmetric": False}
    group = conn.network.get_sfc_port_pair_group(chain.port_pair_groups[0])
    assert group.is_tap_enabled is False
    assert group.port_pair_group_parameters["lb_fields"] == []
    net = conn.network.create_network(name="osnb-sdk-sfc")
    try:
        conn.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.238.0.0/24")
        port = conn.network.create_port(network_id=net.id)
        fc = conn.network.create_sfc_flow_classifier(
            protocol="udp", destination_port_range_min=53, destination_port_range_max=53,
            logical_source_port=port.id)
        assert (fc.ethertype, fc.logical_source_port, fc.l7_parameters) == \
            ("IPv4", port.id, {})
        with pytest.raises(exc.BadRequest):
            conn.network.create_sfc_flow_classifier(
                protocol="udp", destination_port_range_min=50,
                destination_port_range_max=60, logical_source_port=port.id)
        conn.network.delete_sfc_flow_classifier(fc)
        conn.network.delete_port(port)
    finally:
        conn.network.delete_network(net)
