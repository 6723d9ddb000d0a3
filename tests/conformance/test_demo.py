"""The demo cloud against the api-ref: ``docs/conformance.md`` is what the probe measures now.

The probe (:mod:`.probe`) produces data, not one failing test per mismatch; what fails is a
stale table: a change to the demo cloud that serves a new call, or breaks a key-exact one,
must regenerate ``docs/conformance.md`` (``python -m tests.conformance.report >
docs/conformance.md``) and so shows in review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .probe import Outcome, _named_by_body, endpoints, first_difference
from .report import measure, render
from .sdk_coverage import coverage

DOC = Path(__file__).resolve().parents[2] / "docs" / "conformance.md"


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return measure()


def test_the_committed_table_is_current(outcomes: list[Outcome]) -> None:
    fresh = render(outcomes, coverage())
    committed = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert committed == fresh, ("docs/conformance.md is stale: run `python -m "
                                "tests.conformance.report > docs/conformance.md`")


def test_the_table_is_the_same_twice(outcomes: list[Outcome]) -> None:
    """A fresh world answers the same: the table depends on no timing and no other test."""
    assert render(measure()) == render(outcomes)


def test_paths_are_filled_with_real_ids(outcomes: list[Outcome]) -> None:
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    server = got["compute", "GET /servers/{server_id}"]
    assert server.status == 200 and not server.note
    assert server.compared
    volume = got["block-storage", "GET /v3/{project_id}/volumes/{volume_id}"]
    assert volume.status == 200 and volume.compared
    assert got["image", "GET /v2/images/{image_id}"].status == 200
    # nova's version discovery is asked at the service root, not under /v2.1
    assert got["compute", "GET /{api_version}/"].status == 200
    assert got["compute", "GET /"].served


def test_an_unserved_route_is_counted_as_not_served(outcomes: list[Outcome]) -> None:
    """The demo cloud has no shared file systems (Manila) for Nova's server shares: 404."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert not got["compute", "GET /servers/{server_id}/shares"].served


