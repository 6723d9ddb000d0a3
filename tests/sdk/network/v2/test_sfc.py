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
