"""Metering labels and rules through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.metering import MeteringLabel, MeteringLabelRule


def test_declarations() -> None:
    assert MeteringLabel.base_path == "/metering/metering-labels"
    assert MeteringLabelRule.base_path == "/metering/metering-label-rules"
    assert MeteringLabelRule._props["is_excluded"].server_key == "excluded"


def test_seeded_listings_as_frames(conn) -> None:
    labels = conn.network.metering_labels()
    rules = conn.network.metering_label_rules(metering_label_id=labels[0].id)
    assert labels[0].is_shared and len(rules) == 3
    assert set(rules.to_pandas()["remote_ip_prefix"]) == {"0.0.0.0/0", "10.0.0.0/8",
                                                           "192.168.0.0/16"}
    assert conn.network.get_metering_label_rule(rules[0].id).direction == "egress"


def test_label_with_rules(conn, member) -> None:
    label = conn.network.create_metering_label(name="osnb-meter")
    try:
        rule = conn.network.create_metering_label_rule(
            metering_label_id=label.id, direction="ingress", remote_ip_prefix="10.9.0.0/16")
        assert rule.metering_label_id == label.id and rule.is_excluded is False
        with pytest.raises(exc.Conflict):
            conn.network.create_metering_label_rule(
                metering_label_id=label.id, direction="ingress",
                remote_ip_prefix="10.9.8.0/24")
        with pytest.raises(exc.Forbidden):
            member.network.metering_labels()
    finally:
        conn.network.delete_metering_label(label)
    assert conn.network.find_metering_label_rule(rule.id) is None