def test_a_call_is_sent_at_the_microversion_its_section_documents(
        outcomes: list[Outcome]) -> None:
    """Cinder's attachments, with unversioned samples only, 404 at 3.0 as in Cinder: 3.27."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    attachments = got["block-storage", "GET /v3/{project_id}/attachments"]
    assert attachments.microversion == "3.27" and attachments.status == 200
    summary = got["block-storage", "GET /v3/{project_id}/volumes/summary"]
    assert summary.microversion == "3.12" and summary.served
    # a sample newer than the documented minimum (1.1) keeps its own microversion
    aggregates = got["placement", "GET /resource_providers/{uuid}/aggregates"]
    assert aggregates.endpoint.documented == "1.1" and aggregates.microversion == "1.19"
    # an unversioned service sends none
    assert got["identity", "GET /v3/users"].microversion is None


def test_server_actions_are_counted_one_by_one() -> None:
    actions = {ep.action for ep in endpoints("nova")
               if ep.path == "/servers/{server_id}/action"}
    assert {"resize", "confirmResize", "revertResize", "migrate", "os-migrateLive",
            "shelve", "unshelve", "rebuild", "createImage", "evacuate"} <= actions


def test_deprecated_apis_are_not_documented_calls() -> None:
    calls = {ep.call for ep in endpoints("nova")}
    assert "GET /servers/{server_id}" in calls
    assert not any(c.startswith(("GET /os-networks", "GET /os-fping", "GET /images"))
                   for c in calls)
    assert all(ep.path.startswith("/v3/") or ep.path == "/" for ep in endpoints("cinder"))


# -- the comparison itself (pure) -------------------------------------------------------
def test_same_structure_is_key_exact() -> None:
    sample = {"server": {"id": "x", "flavor": {"vcpus": 1}, "links": [{"href": "a"}]}}
    answer = {"server": {"id": "y", "flavor": {"vcpus": 4}, "links": [{"href": "b"}, {}]}}
    assert first_difference(sample, answer) is None


def test_missing_extra_and_type_are_findings() -> None:
    sample = {"server": {"id": "x", "flavor": {"vcpus": 1}}}
    assert first_difference(sample, {"server": {"id": "x"}}) == "server.flavor: missing"
    assert first_difference(sample, {"server": {"id": "x", "flavor": {"vcpus": 1},
                                                "host": "h"}}) == "server.host: extra"
    assert first_difference(sample, {"server": {"id": "x", "flavor": {"vcpus": "1"}}}) == (
        "server.flavor.vcpus: string, sample has number")
    assert first_difference({"a": [{"b": 1}]}, {"a": [{"c": 1}]}) == "a[0].b: missing"
    assert first_difference({"a": True}, {"a": 1}) == "a: number, sample has boolean"


def test_null_matches_any_type_and_free_form_keys_are_data() -> None:
    assert first_difference({"a": None, "b": 1}, {"a": {"x": 1}, "b": None}) is None
    assert first_difference({"metadata": {"foo": "bar"}}, {"metadata": {"k": "v"}}) is None
    assert first_difference({"metadata": {"foo": "bar"}}, {"metadata": {"k": 1}}) == (
        "metadata.k: number, sample has string")


def test_sdk_coverage_counts_both_packages() -> None:
    rows = {row.service: row for row in coverage()}
    compute = rows["compute"]
    assert {"Server", "Flavor"} <= compute.osnb_resources & compute.sdk_resources
    assert {"servers", "get_server"} <= compute.osnb_methods & compute.sdk_methods
    assert "resize_server" in compute.sdk_methods  # openstacksdk's own, read from it
    assert len(rows["image"].sdk_methods) > len(rows["image"].osnb_methods)


def test_paging_keys_come_and_go_with_pages() -> None:
    assert first_difference({"servers": [], "servers_links": []}, {"servers": []}) is None
    assert first_difference({"images": []}, {"images": [], "next": "/v2/images?m=1"}) is None
    assert first_difference({"a": {"next": 1}}, {"a": {}}) == "a.next: missing"


def test_a_write_names_the_key_its_body_sets() -> None:
    assert _named_by_body("/servers/{server_id}/metadata/{key}",
                          {"meta": {"foo": "bar"}}) == "/servers/{server_id}/metadata/foo"
    assert _named_by_body("/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}",
                          {"hw:numa_nodes": "1"}) == (
        "/flavors/{flavor_id}/os-extra_specs/hw:numa_nodes")
    assert _named_by_body("/servers/{server_id}/metadata", {"metadata": {}}) == (
        "/servers/{server_id}/metadata")


def test_a_server_action_is_sent_in_the_state_it_needs(outcomes: list[Outcome]) -> None:
    """``resume`` after ``suspend``, ``unpause`` after ``pause``, from an ACTIVE server: the
    api-ref's order alone would leave the server where Nova must refuse them (409)."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    for action in ("resume", "unpause", "os-start", "suspend"):
        outcome = got["compute", f"POST /servers/{{server_id}}/action {action}"]
        assert outcome.status is not None and 200 <= outcome.status < 300, outcome.note


def test_bodies_name_hosts_of_the_demo_world(outcomes: list[Outcome]) -> None:
    """Nova's samples name hosts the world lacks (``"host": "host1"``); the probe sends a
    real compute host, and a nova-compute service for ``PUT /os-services/{service_id}``."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    for call in ("PUT /os-services/disable", "POST /os-aggregates/{aggregate_id}/action add_host",
                 "PUT /os-services/{service_id}"):
        outcome = got["compute", call]
        assert outcome.status is not None and 200 <= outcome.status < 300, (call, outcome.note)


def test_a_call_is_asked_of_an_object_it_applies_to(outcomes: list[Outcome]) -> None:
    """A flavor's access list is asked of a private flavor (Nova has none for a public one),
    one extra spec of a flavor that has some."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert got["compute", "GET /flavors/{flavor_id}/os-flavor-access"].key_exact
    spec = got["compute", "GET /flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}"]
    assert spec.status == 200 and spec.key_exact


def test_novas_bare_links_list_is_paging_keystones_mapping_is_not() -> None:
    sample = {"instanceActions": [{"action": "stop"}], "links": [{"rel": "next"}]}
    assert first_difference(sample, {"instanceActions": [{"action": "create"}]}) is None
    keystone = {"users": [{"id": "u"}], "links": {"self": "x", "next": None}}
    assert first_difference(keystone, {"users": [{"id": "v"}]}) == "links: missing"


