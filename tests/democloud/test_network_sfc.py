"""Service function chaining in the demo cloud over HTTP, under ``/v2.0/sfc`` (where
networking-sfc serves it) and ``/v1.0/sfc`` (where its api-ref writes it): each object
used by at most one above it, what is used kept."""

from __future__ import annotations

from typing import Any

import pytest

from osnb import democloud

from .test_network import Api

S = "/sfc"


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


def _post(api: Api, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    return api.call("POST", f"{S}/{path}", {key: body}, expect=201)[key]


def test_seeded_chain_on_both_paths(admin: Api) -> None:
    chain = admin.get(f"{S}/port_chains")["port_chains"][0]
    v1 = admin.call("GET", admin.base.replace("/v2.0", "/v1.0") + f"{S}/port_chains",
                    expect=200)["port_chains"]
    assert chain in v1
    assert set(chain) == {"id", "name", "tenant_id", "description", "port_pair_groups",
                          "flow_classifiers", "chain_parameters"}
    admin.error("DELETE", f"{S}/port_pair_groups/{chain['port_pair_groups'][0]}", None, 409,
                "PortPairGroupInUse")
    admin.error("DELETE", f"{S}/flow_classifiers/{chain['flow_classifiers'][0]}", None, 409,
                "FlowClassifierInUse")


def test_chain_lifecycle(member: Api) -> None:
    net = member.call("POST", "/networks", {"network": {"name": "osnb-sfc"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.233.0.0/24"}}, expect=201)
    ports = [member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                         expect=201)["port"] for _ in range(4)]
    pair = _post(member, "port_pairs", "port_pair", {
        "name": "vnf-a", "ingress": ports[0]["id"], "egress": ports[1]["id"]})
    member.error("POST", f"{S}/port_pairs", {"port_pair": {
        "ingress": ports[0]["id"], "egress": ports[1]["id"]}}, 409,
        "PortPairIngressEgressInUse")
    pair2 = _post(member, "port_pairs", "port_pair", {
        "ingress": ports[2]["id"], "egress": ports[3]["id"]})
    group = _post(member, "port_pair_groups", "port_pair_group", {"port_pairs": [pair["id"]]})
    member.error("POST", f"{S}/port_pair_groups", {"port_pair_group": {
        "port_pairs": [pair["id"]]}}, 409, "PortPairInUse")
    member.error("DELETE", f"{S}/port_pairs/{pair['id']}", None, 409, "PortPairInUse")
    fc = _post(member, "flow_classifiers", "flow_classifier", {
        "protocol": "tcp", "destination_port_range_min": 80,
        "destination_port_range_max": 80, "destination_ip_prefix": "10.233.0.0/24"})
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "protocol": "icmp", "source_port_range_min": 1}}, 400,
        "FlowClassifierProtocolPortInvalid")
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "protocol": "tcp", "source_port_range_min": 90, "source_port_range_max": 80}}, 400,
        "FlowClassifierInvalidPortRange")
    member.error("POST", f"{S}/port_chains", {"port_chain": {"port_pair_groups": []}}, 400,
                 "HTTPBadRequest")
    chain = _post(member, "port_chains", "port_chain", {
        "port_pair_groups": [group["id"]], "flow_classifiers": [fc["id"]]})
    group2 = _post(member, "port_pair_groups", "port_pair_group",
                   {"port_pairs": [pair2["id"]]})
    member.error("POST", f"{S}/port_chains", {"port_chain": {
        "port_pair_groups": [group2["id"]], "flow_classifiers": [fc["id"]]}}, 409,
        "FlowClassifierInUse")
    chain2 = _post(member, "port_chains", "port_chain", {"port_pair_groups": [group2["id"]]})
    # groups are shared by chains, but not the same list of them (networking-sfc's
    # _validate_port_pair_groups)
    member.error("POST", f"{S}/port_chains", {"port_chain": {
        "port_pair_groups": [group2["id"]]}}, 409, "InvalidPortPairGroups")
    chain3 = _post(member, "port_chains", "port_chain",
                   {"port_pair_groups": [group["id"], group2["id"]]})
    member.error("POST", f"{S}/service_graphs", {"service_graph": {
        "port_chains": {chain["id"]: [chain2["id"]], chain2["id"]: [chain["id"]]}}}, 400,
        "ServiceGraphLoopDetected")
    graph = _post(member, "service_graphs", "service_graph", {
        "name": "g", "port_chains": {chain["id"]: [chain2["id"]]}})
    assert graph["project_id"] == graph["tenant_id"]
    assert graph["port_chains"] == {chain["id"]: [chain2["id"]]}
    member.error("POST", f"{S}/service_graphs", {"service_graph": {
        "port_chains": {chain3["id"]: [chain2["id"]]}}}, 409,
        "ServiceGraphInvalidPortChains")
    member.error("PUT", f"{S}/port_chains/{chain2['id']}", {"port_chain": {
        "port_pair_groups": [group2["id"], group["id"]]}}, 409, "ServiceGraphPortChainInUse")
    member.call("PUT", f"{S}/port_chains/{chain2['id']}", {"port_chain": {
        "name": "renamed"}}, expect=200)
    member.error("DELETE", f"{S}/port_chains/{chain2['id']}", None, 409,
                 "PortChainInUseByGraph")
    member.call("DELETE", f"{S}/service_graphs/{graph['id']}", expect=204)
    for path, obj in (("port_chains", chain3), ("port_chains", chain), ("port_chains", chain2),
                      ("port_pair_groups", group), ("port_pair_groups", group2),
                      ("flow_classifiers", fc), ("port_pairs", pair), ("port_pairs", pair2)):
        member.call("DELETE", f"{S}/{path}/{obj['id']}", expect=204)
    for port in ports:
        member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_chain_and_group_parameters(member: Api, admin: Api) -> None:
    """networking-sfc's defaults (MPLS correlation, no load-balancing fields, empty
    n-tuple mappings, no tap) and its refusals: an unknown correlation, load-balancing
    field or n-tuple key; a tap group of several pairs; two tap groups in a row."""
    chain = admin.get(f"{S}/port_chains")["port_chains"][0]
    assert chain["chain_parameters"] == {"correlation": "mpls", "symmetric": False}
    group = admin.get(f"{S}/port_pair_groups/{chain['port_pair_groups'][0]}")[
        "port_pair_group"]
    assert group["port_pair_group_parameters"] == {
        "lb_fields": [], "ppg_n_tuple_mapping": {"ingress_n_tuple": {}, "egress_n_tuple": {}}}
    assert group["tap_enabled"] is False
    net = member.call("POST", "/networks", {"network": {"name": "osnb-sfc-params"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.236.0.0/24"}}, expect=201)
    ports = [member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                         expect=201)["port"] for _ in range(3)]
    pairs = [_post(member, "port_pairs", "port_pair", {"ingress": p["id"], "egress": p["id"]})
             for p in ports]
    member.error("POST", f"{S}/port_pair_groups", {"port_pair_group": {
        "port_pairs": [pairs[0]["id"]], "port_pair_group_parameters": {
            "lb_fields": ["ip_proto"]}}}, 400, "HTTPBadRequest")
    member.error("POST", f"{S}/port_pair_groups", {"port_pair_group": {
        "port_pairs": [pairs[0]["id"]], "port_pair_group_parameters": {
            "ppg_n_tuple_mapping": {"ingress_n_tuple": {"vlan": 7}}}}}, 400,
        "PPGParametersInvalidNTupleMappingParameter")
    member.error("POST", f"{S}/port_pair_groups", {"port_pair_group": {
        "port_pairs": [pairs[0]["id"], pairs[1]["id"]], "tap_enabled": True}}, 400,
        "MultiplePortPairsInTapPPGNotSupported")
    balanced = _post(member, "port_pair_groups", "port_pair_group", {
        "port_pairs": [pairs[0]["id"]],
        "port_pair_group_parameters": {"lb_fields": ["ip_src", "ip_dst"]}})
    assert balanced["port_pair_group_parameters"]["lb_fields"] == ["ip_src", "ip_dst"]
    assert balanced["port_pair_group_parameters"]["ppg_n_tuple_mapping"] == {
        "ingress_n_tuple": {}, "egress_n_tuple": {}}
    taps = [_post(member, "port_pair_groups", "port_pair_group", {
        "port_pairs": [pair["id"]], "tap_enabled": True}) for pair in pairs[1:]]
    member.error("POST", f"{S}/port_chains", {"port_chain": {
        "port_pair_groups": [t["id"] for t in taps]}}, 400, "ConsecutiveTapPPGNotSupported")
    member.error("POST", f"{S}/port_chains", {"port_chain": {
        "port_pair_groups": [balanced["id"]], "chain_parameters": {"correlation": "vlan"}}},
        400, "HTTPBadRequest")
    chain = _post(member, "port_chains", "port_chain", {
        "port_pair_groups": [taps[0]["id"], balanced["id"], taps[1]["id"]],
        "chain_parameters": {"correlation": "nsh"}})
    assert chain["chain_parameters"] == {"correlation": "nsh", "symmetric": False}
    member.error("PUT", f"{S}/port_chains/{chain['id']}", {"port_chain": {
        "chain_parameters": {"symmetric": True}}}, 400, "HTTPBadRequest")
    member.call("DELETE", f"{S}/port_chains/{chain['id']}", expect=204)
    for group in (balanced, *taps):
        member.call("DELETE", f"{S}/port_pair_groups/{group['id']}", expect=204)
    for pair in pairs:
        member.call("DELETE", f"{S}/port_pairs/{pair['id']}", expect=204)
    for port in ports:
        member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)


def test_classifier_ports_ethertype_and_conflicts(member: Api, admin: Api) -> None:
    """A classifier names the logical ports it matches (which exist), an ethertype its
    prefixes agree with, no L7 parameters, and no packet another classifier matches
    (networking-sfc's ``flowclassifier_conflict``); a pair's function parameters get
    networking-sfc's defaults."""
    web = admin.get(f"{S}/flow_classifiers")["flow_classifiers"][0]
    assert (web["ethertype"], web["logical_source_port"], web["l7_parameters"]) == \
        ("IPv4", None, {})
    assert web["destination_ip_prefix"]
    pair = admin.get(f"{S}/port_pairs")["port_pairs"][0]
    assert pair["service_function_parameters"] == {"correlation": None, "weight": 1}
    net = member.call("POST", "/networks", {"network": {"name": "osnb-sfc-fc"}},
                      expect=201)["network"]
    member.call("POST", "/subnets", {"subnet": {"network_id": net["id"], "ip_version": 4,
                                                "cidr": "10.237.0.0/24"}}, expect=201)
    port = member.call("POST", "/ports", {"port": {"network_id": net["id"]}},
                       expect=201)["port"]
    ssh = {"protocol": "TCP", "destination_port_range_min": 22,
           "destination_port_range_max": 22, "logical_source_port": port["id"]}
    fc = _post(member, "flow_classifiers", "flow_classifier", ssh)
    assert (fc["protocol"], fc["ethertype"], fc["logical_source_port"]) == \
        ("tcp", "IPv4", port["id"])
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        **ssh, "destination_port_range_min": 20, "destination_port_range_max": 30}}, 400,
        "FlowClassifierInConflict")
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "logical_source_port": "6b2f4d1e-0000-4f5b-9e7d-1a2b3c4d5e6f"}}, 404,
        "FlowClassifierPortNotFound")
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "ethertype": "ipv6", "source_ip_prefix": "10.0.0.0/8",
        "logical_source_port": port["id"]}}, 400,
        "FlowClassifierIpPrefixFormatConflictWithEthertype")
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "ethertype": "IPX"}}, 400, "FlowClassifierInvalidEthertype")
    member.error("POST", f"{S}/flow_classifiers", {"flow_classifier": {
        "l7_parameters": {"url": "/"}, "logical_source_port": port["id"]}}, 400,
        "FlowClassifierInvalidL7Parameter")
    v6 = _post(member, "flow_classifiers", "flow_classifier", {
        **ssh, "ethertype": "ipv6", "source_ip_prefix": "2001:db8::/64"})
    assert v6["ethertype"] == "IPv6"
    member.error("POST", f"{S}/port_pairs", {"port_pair": {
        "ingress": port["id"], "egress": port["id"],
        "service_function_parameters": {"correlation": "vlan"}}}, 400, "HTTPBadRequest")
    nsh = _post(member, "port_pairs", "port_pair", {
        "ingress": port["id"], "egress": port["id"],
        "service_function_parameters": {"correlation": "nsh"}})
    assert nsh["service_function_parameters"] == {"correlation": "nsh", "weight": 1}
    member.call("DELETE", f"{S}/port_pairs/{nsh['id']}", expect=204)
    for made in (fc, v6):
        member.call("DELETE", f"{S}/flow_classifiers/{made['id']}", expect=204)
    member.call("DELETE", f"/ports/{port['id']}", expect=204)
    member.call("DELETE", f"/networks/{net['id']}", expect=204)
