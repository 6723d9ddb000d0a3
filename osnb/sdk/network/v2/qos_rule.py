"""The rules of a QoS policy, each kind under its policy's path (Neutron
``/qos/policies/{policy_id}/<kind>_rules``), and the kinds a cloud supports
(``/qos/rule-types``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["QoSBandwidthLimitRule", "QoSDSCPMarkingRule", "QoSMinimumBandwidthRule",
           "QoSRuleType"]


class QoSBandwidthLimitRule(Resource):
    """A cap: ``max_kbps`` (bursting to ``max_burst_kbps``) in one ``direction``."""

    resource_key = "bandwidth_limit_rule"
    resources_key = "bandwidth_limit_rules"
    base_path = "/qos/policies/%(qos_policy_id)s/bandwidth_limit_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "max_kbps", "max_burst_kbps", "direction", "fields", "sort_key",
                  "sort_dir")

    qos_policy_id: str | None = uri("qos_policy_id")
    max_kbps: int | None = prop("max_kbps")
    max_burst_kbps: int | None = prop("max_burst_kbps")
    direction: str | None = prop("direction")


class QoSDSCPMarkingRule(Resource):
    """A DSCP mark set on the port's egress packets."""

    resource_key = "dscp_marking_rule"
    resources_key = "dscp_marking_rules"
    base_path = "/qos/policies/%(qos_policy_id)s/dscp_marking_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "dscp_mark", "fields", "sort_key", "sort_dir")

    qos_policy_id: str | None = uri("qos_policy_id")
    dscp_mark: int | None = prop("dscp_mark")


class QoSMinimumBandwidthRule(Resource):
    """A guarantee: ``min_kbps`` in one ``direction``, scheduled through placement."""

    resource_key = "minimum_bandwidth_rule"
    resources_key = "minimum_bandwidth_rules"
    base_path = "/qos/policies/%(qos_policy_id)s/minimum_bandwidth_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "min_kbps", "direction", "fields", "sort_key", "sort_dir")

    qos_policy_id: str | None = uri("qos_policy_id")
    min_kbps: int | None = prop("min_kbps")
    direction: str | None = prop("direction")


class QoSRuleType(Resource):
    """A kind of rule the cloud's drivers support; ``drivers`` (on a get) list each
    driver's parameters and their ranges or choices."""

    resource_key = "rule_type"
    resources_key = "rule_types"
    base_path = "/qos/rule-types"
    service = "network"
    allow_retrieve = allow_list = True
    query = Query("type", "drivers", "fields", "all_rules", "all_supported")

    type: str | None = prop("type", alternate_id=True)
    drivers: list | None = prop("drivers")