def test_a_sample_named_for_its_query_is_asked_with_it(outcomes: list[Outcome]) -> None:
    """The api-ref shows ``GET /os-hypervisors`` from 2.53 only with ``with_servers``."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert got["compute", "GET /os-hypervisors"].key_exact
    assert got["compute", "GET /os-server-groups/{server_group_id}"].key_exact


def test_placement_writes_name_the_worlds_providers_and_generations(
        outcomes: list[Outcome]) -> None:
    """Placement refuses a stale generation (409) and an unknown provider (400) by design:
    the samples' providers and generations are the docs', so the probe sends the world's."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    for call in ("PUT /allocations/{consumer_uuid}", "POST /allocations",
                 "PUT /resource_providers/{uuid}/traits",
                 "PUT /resource_providers/{uuid}/aggregates"):
        outcome = got["placement", call]
        assert outcome.status is not None and 200 <= outcome.status < 300, (call, outcome.note)


def test_an_unversioned_sample_is_asked_at_the_version_its_keys_need(
        outcomes: list[Outcome]) -> None:
    """Placement's get-resource_provider.json shows parent_provider_uuid (new in 1.14)."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    provider = got["placement", "GET /resource_providers/{uuid}"]
    assert provider.microversion is not None
    assert tuple(map(int, provider.microversion.split("."))) >= (1, 14)
    assert provider.key_exact


def test_a_key_the_parameters_document_is_not_extra() -> None:
    sample = {"networks": [{"id": "n"}]}
    answer = {"networks": [{"id": "m", "tags": []}]}
    assert first_difference(sample, answer) == "networks[0].tags: extra"
    assert first_difference(sample, answer, documented=frozenset({"tags"})) is None
    # a key the sample shows is still required
    assert first_difference({"networks": [{"id": "n", "mtu": 1}]}, answer,
                            documented=frozenset({"tags", "mtu"})) == "networks[0].mtu: missing"


def test_an_unversioned_call_refused_at_the_base_is_asked_at_the_newest(
        outcomes: list[Outcome]) -> None:
    """Cinder's api-ref does not say groups need 3.13; Cinder (and the demo) 404 at 3.0."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    groups = got["block-storage", "GET /v3/{project_id}/groups"]
    assert groups.served and groups.microversion == "3.71"


def test_cinder_writes_are_asked_of_objects_they_apply_to(outcomes: list[Outcome]) -> None:
    """A backup, a transfer, a reservation of an available volume; the world's groups'
    types and a cinder-volume service's host in the bodies."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    for call in ("POST /v3/{project_id}/backups", "POST /v3/{project_id}/volume-transfers",
                 "POST /v3/{project_id}/volumes/{volume_id}/action os-reserve",
                 "POST /v3/{project_id}/groups", "PUT /v3/{project_id}/os-services/disable"):
        outcome = got["block-storage", call]
        assert outcome.status is not None and 200 <= outcome.status < 300, (call, outcome.note)


def test_no_documented_call_breaks_the_demo_cloud(outcomes: list[Outcome]) -> None:
    """A refusal is a 4xx in the service's words; a 5xx is a bug of the demo cloud."""
    broken = [(o.endpoint.service, o.endpoint.call, o.note) for o in outcomes
              if o.status is not None and o.status >= 500]
    assert not broken


def test_a_refusal_is_not_served_and_a_newer_sample_is_asked_at_the_newest_spoken(
        outcomes: list[Outcome]) -> None:
    """Keystone's OS-SIMPLE-CERT answers 410 Gone, as real Keystone does: not served. Nova's
    api-ref shows flavors only at 2.102; the demo speaks 2.100 and is asked at it (406
    before), compared with the 2.102 sample."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert not got["identity", "GET /v3/OS-SIMPLE-CERT/ca"].served
    flavors = got["compute", "GET /flavors"]
    assert flavors.served and flavors.microversion == "2.100" and flavors.compared


def test_a_literalinclude_from_the_source_root_is_read(outcomes: list[Outcome]) -> None:
    """Nova's versions.inc includes ``/../../doc/api_samples/versions/…``: Sphinx reads a
    leading ``/`` from the api-ref's source directory, and so does the probe."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert got["compute", "GET /"].compared and got["compute", "GET /"].key_exact


