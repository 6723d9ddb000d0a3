"""Neutron metering in the demo cloud over HTTP: admin-only labels and rules, overlapping
rules refused, a label's deletion taking its rules; ``network meter`` from OSC."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from osnb import democloud

from .test_network import Api, _cli


@pytest.fixture(scope="module")
def admin(cloud: democloud.DemoCloud, admin_token: str) -> Api:
    return Api(cloud, admin_token)


@pytest.fixture(scope="module")
def member(cloud: democloud.DemoCloud, member_token: str) -> Api:
    return Api(cloud, member_token)


def test_seeded_label_and_rules(admin: Api) -> None:
    labels = admin.get("/metering/metering-labels")["metering_labels"]
    label = next(lb for lb in labels if lb["name"] == "internet-egress")
    assert set(label) == {"id", "project_id", "tenant_id", "name", "description", "shared"}
    assert label["shared"] is True
    rules = admin.get("/metering/metering-label-rules",
                      metering_label_id=label["id"])["metering_label_rules"]
    assert {(r["remote_ip_prefix"], r["excluded"]) for r in rules} == {
        ("0.0.0.0/0", False), ("10.0.0.0/8", True), ("192.168.0.0/16", True)}
    assert set(rules[0]) == {"id", "remote_ip_prefix", "direction", "metering_label_id",
                             "excluded", "source_ip_prefix", "destination_ip_prefix"}
    assert rules[0]["source_ip_prefix"] is None and rules[0]["destination_ip_prefix"] is None


def test_member_may_neither_see_nor_make(member: Api, admin: Api) -> None:
    label = admin.get("/metering/metering-labels")["metering_labels"][0]
    member.error("GET", "/metering/metering-labels", None, 403, "PolicyNotAuthorized")
    member.error("GET", f"/metering/metering-labels/{label['id']}", None, 404,
                 "MeteringLabelNotFound")
    member.error("POST", "/metering/metering-labels", {"metering_label": {"name": "x"}},
                 403, "PolicyNotAuthorized")


def test_rules_overlap_and_cascade(admin: Api) -> None:
    label = admin.call("POST", "/metering/metering-labels",
                       {"metering_label": {"name": "osnb-meter"}}, expect=201)["metering_label"]
    assert label["shared"] is False and label["description"] == ""
    base = {"metering_label_id": label["id"], "direction": "ingress"}
    rule = admin.call("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "remote_ip_prefix": "10.1.0.0/16"}}, expect=201)["metering_label_rule"]
    assert rule["excluded"] is False
    admin.error("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "remote_ip_prefix": "10.1.2.0/24"}}, 409, "MeteringLabelRuleOverlaps")
    # excluded, or the other direction, is another rule set: no overlap
    admin.call("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "remote_ip_prefix": "10.1.2.0/24", "excluded": True}}, expect=201)
    admin.error("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "direction": "sideways", "remote_ip_prefix": "10.2.0.0/16"}}, 400,
        "HTTPBadRequest")
    admin.error("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        "metering_label_id": str(uuid.uuid4()), "direction": "egress",
        "remote_ip_prefix": "10.3.0.0/16"}}, 404, "MeteringLabelNotFound")
    admin.call("DELETE", f"/metering/metering-labels/{label['id']}", expect=204)
    left = admin.get("/metering/metering-label-rules",
                     metering_label_id=label["id"])["metering_label_rules"]
    assert left == []
    admin.error("GET", f"/metering/metering-label-rules/{rule['id']}", None, 404,
                "MeteringLabelRuleNotFound")


def test_cli_network_meter(os_config) -> None:
    name = f"osnb-cli-meter-{uuid.uuid4().hex[:6]}"
    label = _cli("network", "meter", "create", name, "--description", "from OSC")
    assert label["name"] == name and label["description"] == "from OSC"
    rule = _cli("network", "meter", "rule", "create", "--egress", "--exclude",
                "--remote-ip-prefix", "172.16.0.0/12", name)
    assert rule["is_excluded"] is True and rule["direction"] == "egress"
    listed = _cli("network", "meter", "rule", "list")
    assert any(r["ID"] == rule["id"] for r in listed)
    assert _cli("network", "meter", "show", label["id"])["name"] == name
    assert _cli("network", "meter", "rule", "show", rule["id"])["remote_ip_prefix"] == \
        "172.16.0.0/12"
    exe = str(Path(sys.executable).parent / "openstack")
    subprocess.run([exe, "--os-cloud", "demo", "network", "meter", "delete", label["id"]],
                   check=True, capture_output=True, timeout=60)
    assert not any(r["ID"] == rule["id"] for r in _cli("network", "meter", "rule", "list"))


def test_rules_by_source_and_destination(admin: Api) -> None:
    """Neutron 29's prefixes: a source and a destination, or the deprecated remote one,
    never both kinds; at least one."""
    label = admin.call("POST", "/metering/metering-labels",
                       {"metering_label": {"name": "osnb-meter-src"}},
                       expect=201)["metering_label"]
    base = {"metering_label_id": label["id"], "direction": "egress"}
    rule = admin.call("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "source_ip_prefix": "10.2.0.0/16", "destination_ip_prefix": "0.0.0.0/0"}},
        expect=201)["metering_label_rule"]
    assert (rule["remote_ip_prefix"], rule["source_ip_prefix"],
            rule["destination_ip_prefix"]) == (None, "10.2.0.0/16", "0.0.0.0/0")
    assert admin.get(f"/metering/metering-label-rules/{rule['id']}")[
        "metering_label_rule"] == rule
    admin.error("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "remote_ip_prefix": "10.3.0.0/16", "source_ip_prefix": "10.4.0.0/16"}},
        400, "Invalid")
    admin.error("POST", "/metering/metering-label-rules", {"metering_label_rule": base},
                400, "Invalid")
    # a remote prefix is checked for overlaps only with the other remote prefixes
    admin.call("POST", "/metering/metering-label-rules", {"metering_label_rule": {
        **base, "remote_ip_prefix": "10.2.0.0/24"}}, expect=201)
    admin.call("DELETE", f"/metering/metering-labels/{label['id']}", expect=204)