def test_network_writes_are_asked_of_objects_they_apply_to(outcomes: list[Outcome]) -> None:
    """Neutron's samples name objects of another world: the probe asks of a group and a
    range one may change, an L3 agent, an IPv6 pool, a QoS policy with (to read) or without
    (to add) a rule of the kind, a floating IP with forwardings and the host they reach,
    free gateway addresses and ports, a trunk's own subports, next hops on the router's
    subnet, a flavor without a profile, a project both ``tenant_id`` and ``project_id``
    name, an NDP proxy's IPv6 topology made the documented way."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    for call in ("PUT /v2.0/security-groups/{security_group_id}",
                 "PUT /v2.0/network_segment_ranges/{network_segment_range_id}",
                 "POST /v2.0/agents/{agent_id}/l3-routers",
                 "PUT /v2.0/subnetpools/{subnetpool_id}",
                 "POST /v2.0/qos/policies/{policy_id}/bandwidth_limit_rules",
                 "POST /v2.0/qos/policies/{policy_id}/dscp_marking_rules",
                 "POST /v2.0/qos/policies/{policy_id}/minimum_bandwidth_rules",
                 "PUT /v2.0/qos/policies/{policy_id}/packet_rate_limit_rules/{rule_id}",
                 "PUT /v2.0/qos/policies/{policy_id}/minimum_packet_rate_rules/{rule_id}",
                 "POST /v2.0/floatingips/{floatingip_id}/port_forwardings",
                 "PUT /v2.0/floatingips/{floatingip_id}/port_forwardings/"
                 "{port_forwarding_id}",
                 "GET /v2.0/floatingips/{floatingip_id}/port_forwardings/"
                 "{port_forwarding_id}",
                 "POST /v2.0/floatingips", "POST /v2.0/routers", "PUT /v2.0/routers/{router_id}",
                 "PUT /v2.0/trunks/{trunk_id}/add_subports",
                 "PUT /v2.0/trunks/{trunk_id}/remove_subports",
                 "PUT /v2.0/routers/{router_id}/add_extraroutes",
                 "POST /v2.0/local_ips/{local_ip_id}/port_associations",
                 "POST /v2.0/flavors/{flavor_id}/service_profiles",
                 "POST /v2.0/address-scopes", "POST /v2.0/ndp_proxies",
                 "PUT /v2.0/ndp_proxies/{ndp_proxy_id}",  # asked again after the create
                 "GET /v2.0/ndp_proxies/{ndp_proxy_id}"):
        outcome = got["network", call]
        assert outcome.served and not outcome.note, (call, outcome.note)
    # a segment range's ``used`` is keyed by segmentation id: data, not keys
    assert got["network", "GET /v2.0/network_segment_ranges"].key_exact


def test_network_samples_neutron_refuses_stay_refused(outcomes: list[Outcome]) -> None:
    """The rule sample names a remote group and a remote address group (Neutron's
    SecurityGroupMultipleRemoteEntites); multiple external gateways are OVN's
    (``ExtraGatewaysDbOnlyMixin`` is in the OVN L3 plugin only), not this ML2/OVS cloud's."""
    got = {(o.endpoint.service, o.endpoint.call): o for o in outcomes}
    assert got["network", "POST /v2.0/security-group-rules"].status == 400
    for verb in ("add", "update", "remove"):
        assert got["network", f"PUT /v2.0/routers/{{router_id}}/{verb}_external_gateways"
                   ].status == 404


def test_a_data_keyed_mapping_of_one_call_is_compared_by_its_values() -> None:
    sample = {"network_segment_ranges": [{"used": {"17": "p1"}, "id": "x"}]}
    answer = {"network_segment_ranges": [{"used": {"1003": "p2", "1004": "p3"}, "id": "y"}]}
    data = {"network_segment_ranges[0].used": 1}
    assert first_difference(sample, answer, data=data) is None
    assert first_difference(sample, answer) == "network_segment_ranges[0].used.17: missing"
    assert first_difference(sample, {"network_segment_ranges": [{"used": {"1": 5}, "id": "y"}]},
                            data=data) == "network_segment_ranges[0].used.1: number, sample " \
        "has string"
